"""The life of each demo case, planned before any is registered: where and when it was filed, by
whom, which statuses it went through and when, which documents came with each step, and the
appeals and cassation petitions it led to.
"""

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from django.utils import timezone

from torelik.cases import case_numbers
from torelik.cases.actions import PartyInput
from torelik.cases.demo.cast import Cast, Role, by_prefix
from torelik.cases.demo.documents import (
    KK,
    RU,
    RULING_STATUSES,
    CaseStory,
    PdfText,
    act_text,
    attorney_text,
    attorney_title,
    corrected,
    filing_text,
    final_act_type,
    final_outcome,
    higher_act_title,
    review_text,
    ruling_subtitle,
    ruling_type,
    title,
)
from torelik.cases.demo.offices import Desk, Seat, venues
from torelik.cases.models import CaseNumberCounter, CaseStatus, Channel, Instance, PartyRole
from torelik.cases.statuses import can_move
from torelik.core.money import format_tenge
from torelik.courts.models import CaseCategory, CourtKind, ProceedingType, Specialisation

S = CaseStatus
P = ProceedingType
Spec = Specialisation

_TYPE_SHARES: dict[str, float] = {P.CIVIL: 52, P.ADMINISTRATIVE_OFFENCE: 24, P.CRIMINAL: 15, P.ADMINISTRATIVE: 9}
# The most frequent categories (others weigh 1; judicial control is rare in a court's docket).
_CATEGORY_WEIGHTS: dict[str, float] = {
    "142010000600000000": 6, "142010000300000000": 5, "142010000200000000": 3, "142040000100000000": 5,
    "142040000200000000": 4, "142050000300000000": 3, "142097000100000000": 3, "142097000200000000": 2,
    "142030000102000000": 2, "142080000100000000": 2, "145030000100000000": 3, "145020000100000000": 3,
    "145010000100000000": 3, "145040000100000000": 2, "145080000100000000": 2, "144006000100000000": 5,
    "144006000300000000": 4, "144014000200000000": 2, "144011000100000000": 2, "144001000400000000": 2,
    "143010000100000000": 2, "143020000100000000": 2, "143040000100000000": 2,
    "144095000100000000": 0.3, "144095000200000000": 0.3, "144095000300000000": 0.3,
}  # fmt: skip
# The college of a higher court that hears a proceeding type (administrative offences: administrative).
_COLLEGE: dict[str, str] = {P.CIVIL: Spec.CIVIL, P.CRIMINAL: Spec.CRIMINAL, P.ADMINISTRATIVE: Spec.ADMINISTRATIVE}
_COLLEGE_OF_OFFENCES = Spec.ADMINISTRATIVE
_CASSATION_SHARE = 0.3
# How filings arrive: indictments mostly on paper, offence protocols electronically, claims mostly
# through the Judicial Office.
_CHANNELS: dict[str, dict[str, int]] = {
    P.CRIMINAL: {Channel.PAPER: 6, Channel.JUDICIAL_OFFICE: 4},
    P.ADMINISTRATIVE_OFFENCE: {Channel.JUDICIAL_OFFICE: 7, Channel.PAPER: 3},
    "": {Channel.JUDICIAL_OFFICE: 55, Channel.PAPER: 30, Channel.EGOV: 10, Channel.PSC: 5},
}


_AMOUNTS: dict[str, tuple[int, int]] = {
    "14201": (80_000, 30_000_000), "14202": (1_000_000, 60_000_000), "142030000102": (150_000, 3_000_000),
    "1420300002": (500_000, 10_000_000), "1420300003": (100_000, 2_000_000), "1420500003": (20_000, 450_000),
    "14206": (1_000_000, 40_000_000), "14207": (50_000, 5_000_000), "1420800001": (200_000, 8_000_000),
    "1420800002": (100_000, 3_000_000), "1420900001": (2_000_000, 400_000_000),
    "1420900002": (1_000_000, 150_000_000), "1420900006": (1_000_000, 50_000_000),
    "1420900007": (2_000_000, 200_000_000), "1420970001": (50_000, 3_000_000), "1420970003": (150_000, 2_000_000),
}  # fmt: skip

# --- The life of a case ------------------------------------------------------------------------

