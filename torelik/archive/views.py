"""The public page of the transparency log: the latest signed checkpoint with its witnesses and
timestamp, the log's key, the newest entries, and any entry looked up with its inclusion proof."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from torelik.archive import queries
from torelik.archive.models import LogEntryKind

RECENT = 20


def log_page(request: HttpRequest) -> HttpResponse:
    latest = queries.latest_checkpoint()
    asked = request.GET.get("entry", "").strip()
    found, problem = None, ""
    if asked:
        entry = None
        if asked.isdigit():
            entry = next(iter(queries.entries_between(int(asked), int(asked))), None)
        elif len(asked) == 64:
            entry = queries.entry_by_leaf(asked.lower())
        if entry is None:
            problem = _("No entry of the log has this index or leaf hash.")
        else:
            proven = queries.proof_of(
                entry.leaf_hash, checkpoint=latest if latest and latest.size > entry.index else None
            )
            found = {
                "entry": entry,
                "kind": LogEntryKind(entry.kind).label,
                "body": json.dumps(json.loads(entry.body), ensure_ascii=False, indent=1),
                "proof": [h.hex() for h in proven.proof] if proven else [],
                "checkpoint": proven.checkpoint if proven else None,
            }
    recent = list(queries.recent_entries(RECENT))
    return render(
        request,
        "archive/log.html",
        {
            "checkpoint": latest,
            "cosignatures": list(latest.cosignatures.select_related("witness").order_by("witness__name"))
            if latest
            else [],
            "timestamp": queries.latest_timestamp(),
            "key": queries.verifier_key() if latest else "",
            "size": queries.log_size(),
            "recent": [(e, LogEntryKind(e.kind).label) for e in recent],
            "asked": asked,
            "found": found,
            "problem": problem,
        },
    )
