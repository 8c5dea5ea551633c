"""The booking domain: pure rules and use cases, no I/O (storage lives in domain.storage)."""