# Share (percent) of first-instance cases that stand in each status today.
_STATUS_WEIGHTS: dict[str, float] = {
    S.REGISTERED: 2, S.ASSIGNED: 3, S.ACCEPTED: 5, S.RETURNED: 4, S.REFUSED: 2, S.LEFT_WITHOUT_MOTION: 3,
    S.IN_PREPARATION: 7, S.SCHEDULED: 11, S.HEARD: 2, S.DECIDED: 6, S.IN_FORCE: 18, S.APPEALED: 4,
    S.SUSPENDED: 3, S.CLOSED: 6, S.ARCHIVED: 24,
}  # fmt: skip
# The first cases take each status in turn, so that even a small demo shows every one. Assigned
# comes first: its placeholder assignment is how `demo_cases_exist` recognises a seeded database.
_FIRST_STATUSES = (*[s for s in S if s != S.REGISTERED], S.REGISTERED)

_A, _AC, _PR, _SC, _HE, _DE = S.ASSIGNED, S.ACCEPTED, S.IN_PREPARATION, S.SCHEDULED, S.HEARD, S.DECIDED
_LWM, _FORCE, _APPEALED = S.LEFT_WITHOUT_MOTION, S.IN_FORCE, S.APPEALED
_TRIAL = (_A, _AC, _PR, _SC, _HE, _DE)
_SHORT_TRIAL = (_A, _AC, _SC, _HE, _DE)
# The ways to each status from REGISTERED, along statuses.TRANSITIONS (checked below).
_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    S.REGISTERED: ((),),
    S.ASSIGNED: ((_A,),),
    S.ACCEPTED: ((_A, _AC), (_A, _LWM, _AC)),
    S.RETURNED: ((_A, S.RETURNED), (_A, _LWM, S.RETURNED)),
    S.REFUSED: ((_A, S.REFUSED),),
    S.LEFT_WITHOUT_MOTION: ((_A, _LWM),),
    S.IN_PREPARATION: ((_A, _AC, _PR), (_A, _LWM, _AC, _PR)),
    S.SCHEDULED: ((_A, _AC, _PR, _SC), (_A, _AC, _SC), (_A, _AC, _PR, _SC, _SC)),
    S.HEARD: ((_A, _AC, _PR, _SC, _HE), (_A, _AC, _SC, _SC, _HE)),
    S.DECIDED: (_TRIAL, _SHORT_TRIAL),
    S.IN_FORCE: (
        (*_TRIAL, _FORCE),
        (*_SHORT_TRIAL, _FORCE),
        (*_TRIAL, _APPEALED, _FORCE),
        (_A, _AC, _PR, S.SUSPENDED, _SC, _HE, _DE, _FORCE),
        (_A, _AC, _PR, S.CLOSED, _FORCE),
    ),
    S.APPEALED: ((*_TRIAL, _APPEALED), (*_SHORT_TRIAL, _APPEALED)),
    S.SUSPENDED: ((_A, _AC, S.SUSPENDED), (_A, _AC, _PR, S.SUSPENDED), (_A, _AC, _PR, _SC, S.SUSPENDED)),
    S.CLOSED: ((_A, _AC, S.CLOSED), (_A, _AC, _PR, S.CLOSED), (_A, _AC, _PR, _SC, S.CLOSED)),
    S.ARCHIVED: (
        (*_TRIAL, _FORCE, S.ARCHIVED),
        (*_SHORT_TRIAL, _FORCE, S.ARCHIVED),
        (*_TRIAL, _APPEALED, _FORCE, S.ARCHIVED),
        (_A, S.RETURNED, S.ARCHIVED),
        (_A, S.REFUSED, S.ARCHIVED),
        (_A, _AC, _PR, S.CLOSED, S.ARCHIVED),
    ),
}


def path_is_allowed(path: Sequence[str]) -> bool:
    statuses = (S.REGISTERED, *path)
    return all(can_move(a, b) for a, b in zip(statuses, statuses[1:], strict=False))


if not all(path_is_allowed(way) and (way[-1] if way else S.REGISTERED) == s for s, ws in _PATHS.items() for way in ws):
    raise AssertionError("a demo path leaves statuses.TRANSITIONS")  # pragma: no cover

