"""Demo letters: the last ninety days of a demo court's registered and hybrid mail, with the shares of
the court system's published figures (in 2015, 524,211 registered letters with 99 % of final statuses
received, and 328,000 hybrid items, 99 %): most delivered, some refused, returned or undeliverable, one
in a hundred still on its way. A no-op the second time."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from torelik.core import clock
from torelik.courts.models import Court
from torelik.post import actions, rates
from torelik.post.models import EventSource, Letter, LetterEvent, LetterKind, LetterStatus

DEMO_LETTERS = 1200
FINAL_SHARE = 0.99
OUTCOMES = (
    (LetterStatus.DELIVERED, "", 0.86),
    (LetterStatus.REFUSED, "refused_by_addressee", 0.04),
    (LetterStatus.RETURNED, "storage_expired", 0.05),
    (LetterStatus.UNDELIVERABLE, "addressee_unknown", 0.05),
)
STREETS = ("Абай даңғылы", "Сәтбаев көшесі", "Достық даңғылы", "Төле би көшесі", "Жандосов көшесі")


@dataclass
class PostSeedSummary:
    letters: int = 0
    final: int = 0


def _outcome(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    for status, reason, share in OUTCOMES:
        if roll < share:
            return status, reason
        roll -= share
    return LetterStatus.DELIVERED, ""


@transaction.atomic
def seed_demo_post(*, seed: int, court_code: str = "1916", count: int = DEMO_LETTERS) -> PostSeedSummary:
    summary = PostSeedSummary()
    if Letter.objects.filter(cause__startswith="demo:").exists():
        summary.letters = Letter.objects.filter(cause__startswith="demo:").count()
        return summary
    court = Court.objects.filter(code=court_code).first()
    if court is None:
        return summary
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    now = clock.now()
    barcodes = actions.allocate_barcodes(court_id=court.pk, count=count)
    letters: list[Letter] = []
    plans: list[tuple[dt.datetime, str, str, dt.datetime | None]] = []
    for index, barcode in enumerate(barcodes):
        kind = LetterKind.REGISTERED if rng.random() < 0.6 else LetterKind.HYBRID
        accepted = now - dt.timedelta(days=rng.uniform(1, 90))
        final = rng.random() < FINAL_SHARE and accepted < now - dt.timedelta(days=1)
        status, reason = _outcome(rng) if final else (LetterStatus.IN_TRANSIT, "")
        final_at = accepted + dt.timedelta(days=rng.uniform(1.5, 6.0)) if final else None
        if final_at is not None and final_at > now:
            final_at = now
        weight = rates.weight_class(rng.choice((1, 1, 1, 2, 3, 6)))
        rate = rates.rate_for(kind, weight, accepted.date())
        index_code = f"0{rng.randint(50000, 50099)}"
        letters.append(
            Letter(
                court=court,
                cause=f"demo:{index}",
                kind=kind,
                status=status,
                status_at=final_at or accepted,
                recipient_name=f"Демо алушы {index + 1}",
                language="kk",
                postal_index=index_code,
                address={
                    "postal_index": index_code,
                    "locality": "Алматы",
                    "street": rng.choice(STREETS),
                    "house": str(rng.randint(1, 200)),
                },
                address_text=f"{index_code}, Алматы",
                enclosures=[],
                sheets=1,
                weight_class=weight,
                cost=rate.amount if rate else 0,
                rate_date=rate.effective_from if rate else accepted.date(),
                barcode=barcode,
                accepted_at=accepted,
                final_at=final_at,
                reason=reason,
                handed_over_on=accepted.date() if kind == LetterKind.REGISTERED else None,
                next_poll_at=None if final else now + dt.timedelta(hours=4),
            )
        )
        plans.append((accepted, status, reason, final_at))
    Letter.objects.bulk_create(letters, batch_size=1000)
    events = []
    for letter, (accepted, status, reason, final_at) in zip(letters, plans, strict=True):
        steps = [(LetterStatus.ACCEPTED, accepted, ""), (LetterStatus.IN_TRANSIT, accepted + dt.timedelta(days=1), "")]
        if final_at is not None:
            steps.append((LetterStatus(status), final_at, reason))
        events += [
            LetterEvent(
                letter=letter,
                external_id=f"demo-{n}",
                status=s,
                at=at,
                reason=why,
                source=EventSource.POLL,
                recorded_at=at,
            )
            for n, (s, at, why) in enumerate(steps)
            if at <= now
        ]
    LetterEvent.objects.bulk_create(events, batch_size=2000)
    summary.letters = len(letters)
    summary.final = sum(1 for x in letters if x.final_at is not None)
    return summary
