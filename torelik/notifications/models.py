"""Tables of the notifications context."""
