"""Every write of the deadlines context: open, close, pause, resume and extend the terms of a case
(driven by the case file's events), declare calendar exceptions and recompute the terms they touch,
load the rules and the calendar table from data, and issue the daily warnings. Each change of a
case's terms is written to the case journal in the same transaction."""

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from torelik.archive.actions import LogEntryKind, append_entry
from torelik.cases.actions import record_case_event
from torelik.cases.models import Case, CaseEventKind, CaseStatus
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.courts.queries import holds_role_in, positions_held
from torelik.deadlines import queries
from torelik.deadlines.errors import DeadlinesError, DeadlinesErrorCode, TermNotFoundError
from torelik.deadlines.models import (
    COURT_DUTIES,
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    CalendarOverride,
    ClosedTerms,
    DayKind,
    Responsible,
    Term,
    TermRule,
    TermStatus,
    TermUnit,
    TermWarning,
    Trigger,
    WarningKind,
)
from torelik.deadlines.queries import case_facts
from torelik.deadlines.rule_book import check_book, forget_rules, rule_book, rules_opened_by
from torelik.deadlines.schemas import CalendarFile, TermRulesFile, citation_problem, placeholder_problem
from torelik.deadlines.working_calendar import (
    TermTooLongError,
    WorkingCalendar,
    calendar_of_version,
    compute_due,
    working_calendar,
)
from torelik.identity.models import User

DATA_DIR = Path(__file__).resolve().parent / "data"
TERM_RULES_FILE = DATA_DIR / "term_rules.json"
CALENDAR_FILE = DATA_DIR / "calendar_overrides.json"
# Who extends a term of their court's case (a ruling of the judge, or of the chairman).
EXTENDING_ROLES = frozenset({StaffRole.JUDGE, StaffRole.CHAIRMAN})


# --- Reacting to the case file ---------------------------------------------------------------------


def _entry(what: str, term: Term, **extra: Any) -> dict[str, Any]:
    return {"at": clock.now().isoformat(), "what": what, "due": term.due_date.isoformat(), **extra}


def _summary(term: Term) -> dict[str, Any]:
    # The rule's names go with it: the case journal names the term in the reader's language.
    names = {"kk": term.rule.name_kk, "ru": term.rule.name_ru, "en": term.rule.name_en}
    return {
        "term": term.pk,
        "rule": term.rule.code,
        "names": names,
        "due": term.due_date.isoformat(),
        "status": term.status,
    }


