"""Reactions of the case file to other contexts' events: a damaged stored file is journaled in every
case that holds it, so that the staff of the case see it (and whether it was repaired)."""

from torelik.archive.events import StoredObjectDamaged
from torelik.cases.actions import record_case_events
from torelik.cases.models import Case, CaseEventKind, Document


def on_stored_object_damaged(event: StoredObjectDamaged) -> None:
    """In the audit's transaction: one journal entry per case with a document of that content."""
    documents = Document.objects.filter(file__sha256=event.sha256).select_related("case").order_by("case_id", "pk")
    by_case: dict[int, tuple[Case, list[str]]] = {}
    for document in documents:
        by_case.setdefault(document.case_id, (document.case, []))[1].append(str(document.public_id))
    record_case_events(
        [
            (
                case,
                CaseEventKind.FIXITY_MISMATCH,
                None,
                {
                    "sha256": event.sha256,
                    "found": event.found or None,
                    "repaired": event.repaired,
                    "documents": ids,
                    "log_leaf": event.log_leaf,
                },
            )
            for case, ids in by_case.values()
        ]
    )
