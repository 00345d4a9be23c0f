"""Shared kernel: base models, identifiers (IIN/BIN), money, clock, errors, event bus, i18n helpers."""
