"""Distribution of cases among the judges of a court (`assign/v1`, docs/distribution.md).

`commit_draw` freezes the inputs and journals their SHA-256 before the beacon round exists;
`complete_draw` takes the round's value, draws and assigns. There is no other way to give a case
a judge: no setting, form or argument lets a person choose one.
"""

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import LogEntryKind, NewEntry, append_entries, sequence_and_checkpoint
from torelik.cases.actions import (
    JournalEntry,
    record_assignment,
    record_case_events,
    record_reassignment,
)
from torelik.cases.models import Case, CaseEventKind, CaseStatus
from torelik.core import clock
from torelik.core.canonical import canonical
from torelik.core.rows import hold_lock
from torelik.courts.models import Judge, JudgeAbsence, StaffRole
from torelik.courts.queries import CategoryTerms, holds_role_in
from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate, sha256_hex
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import (
    Beacon,
    BeaconError,
    BeaconRound,
    BeaconUnavailableError,
    LocalBeacon,
    RoundNotYetError,
    round_after,
    round_time,
    wall_clock,
)
from torelik.distribution.errors import (
    DistributionError,
    DistributionErrorCode,
    DistributionForbiddenError,
    DrawPendingError,
)
from torelik.distribution.inputs import (
    WINDOW_DAYS,
    CaseFacts,
    CategoryFacts,
    CourtFacts,
    Row,
    first_of_refiled,
)
from torelik.distribution.models import BeaconAnchor, Draw, DrawReason, DrawStatus, ExclusionReason, Recusal
from torelik.distribution.tallies import recount_tallies as recount_tallies  # for the bulk writers
from torelik.distribution.tallies import take_back_weight, tally_drawn
from torelik.identity.models import User

logger = logging.getLogger(__name__)

COEFFICIENT_TABLE = "torelik-case-categories/2026-11"
MIN_POOL = 3
REDISTRIBUTING_ROLES = frozenset({StaffRole.CHAIRMAN})


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _pool_rule(rows: list[Row], refiled: Case | None) -> tuple[str, dict[str, Any] | None]:
    """Apply the published pool rules in order; returns the rule used (rows are updated)."""
    refiling: dict[str, Any] | None = None
    if refiled is not None and refiled.judge_id is None:
        return "waiting", {"first_case": refiled.number, "applied": False, "first_case_pending": True}
    if refiled is not None:
        # The first judge takes it unless absent, recused or gone: then it is drawn normally and
        # the protocol says so.
        first = next(
            (
                r
                for r in rows
                if r.judge.pk == refiled.judge_id and r.exclusion in (None, ExclusionReason.SPECIALISATION)
            ),
            None,
        )
        refiling = {"first_case": refiled.number, "applied": first is not None}
        if first is not None:
            for row in rows:
                if row is not first and row.exclusion is None:
                    row.exclusion = ExclusionReason.REFILING
            first.exclusion = None
            return "refiling", refiling
    eligible = [r for r in rows if r.exclusion is None]
    if len(eligible) >= MIN_POOL:
        return "specialisation", refiling
    widened = [r for r in rows if r.exclusion == ExclusionReason.SPECIALISATION]
    if widened:
        for row in widened:
            row.exclusion = None
        if len(eligible) + len(widened) >= MIN_POOL:
            return "widened_to_all_specialisations", refiling
    eligible = [r for r in rows if r.exclusion is None]
    in_office = [r for r in rows if r.exclusion != ExclusionReason.NOT_IN_OFFICE and r.rate > 0]
    if eligible and len(in_office) < MIN_POOL:
        return "small_court", refiling
    return "waiting", refiling


def _publish_anchor(beacon: Beacon, round_number: int, at: dt.datetime) -> None:
    """A local beacon's segment anchor is published (recorded, and written to the transparency log)
    before the round is used."""
    if not isinstance(beacon, LocalBeacon):
        return
    index = beacon.segment_of(round_number)
    if BeaconAnchor.objects.filter(chain=beacon.chain, segment=index).exists():
        return
    segment = beacon.segment(index)
    _anchor, created = BeaconAnchor.objects.get_or_create(
        chain=beacon.chain,
        segment=index,
        defaults={
            "first_round": segment.first_round,
            "last_round": segment.last_round,
            "anchor": segment.anchor.hex(),
            # Never dated after the moment it is written, even under a clock frozen in the future.
            "published_at": min(at, wall_clock()),
        },
    )
    if created:
        append_entries(
            [
                NewEntry(
                    kind=LogEntryKind.BEACON_ANCHOR,
                    fields={
                        "chain": beacon.chain,
                        "segment": index,
                        "first_round": segment.first_round,
                        "last_round": segment.last_round,
                        "anchor": segment.anchor.hex(),
                    },
                    subject=f"{beacon.chain}:{index}",
                )
            ]
        )


