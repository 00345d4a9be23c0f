"""Judicial Office: e-filings (drafts, signed manifests, state fee, payment) and the e-government and PSC channels."""