# Days from the previous status to this one (ГПК РК art. 151: 5 working days to accept a claim).
_DAYS: dict[str, tuple[int, int]] = {
    _AC: (1, 5), S.RETURNED: (1, 5), S.REFUSED: (1, 5), _LWM: (1, 5), _PR: (0, 3), _SC: (3, 15), _HE: (10, 40),
    _DE: (0, 4), _APPEALED: (10, 28), S.SUSPENDED: (5, 30), S.CLOSED: (5, 40), S.ARCHIVED: (20, 90),
}  # fmt: skip
_DAYS_AFTER: dict[tuple[str, str], tuple[int, int]] = {
    (_LWM, _AC): (5, 12),
    (_LWM, S.RETURNED): (11, 15),
    (S.SUSPENDED, _SC): (30, 120),
    (_SC, _SC): (10, 30),
    (S.CLOSED, _FORCE): (11, 16),
    (_APPEALED, _FORCE): (35, 75),
}
# A decision enters into force when the term of appeal has run (civil: one month; criminal: 15
# days; offences: 10 days — verify, see shared/domain/kazakhstan.md).
_FORCE_DAYS: dict[str, tuple[int, int]] = {
    P.CIVIL: (31, 35),
    P.ADMINISTRATIVE: (31, 35),
    P.CRIMINAL: (16, 19),
    P.ADMINISTRATIVE_OFFENCE: (11, 14),
}
# How long a case has stood in its status today; terminal statuses: anything up to a year.
_DWELL: dict[str, tuple[int, int]] = {
    S.REGISTERED: (0, 1), _A: (0, 4), _AC: (0, 10), _LWM: (0, 9), _PR: (0, 14), _SC: (0, 45), _HE: (0, 4),
    _DE: (0, 25), _APPEALED: (8, 40), S.SUSPENDED: (0, 150),
}  # fmt: skip
HISTORY_DAYS = 364
# Statuses a judge's act brings about (the judge's account does it, when the judge has one).
_JUDICIAL = frozenset({_AC, S.RETURNED, S.REFUSED, _LWM, _PR, _SC, _HE, _DE, S.SUSPENDED, S.CLOSED})


class Do(StrEnum):
    ASSIGN = "assign"
    STATUS = "status"
    DOCUMENT = "document"
    CORRECT = "correct"
    LINK = "link"


@dataclass
class Doc:
    type: str
    title: str
    filename: str
    dated: dt.date
    author: int | None  # index of the party
    text: Callable[[Mapping[int, str]], PdfText]  # given the case numbers by plan key
    refs: tuple[int, ...] = ()  # the plans whose numbers the text quotes


@dataclass
class Step:
    at: dt.datetime
    do: Do
    status: str = ""
    doc: Doc | None = None
    reason: str = ""
    corrects_last: bool = False
    link_to: int | None = None
    judicial: bool = False


@dataclass
class Plan:
    key: int
    desk: Desk
    instance: str
    story: CaseStory
    roles: list[Role]
    registered_at: dt.datetime
    channel: str
    seat: Seat | None = None
    filings: list[Doc] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    number: str = ""  # predicted

    @property
    def parties(self) -> list[PartyInput]:
        return [_party_input(role) for role in self.roles]

    @property
    def subject(self) -> str:
        amount = self.story.amount
        return self.story.category_name + (f" — {format_tenge(amount)}" if amount is not None else "")

    def documents(self) -> list[Doc]:
        """In the order the run uses them: the filings, then the documents of the steps."""
        return self.filings + [step.doc for step in self.steps if step.doc is not None]


def _party_input(role: Role) -> PartyInput:
    who = role.who
    address = who.address(who.language)
    if who.is_person:
        return PartyInput(
            role=role.role,
            iin=who.identifier,
            surname=who.surname,
            given_name=who.given_name,
            patronymic=who.patronymic,
            phone=who.phone,
            address=address,
            preferred_language=who.language,
            represents=role.represents,
        )
    return PartyInput(
        role=role.role,
        bin=who.identifier,
        organisation_name=who.name_ru,
        phone=who.phone,
        address=address,
        preferred_language=who.language,
        represents=role.represents,
    )


def _settle(plan: Plan) -> None:
    """Strictly increasing moments within a case: a step planned at the moment of the one before
    it (or earlier) comes two minutes after it."""
    last = plan.registered_at
    for step in plan.steps:
        step.at = step.at if step.at > last else last + dt.timedelta(minutes=2)
        last = step.at


