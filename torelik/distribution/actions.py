"""Distribution of cases among the judges of a court (`assign/v1`, docs/distribution.md).

`commit_draw` freezes the inputs and journals their SHA-256 before the beacon round exists;
`complete_draw` takes the round's value, draws and assigns. There is no other way to give a case
a judge: no setting, form or argument lets a person choose one.
"""

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import rfc8785
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import holds_role_in, record_assignment, record_case_event, record_reassignment
from torelik.cases.models import Case, CaseEventKind, CaseLink, CaseLinkKind, CaseStatus, Party, PartyRole
from torelik.core import clock
from torelik.courts.actions import CategoryTerms, category_terms_as_of, judges_of_court_as_of, standings_as_of
from torelik.courts.models import Judge, JudgeAbsence, StaffRole
from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import Beacon, BeaconError, LocalBeacon, RoundNotYetError, round_after, round_time
from torelik.distribution.errors import DistributionError, DistributionErrorCode, DistributionForbiddenError
from torelik.distribution.models import BeaconAnchor, Draw, DrawReason, DrawStatus, ExclusionReason, Recusal
from torelik.identity.models import User

logger = logging.getLogger(__name__)

COEFFICIENT_TABLE = "torelik-case-categories/2026-11"
WINDOW_DAYS = algorithm.DAYS_IN_WINDOW
ABSENCE_NOTICE = dt.timedelta(hours=24)
REFILING_DAYS = 90
MIN_POOL = 3
CLAIM_SIDES = (PartyRole.CLAIMANT, PartyRole.DEFENDANT, PartyRole.APPLICANT)
REDISTRIBUTING_ROLES = frozenset({StaffRole.CHAIRMAN})