def _log_margin() -> dt.timedelta:
    """How long after its commitment a draw's round may come at the earliest: time for the commitment
    to be appended to the transparency log and covered by a signed checkpoint (docs/distribution.md 3)."""
    return dt.timedelta(seconds=settings.TORELIK_DISTRIBUTION_LOG_MARGIN)


def _checkpoint_after_commit() -> None:
    """Once draws are committed: their entries appended and a checkpoint signed that covers them, long
    before their rounds (the margin). A failure leaves them for the log's own sequencer."""
    try:
        sequence_and_checkpoint(fresh=False)  # one that covers them already will do
    except Exception:
        logger.exception("the commitments were not sequenced at once; `torelik log run` will")


def _spoilt(beacon: LocalBeacon, round_number: int) -> bool:
    """Whether a value of a later round of `round_number`'s segment has been published already: it
    hashes down to this round's value, which is then known before its time (issue #30)."""
    last = beacon.segment(beacon.segment_of(round_number)).last_round
    return Draw.objects.filter(
        status=DrawStatus.DRAWN,  # a drawn protocol publishes its value; (status, beacon_round) is indexed
        beacon=beacon.name,
        beacon_chain=beacon.chain,
        beacon_round__gt=round_number,
        beacon_round__lte=last,
    ).exists()


def _revealed_early(beacon: LocalBeacon, round_number: int) -> bool:
    """Whether a later round of the segment was published (drawn) before this round's time."""
    last = beacon.segment(beacon.segment_of(round_number)).last_round
    return Draw.objects.filter(
        status=DrawStatus.DRAWN,
        beacon=beacon.name,
        beacon_chain=beacon.chain,
        beacon_round__gt=round_number,
        beacon_round__lte=last,
        drawn_at__lt=round_time(beacon, round_number),
    ).exists()


@dataclass
class _Published:
    """The local beacon segments whose anchors this transaction has seen recorded, and the journal
    entries of its draws, written together at its end (`record`)."""

    beacon: Beacon
    rounds: set[int] = field(default_factory=set)
    entries: list[JournalEntry] = field(default_factory=list)
    log: list[NewEntry] = field(default_factory=list)  # one per journal entry: the commitment's log entry
    spoilt: dict[int, bool] = field(default_factory=dict)  # local beacon segment -> `_spoilt`

    def round_for(self, committed_at: dt.datetime) -> tuple[int, list[int]]:
        """The deciding round of a draw committed at `committed_at`: the first round after it, unless
        a later value of its local-beacon segment is out already; then the first round of the next
        segment with none out. Returns the round and the segments passed over."""
        round_number = round_after(self.beacon, committed_at)
        beacon = self.beacon
        if not isinstance(beacon, LocalBeacon):
            return round_number, []
        skipped: list[int] = []
        while True:
            index = beacon.segment_of(round_number)
            if index not in self.spoilt:
                self.spoilt[index] = _spoilt(beacon, round_number)
            if not self.spoilt[index]:
                return round_number, skipped
            logger.warning("beacon segment %s has later values out already: the draw takes the next one", index)
            skipped.append(index)
            round_number = beacon.segment(index + 1).first_round

    def publish(self, round_number: int, at: dt.datetime) -> None:
        """Publish the anchor of the round's segment, dated `at` (the commitment that uses it) at the latest."""
        if round_number not in self.rounds:
            _publish_anchor(self.beacon, round_number, at)
            self.rounds.add(round_number)

    def record(self) -> None:
        receipts = append_entries(self.log)
        for (_case, _kind, _actor, data), receipt in zip(self.entries, receipts, strict=True):
            data["log_leaf"] = receipt.leaf_hash
        record_case_events(self.entries)
        self.entries.clear()
        self.log.clear()
        transaction.on_commit(_checkpoint_after_commit, robust=True)