def _constant(text: PdfText) -> Callable[[Mapping[int, str]], PdfText]:
    return lambda _numbers: text


def _corrected_text(act: Doc, lang: str) -> Callable[[Mapping[int, str]], PdfText]:
    return lambda numbers: corrected(act.text(numbers), lang, act=True)


class Planner:
    def __init__(self, *, seed: int, desks: list[Desk], until: dt.datetime, taken: set[str]) -> None:
        self.rng = random.Random(f"{seed}:cases")  # noqa: S311 - demo data, not secrets
        self.cast = Cast(seed, taken)
        self.until = until
        self.until_day = timezone.localdate(until)
        self.plans: list[Plan] = []
        self.by_court = {desk.court.pk: desk for desk in desks}
        self.cassation = {d.court.specialisation: d for d in desks if d.court.kind == CourtKind.CASSATION}
        self.menu: dict[str, list[tuple[CaseCategory, list[Desk]]]] = defaultdict(list)
        categories = list(CaseCategory.objects.filter(is_active=True).order_by("code"))
        parents = {category.parent_id for category in categories}
        for category in categories:
            courts = venues(desks, category) if category.pk not in parents else []
            if courts:
                self.menu[category.proceeding_type].append((category, courts))

    def plan(self, count: int) -> list[Plan]:
        """About `count` plans (the last first-instance case may bring its appeals along), in the
        order of registration."""
        if not any(self.menu.values()):
            return []
        for index in range(count):
            if len(self.plans) >= count:
                break
            target = (
                _FIRST_STATUSES[index]
                if index < len(_FIRST_STATUSES)
                else self.rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
            )
            self._first_instance(target)
        for plan in self.plans:
            _settle(plan)
        return sorted(self.plans, key=lambda plan: (plan.registered_at, plan.key))

    # --- time

    def _moment(self, day: dt.date, *, backward: bool = False) -> dt.datetime:
        """A moment in office hours on `day`, or on the nearest working day after (before) it."""
        while day.weekday() >= 5:
            day += dt.timedelta(days=-1 if backward else 1)
        minutes = self.rng.randint(9 * 60, 17 * 60 + 45)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))

    def _later(self, moment: dt.datetime, low: int = 5, high: int = 40) -> dt.datetime:
        return moment + dt.timedelta(minutes=self.rng.randint(low, high))

    def _timeline(
        self, path: Sequence[str], proceeding_type: str, target: str
    ) -> tuple[dt.datetime, list[dt.datetime]]:
        """When the case was registered and reached each status of `path`; it has stood in the last
        one for a while (`_DWELL`) up to `until`."""
        offsets: list[int] = []
        day, previous = 0, S.REGISTERED.value
        for status in path:
            if status != _A:
                if previous == _DE and status == _FORCE:
                    low, high = _FORCE_DAYS[proceeding_type]
                else:
                    low, high = _DAYS_AFTER.get((previous, status)) or _DAYS[status]
                day += self.rng.randint(low, high)
            offsets.append(day)
            previous = status
        low, high = _DWELL.get(target, (0, HISTORY_DAYS))
        room = max(0, HISTORY_DAYS - day)
        dwell = self.rng.randint(min(low, room), min(high, room))
        first_day = self.until_day - dt.timedelta(days=day + dwell + 1)
        registered = self._moment(first_day, backward=True)
        moments, last = [], registered
        for status, offset in zip(path, offsets, strict=True):
            moment = self._later(last, 5, 120) if status == _A else self._moment(first_day + dt.timedelta(offset))
            last = moment if moment > last else self._later(last)
            moments.append(last)
        # A weekend at the end can push past `until`: move the whole story back by weeks.
        weeks = max(0, math.ceil((last - (self.until - dt.timedelta(hours=6))) / dt.timedelta(weeks=1)))
        shift = dt.timedelta(weeks=weeks)
        return registered - shift, [moment - shift for moment in moments]

    # --- first instance

    def _first_instance(self, target: str) -> None:
        rng = self.rng
        types = [t for t in _TYPE_SHARES if self.menu[t]]
        proceeding_type = rng.choices(types, weights=[_TYPE_SHARES[t] for t in types])[0]
        options = self.menu[proceeding_type]
        weights = [_CATEGORY_WEIGHTS.get(category.code, 1.0) for category, _courts in options]
        category, courts = rng.choices(options, weights=weights)[0]
        desk = rng.choices(courts, weights=[court.weight for court in courts])[0]
        roles, filing, filer = self.cast.parties(proceeding_type, category, desk.place)
        lead = roles[filer].who
        lang = lead.language if lead.is_person else (KK if rng.random() < 0.55 else RU)
        parties = tuple((role.role, role.who) for role in roles)
        story = CaseStory(lang, desk.court, category, proceeding_type, parties, self._amount(category.code))
        path = rng.choice(_PATHS[target])
        registered, moments = self._timeline(path, proceeding_type, target)
        plan = Plan(len(self.plans), desk, Instance.FIRST, story, roles, registered, self._channel(proceeding_type))
        plan.filings = self._filings(plan, filing, filer)
        if path:
            plan.seat = desk.judge_for([category.specialisation])
        self._life(plan, path, moments)
        self.plans.append(plan)
        if _APPEALED in path:
            self._appeal(plan, path, moments)

    def _amount(self, code: str) -> Decimal | None:
        bounds = by_prefix(_AMOUNTS, code, None)
        if bounds is None:
            return None
        value = math.exp(self.rng.uniform(math.log(bounds[0]), math.log(bounds[1])))
        return Decimal(round(value, -3))

    def _channel(self, proceeding_type: str) -> str:
        options = _CHANNELS.get(proceeding_type, _CHANNELS[""])
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def _filings(self, plan: Plan, filing: str, filer: int) -> list[Doc]:
        story, lang = plan.story, plan.story.lang
        dated = timezone.localdate(plan.registered_at) - dt.timedelta(days=self.rng.randint(0, 4))
        text = filing_text(story, filing, filer=plan.roles[filer].who, dated=dated)
        docs = [Doc(filing, title(lang, filing), f"{filing}.pdf", dated, filer, _constant(text))]
        for index, role in enumerate(plan.roles):
            if role.attorney and role.represents is not None:
                principal = plan.roles[role.represents].who
                text = attorney_text(story, principal=principal, agent=role.who, dated=dated)
                docs.append(
                    Doc(
                        "power_of_attorney",
                        attorney_title(story),
                        "power_of_attorney.pdf",
                        dated,
                        index,
                        _constant(text),
                    )
                )
        return docs

    def _act(self, plan: Plan, moment: dt.datetime, status: str = "") -> Doc:
        """The judge's act that brings the case to `status` (a ruling), or its final act."""
        story, lang, key, rng = plan.story, plan.story.lang, plan.key, self.rng
        judge = plan.seat.judge.person.short_name if plan.seat is not None else ""
        dated, city = timezone.localdate(moment), plan.desk.place.centre(lang)
        if status:
            doc_type, subtitle = ruling_type(story.proceeding_type), ruling_subtitle(lang, status)
            name, outcome = title(lang, doc_type, subtitle), ""
        else:
            court_order = story.category.code.startswith("142097")
            doc_type, subtitle = final_act_type(story.proceeding_type, plan.instance, court_order=court_order), ""
            name = title(lang, doc_type) if plan.instance == Instance.FIRST else higher_act_title(lang, plan.instance)
            outcome = final_outcome(
                story, doc_type, plan.instance, choice=rng.randrange(60), fine=rng.choice((5, 10, 15, 20, 30, 50))
            )

        def text(numbers: Mapping[int, str]) -> PdfText:
            return act_text(
                story,
                doc_type,
                number=numbers[key],
                judge=judge,
                dated=dated,
                city=city,
                subtitle=subtitle,
                outcome=outcome,
                status=status,
            )

        return Doc(doc_type, name, f"{doc_type}-{dated:%Y%m%d}.pdf", dated, None, text, (key,))

    def _life(self, plan: Plan, path: Sequence[str], moments: Sequence[dt.datetime]) -> None:
        """The steps after registration: the assignment, each status with the acts it comes with,
        corrections, and the appeal brought before the status `appealed`."""
        rng, steps, previous = self.rng, plan.steps, S.REGISTERED.value
        for index, (status, moment) in enumerate(zip(path, moments, strict=True)):
            if status == _A:
                steps.append(Step(moment, Do.ASSIGN))
                previous = status
                continue
            if previous == _LWM and status == _AC:  # the claimant mends the filing, then it is accepted
                before = self._moment(timezone.localdate(moment) - dt.timedelta(days=rng.randint(1, 3)), backward=True)
                filing = plan.filings[0]
                doc = replace(filing, text=_constant(corrected(filing.text({}), plan.story.lang, act=False)))
                steps.append(Step(before, Do.CORRECT, doc=doc, reason="Недостатки, указанные судом, устранены"))
            if status == _APPEALED:
                steps.append(
                    Step(
                        moment - dt.timedelta(minutes=rng.randint(30, 240)),
                        Do.DOCUMENT,
                        doc=self._review_doc(plan, "appeal", moment),
                    )
                )
            steps.append(Step(moment, Do.STATUS, status=status, judicial=status in _JUDICIAL))
            if status in RULING_STATUSES:
                steps.append(
                    Step(self._later(moment, 10, 40), Do.DOCUMENT, doc=self._act(plan, moment, status), judicial=True)
                )
            if status == _DE:
                act = self._act(plan, moment)
                steps.append(Step(self._later(moment, 10, 50), Do.DOCUMENT, doc=act, judicial=True))
                fix = self._moment(timezone.localdate(moment) + dt.timedelta(days=rng.randint(1, 2)))
                upcoming = moments[index + 1] if index + 1 < len(moments) else self.until
                if rng.random() < 0.06 and fix < upcoming:
                    correction = replace(act, text=_corrected_text(act, plan.story.lang))
                    steps.append(
                        Step(
                            fix,
                            Do.CORRECT,
                            doc=correction,
                            corrects_last=True,
                            reason="Исправление описки",
                            judicial=True,
                        )
                    )
            previous = status

    # --- higher instances

    def _appellant(self, plan: Plan) -> int:
        roles = [r.role for r in plan.roles]
        if PartyRole.ACCUSED in roles and self.rng.random() < 0.7:
            return roles.index(PartyRole.ACCUSED)
        if plan.story.proceeding_type == P.ADMINISTRATIVE_OFFENCE:
            return roles.index(PartyRole.DEFENDANT)
        principals = [i for i, r in enumerate(plan.roles) if r.represents is None and r.role != PartyRole.VICTIM]
        return self.rng.choice(principals)

    def _review_doc(self, plan: Plan, doc_type: str, moment: dt.datetime) -> Doc:
        """The appeal or cassation petition against `plan`'s acts, filed shortly before `moment`."""
        higher = (
            self.by_court.get(plan.desk.court.parent_id or 0) if doc_type == "appeal" else self._cassation_desk(plan)
        )
        # Without a higher court in the demo, the appeal is addressed through the court that decided.
        to_court = higher.court if higher is not None else plan.desk.court
        story, key, appellant, dated = plan.story, plan.key, self._appellant(plan), timezone.localdate(moment)

        def text(numbers: Mapping[int, str]) -> PdfText:
            return review_text(
                story,
                doc_type,
                to_court=to_court,
                appellant=plan.roles[appellant].who,
                number=numbers[key],
                dated=dated,
            )

        return Doc(doc_type, title(story.lang, doc_type), f"{doc_type}.pdf", dated, appellant, text, (key,))

    def _cassation_desk(self, plan: Plan) -> Desk | None:
        return self.cassation.get(_COLLEGE.get(plan.story.proceeding_type, ""))

    def _higher(self, lower: Plan, desk: Desk, instance: str, review: Doc, registered: dt.datetime) -> Plan:
        story = replace(lower.story, court=desk.court)
        channel = self.rng.choice((Channel.PAPER, Channel.JUDICIAL_OFFICE))
        plan = Plan(len(self.plans), desk, instance, story, lower.roles, registered, channel)
        plan.filings = [review, *[doc for doc in lower.filings if doc.type == "power_of_attorney"]]
        college = _COLLEGE.get(story.proceeding_type, _COLLEGE_OF_OFFENCES)
        plan.seat = desk.judge_for([story.category.specialisation, college])
        plan.steps.append(Step(self._later(registered, 2, 10), Do.LINK, link_to=lower.key))
        plan.steps.append(Step(self._later(registered, 15, 120), Do.ASSIGN))
        self.plans.append(plan)
        return plan

    def _decide_higher(self, plan: Plan, decided: dt.datetime) -> None:
        """Accepted, heard and decided on the day of `decided`; the act is in force at once."""
        accepted = self._moment(timezone.localdate(plan.registered_at) + dt.timedelta(days=self.rng.randint(1, 3)))
        scheduled = self._moment(timezone.localdate(accepted) + dt.timedelta(days=self.rng.randint(1, 4)))
        heard = decided - dt.timedelta(minutes=self.rng.randint(40, 120))
        for status, moment in ((_AC, accepted), (_SC, scheduled), (_HE, heard), (_DE, decided)):
            plan.steps.append(Step(moment, Do.STATUS, status=status, judicial=True))
        plan.steps.append(Step(self._later(decided, 5, 15), Do.DOCUMENT, doc=self._act(plan, decided), judicial=True))
        plan.steps.append(Step(self._later(decided, 20, 40), Do.STATUS, status=_FORCE))

    def _pending_higher(self, plan: Plan) -> None:
        """Still before the court: accepted, or with a hearing set, as far as the time allows."""
        accepted = self._moment(timezone.localdate(plan.registered_at) + dt.timedelta(days=self.rng.randint(1, 3)))
        scheduled = self._moment(timezone.localdate(accepted) + dt.timedelta(days=self.rng.randint(2, 6)))
        possible = [(s, m) for s, m in ((_AC, accepted), (_SC, scheduled)) if m < self.until - dt.timedelta(hours=6)]
        for status, moment in possible[: self.rng.randint(0, len(possible))]:
            plan.steps.append(Step(moment, Do.STATUS, status=status, judicial=True))

    def _appeal(self, lower: Plan, path: Sequence[str], moments: Sequence[dt.datetime]) -> None:
        desk = self.by_court.get(lower.desk.court.parent_id or 0)
        if desk is None:
            return
        index = path.index(_APPEALED)
        registered = self._moment(timezone.localdate(moments[index]) + dt.timedelta(days=self.rng.randint(3, 7)))
        review = next(step.doc for step in lower.steps if step.doc is not None and step.doc.type == "appeal")
        plan = self._higher(lower, desk, Instance.APPEAL, review, registered)
        if index + 1 < len(path) and path[index + 1] == _FORCE:  # decided on the day the lower act took force
            self._decide_higher(plan, moments[index + 1] - dt.timedelta(minutes=self.rng.randint(30, 90)))
            self._cassation(plan)
        else:
            self._pending_higher(plan)

    def _cassation(self, lower: Plan) -> None:
        desk = self._cassation_desk(lower)
        if desk is None or self.rng.random() >= _CASSATION_SHARE:
            return
        in_force = lower.steps[-1].at
        registered = self._moment(timezone.localdate(in_force) + dt.timedelta(days=self.rng.randint(20, 80)))
        if registered > self.until - dt.timedelta(days=10):
            return
        plan = self._higher(
            lower, desk, Instance.CASSATION, self._review_doc(lower, "cassation_petition", registered), registered
        )
        decided = self._moment(timezone.localdate(registered) + dt.timedelta(days=self.rng.randint(25, 45)))
        if decided < self.until - dt.timedelta(days=1) and self.rng.random() < 0.6:
            self._decide_higher(plan, decided)
        else:
            self._pending_higher(plan)


def predict_numbers(plans: Sequence[Plan]) -> None:
    """The numbers `register_case` will give, in the order of registration (for the texts of acts,
    drawn before the cases exist); a wrong guess is caught and the act drawn again."""
    counters = {(c.court_id, c.year, c.type_code): c.last for c in CaseNumberCounter.objects.all()}
    for plan in plans:
        year = timezone.localdate(plan.registered_at).year
        code = case_numbers.type_code(plan.story.proceeding_type, plan.instance)
        key = (plan.desk.court.pk, year, code)
        counters[key] = counters.get(key, 0) + 1
        plan.number = case_numbers.format_case_number(
            court_code=plan.desk.court.code, year=year, type_code=code, sequence=counters[key]
        )
