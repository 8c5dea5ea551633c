"""Channel adapters: Telegram, WhatsApp (Twilio) and the sandbox; they only translate."""