@transaction.atomic
def commit_draw(
    case: Case,
    *,
    reason: str = DrawReason.FIRST,
    grounds: str = "",
    previous: Draw | None = None,
    actor: User | None = None,
    beacon: Beacon | None = None,
) -> Draw:
    """Freeze the inputs of a draw, journal their hash and name the beacon round that will decide.
    A first distribution happens once: asked again, it returns the case's latest draw."""
    case = Case.objects.select_for_update().select_related("category", "court").get(pk=case.pk)
    draws = list(Draw.objects.filter(case=case).order_by("-attempt"))
    if reason == DrawReason.FIRST and previous is None and draws:
        return draws[0]
    open_draw = next(
        (d for d in draws if d.status in (DrawStatus.COMMITTED, DrawStatus.WAITING) and d.replaced_at is None), None
    )
    if open_draw is not None and (open_draw.status == DrawStatus.COMMITTED or previous != open_draw):
        return open_draw  # a draw of this case is under way: never two at once
    if previous is not None and any(d.pk == previous.pk and d.replaced_at is not None for d in draws):
        # Read before the case was locked, by a second redistribution at the same time: refused in words.
        raise DrawPendingError(
            DistributionErrorCode.PENDING,
            _("This case has just been distributed again: reload it to see its judge."),
        )
    committed_at = clock.now()
    published = _Published(beacon or configured_beacon())
    draw = _commit(
        case,
        facts=_Facts.of([case], committed_at)[case.court_id],
        committed_at=committed_at,
        published=published,
        reason=reason,
        grounds=grounds,
        previous=previous,
        actor=actor,
        involved=_earlier_judges(case, draws, previous=previous, reason=reason),
        attempt=(draws[0].attempt if draws else 0) + 1,
    )
    published.record()
    return draw


def commit_first_draws(cases: Sequence[Case], *, beacon: Beacon | None = None) -> list[Draw]:
    """Commit the first draws of many registered cases in one transaction, at one moment: each
    court's judges, standing journal, absences and loads are read once and evaluated for each case
    at its own moments, so that every case gets the inputs a draw of its own would have (the
    batch is only cheaper). Cases that have a draw already are left as they are. Earlier filings
    come first, so that a copy of a claim in the same batch waits for the first one's judge."""
    with transaction.atomic():
        # Locked in one order (by id) so that two batches with cases in common wait, never deadlock.
        locked = list(
            Case.objects.select_for_update(of=("self",))
            .select_related("category", "court")
            .filter(pk__in=[case.pk for case in cases])
            .order_by("pk")
        )
        started = set(Draw.objects.filter(case__in=locked).values_list("case_id", flat=True))
        todo = sorted((case for case in locked if case.pk not in started), key=lambda c: (c.registered_at, c.pk))
        if not todo:
            return []
        committed_at = clock.now()
        facts = _Facts.of(todo, committed_at)
        published = _Published(beacon or configured_beacon())
        draws = [
            _commit(
                case,
                facts=facts[case.court_id],
                committed_at=committed_at,
                published=published,
                reason=DrawReason.FIRST,
                grounds="",
                previous=None,
                actor=None,
                involved=set(),
                attempt=1,
            )
            for case in todo
        ]
        published.record()
        return draws


@dataclass(frozen=True)
class _Facts:
    """What the draws of some cases of one court read, read once for them all."""

    court: CourtFacts
    cases: CaseFacts
    categories: CategoryFacts

    @classmethod
    def of(cls, cases: Sequence[Case], committed_at: dt.datetime) -> dict[int, "_Facts"]:
        """The facts of each court of `cases`, by court id (the cases' own facts read together)."""
        case_facts = CaseFacts.read(cases, committed_at)
        categories = CategoryFacts(cases)
        by_court: dict[int, list[Case]] = {}
        for case in cases:
            by_court.setdefault(case.court_id, []).append(case)
        return {
            court_id: cls(CourtFacts(court_id, group, committed_at), case_facts, categories)
            for court_id, group in by_court.items()
        }


def _earlier_judges(case: Case, draws: Sequence[Draw], *, previous: Draw | None, reason: str) -> set[int]:
    """The judges a new draw of the case excludes: those of its earlier draws, the leaving one and,
    for a redistribution, the case's own."""
    judges = {draw.judge_id for draw in draws if draw.judge_id is not None}
    if previous is not None and previous.judge_id:
        judges.add(previous.judge_id)
    if case.judge_id and reason != DrawReason.FIRST:
        judges.add(case.judge_id)
    return judges


