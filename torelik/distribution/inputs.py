"""What a draw reads (docs/distribution.md): the judges of the court with their standing, absences
and loads, the case's category terms, recusals and linked cases, and the earlier case a refiled
claim repeats.

`CourtFacts` reads a court's facts once for any number of its cases committed at one moment (a
batch of registrations), and `rows` evaluates them for each case at the case's own moments: a
batch gives every case exactly the inputs a draw of its own would have, in fewer queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from torelik.cases.models import Case, CaseLink, CaseLinkKind, Party, PartyRole
from torelik.core import clock
from torelik.courts.models import CaseCategoryChange, Judge, JudgeAbsence
from torelik.courts.queries import (
    CategoryTerms,
    category_journal,
    category_terms_as_of,
    judges_of_court_as_of,
    standing_journal,
    standings_as_of,
    was_of_court,
)
from torelik.distribution import algorithm
from torelik.distribution.models import Draw, ExclusionReason, Recusal
from torelik.distribution.queries import Side, earlier_with_sides

WINDOW_DAYS = algorithm.DAYS_IN_WINDOW
ABSENCE_NOTICE = dt.timedelta(hours=24)
REFILING_DAYS = 90
CLAIM_SIDES = (PartyRole.CLAIMANT, PartyRole.DEFENDANT, PartyRole.APPLICANT)


@dataclass
class Row:
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


def reference(case: Case, committed_at: dt.datetime) -> dt.datetime:
    """The moment the 24-hour rule counts back from: the filing; a draw retried days later counts
    from its own commitment."""
    return case.registered_at if committed_at - case.registered_at < ABSENCE_NOTICE else committed_at


@dataclass(frozen=True)
class Moments:
    """The moments one case's draw reads its inputs at."""

    committed_at: dt.datetime
    filed_at: dt.datetime
    reference: dt.datetime
    standing: dt.datetime  # participation, office, specialisations, category terms: a day before the reference
    window_start: dt.date
    window_end: dt.date
    draw_day: dt.date
    loads_from: dt.datetime

    @classmethod
    def of(cls, case: Case, committed_at: dt.datetime) -> "Moments":
        moment = reference(case, committed_at)
        window_end = timezone.localdate(case.registered_at)
        return cls(
            committed_at=committed_at,
            filed_at=case.registered_at,
            reference=moment,
            standing=moment - ABSENCE_NOTICE,
            window_start=window_end - dt.timedelta(days=WINDOW_DAYS - 1),
            window_end=window_end,
            draw_day=timezone.localdate(committed_at),
            loads_from=case.registered_at - dt.timedelta(days=WINDOW_DAYS),
        )


@dataclass
class CaseFacts:
    """What concerns each case itself: recusals and the judges of linked cases, read for many cases at once."""

    recused: dict[int, dict[int, str]] = field(default_factory=dict)
    linked_judges: dict[int, set[int]] = field(default_factory=dict)
    refiled_from: dict[int, Case] = field(default_factory=dict)  # the returned claim a case was refiled as
    sides: dict[int, frozenset[Side]] = field(default_factory=dict)

    @classmethod
    def read(cls, cases: Sequence[Case], committed_at: dt.datetime) -> "CaseFacts":
        ids = [case.pk for case in cases]
        facts = cls(recused={pk: {} for pk in ids}, linked_judges={pk: set() for pk in ids})
        recusals = Recusal.objects.filter(case_id__in=ids, recorded_at__lte=committed_at)
        for case_id, judge_id, kind in recusals.values_list("case_id", "judge_id", "kind"):
            facts.recused[case_id][judge_id] = kind
        # Appeals and joined cases: their judges may not sit again. A refiled claim goes *to* the first
        # judge (the refiling rule), so that link is not involvement. One read for both.
        links = (
            CaseLink.objects.filter(Q(from_case_id__in=ids) | Q(to_case_id__in=ids))
            .select_related("from_case", "to_case")
            .order_by("-from_case__registered_at")
        )
        for link in links:
            if link.kind == CaseLinkKind.REFILED_AS:
                if link.to_case_id in facts.linked_judges:
                    facts.refiled_from[link.to_case_id] = link.from_case  # the earliest wins
                continue
            for case_id in {link.from_case_id, link.to_case_id} & set(ids):
                judges = (link.from_case.judge_id, link.to_case.judge_id)
                facts.linked_judges[case_id] |= {judge for judge in judges if judge is not None}
        facts.sides = sides_of(ids)
        return facts

    def involved(self, case: Case) -> set[int]:
        return {judge for judge in self.linked_judges.get(case.pk, set()) if judge != case.judge_id}