def apply_trigger(
    *,
    case_id: int,
    trigger: str,
    from_status: str | None = None,
    actor: User | None = None,
    event_date: dt.date | None = None,
) -> list[Term]:
    """Apply a moment of the case to its terms: resume, close, pause, then open. Returns the terms
    opened. Runs inside the transaction of the change (an in-transaction bus handler). `event_date`:
    the day the moment happened when it is learnt later (a letter served, reported by the post days
    after): a term opened by it runs from that day."""
    today, now = clock.today(), clock.now()
    if event_date is not None:
        today = min(event_date, today)
    book = rule_book()
    resuming = from_status == CaseStatus.SUSPENDED and trigger != Trigger.SUSPENDED
    touches_open = resuming or trigger == Trigger.SUSPENDED or trigger in book.closing
    if not touches_open and trigger not in book.by_start:
        return []  # most moments of a case (assigned, heard...) change no term: no query
    # A new case has no terms yet; otherwise an opening needs the open slots too.
    needs_open = touches_open or (trigger in book.by_start and trigger != Trigger.REGISTERED)
    open_terms = list(Term.objects.filter(case_id=case_id, status__in=OPEN_STATUSES)) if needs_open else []
    for term in open_terms:
        rule = book.by_id.get(term.rule_id)
        if rule is not None:
            term.rule = rule  # the kept copy: no join per event
    calendar: WorkingCalendar | None = None
    journal: dict[str, list[dict[str, Any]]] = defaultdict(list)
    changed: list[Term] = []

    def the_calendar() -> WorkingCalendar:
        nonlocal calendar
        calendar = calendar or working_calendar()
        return calendar

    if resuming:
        for term in open_terms:
            if term.status == TermStatus.PAUSED:
                _resume(term, the_calendar(), today)
                journal[CaseEventKind.TERM_RESUMED].append(_summary(term))
                changed.append(term)
    for term in open_terms:
        if trigger in term.rule.ends_on or trigger in term.rule.lapses_on:
            if trigger in term.rule.ends_on:
                term.status = TermStatus.MET if today <= term.due_date else TermStatus.MISSED
            else:
                term.status = TermStatus.LAPSED
            term.closed_at, term.closed_on, term.ended_by, term.paused_on = now, today, trigger, None
            term.add_history(_entry("closed", term, status=term.status, by=trigger))
            journal[CaseEventKind.TERM_CLOSED].append(_summary(term))
            if term not in changed:
                changed.append(term)
        elif trigger == Trigger.SUSPENDED and term.status == TermStatus.RUNNING:
            term.status, term.paused_on = TermStatus.PAUSED, today
            term.adjustments = [*term.adjustments, {"kind": "pause", "from": today.isoformat()}]
            term.add_history(_entry("paused", term))
            journal[CaseEventKind.TERM_PAUSED].append(_summary(term))
            if term not in changed:
                changed.append(term)
    if changed:
        Term.objects.bulk_update(
            changed, ["status", "due_date", "adjustments", "history", "paused_on", "closed_at", "closed_on", "ended_by"]
        )
        count_closed_terms([t for t in changed if t.status in CLOSED_COUNTED])
    still_open = {t.rule.slot for t in open_terms if t.status in OPEN_STATUSES}
    opened: list[Term] = []
    if trigger in book.by_start:
        facts = case_facts(case_id)
        calendar = calendar or calendar_of_version(facts.calendar_version)
        check_book(facts.rules_version)
        for rule in rules_opened_by(trigger, facts, today):
            if rule.slot in still_open:
                continue
            try:
                due = the_calendar().add(today, rule.amount, rule.unit, explain=False).end
            except TermTooLongError:  # pragma: no cover - the schema bounds amounts
                continue
            term = Term(
                case_id=case_id,
                rule=rule,
                court_id=facts.court_id,
                judge_id=facts.judge_id,
                responsible=rule.responsible,
                started_by=trigger,
                event_date=today,
                amount=rule.amount,
                unit=rule.unit,
                due_date=due,
                original_due_date=due,
                opened_at=now,
            )
            term.add_history(_entry("opened", term, by=trigger))
            opened.append(term)
    if opened:
        Term.objects.bulk_create(opened)
        journal[CaseEventKind.TERM_OPENED].extend(_summary(t) for t in opened)
    if journal:
        case = Case(pk=case_id)  # the journal needs only the key
        for kind, items in journal.items():
            record_case_event(case=case, kind=kind, actor=actor, data={"trigger": trigger, "terms": items})
    return opened


# --- The closed terms' counts (ADR 0115) -----------------------------------------------------------

CLOSED_COUNTED = (TermStatus.MET, TermStatus.MISSED)


def _closed_key(court_id: int, judge_id: int | None, responsible: str, status: str) -> tuple[int, int, str, str]:
    return court_id, judge_id or 0, responsible, status


def count_closed_terms(terms: Iterable[Term]) -> None:
    """Add terms just closed as met or missed to `ClosedTerms`, in the closing transaction: one upsert
    per key, so that two closings in one court never wait on a row that is not theirs to create."""
    added: Counter[tuple[int, int, str, str]] = Counter(
        _closed_key(t.court_id, t.judge_id, t.responsible, t.status)
        for t in terms
        if t.status in CLOSED_COUNTED and t.responsible in COURT_DUTIES
    )
    if not added:
        return
    queries.add_closed_terms(sorted(added.items()))


@dataclass(frozen=True)
class Recount:
    keys: int  # the keys (court, judge, responsible, status) that hold closed terms
    terms: int  # the closed terms counted
    disagreed: list[tuple[tuple[int, int, str, str], int, int]]  # key, kept, counted


