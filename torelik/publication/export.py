"""The open data's bulk export (ADR 0065, 0073): one JSON-lines file per month of the acts' dates, each line
one published act (its id, stable address, court, region, category, kind, proceeding, instance,
outcome, date, language, title and depersonalised text), and a manifest with each file's SHA-256 and
number of lines, so that a researcher can check what they downloaded."""

import json
import re
from typing import IO

from torelik.publication import queries
from torelik.publication.models import PublishedAct

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def record(act: PublishedAct) -> dict[str, object]:
    return {
        "id": str(act.public_id),
        "url": f"/ru/acts/published/{act.public_id}/",
        "case_number": act.case_number,
        "court": {"code": act.court.code, "name_kk": act.court.name_kk, "name_ru": act.court.name_ru},
        "region": act.region.code if act.region else "",
        "category": {"code": act.category.code, "name_kk": act.category.name_kk, "name_ru": act.category.name_ru},
        "kind": act.kind,
        "proceeding_type": act.proceeding_type,
        "instance": act.instance,
        "outcome": act.outcome,
        "date": act.decided_on.isoformat(),
        "language": act.language,
        "title": act.title,
        "text": act.text,
    }


def write_lines(month: str, target: IO[bytes]) -> int:
    """The month's file written to `target` act by act (never whole in memory); its number of lines."""
    lines = 0
    for act in queries.acts_of_month(month):
        target.write(json.dumps(record(act), ensure_ascii=False, sort_keys=True).encode() + b"\n")
        lines += 1
    return lines


def month_lines(month: str) -> bytes:
    """The month's file: one JSON object per line, UTF-8, in the order of the acts' dates."""
    if not MONTH.match(month):
        return b""
    return b"".join(
        json.dumps(record(act), ensure_ascii=False, sort_keys=True).encode() + b"\n"
        for act in queries.acts_of_month(month)
    )


def manifest() -> list[dict[str, object]]:
    """The files the workers wrote (ended months only), as they are stored: nothing computed on request."""
    return [
        {
            "month": f.month,
            "file": f"{f.month}.jsonl",
            "url": f"/api/v1/acts/export/{f.month}.jsonl",
            "lines": f.lines,
            "bytes": f.size,
            "sha256": f.sha256,
            "written_at": f.written_at,
        }
        for f in queries.export_files()
    ]
