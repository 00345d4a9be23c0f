"""Torelik: an open e-justice platform for a national court system."""
