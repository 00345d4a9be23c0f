"""The electronic archive: a content-addressed file store (SHA-256) for every document of a case."""