def canonical(value: Any) -> bytes:
    """RFC 8785 (JSON Canonicalization Scheme)."""
    return rfc8785.dumps(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass
class _Row:
    judge: Judge
    exclusion: str | None
    rate: int
    load: int
    days_present: int

    def entry(self) -> dict[str, Any]:
        return {
            "judge": str(self.judge.public_id),
            "name": self.judge.person.full_name,
            "eligible": self.exclusion is None,
            "exclusion": self.exclusion,
            "rate": self.rate,
            "load": self.load,
            "days_present": self.days_present,
        }


def _overlap_days(start: dt.date, end: dt.date, window_start: dt.date, window_end: dt.date) -> int:
    first, last = max(start, window_start), min(end, window_end)
    return max((last - first).days + 1, 0)


Side = tuple[str, int | None, int | None]  # (role, person, organisation): a person is one IIN, an organisation one BIN


def _claim_sides(case: Case) -> frozenset[Side]:
    parties = Party.objects.filter(case=case, role__in=CLAIM_SIDES).filter(
        Q(person__isnull=False) | Q(organisation__isnull=False)
    )
    return frozenset(parties.values_list("role", "person_id", "organisation_id"))


def _first_of_refiled(case: Case) -> Case | None:
    """The earlier case this one repeats: a returned claim refiled as it, or the same parties and
    subject in the same court within 90 days. Its judge receives this one too."""
    link = (
        CaseLink.objects.filter(to_case=case, kind=CaseLinkKind.REFILED_AS)
        .select_related("from_case")
        .order_by("from_case__registered_at")
        .first()
    )
    if link is not None and link.from_case.judge_id is not None:
        return link.from_case
    sides = _claim_sides(case)
    if not sides:
        return None
    # Same parties on the same sides and the same category: the wording of the subject is not
    # compared, or changing one word would reopen the door the rule closes.
    earlier = Case.objects.filter(
        court_id=case.court_id,
        category_id=case.category_id,
        registered_at__gte=case.registered_at - dt.timedelta(days=REFILING_DAYS),
        registered_at__lt=case.registered_at,
    ).filter(
        # An earlier copy still being distributed counts too: this one then waits for its judge
        # (filing the same claim five times at once must not buy five draws).
        Q(judge__isnull=False) | Q(draws__status__in=[DrawStatus.COMMITTED, DrawStatus.WAITING])
    )
    # Every side of this claim must be in the earlier case (one join per side), so that a company
    # in thousands of claims with different opponents does not make each of them read the others.
    for role, person, organisation in sorted(sides, key=str):
        if person is not None:
            earlier = earlier.filter(parties__role=role, parties__person_id=person)
        elif organisation is not None:
            earlier = earlier.filter(parties__role=role, parties__organisation_id=organisation)
    earlier = earlier.exclude(pk=case.pk).distinct().order_by("registered_at")
    for candidate in earlier:
        if _claim_sides(candidate) == sides:
            return candidate
    return None


def _reference(case: Case, committed_at: dt.datetime) -> dt.datetime:
    """The moment the 24-hour rule counts back from: the filing; a draw retried days later counts
    from its own commitment."""
    return case.registered_at if committed_at - case.registered_at < ABSENCE_NOTICE else committed_at


def _category_terms(case: Case, committed_at: dt.datetime) -> CategoryTerms:
    """The specialisation and complexity of the case's category as they stood a day before the
    filing: re-classifying a category just before a filing cannot steer it."""
    return category_terms_as_of(case.category, _reference(case, committed_at) - ABSENCE_NOTICE)


def _rows(
    case: Case,
    *,
    committed_at: dt.datetime,
    leaving: set[int],
    drawn_judges: set[int] | None = None,
    specialisation: str | None = None,
) -> list[_Row]:
    filed_at = case.registered_at
    window_end = timezone.localdate(filed_at)
    draw_day = timezone.localdate(committed_at)
    reference = _reference(case, committed_at)
    window_start = window_end - dt.timedelta(days=WINDOW_DAYS - 1)
    # Participation, office, specialisations and the court itself as they stood a day before the
    # filing (the same notice as absences): a change made just before it cannot steer the case.
    standing_moment = reference - ABSENCE_NOTICE
    if specialisation is None:
        specialisation = _category_terms(case, committed_at).specialisation
    judges = list(
        judges_of_court_as_of(case.court, standing_moment)
        .select_related("person")
        .prefetch_related("specialisations")
        .order_by("pk")
    )
    standings = standings_as_of(judges, standing_moment)
    ids = [judge.pk for judge in judges]
    absences: defaultdict[int, list[JudgeAbsence]] = defaultdict(list)
    for absence in JudgeAbsence.objects.filter(
        judge_id__in=ids,
        ends_on__gte=window_start,
        starts_on__lte=max(window_end, draw_day),
        recorded_at__lte=committed_at,
    ):
        absences[absence.judge_id].append(absence)
    recused = dict(Recusal.objects.filter(case=case, recorded_at__lte=committed_at).values_list("judge_id", "kind"))
    if drawn_judges is None:
        drawn_judges = set(Draw.objects.filter(case=case, judge__isnull=False).values_list("judge_id", flat=True))
    involved = set(leaving) | drawn_judges
    # Appeals and joined cases: their judges may not sit again. A refiled claim goes *to* the first
    # judge (the refiling rule), so that link is not involvement.
    linked = (
        CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case))
        .exclude(kind=CaseLinkKind.REFILED_AS)
        .values_list("from_case__judge_id", "to_case__judge_id")
    )
    involved |= {judge for pair in linked for judge in pair if judge is not None and judge != case.judge_id}
    loads = dict(
        Draw.objects.filter(
            judge_id__in=ids,  # drawn_at is set only on drawn draws; (judge, drawn_at) is indexed
            drawn_at__gte=filed_at - dt.timedelta(days=WINDOW_DAYS),
            drawn_at__lt=committed_at,
        )
        .filter(Q(replaced_at__isnull=True) | Q(replaced_at__gt=committed_at))
        .exclude(case_id=case.pk)
        .order_by()
        .values("judge_id")
        .annotate(total=Sum("weight"))
        .values_list("judge_id", "total")
    )
    specialists = {pk for pk, standing in standings.items() if specialisation in standing.specialisations}
    rows = []
    for judge in judges:
        start = max(window_start, judge.appointed_on or window_start)
        present = (
            (window_end - start).days
            + 1
            - sum(_overlap_days(a.starts_on, a.ends_on, start, window_end) for a in absences[judge.pk])
        )
        # Absent on the day of the draw, and known a day before the filing (or before a retried draw).
        absent_now = any(
            a.starts_on <= draw_day <= a.ends_on and a.recorded_at <= reference - ABSENCE_NOTICE
            for a in absences[judge.pk]
        )
        standing = standings[judge.pk]
        rate = int(standing.participation_rate * 1000)
        exclusion: str | None = None
        if not standing.is_active or standing.court_id != case.court_id:
            exclusion = ExclusionReason.NOT_IN_OFFICE
        elif rate <= 0:
            exclusion = ExclusionReason.NOT_PARTICIPATING
        elif judge.pk in recused:
            exclusion = recused[judge.pk]
        elif judge.pk in involved:
            exclusion = ExclusionReason.EARLIER_INVOLVEMENT
        elif absent_now:
            exclusion = ExclusionReason.ABSENCE
        elif specialists and judge.pk not in specialists:
            exclusion = ExclusionReason.SPECIALISATION
        rows.append(
            _Row(
                judge=judge,
                exclusion=exclusion,
                rate=max(rate, 0),
                load=int(loads.get(judge.pk) or 0),
                days_present=max(present, 1),
            )
        )
    return sorted(rows, key=lambda row: str(row.judge.public_id))