def _pool(
    case: Case, facts: _Facts, committed_at: dt.datetime, *, involved: set[int], reason: str
) -> tuple[CategoryTerms, list[Row], str, dict[str, Any] | None]:
    """The category's terms, every judge's row, and the pool rule with its refiling note."""
    terms = facts.categories.terms(case, committed_at)
    rows = facts.court.rows(
        case,
        involved=involved | facts.cases.involved(case),
        recused=facts.cases.recused.get(case.pk, {}),
        specialisation=terms.specialisation,
    )
    refiled = first_of_refiled(case, facts.cases) if reason == DrawReason.FIRST else None
    rule, refiling = _pool_rule(rows, refiled)
    return terms, rows, rule, refiling


def _commit(
    case: Case,
    *,
    facts: _Facts,
    committed_at: dt.datetime,
    published: _Published,
    reason: str,
    grounds: str,
    previous: Draw | None,
    actor: User | None,
    involved: set[int],
    attempt: int,
) -> Draw:
    """One case's draw from facts already read: the snapshot, its hash, the draw and its journal entry."""
    beacon = published.beacon
    terms, rows, rule, refiling = _pool(case, facts, committed_at, involved=involved, reason=reason)
    after = committed_at + _log_margin()
    round_number, skipped = published.round_for(after)
    weight = int(terms.complexity * 100)
    beacon_entry: dict[str, Any] = {
        "name": beacon.name,
        "chain": beacon.chain,
        "round": round_number,
        "round_time": _utc(round_time(beacon, round_number)),
        "after": _utc(after),
        "genesis": _utc(beacon.genesis),
        "period": beacon.period,
    }
    snapshot = {
        "algorithm": algorithm.ALGORITHM,
        "case": {
            "id": str(case.public_id),
            "number": case.number,
            "court": case.court.code,
            "category": case.category.code,
            "specialisation": terms.specialisation,
            "complexity": str(terms.complexity.quantize(Decimal("0.01"))),
            "weight": weight,
            "coefficient_table": COEFFICIENT_TABLE,
            "filed_at": _utc(case.registered_at),
        },
        "committed_at": _utc(committed_at),
        "reason": reason,
        "previous": {"attempt": previous.attempt, "judge": str(previous.judge.public_id) if previous.judge else None}
        if previous is not None
        else None,
        "window": {"days": WINDOW_DAYS, "to": timezone.localdate(case.registered_at).isoformat()},
        "pool_rule": rule,
        "refiling": refiling,
        "beacon": beacon_entry,
        "judges": [row.entry() for row in rows],
    }
    if skipped and isinstance(beacon, LocalBeacon):
        snapshot["beacon"] = {
            **beacon_entry,
            "skipped_segments": skipped,
            "segment_length": beacon.segment_length,
        }
    digest = sha256_hex(canonical(snapshot))
    waiting = rule == "waiting"
    draw = Draw.objects.create(
        case=case,
        attempt=attempt,
        reason=reason,
        reason_note=grounds,
        previous=previous,
        status=DrawStatus.WAITING if waiting else DrawStatus.COMMITTED,
        snapshot=snapshot,
        snapshot_sha256=digest,
        committed_at=committed_at,
        beacon=beacon.name,
        beacon_chain=beacon.chain,
        beacon_round=round_number,
        weight=weight,
    )
    # Replaced once: a copy of `previous` read before the case was locked may be replaced already (two
    # redistributions at once), and its weight must come off its judge's load only with the replacing.
    if previous is not None and Draw.objects.filter(pk=previous.pk, replaced_at__isnull=True).update(
        replaced_at=committed_at
    ):
        take_back_weight(previous, court_id=case.court_id)
    if not waiting:
        published.publish(round_number, committed_at)
    published.entries.append(
        (
            case,
            CaseEventKind.DISTRIBUTION_WAITING if waiting else CaseEventKind.DISTRIBUTION_COMMITTED,
            actor,
            {
                "draw": str(draw.public_id),
                "attempt": attempt,
                "snapshot_sha256": digest,
                "beacon": beacon.name,
                "round": round_number,
                "pool_rule": rule,
            },
        )
    )
    published.log.append(
        NewEntry(
            kind=LogEntryKind.DISTRIBUTION_COMMITMENT,
            fields={
                "case": {"id": str(case.public_id), "number": case.number},
                "draw": str(draw.public_id),
                "attempt": attempt,
                "status": draw.status,
                "snapshot_sha256": digest,
                "committed_at": _utc(committed_at),
                "beacon": {"name": beacon.name, "chain": beacon.chain, "round": round_number},
            },
            subject=str(draw.public_id),
            case=str(case.public_id),
        )
    )
    return draw


