"""Tables of the filing context."""