def _pool_rule(rows: list[_Row], refiled: Case | None) -> tuple[str, dict[str, Any] | None]:
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


def _publish_anchor(beacon: Beacon, round_number: int) -> None:
    """A local beacon's segment anchor is published (recorded) before the round is used."""
    if not isinstance(beacon, LocalBeacon):
        return
    index = beacon.segment_of(round_number)
    if BeaconAnchor.objects.filter(chain=beacon.chain, segment=index).exists():
        return
    segment = beacon.segment(index)
    BeaconAnchor.objects.get_or_create(
        chain=beacon.chain,
        segment=index,
        defaults={
            "first_round": segment.first_round,
            "last_round": segment.last_round,
            "anchor": segment.anchor.hex(),
            "published_at": clock.now(),
        },
    )


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
    beacon = beacon or configured_beacon()
    committed_at = clock.now()
    leaving = {previous.judge_id} if previous is not None and previous.judge_id else set()
    if case.judge_id and reason != DrawReason.FIRST:
        leaving.add(case.judge_id)
    drawn_judges = {d.judge_id for d in draws if d.judge_id is not None}
    terms = _category_terms(case, committed_at)
    rows = _rows(
        case,
        committed_at=committed_at,
        leaving=leaving,
        drawn_judges=drawn_judges,
        specialisation=terms.specialisation,
    )
    refiled = _first_of_refiled(case) if reason == DrawReason.FIRST else None
    rule, refiling = _pool_rule(rows, refiled)
    round_number = round_after(beacon, committed_at)
    weight = int(terms.complexity * 100)
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
        "beacon": {
            "name": beacon.name,
            "chain": beacon.chain,
            "round": round_number,
            "round_time": _utc(round_time(beacon, round_number)),
            "genesis": _utc(beacon.genesis),
            "period": beacon.period,
        },
        "judges": [row.entry() for row in rows],
    }
    digest = sha256_hex(canonical(snapshot))
    attempt = (draws[0].attempt if draws else 0) + 1
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
    if previous is not None:
        Draw.objects.filter(pk=previous.pk).update(replaced_at=committed_at)
    if not waiting:
        _publish_anchor(beacon, round_number)
    record_case_event(
        case=case,
        kind=CaseEventKind.DISTRIBUTION_WAITING if waiting else CaseEventKind.DISTRIBUTION_COMMITTED,
        actor=actor,
        data={
            "draw": str(draw.public_id),
            "attempt": attempt,
            "snapshot_sha256": digest,
            "beacon": beacon.name,
            "round": round_number,
            "pool_rule": rule,
        },
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
    beacon = beacon or configured_beacon()
    if draw.status != DrawStatus.COMMITTED:
        return draw
    try:
        found = beacon.fetch(draw.beacon_round, now=clock.now())
    except RoundNotYetError:
        return draw
    except BeaconError as error:
        Draw.objects.filter(pk=draw.pk).update(last_error=str(error)[:500])
        draw.last_error = str(error)[:500]
        logger.warning("distribution of case %s pending: %s", draw.case_id, error)
        return draw
    with transaction.atomic():
        locked = Draw.objects.select_for_update().select_related("case").get(pk=draw.pk)
        if locked.status != DrawStatus.COMMITTED:
            return locked
        candidates = _candidates(locked.snapshot)
        seed = algorithm.seed_for(locked.snapshot_sha256, found.value)
        result = algorithm.draw(candidates, seed)
        chances = algorithm.probabilities(candidates)
        judge = Judge.objects.select_related("person").get(public_id=result.result)
        locked.status = DrawStatus.DRAWN
        locked.beacon_value = found.value.hex()
        locked.beacon_proof = found.proof
        locked.seed = seed.hex()
        locked.picks = list(result.picks)
        locked.tie_break = result.tie_break
        locked.probabilities = {key: algorithm.fraction_text(value) for key, value in chances.items()}
        locked.judge = judge
        locked.drawn_at = clock.now()
        locked.last_error = ""
        locked.save()
        data = {
            "method": algorithm.ALGORITHM,
            "draw": str(locked.public_id),
            "attempt": locked.attempt,
            "snapshot_sha256": locked.snapshot_sha256,
            "round": locked.beacon_round,
            "seed": locked.seed,
        }
        if locked.case.judge_id is None and locked.case.status == CaseStatus.REGISTERED:
            record_assignment(case=locked.case, judge=judge, actor=None, data=data)
        else:
            record_reassignment(case=locked.case, judge=judge, actor=None, data=data)
    return locked


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
    rows = _rows(case, committed_at=clock.now(), leaving=set())
    refiled = _first_of_refiled(case) if draw.reason == DrawReason.FIRST else None
    return _pool_rule(rows, refiled)[0] == "waiting"


def complete_pending_draws(*, limit: int = 1000) -> tuple[int, int]:
    """Finish every draw whose round is out, and try again the cases that waited for judges or were
    never committed (a crash between registration and commitment). Returns (drawn, still pending).
    One draw that fails does not stop the others."""
    drawn = pending = 0
    for case in Case.objects.filter(status=CaseStatus.REGISTERED, draws__isnull=True)[:limit]:
        try:
            commit_draw(case)
        except Exception:
            logger.exception("case %s: distribution not committed", case.number)
    for draw in Draw.objects.filter(status=DrawStatus.COMMITTED).order_by("beacon_round")[:limit]:
        try:
            done = complete_draw(draw)
        except Exception:
            logger.exception("draw %s: not completed", draw.pk)
            pending += 1
            continue
        if done.status == DrawStatus.DRAWN:
            drawn += 1
        else:
            pending += 1
    for draw in Draw.objects.filter(status=DrawStatus.WAITING, replaced_at__isnull=True).select_related("case")[:limit]:
        try:
            if not _still_waiting(draw):
                commit_draw(draw.case, reason=draw.reason, grounds=draw.reason_note, previous=draw)
        except Exception:
            logger.exception("case %s: waiting distribution not retried", draw.case.number)
    return drawn, pending