def _candidates(snapshot: dict[str, Any]) -> list[Candidate]:
    return [
        Candidate(judge=j["judge"], rate=j["rate"], load=j["load"], days_present=j["days_present"])
        for j in snapshot["judges"]
        if j["eligible"]
    ]


def complete_draw(draw: Draw, *, beacon: Beacon | None = None) -> Draw:
    """Take the committed round's value, draw, and assign the judge. Leaves the draw pending (and
    says why in `last_error`) when the round is not out yet or the beacon does not answer."""
    return complete_draws([draw], beacon=beacon)[0]


_DRAWN_FIELDS = [
    "status",
    "beacon_value",
    "beacon_proof",
    "seed",
    "picks",
    "tie_break",
    "probabilities",
    "judge",
    "drawn_at",
    "last_error",
    "updated_at",
]


def complete_draws(draws: Sequence[Draw], *, beacon: Beacon | None = None) -> list[Draw]:
    """`complete_draw` for many draws: each round's value is fetched once, and the draws whose
    round is out are drawn and assigned in one transaction. Returns the draws in the order given,
    drawn or as they were (still pending)."""
    beacon = beacon or configured_beacon()
    found: dict[int, BeaconRound] = {}
    for round_number in sorted({d.beacon_round for d in draws if d.status == DrawStatus.COMMITTED}):
        try:
            if isinstance(beacon, LocalBeacon) and _revealed_early(beacon, round_number):
                raise BeaconUnavailableError(
                    f"round {round_number} was known before its time (a later value of its segment was published "
                    "earlier): the draw cannot use it; commit it again"
                )
            found[round_number] = beacon.fetch(round_number, now=clock.now())
        except RoundNotYetError:
            continue
        except BeaconError as error:
            waiting = [d for d in draws if d.beacon_round == round_number and d.status == DrawStatus.COMMITTED]
            Draw.objects.filter(pk__in=[d.pk for d in waiting]).update(last_error=str(error)[:500])
            for draw in waiting:
                draw.last_error = str(error)[:500]
                logger.warning("distribution of case %s pending: %s", draw.case_id, error)
    ready = [d.pk for d in draws if d.status == DrawStatus.COMMITTED and d.beacon_round in found]
    if not ready:
        return list(draws)
    with transaction.atomic():
        locked = list(
            Draw.objects.select_for_update(of=("self", "case"))  # the case too: its assignment decides on it
            .select_related("case")
            .filter(pk__in=ready, status=DrawStatus.COMMITTED)
            .order_by("pk")
        )
        results = {}
        for draw in locked:
            candidates = _candidates(draw.snapshot)
            seed = algorithm.seed_for(draw.snapshot_sha256, found[draw.beacon_round].value)
            results[draw.pk] = (seed, algorithm.draw(candidates, seed), algorithm.probabilities(candidates))
        named = {key for _seed, result, chances in results.values() for key in (result.result, *chances)}
        judges = {str(j.public_id): j for j in Judge.objects.select_related("person").filter(public_id__in=named)}
        now = clock.now()
        for draw in locked:
            seed, result, chances = results[draw.pk]
            value = found[draw.beacon_round]
            draw.status = DrawStatus.DRAWN
            draw.beacon_value = value.value.hex()
            draw.beacon_proof = value.proof
            draw.seed = seed.hex()
            draw.picks = list(result.picks)
            draw.tie_break = result.tie_break
            draw.probabilities = {key: algorithm.fraction_text(chance) for key, chance in chances.items()}
            draw.judge = judges[result.result]
            draw.drawn_at = now
            draw.last_error = ""
            draw.save(update_fields=_DRAWN_FIELDS)  # one UPDATE each: cheaper than bulk_update's CASE per field
            data = {
                "method": algorithm.ALGORITHM,
                "draw": str(draw.public_id),
                "attempt": draw.attempt,
                "snapshot_sha256": draw.snapshot_sha256,
                "round": draw.beacon_round,
                "seed": draw.seed,
            }
            if draw.case.judge_id is None and draw.case.status == CaseStatus.REGISTERED:
                record_assignment(case=draw.case, judge=draw.judge, actor=None, data=data, locked=True)
            else:
                record_reassignment(case=draw.case, judge=draw.judge, actor=None, data=data)
        tally_drawn(locked, {key: judge.pk for key, judge in judges.items()})
    done = {draw.pk: draw for draw in locked}
    gone = [pk for pk in ready if pk not in done]  # drawn meanwhile by another process: as it is now
    done |= Draw.objects.in_bulk(gone) if gone else {}
    return [done.get(draw.pk, draw) for draw in draws]


