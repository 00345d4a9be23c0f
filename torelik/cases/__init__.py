"""The case file: cases, parties, documents, the case journal and who may see what."""