class CourtFacts:
    """The judges of one court, their standing journal, absences and loads, read once for `cases`
    (all of that court, committed at `committed_at`)."""

    def __init__(self, court_id: int, cases: Sequence[Case], committed_at: dt.datetime) -> None:
        moments = [Moments.of(case, committed_at) for case in cases]
        earliest = min(m.standing for m in moments)
        self.court_id = court_id
        self.committed_at = committed_at
        self.judges = list(
            judges_of_court_as_of(court_id, earliest)
            .select_related("person")
            .prefetch_related("specialisations")
            .order_by("pk")
        )
        ids = [judge.pk for judge in self.judges]
        self.journal = standing_journal(ids)
        self.absences: defaultdict[int, list[JudgeAbsence]] = defaultdict(list)
        for absence in JudgeAbsence.objects.filter(
            judge_id__in=ids,
            ends_on__gte=min(m.window_start for m in moments),
            starts_on__lte=max(max(m.window_end, m.draw_day) for m in moments),
            recorded_at__lte=committed_at,
        ):
            self.absences[absence.judge_id].append(absence)
        # Loads: the weights drawn in the year before each filing. One sum from the earliest case's
        # year on, and the few draws between the earliest and the latest start taken back per case.
        case_ids = [case.pk for case in cases]
        counted = (
            Draw.objects.filter(judge_id__in=ids, drawn_at__lt=committed_at)  # (judge, drawn_at) is indexed
            .filter(Q(replaced_at__isnull=True) | Q(replaced_at__gt=committed_at))
            .exclude(case_id__in=case_ids)
            .order_by()
        )
        first_start = min(m.loads_from for m in moments)
        last_start = max(m.loads_from for m in moments)
        self.loads = dict(
            counted.filter(drawn_at__gte=first_start)
            .values("judge_id")
            .annotate(total=Sum("weight"))
            .values_list("judge_id", "total")
        )
        early = counted.filter(drawn_at__gte=first_start, drawn_at__lt=last_start)
        self.early: list[tuple[int, dt.datetime, int]] = [
            (judge, drawn_at, weight)
            for judge, drawn_at, weight in (
                early.values_list("judge_id", "drawn_at", "weight") if first_start < last_start else []
            )  # a case alone, or filed at one moment: nothing to take back
            if judge is not None and drawn_at is not None
        ]

    def _load(self, judge_id: int, moments: Moments) -> int:
        before_start = sum(
            weight for judge, drawn_at, weight in self.early if judge == judge_id and drawn_at < moments.loads_from
        )
        return int(self.loads.get(judge_id) or 0) - before_start

    def rows(self, case: Case, *, involved: set[int], recused: dict[int, str], specialisation: str) -> list[Row]:
        """Every judge of the court as the case's draw sees them, with the reason any is excluded."""
        moments = Moments.of(case, self.committed_at)
        judges = [j for j in self.judges if was_of_court(j, self.court_id, moments.standing, self.journal)]
        standings = standings_as_of(judges, moments.standing, journal=self.journal)
        specialists = {pk for pk, standing in standings.items() if specialisation in standing.specialisations}
        rows = []
        for judge in judges:
            absences = self.absences[judge.pk]
            start = max(moments.window_start, judge.appointed_on or moments.window_start)
            present = (
                (moments.window_end - start).days
                + 1
                - sum(_overlap_days(a.starts_on, a.ends_on, start, moments.window_end) for a in absences)
            )
            # Absent on the day of the draw, and known a day before the filing (or before a retried draw).
            absent_now = any(
                a.starts_on <= moments.draw_day <= a.ends_on and a.recorded_at <= moments.standing for a in absences
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
                Row(
                    judge=judge,
                    exclusion=exclusion,
                    rate=max(rate, 0),
                    load=self._load(judge.pk, moments),
                    days_present=max(present, 1),
                )
            )
        return sorted(rows, key=lambda row: str(row.judge.public_id))


class CategoryFacts:
    """The journals of the cases' categories, read once."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self.journal: dict[int, list[CaseCategoryChange]] = category_journal({case.category_id for case in cases})

    def terms(self, case: Case, committed_at: dt.datetime) -> CategoryTerms:
        """The specialisation and complexity of the case's category as they stood a day before the
        filing: re-classifying a category just before a filing cannot steer it."""
        return category_terms_as_of(case.category, Moments.of(case, committed_at).standing, journal=self.journal)


def sides_of(case_ids: Iterable[int]) -> dict[int, frozenset[Side]]:
    """The claim sides of each case: who claims, against whom (one query)."""
    parties = Party.objects.filter(case_id__in=list(case_ids), role__in=CLAIM_SIDES).filter(
        Q(person__isnull=False) | Q(organisation__isnull=False)
    )
    found: dict[int, set[Side]] = {pk: set() for pk in case_ids}
    for case_id, role, person, organisation in parties.values_list("case_id", "role", "person_id", "organisation_id"):
        found[case_id].add((role, person, organisation))
    return {pk: frozenset(sides) for pk, sides in found.items()}


def first_of_refiled(case: Case, facts: CaseFacts | None = None) -> Case | None:
    """The earlier case this one repeats: a returned claim refiled as it, or the same parties and
    subject in the same court within 90 days. Its judge receives this one too."""
    facts = facts or CaseFacts.read([case], clock.now())
    refiled_from = facts.refiled_from.get(case.pk)
    if refiled_from is not None and refiled_from.judge_id is not None:
        return refiled_from
    sides = facts.sides[case.pk]
    if not sides:
        return None
    # Same parties on the same sides and the same category: the wording of the subject is not
    # compared, or changing one word would reopen the door the rule closes.
    found = earlier_with_sides(case, sides, since=case.registered_at - dt.timedelta(days=REFILING_DAYS))
    if not found:
        return None  # as nearly always: no case object is made
    candidates = list(Case.objects.filter(pk__in=found).order_by("registered_at", "id"))
    candidate_sides = sides_of([candidate.pk for candidate in candidates])
    return next((candidate for candidate in candidates if candidate_sides[candidate.pk] == sides), None)
