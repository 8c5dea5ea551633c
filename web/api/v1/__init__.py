"""REST API v1 (see DESIGN.md for the contract)."""
