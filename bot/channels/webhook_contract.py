"""What the channels' webhooks check and answer, without the channels' libraries.

`web/webhooks.py` needs these on every process; the Telegram and Twilio libraries are imported
only where those channels are set up (bot/channels/setup.py), saving a server that runs neither
their ~12 MB.
"""

from __future__ import annotations

from typing import Final

TELEGRAM_SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
TWILIO_SIGNATURE_HEADER: Final = "X-Twilio-Signature"
EMPTY_TWIML: Final = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
