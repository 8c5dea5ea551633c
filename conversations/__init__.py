"""The chat conversation engine (pure state machine); built in the conversation issue."""
