"""The reference data the migrations load (document types, the MCI, term rules and the working
calendar), put back for a transactional test: an earlier one on the same worker may have flushed it."""

import importlib

from django.apps import apps

LOADERS = (
    ("torelik.cases.migrations.0003_document_types", "add_types"),
    ("torelik.cases.migrations.0009_writ_document_type", "add_writ"),
    ("torelik.cases.migrations.0017_appeal_sent_by_the_lower_court", "add_type"),
    ("torelik.core.migrations.0002_mci_values", "add_values"),
    ("torelik.deadlines.migrations.0002_rules_and_calendar_data", "load"),
    ("torelik.helpline.migrations.0002_categories", "load"),
)


def put_back_migration_data() -> None:
    """Each loader is idempotent (update_or_create), so this is harmless where the data is there."""
    for module, name in LOADERS:
        getattr(importlib.import_module(module), name)(apps, None)
