"""The FastAPI application: REST API, health checks, webhooks and sandbox."""
