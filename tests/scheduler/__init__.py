"""The background job loop and its storage."""
