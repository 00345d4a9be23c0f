"""What the national generator refuses (ADR 0074)."""


class GenerationError(Exception):
    """The generator refuses: the message says why and what to do."""
