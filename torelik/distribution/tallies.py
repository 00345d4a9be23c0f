"""The draws' tallies (ADR 0116): moved by the transaction that draws and the one that replaces a drawn
draw, and recounted from the protocols after a bulk load (the national generator, the demo's court day)
and by the migration that made them."""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.db.models import F

from torelik.distribution import queries
from torelik.distribution.models import Draw, DrawStatus, DrawTally
from torelik.distribution.queries import TallyFigures, TallyKey


def tally_drawn(draws: Sequence[Draw], judge_ids: Mapping[str, int]) -> None:
    """Add drawn draws (their case read with them) to their court's tallies of the day: a draw won by
    its judge with its weight, and each judge's chance in its protocol. `judge_ids` maps the protocols'
    judge keys (public ids) to the judges' ids."""
    rows: dict[TallyKey, TallyFigures] = {}

    def add(key: TallyKey, received: int, weight: int, chance: float, variance: float) -> None:
        old = rows.get(key, (0, 0, 0.0, 0.0))
        rows[key] = (old[0] + received, old[1] + weight, old[2] + chance, old[3] + variance)

    for draw in draws:
        if draw.status != DrawStatus.DRAWN or draw.drawn_at is None or draw.judge_id is None:
            continue
        court, day = draw.case.court_id, draw.drawn_at.astimezone(dt.UTC).date()
        for key, text in draw.probabilities.items():
            if key in judge_ids:
                chance = float(Fraction(text))
                add((court, day, judge_ids[key]), 0, 0, chance, chance * (1 - chance))
        add((court, day, draw.judge_id), 1, draw.weight, 0.0, 0.0)
    queries.add_to_tallies(rows)


def take_back_weight(previous: Draw, *, court_id: int) -> None:
    """A drawn draw replaced by a new one: its weight no longer stands on its judge's load."""
    if previous.status != DrawStatus.DRAWN or previous.replaced_at is not None:
        return
    if previous.drawn_at is None or previous.judge_id is None:
        return
    DrawTally.objects.filter(
        court_id=court_id, day=previous.drawn_at.astimezone(dt.UTC).date(), judge_id=previous.judge_id
    ).update(weight=F("weight") - previous.weight)


@dataclass(frozen=True)
class TallyRecount:
    keys: int
    draws: int
    disagreed: list[tuple[TallyKey, TallyFigures, TallyFigures]]


def _agree(kept: TallyFigures, counted: TallyFigures) -> bool:
    return kept[:2] == counted[:2] and all(
        math.isclose(a, b, abs_tol=1e-6) for a, b in zip(kept[2:], counted[2:], strict=True)
    )


def recount_tallies(*, replace: bool) -> TallyRecount:
    """Compare the tallies with the drawn protocols (and, with `replace`, write the protocols' figures
    over them). A draw made while this runs may show as a disagreement: run it again."""
    with transaction.atomic():
        if replace:
            # No draw may add a key between the recount and the rewrite (SQLite's writes are serial).
            queries.lock_tallies()
        rows = DrawTally.objects.select_for_update() if replace else DrawTally.objects.all()
        kept = {
            (r.court_id, r.day, r.judge_id): (r.received, r.weight, r.chance, r.variance)
            for r in rows.only("court_id", "day", "judge_id", "received", "weight", "chance", "variance")
        }
        counted = queries.counted_tallies()
        zero: TallyFigures = (0, 0, 0.0, 0.0)
        disagreed = [
            (key, kept.get(key, zero), counted.get(key, zero))
            for key in sorted(set(kept) | set(counted))
            if not _agree(kept.get(key, zero), counted.get(key, zero))
        ]
        if replace and disagreed:
            DrawTally.objects.all().delete()
            DrawTally.objects.bulk_create(
                [
                    DrawTally(court_id=c, day=d, judge_id=j, received=n, weight=w, chance=p, variance=v)
                    for (c, d, j), (n, w, p, v) in sorted(counted.items())
                ],
                batch_size=2000,
            )
    return TallyRecount(keys=len(counted), draws=sum(v[0] for v in counted.values()), disagreed=disagreed)
