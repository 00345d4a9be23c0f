"""What each counter counts, written once: the increments one journal entry makes, for the case it
belongs to. The journal's handler applies them as each entry is recorded; the rebuild applies them to
every entry of the journal again and compares (`rebuild.py`). Days are the country's (settings.TIME_ZONE).

A case is *pending* in the statuses below (before a decision, a return, a refusal or a closing); it is
*disposed* when it leaves them, *reopened* when it comes back (a decision set aside, a suspension lifted
into preparation after an appeal)."""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from torelik.cases.models import CaseEventKind as K
from torelik.cases.models import CaseStatus as S
from torelik.cases.models import Channel

PENDING = frozenset(
    {
        S.REGISTERED,
        S.ASSIGNED,
        S.ACCEPTED,
        S.LEFT_WITHOUT_MOTION,
        S.IN_PREPARATION,
        S.SCHEDULED,
        S.HEARD,
        S.SUSPENDED,
    }
)

# The law's term from the claim's registration to its disposal, in months, by proceeding type: for a
# civil case the Civil Procedure Code gives 5 working days to accept the claim (art. 151), 15 working
# days to prepare it (art. 164) and 2 months to consider it (art. 183), which the statistics round to
# 3 months from registration; the other codes' terms are to be verified (kazakhstan.md) and take the
# same 3 months until they are. A disposal on or before the day the term ends is within the law's terms.
TERM_MONTHS: Mapping[str, int] = {"civil": 3, "criminal": 3, "administrative": 3, "administrative_offence": 3}
DEFAULT_TERM_MONTHS = 3


def term_ends(registered: dt.date, proceeding_type: str) -> dt.date:
    """The last day of the law's term for a case registered on `registered` (a term in months ends on
    the same date of the last month, or that month's last day)."""
    months = TERM_MONTHS.get(proceeding_type, DEFAULT_TERM_MONTHS)
    index = registered.month - 1 + months
    year, month = registered.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(registered.day, last))


# Journal entries counted as they are, one each, on the day they were recorded.
COUNTED: Mapping[str, str] = {
    K.SUBPOENA_ISSUED: "subpoenas_issued",
    K.SUBPOENA_VIEWED: "subpoenas_viewed",
    K.SUBPOENA_REVOKED: "subpoenas_revoked",
    K.LETTER_SENT: "letters_sent",
    K.LETTER_DELIVERED: "letters_final",
    K.LETTER_REFUSED: "letters_final",
    K.LETTER_RETURNED: "letters_final",
    K.LETTER_UNDELIVERABLE: "letters_final",
    K.HEARING_HELD: "hearings_held",
    K.ACT_SIGNED: "acts_signed",
    K.ACT_ANNOUNCED: "acts_announced",
    K.ENTERED_INTO_FORCE: "acts_in_force",
}
# The key a counted entry is filed under (the final status of a letter is its kind).
KEYED = frozenset({K.LETTER_DELIVERED, K.LETTER_REFUSED, K.LETTER_RETURNED, K.LETTER_UNDELIVERABLE})
# The coupon of a paper filing, counted on the day of its registration (ADR 0109).
COUPONS = "coupons"
# A hearing held with a recording, counted on the day its held entry was recorded by whichever of its
# entries (held, or its first recording) comes second (`recorded_hearing`; ADR 0109).
RECORDED = "hearings_recorded"
HEARING_KINDS = frozenset({K.HEARING_HELD, K.RECORDING_ADDED})
# Counted from the other contexts' events and recounted from their own journals, not the case's (ADR 0109):
# an act put on the public site (the publication's journal), an SMS handed to the gateway (count and
# cost in tiyn as the amount) and one delivered (both on the day it was sent; the outbox's records).
PUBLISHED = "acts_published"
SMS_SENT = "sms_sent"
SMS_DELIVERED = "sms_delivered"
BESIDE_JOURNAL = frozenset({PUBLISHED, SMS_SENT, SMS_DELIVERED})
# Every figure the counters of days hold (the backlog's cohorts apart).
FIGURES = frozenset(
    {"instituted", "disposed", "disposed_in_term", "reopened", COUPONS, RECORDED, *COUNTED.values(), *BESIDE_JOURNAL}
)
# The kinds `increments` reads (the rebuild reads only these from the journal, beside the hearings').
KINDS = frozenset({K.REGISTERED, K.STATUS_CHANGED, K.COUPON_ISSUED, *COUNTED})
# The kinds the journal's handler counts one by one, as they are recorded.
ENTRY_KINDS = frozenset({K.COUPON_ISSUED, *COUNTED})