BATCH_SIZE = 200  # cases whose first draws one transaction commits
_Item = TypeVar("_Item", Case, Draw)


def _in_batches(
    items: Sequence[_Item], whole: Callable[[Sequence[_Item]], list[Draw]], one: Callable[[_Item], Draw | None]
) -> list[Draw]:
    """`whole` by batches of BATCH_SIZE; a batch that fails is tried item by item with `one`, so that
    one item that cannot be done holds up no other (it stays for `complete-draws`)."""
    done: list[Draw] = []
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        try:
            done += whole(batch)
        except Exception:
            logger.exception("a batch of %d failed in %s; trying them one by one", len(batch), whole.__name__)
            for item in batch:
                try:
                    result = one(item)
                except Exception:
                    logger.exception("%s of %s %s failed", one.__name__, type(item).__name__, item.pk)
                    result = item if isinstance(item, Draw) else None  # a draw stays as it was: pending
                if result is not None:
                    done.append(result)
    return done


def commit_in_batches(cases: Sequence[Case]) -> list[Draw]:
    """`commit_first_draws` by batches; the draws committed."""
    return _in_batches(cases, commit_first_draws, commit_draw)


def complete_in_batches(draws: Sequence[Draw]) -> list[Draw]:
    """`complete_draws` by batches; every draw, drawn or still pending."""
    return _in_batches(draws, complete_draws, complete_draw)


@transaction.atomic
def record_recusal(*, case: Case, judge: Judge, kind: str, grounds: str, actor: User | None) -> Recusal:
    recusal, _created = Recusal.objects.get_or_create(
        judge=judge,
        case=case,
        defaults={"kind": kind, "grounds": grounds, "recorded_at": clock.now(), "recorded_by": actor},
    )
    return recusal


MIN_GROUNDS = 10  # characters: a recusal or conflict names its grounds (the ruling, the relation)


def _check_facts(*, judge: Judge, reason: str, grounds: str) -> None:
    """A new draw only on facts that Torelik holds: a judge who left office is recorded as not in
    office, a long absence is recorded and covers today, a recusal or conflict states its grounds."""
    today = clock.today()
    refusal: str | None = None
    if reason == DrawReason.JUDGE_LEFT and judge.is_active:
        refusal = str(_("The judge of the case is still recorded as in office."))
    elif (
        reason == DrawReason.LONG_ABSENCE
        and not JudgeAbsence.objects.filter(judge=judge, starts_on__lte=today, ends_on__gte=today).exists()
    ):
        refusal = str(_("No absence of the judge covering today is recorded: record it first."))
    elif reason in (DrawReason.RECUSAL, DrawReason.CONFLICT) and len(grounds.strip()) < MIN_GROUNDS:
        refusal = str(_("State the grounds of the recusal (the ruling, the relation or the interest)."))
    if refusal is not None:
        raise DistributionError(
            DistributionErrorCode.FACTS_MISSING,
            _("The reason given for a new distribution is not borne out: %(refusal)s"),
            params={"refusal": refusal},
            fields={"grounds" if reason in (DrawReason.RECUSAL, DrawReason.CONFLICT) else "reason": [refusal]},
        )


