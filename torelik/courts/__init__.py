"""The national court registry: courts, courtrooms, judges, staff positions, case categories."""