def closed_terms_counted() -> dict[tuple[int, int, str, str], int]:
    """The closed terms counted again from the terms themselves (one GROUP BY)."""
    rows = (
        Term.objects.filter(status__in=CLOSED_COUNTED, responsible__in=COURT_DUTIES)
        .values_list("court_id", "judge_id", "responsible", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {_closed_key(c, j, r, s): n for c, j, r, s, n in rows}


@transaction.atomic
def recount_closed_terms(*, replace: bool) -> Recount:
    """Compare `ClosedTerms` with the terms (and, with `replace`, write the terms' counts over it): the
    check after a bulk load (the national generator, the demo's court day) writes terms past the
    actions, and the proof that the kept counts agree. A term closed while this runs may show as a
    disagreement: run it again (or with the writers stopped) until it agrees, as the statistics' rebuild."""
    rows = ClosedTerms.objects.select_for_update() if replace else ClosedTerms.objects.all()
    kept = {_closed_key(r.court_id, r.judge_id, r.responsible, r.status): r.count for r in rows}
    counted = closed_terms_counted()
    disagreed = [
        (key, kept.get(key, 0), counted.get(key, 0))
        for key in sorted(set(kept) | set(counted))
        if kept.get(key, 0) != counted.get(key, 0)
    ]
    if replace and disagreed:
        ClosedTerms.objects.all().delete()
        ClosedTerms.objects.bulk_create(
            [
                ClosedTerms(court_id=c, judge_id=j or None, judge_key=j, responsible=r, status=s, count=n)
                for (c, j, r, s), n in sorted(counted.items())
            ],
            batch_size=1000,
        )
    return Recount(keys=len(counted), terms=sum(counted.values()), disagreed=disagreed)


def _resume(term: Term, calendar: WorkingCalendar, today: dt.date) -> None:
    adjustments = [dict(a) for a in term.adjustments]
    for adjustment in reversed(adjustments):
        if adjustment.get("kind") == "pause" and not adjustment.get("to"):
            adjustment["to"] = today.isoformat()
            break
    term.adjustments = adjustments
    term.status, term.paused_on = TermStatus.RUNNING, None
    term.due_date = compute_due(calendar, term)
    term.add_history(_entry("resumed", term))


def follow_judge(*, case_id: int) -> int:
    """The case got a judge: its open terms follow them (the dashboards count per judge). Returns
    how many terms it updated."""
    return queries.set_judge_of_open_terms(case_id)


# --- Extensions -------------------------------------------------------------------------------------


@transaction.atomic
def extend_term(*, term: Term, amount: int, unit: str, basis: str, actor: User) -> Term:
    """Extend an open term by a ruling (e.g. ГПК РК art. 164: +1 month of preparation for a complex case)."""
    locked = Term.objects.select_for_update().select_related("case__court", "rule").get(pk=term.pk)
    # The case's own judge, or the chairman; a party's term (an appeal period) is not extended here.
    is_chairman = holds_role_in(actor, locked.case.court, frozenset({StaffRole.CHAIRMAN}))
    judge = getattr(actor.person, "judge", None) if actor.person_id else None
    is_case_judge = (
        judge is not None
        and locked.case.judge_id == judge.pk
        and holds_role_in(actor, locked.case.court, EXTENDING_ROLES)
    )
    if not (is_chairman or is_case_judge) or locked.responsible == Responsible.PARTY:
        raise TermNotFoundError(DeadlinesErrorCode.TERM_NOT_FOUND, _("There is no term that you may extend."))
    fields: dict[str, list[str]] = {}
    if unit not in TermUnit.values:
        fields["unit"] = [str(_("Choose working days, days or months."))]
    if not 1 <= amount <= 366 or (unit == TermUnit.MONTHS and amount > 12):
        fields["amount"] = [str(_("An extension is between 1 day and 12 months."))]
    if not basis.strip():
        fields["basis"] = [str(_("Give the ruling that extends the term."))]
    if fields:
        raise DeadlinesError(
            DeadlinesErrorCode.INVALID_AMOUNT,
            _("The term cannot be extended: correct the marked fields."),
            fields=fields,
        )
    if locked.status not in OPEN_STATUSES:
        raise DeadlinesError(
            DeadlinesErrorCode.TERM_NOT_OPEN,
            _("The term is %(status)s: only a running or paused term is extended."),
            params={"status": locked.get_status_display()},
        )
    before = locked.due_date
    locked.adjustments = [
        *locked.adjustments,
        {"kind": "extension", "amount": amount, "unit": unit, "basis": basis.strip(), "on": clock.today().isoformat()},
    ]
    locked.due_date = compute_due(working_calendar(), locked)
    locked.add_history(_entry("extended", locked, before=before.isoformat(), basis=basis.strip()))
    locked.save(update_fields=["adjustments", "due_date", "history"])
    record_case_event(
        case=locked.case,
        kind=CaseEventKind.TERM_EXTENDED,
        actor=actor,
        data={**_summary(locked), "before": before.isoformat(), "amount": amount, "unit": unit, "basis": basis.strip()},
    )
    return locked


# --- The calendar table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputation:
    terms: int
    cases: int


ACT_MISSING = _(
    "Name the legal act of the day: its title, date and number (as in «… от 13 декабря 2001 года № 267-II»), "
    "or mark the day provisional and name the act it depends on."
)


def act_problem(legal_act: str, *, provisional: bool) -> str | None:
    """Why a declared day's act does not do (issue #30): a day names its act, a provisional day the
    act it waits for; neither carries a placeholder."""
    return placeholder_problem(legal_act) if provisional else citation_problem(legal_act)


@transaction.atomic
def declare_calendar_day(
    *,
    day: dt.date,
    kind: str,
    name_kk: str,
    name_ru: str,
    name_en: str,
    legal_act: str,
    verify: bool = False,
    actor: User | None = None,
) -> tuple[CalendarOverride, Recomputation]:
    """Add or change a declared day of the calendar and recompute the open terms it touches."""
    if act_problem(legal_act, provisional=verify):
        raise DeadlinesError(DeadlinesErrorCode.INVALID_DATA, ACT_MISSING, fields={"legal_act": [str(ACT_MISSING)]})
    if kind not in DayKind.values:
        raise DeadlinesError(
            DeadlinesErrorCode.INVALID_DATA,
            _("Choose a working or a non-working day."),
            fields={"kind": [str(_("Choose a working or a non-working day."))]},
        )
    row, _created = CalendarOverride.objects.update_or_create(
        day=day,
        defaults={
            "kind": kind,
            "name_kk": name_kk,
            "name_ru": name_ru,
            "name_en": name_en,
            "legal_act": legal_act,
            "verify": verify,
        },
    )
    _log_configuration("calendar_day", day=day.isoformat(), day_kind=kind, legal_act=legal_act)
    return row, recompute_terms(changed_days=[day], actor=actor, reason=legal_act)


@transaction.atomic
def remove_calendar_day(*, day: dt.date, actor: User | None = None) -> Recomputation:
    CalendarOverride.objects.filter(day=day).delete()
    _log_configuration("calendar_day", day=day.isoformat(), day_kind=None, legal_act="removed")
    return recompute_terms(changed_days=[day], actor=actor, reason="removed")


def _log_configuration(setting: str, **values: Any) -> None:
    """A change that moves procedural terms, as an entry of the transparency log (in its transaction)."""
    append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": setting, **values}, subject=setting)


def recompute_terms(*, changed_days: Sequence[dt.date], actor: User | None = None, reason: str = "") -> Recomputation:
    """Recompute the open terms whose span holds one of `changed_days`; journal each case's changes."""
    if not changed_days:
        return Recomputation(terms=0, cases=0)
    first, last = min(changed_days), max(changed_days)
    calendar = working_calendar()
    touched: dict[int, list[dict[str, Any]]] = defaultdict(list)
    changed: list[Term] = []
    affected = Term.objects.filter(status__in=OPEN_STATUSES, event_date__lt=last, due_date__gte=first)
    for term in affected.select_related("rule").iterator(chunk_size=2000):
        due = compute_due(calendar, term)
        if due != term.due_date:
            before = term.due_date
            term.due_date = due
            term.add_history(_entry("recomputed", term, before=before.isoformat(), reason=reason))
            changed.append(term)
            touched[term.case_id].append({**_summary(term), "before": before.isoformat()})
    Term.objects.bulk_update(changed, ["due_date", "history"], batch_size=1000)
    days = [d.isoformat() for d in changed_days]
    for case in Case.objects.filter(pk__in=touched):
        record_case_event(
            case=case,
            kind=CaseEventKind.TERMS_RECOMPUTED,
            actor=actor,
            data={"days": days, "reason": reason, "terms": touched[case.pk]},
        )
    return Recomputation(terms=len(changed), cases=len(touched))


# --- Loading data ----------------------------------------------------------------------------------


def _invalid(error: ValidationError) -> DeadlinesError:
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        fields.setdefault(".".join(str(p) for p in item["loc"]), []).append(item["msg"])
    return DeadlinesError(
        DeadlinesErrorCode.INVALID_DATA, _("The data file is not valid: see the marked entries."), fields=fields
    )


@transaction.atomic
def load_term_rules(*, data: Any) -> int:
    """Create or update the term rules of a data file (by code). Returns how many it holds."""
    try:
        parsed = TermRulesFile.model_validate(data)
    except ValidationError as error:
        raise _invalid(error) from error
    for record in parsed.rules:
        values = record.model_dump(exclude={"code"})
        values["ends_on"] = [str(t) for t in record.ends_on]
        values["lapses_on"] = [str(t) for t in record.lapses_on]
        values["proceeding_types"] = [str(p) for p in record.proceeding_types]
        values["instances"] = [str(i) for i in record.instances]
        TermRule.objects.update_or_create(code=record.code, defaults=values)
    _log_configuration(
        "term_rules",
        rules=len(parsed.rules),
        sha256=hashlib.sha256(parsed.model_dump_json().encode()).hexdigest(),
    )
    forget_rules()
    transaction.on_commit(forget_rules)
    return len(parsed.rules)


@transaction.atomic
def load_calendar_days(*, data: Any, actor: User | None = None) -> Recomputation:
    """Create or update the declared days of a data file, then recompute the terms they touch."""
    try:
        parsed = CalendarFile.model_validate(data)
    except ValidationError as error:
        raise _invalid(error) from error
    for record in parsed.days:
        CalendarOverride.objects.update_or_create(day=record.day, defaults=record.model_dump(exclude={"day"}))
    _log_configuration(
        "calendar_days",
        days=len(parsed.days),
        sha256=hashlib.sha256(parsed.model_dump_json().encode()).hexdigest(),
    )
    return recompute_terms(changed_days=[r.day for r in parsed.days], actor=actor, reason="calendar data file")


def read_data_file(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- Warnings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningSummary:
    due_soon: int
    missed: int


def _recipients(terms: Iterable[Term]) -> dict[int, list[int]]:
    """User ids to warn per term: the judge's account for a judge's term, the court office (clerks)
    for the office's, or the chairman when the office has nobody."""
    terms = list(terms)
    judges = {t.judge_id for t in terms if t.judge_id is not None}
    judge_users: dict[int, list[int]] = defaultdict(list)
    for user_id, judge_id in User.objects.filter(person__judge__in=judges).values_list("pk", "person__judge"):
        judge_users[judge_id].append(user_id)
    courts = {t.court_id for t in terms}
    office: dict[int, list[int]] = defaultdict(list)
    chairmen: dict[int, list[int]] = defaultdict(list)
    positions = (
        positions_held()
        .filter(court_id__in=courts, role__in=[StaffRole.CLERK, StaffRole.CHAIRMAN])
        .values_list("court_id", "role", "user_id")
    )
    for court_id, role, user_id in positions:
        (office if role == StaffRole.CLERK else chairmen)[court_id].append(user_id)
    result: dict[int, list[int]] = {}
    for term in terms:
        if term.responsible == Responsible.JUDGE and term.judge_id is not None:
            users = judge_users.get(term.judge_id, [])
        else:
            users = office.get(term.court_id, [])
        result[term.pk] = users or chairmen.get(term.court_id, [])
    return result


@transaction.atomic
def issue_term_warnings(*, today: dt.date | None = None) -> WarningSummary:
    """The daily task: warn whoever must meet a term due within DUE_SOON_DAYS or already missed.
    Idempotent: a warning is given once per term, kind and person."""
    today = today or clock.today()
    now = clock.now()
    running = Term.objects.filter(status=TermStatus.RUNNING, responsible__in=COURT_DUTIES)
    soon = list(running.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS)))
    missed = list(running.filter(due_date__lt=today))
    counts = {}
    for kind, terms in ((WarningKind.DUE_SOON, soon), (WarningKind.MISSED, missed)):
        recipients = _recipients(terms)
        given = set(
            TermWarning.objects.filter(kind=kind, term__in=[t.pk for t in terms]).values_list("term_id", "user_id")
        )
        rows = [
            TermWarning(term=term, kind=kind, user_id=user_id, created_at=now)
            for term in terms
            for user_id in recipients.get(term.pk, [])
            if (term.pk, user_id) not in given
        ]
        TermWarning.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        counts[kind] = len(rows)
    return WarningSummary(due_soon=counts[WarningKind.DUE_SOON], missed=counts[WarningKind.MISSED])


def mark_warnings_seen(*, user: User) -> int:
    return TermWarning.objects.filter(Q(user=user) & Q(seen_at__isnull=True)).update(seen_at=clock.now())