def redistribute(*, case: Case, reason: str, grounds: str, actor: User | None) -> Draw:
    """Commit a new draw for a case whose judge cannot go on: the leaving judge is excluded, the reason is
    recorded, and the new draw is linked to the one it replaces. Only the court's chairman (or the
    system, actor None) starts it, only on recorded facts (`_check_facts`) and not while another
    draw of the case is under way; nobody chooses the judge."""
    if reason == DrawReason.FIRST or reason not in DrawReason.values:
        raise DistributionError(
            DistributionErrorCode.NOT_ALLOWED,
            _("Give the reason for the new distribution."),
            fields={"reason": [str(_("Give the reason for the new distribution."))]},
        )
    if actor is not None and not holds_role_in(actor, case.court, REDISTRIBUTING_ROLES):
        raise DistributionForbiddenError(
            DistributionErrorCode.NOT_ALLOWED, _("Only the chairman of the court orders a new distribution.")
        )
    if case.judge_id is None:
        raise DistributionError(DistributionErrorCode.NO_JUDGE, _("The case has no judge yet."))
    if Draw.objects.filter(
        case=case, status__in=[DrawStatus.COMMITTED, DrawStatus.WAITING], replaced_at__isnull=True
    ).exists():
        raise DistributionError(
            DistributionErrorCode.PENDING, _("A new distribution of this case is already under way.")
        )
    _check_facts(judge=Judge.objects.get(pk=case.judge_id), reason=reason, grounds=grounds)
    previous = (
        Draw.objects.filter(case=case, status=DrawStatus.DRAWN, replaced_at__isnull=True).order_by("-attempt").first()
    )
    if reason in (DrawReason.RECUSAL, DrawReason.CONFLICT) and case.judge is not None:
        record_recusal(case=case, judge=case.judge, kind=reason, grounds=grounds, actor=actor)
    return commit_draw(case, reason=reason, grounds=grounds, previous=previous, actor=actor)


def _still_waiting(draw: Draw) -> bool:
    """Whether a waiting case would still wait: computed without writing, so that a case waiting
    for judges does not add a draw to its journal at every run."""
    case = draw.case
    now = clock.now()
    involved = _earlier_judges(case, list(Draw.objects.filter(case=case)), previous=draw, reason=draw.reason)
    return (
        _pool(case, _Facts.of([case], now)[case.court_id], now, involved=involved, reason=draw.reason)[2] == "waiting"
    )


DISTRIBUTOR_LOCK = "distribution.court"


def commit_waiting_first_draws(*, court_id: int, limit: int = BATCH_SIZE) -> list[Draw]:
    """Commit the first draws of the court's registered cases that have none yet, as the court's one
    distributor: whoever does it holds the court's lock (`core.rows.hold_lock`), so that workers on
    any number of machines commit one court's draws one batch after another, and each batch sees
    every copy of a claim that an earlier one committed (the refiling rule, ADR 0042)."""
    with transaction.atomic():
        hold_lock(DISTRIBUTOR_LOCK, court_id)
        waiting = list(
            Case.objects.filter(court_id=court_id, status=CaseStatus.REGISTERED, draws__isnull=True).order_by(
                "registered_at", "pk"
            )[:limit]
        )
        return commit_in_batches(waiting) if waiting else []


def complete_pending_draws(*, limit: int = 1000) -> tuple[int, int]:
    """Finish every draw whose round is out, and try again the cases that waited for judges or were
    never committed (a crash between registration and commitment). Returns (drawn, still pending).
    One draw that fails does not stop the others."""
    courts = Case.objects.filter(status=CaseStatus.REGISTERED, draws__isnull=True).values_list("court_id", flat=True)
    for court_id in sorted(set(courts[:limit])):
        commit_waiting_first_draws(court_id=court_id, limit=limit)
    done = complete_in_batches(list(Draw.objects.filter(status=DrawStatus.COMMITTED).order_by("beacon_round")[:limit]))
    drawn = sum(1 for draw in done if draw.status == DrawStatus.DRAWN)
    pending = len(done) - drawn
    for draw in Draw.objects.filter(status=DrawStatus.WAITING, replaced_at__isnull=True).select_related("case")[:limit]:
        try:
            with transaction.atomic():
                hold_lock(DISTRIBUTOR_LOCK, draw.case.court_id)
                if not _still_waiting(draw):
                    commit_draw(draw.case, reason=draw.reason, grounds=draw.reason_note, previous=draw)
        except Exception:
            logger.exception("case %s: waiting distribution not retried", draw.case.number)
    return drawn, pending
