"""The conversation's flows: one module per flow, each a table of steps (see engine.STEPS)."""
