"""Tables of the summons context."""