@dataclass(frozen=True)
class CaseFacts:
    """What the counters need of the case an entry belongs to."""

    court_id: int
    proceeding_type: str
    category_id: int
    channel: str
    registered_at: dt.datetime


@dataclass(frozen=True)
class Increment:
    figure: str
    day: dt.date
    key: str = ""
    count: int = 1
    amount: int = 0


@dataclass(frozen=True)
class CohortChange:
    month: dt.date
    delta: int


# The month's roll-up of a counted figure: the same sums filed under `MONTHLY + figure` on the first
# day of the month, kept by the same statement as the day's row and recounted by the same rebuild, so
# that a page of whole months sums a row per month rather than one per day.
MONTHLY = "m:"


def rolled_up(changes: Iterable[Increment | CohortChange]) -> Iterator[Increment | CohortChange]:
    """`changes` and, beside each increment of a day, the same increment of its month."""
    for change in changes:
        yield change
        if isinstance(change, Increment):
            yield Increment(MONTHLY + change.figure, change.day.replace(day=1), change.key, change.count, change.amount)


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def zone_name() -> str:
    """The country's zone, whose days the counters count (the database's recount takes it by name)."""
    return str(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    """The country's day of `moment` (settings.TIME_ZONE; read once per name: the rebuild asks millions of times)."""
    return moment.astimezone(_zone(settings.TIME_ZONE)).date()


def increments(
    kind: str, occurred_at: dt.datetime, data: Mapping[str, Any], case: CaseFacts
) -> Iterator[Increment | CohortChange]:
    """The counters one journal entry moves."""
    registered = local_day(case.registered_at)
    cohort = registered.replace(day=1)
    if kind == K.REGISTERED:
        # Instituted on the day of registration, under the channel it came through.
        yield Increment("instituted", registered, key=case.channel)
        yield CohortChange(cohort, +1)
    elif kind == K.STATUS_CHANGED:
        before, after = str(data.get("from") or ""), str(data.get("to") or "")
        day = local_day(occurred_at)
        if before in PENDING and after not in PENDING:
            # Disposed on the day it left the pending statuses; the days it took, for the average.
            yield Increment("disposed", day, key=after, amount=(day - registered).days)
            if day <= term_ends(registered, case.proceeding_type):
                yield Increment("disposed_in_term", day)
            yield CohortChange(cohort, -1)
        elif before not in PENDING and after in PENDING and before:
            yield Increment("reopened", day)
            yield CohortChange(cohort, +1)
    elif kind == K.COUPON_ISSUED:
        # Paper claims registered in the period whose coupon was issued (drawn once per case).
        if case.channel == Channel.PAPER:
            yield Increment(COUPONS, registered)
    elif kind in COUNTED:
        yield Increment(COUNTED[kind], local_day(occurred_at), key=kind if kind in KEYED else "")


def recorded_hearing(kind: str, held_at: dt.datetime | None, recordings: int) -> Increment | None:
    """The count a hearing's held entry or recording entry makes of hearings recorded: `held_at` the
    moment of the hearing's held entry (None: not held, or held later), `recordings` its recording
    entries up to this one (before it, for the held entry). A hearing counts once, on its held day, by
    the second of the two facts: held with a recording already, or its first recording once held."""
    if held_at is None or recordings == 0:
        return None
    if kind == K.HEARING_HELD or (kind == K.RECORDING_ADDED and recordings == 1):
        return Increment(RECORDED, local_day(held_at))
    return None
