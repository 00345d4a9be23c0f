"""People (IIN), organisations (BIN) and the accounts through which they act."""
