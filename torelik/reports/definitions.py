"""Every figure of the statistics defined once: what counts, from which record or journal entry, on
which date. Pages, exports, the API and the periodic report all compute a figure by its definition
here and show its description beside it; nothing is typed in."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.helpline.models import CallChannel
from torelik.reports.queries import Sums

ELECTRONIC = (Channel.JUDICIAL_OFFICE, Channel.EGOV, Channel.PSC)


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    TENGE = "tenge"
    DAYS = "days"
    AVERAGE = "average"


class Group(StrEnum):
    BACKLOG = "backlog"
    FILING = "filing"
    NOTICES = "notices"
    POST = "post"
    HEARINGS = "hearings"
    ACTS = "acts"
    HELPLINE = "helpline"


GROUPS: dict[Group, Promise] = {
    Group.BACKLOG: _("Cases"),
    Group.FILING: _("Filing"),
    Group.NOTICES: _("Notices"),
    Group.POST: _("Letters"),
    Group.HEARINGS: _("Hearings"),
    Group.ACTS: _("Judicial acts"),
    Group.HELPLINE: _("Helpline"),
}

Value = int | Decimal | float | None


@dataclass(frozen=True)
class Figure:
    key: str
    group: Group
    label: Promise
    description: Promise
    unit: Unit
    value: Callable[[Sums], Value]
    judge_level: bool = True  # shown on a judge's page (figures of courts' records are not)


def share(part: float, whole: float) -> float | None:
    """A percentage, None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def _average_days(s: Sums) -> float | None:
    disposed = s.count("disposed")
    return round(s.amount("disposed") / disposed, 1) if disposed else None


FIGURES: tuple[Figure, ...] = (
    Figure(
        "instituted",
        Group.BACKLOG,
        _("Cases instituted"),
        _(
            "Cases registered in the period, on the day of registration, through every channel "
            "(journal: case registered)."
        ),
        Unit.COUNT,
        lambda s: s.count("instituted"),
    ),
    Figure(
        "disposed",
        Group.BACKLOG,
        _("Cases disposed"),
        _(
            "Cases that left the pending statuses in the period (decided, returned, refused or closed), on the day "
            "of that status change (journal: status changed)."
        ),
        Unit.COUNT,
        lambda s: s.count("disposed"),
    ),
    Figure(
        "clearance_rate",
        Group.BACKLOG,
        _("Clearance rate"),
        _("Cases disposed as a share of cases instituted in the period; above 100 % the backlog shrinks."),
        Unit.PERCENT,
        lambda s: share(s.count("disposed"), s.count("instituted")),
    ),
    Figure(
        "average_days",
        Group.BACKLOG,
        _("Average time to disposition, days"),
        _("Calendar days from registration to disposal, averaged over the cases disposed in the period."),
        Unit.DAYS,
        _average_days,
    ),
    Figure(
        "disposed_in_term",
        Group.BACKLOG,
        _("Disposed within the law's terms"),
        _(
            "Cases disposed in the period on or before the last day of the law's term counted from registration "
            "(3 months: 5 working days to accept the claim, 15 working days to prepare it and 2 months to consider "
            "it, Civil Procedure Code arts. 151, 164, 183), as a share of all cases disposed in the period."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("disposed_in_term"), s.count("disposed")),
    ),
    Figure(
        "efiled_share",
        Group.FILING,
        _("Filed electronically"),
        _(
            "Cases instituted in the period through the Judicial Office, the e-government portal or a Public "
            "Service Centre, as a share of all cases instituted (the channel recorded at registration)."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("instituted", ELECTRONIC), s.count("instituted")),
    ),
    Figure(
        "filed_judicial_office",
        Group.FILING,
        _("Filed through the Judicial Office"),
        _("Cases instituted in the period whose claim was filed and signed in the Judicial Office."),
        Unit.COUNT,
        lambda s: s.count("instituted", Channel.JUDICIAL_OFFICE),
    ),
    Figure(
        "filed_egov",
        Group.FILING,
        _("Filed through the e-government portal"),
        _("Cases instituted in the period whose claim came from the e-government portal's API."),
        Unit.COUNT,
        lambda s: s.count("instituted", Channel.EGOV),
    ),
    Figure(
        "filed_psc",
        Group.FILING,
        _("Filed at a Public Service Centre"),
        _("Cases instituted in the period whose claim an operator of a Public Service Centre filed."),
        Unit.COUNT,
        lambda s: s.count("instituted", Channel.PSC),
    ),
    Figure(
        "filed_paper",
        Group.FILING,
        _("Filed on paper"),
        _("Cases instituted in the period from a paper claim registered at the court office."),
        Unit.COUNT,
        lambda s: s.count("instituted", Channel.PAPER),
    ),
    Figure(
        "coupon_share",
        Group.FILING,
        _("Coupons issued for paper filings"),
        _(
            "Paper claims registered in the period whose coupon (the receipt with its check code) was issued, as a "
            "share of all paper claims registered in the period (journal: case registered, coupon issued)."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("coupons"), s.count("instituted", Channel.PAPER)),
        judge_level=False,
    ),
    Figure(
        "sms_sent",
        Group.NOTICES,
        _("SMS sent"),
        _(
            "SMS the outbox handed to the gateway in the period, on the day they were sent (the outbox's records, "
            "counted as each is sent); a court's or region's figure holds the SMS about its cases, the country's "
            "also the login codes of no court."
        ),
        Unit.COUNT,
        lambda s: s.record("sms_sent"),
        judge_level=False,
    ),
    Figure(
        "sms_delivered",
        Group.NOTICES,
        _("SMS delivered"),
        _("SMS sent in the period whose delivery report said delivered, as a share of the SMS sent."),
        Unit.PERCENT,
        lambda s: share(float(s.record("sms_delivered")), float(s.record("sms_sent"))),
        judge_level=False,
    ),
    Figure(
        "sms_cost",
        Group.NOTICES,
        _("Cost of SMS, tenge"),
        _("The segments of the SMS sent in the period at the rate of the day they were sent."),
        Unit.TENGE,
        lambda s: s.record("sms_cost"),
        judge_level=False,
    ),
    Figure(
        "subpoenas_issued",
        Group.NOTICES,
        _("E-subpoenas issued"),
        _("E-subpoenas issued in the period, on the day of issue (journal: subpoena issued)."),
        Unit.COUNT,
        lambda s: s.count("subpoenas_issued"),
    ),
    Figure(
        "subpoenas_viewed",
        Group.NOTICES,
        _("E-subpoenas viewed"),
        _(
            "E-subpoenas first opened by the addressee in the period (journal: subpoena viewed), as a share of those "
            "issued in the period."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("subpoenas_viewed"), s.count("subpoenas_issued")),
    ),
    Figure(
        "subpoenas_revoked",
        Group.NOTICES,
        _("E-subpoenas revoked"),
        _("E-subpoenas revoked in the period because the hearing was moved or cancelled (journal: subpoena revoked)."),
        Unit.COUNT,
        lambda s: s.count("subpoenas_revoked"),
    ),
    Figure(
        "letters_sent",
        Group.POST,
        _("Letters sent"),
        _("Registered and hybrid letters handed to the post in the period (journal: letter sent)."),
        Unit.COUNT,
        lambda s: s.count("letters_sent"),
    ),
    Figure(
        "letters_final",
        Group.POST,
        _("Letters with a final status"),
        _(
            "Letters whose final status (served, refused, returned, undeliverable) the post reported in the period, "
            "as a share of letters sent in the period."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("letters_final"), s.count("letters_sent")),
    ),
    Figure(
        "letters_served",
        Group.POST,
        _("Letters served"),
        _("Letters served on the addressee in the period (journal: served by post)."),
        Unit.COUNT,
        lambda s: s.count("letters_final", "letter_delivered"),
    ),
    Figure(
        "courtrooms_recording",
        Group.HEARINGS,
        _("Courtrooms with recording"),
        _("Courtrooms equipped for audio-video recording, as a share of all courtrooms (the courts' registry, today)."),
        Unit.PERCENT,
        lambda s: share(float(s.record("courtrooms_recording")), float(s.record("courtrooms"))),
        judge_level=False,
    ),
    Figure(
        "hearings_held",
        Group.HEARINGS,
        _("Hearings held"),
        _("Hearings marked held in the period, on the day that was recorded (journal: hearing held)."),
        Unit.COUNT,
        lambda s: s.count("hearings_held"),
    ),
    Figure(
        "hearings_recorded",
        Group.HEARINGS,
        _("Hearings recorded"),
        _(
            "Hearings held in the period with at least one recording stored, whenever it was stored, as a share of "
            "hearings held (journal: hearing held, recording added)."
        ),
        Unit.PERCENT,
        lambda s: share(s.count("hearings_recorded"), s.count("hearings_held")),
    ),
    Figure(
        "acts_announced",
        Group.ACTS,
        _("Judicial acts announced"),
        _("Judicial acts signed by the judge and announced in the period (journal: judicial act announced)."),
        Unit.COUNT,
        lambda s: s.count("acts_announced"),
    ),
    Figure(
        "acts_in_force",
        Group.ACTS,
        _("Judicial acts in force"),
        _("Judicial acts that entered into force in the period (journal: entered into force)."),
        Unit.COUNT,
        lambda s: s.count("acts_in_force"),
    ),
    Figure(
        "acts_published",
        Group.ACTS,
        _("Judicial acts published"),
        _(
            "Depersonalised judicial acts published on the public site in the period, on the day of publication "
            "(the publication's journal: published); an act withdrawn later stays counted where it was published."
        ),
        Unit.COUNT,
        lambda s: s.count("acts_published"),
        judge_level=False,
    ),
)

_CHANNEL_LABELS: dict[str, tuple[Promise, Promise]] = {
    CallChannel.LANDLINE: (
        _("Helpline calls from a landline"),
        _("Calls received in the period on 1401, free from a landline (the helpline's records)."),
    ),
    CallChannel.MOBILE: (
        _("Helpline calls from a mobile"),
        _("Calls received in the period on the paid number from a mobile (the helpline's records)."),
    ),
    CallChannel.WEB_FORM: (
        _("Helpline requests by web form"),
        _("Requests received in the period through the helpline's web form (the helpline's records)."),
    ),
    CallChannel.EMAIL: (
        _("Helpline requests by e-mail"),
        _("Requests received in the period by e-mail to the helpline (the helpline's records)."),
    ),
}


def _of_channel(channel: str) -> Callable[[Sums], Value]:
    return lambda s: s.record(f"helpline_{channel}")


def _calls_a_day(s: Sums) -> float | None:
    days = int(s.record("helpline_days"))
    return round(float(s.record("helpline_calls")) / days, 1) if days else None


FIGURES = (
    *FIGURES,
    Figure(
        "helpline_calls",
        Group.HELPLINE,
        _("Calls to the helpline"),
        _(
            "Calls and requests the helpline received in the period, on the local day they were received, through "
            "every channel, about the place's courts (the helpline's records)."
        ),
        Unit.COUNT,
        lambda s: s.record("helpline_calls"),
        judge_level=False,
    ),
    Figure(
        "helpline_calls_a_day",
        Group.HELPLINE,
        _("Calls to the helpline a day"),
        _("Calls and requests received in the period divided by the days of the period."),
        Unit.AVERAGE,
        _calls_a_day,
        judge_level=False,
    ),
    *(
        Figure(
            f"helpline_{channel}",
            Group.HELPLINE,
            label,
            description,
            Unit.COUNT,
            _of_channel(channel),
            judge_level=False,
        )
        for channel, (label, description) in _CHANNEL_LABELS.items()
    ),
    Figure(
        "helpline_answered_in_term",
        Group.HELPLINE,
        _("Helpline requests answered in term"),
        _(
            "Calls received in the period and passed to a court or office with a term to answer, answered on or "
            "before the day the term ends, as a share of all such calls received in the period."
        ),
        Unit.PERCENT,
        lambda s: share(float(s.record("helpline_answered_in_term")), float(s.record("helpline_routed"))),
        judge_level=False,
    ),
)

BY_KEY = {f.key: f for f in FIGURES}


@dataclass(frozen=True)
class Shown:
    figure: Figure
    value: Value


def compute(s: Sums, *, judge: bool = False) -> list[Shown]:
    return [Shown(f, f.value(s)) for f in FIGURES if f.judge_level or not judge]


# The periodic report to the Committee on Legal Statistics and Special Accounts (`committee.py`): the
# movement of cases of one proceeding type in the period, row by row in the shape of the courts' forms
# (pending at the start, received, disposed and how, within the terms, pending at the end). The rows the
# public sources establish and the counters support; ADR 0110 says which and where from.


@dataclass(frozen=True)
class Movement:
    """What the form's rows of one proceeding type (or of all, for the total column) are computed from:
    the counters of the period and the cases pending at its start and at its end."""

    sums: Sums
    pending_start: int
    pending_end: int


@dataclass(frozen=True)
class FormRow:
    number: str
    key: str
    label: Promise
    description: Promise
    unit: Unit
    value: Callable[[Movement], Value]


# How a case left the pending statuses (the key of `disposed`: the status reached) → the form's row.
DISPOSED_BY = {"decided": "4.1", "returned": "4.2", "refused": "4.3", "closed": "4.4"}


def _disposed_other(m: Movement) -> int:
    return m.sums.count("disposed") - m.sums.count("disposed", DISPOSED_BY)


def _average_of(m: Movement) -> float | None:
    return _average_days(m.sums)


FORM_ROWS: tuple[FormRow, ...] = (
    FormRow(
        "1",
        "pending_start",
        _("Pending at the start of the period"),
        _(
            "Cases instituted or resumed before the period and not disposed before it (the counters up to the day "
            "before)."
        ),
        Unit.COUNT,
        lambda m: m.pending_start,
    ),
    FormRow(
        "2",
        "instituted",
        _("Received in the period"),
        _("Cases registered in the period through every channel (journal: case registered)."),
        Unit.COUNT,
        lambda m: m.sums.count("instituted"),
    ),
    FormRow(
        "2.1",
        "instituted_electronically",
        _("of them filed electronically"),
        _("Of row 2, filed through the Judicial Office, the e-government portal or a Public Service Centre."),
        Unit.COUNT,
        lambda m: m.sums.count("instituted", ELECTRONIC),
    ),
    FormRow(
        "3",
        "reopened",
        _("Resumed in the period"),
        _("Cases that came back to the pending statuses in the period (a decision set aside, a suspension lifted)."),
        Unit.COUNT,
        lambda m: m.sums.count("reopened"),
    ),
    FormRow(
        "4",
        "disposed",
        _("Disposed in the period, total"),
        _("Cases that left the pending statuses in the period, on the day of that status change."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed"),
    ),
    FormRow(
        "4.1",
        "disposed_decided",
        _("of them with a decision"),
        _("Of row 4, disposed by a decision (status: decided)."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed", "decided"),
    ),
    FormRow(
        "4.2",
        "disposed_returned",
        _("of them returned"),
        _("Of row 4, claims returned to the claimant (status: returned)."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed", "returned"),
    ),
    FormRow(
        "4.3",
        "disposed_refused",
        _("of them refused acceptance"),
        _("Of row 4, claims refused acceptance (status: refused)."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed", "refused"),
    ),
    FormRow(
        "4.4",
        "disposed_closed",
        _("of them closed"),
        _("Of row 4, proceedings closed or the claim left without consideration (status: closed)."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed", "closed"),
    ),
    FormRow(
        "4.5",
        "disposed_other",
        _("of them otherwise"),
        _("Of row 4, those that left the pending statuses for any other status (row 4 less rows 4.1 to 4.4)."),
        Unit.COUNT,
        _disposed_other,
    ),
    FormRow(
        "5",
        "disposed_in_term",
        _("Disposed within the law's terms"),
        _("Of row 4, disposed on or before the last day of the law's term counted from registration."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed_in_term"),
    ),
    FormRow(
        "6",
        "disposed_late",
        _("Disposed beyond the law's terms"),
        _("Row 4 less row 5."),
        Unit.COUNT,
        lambda m: m.sums.count("disposed") - m.sums.count("disposed_in_term"),
    ),
    FormRow(
        "7",
        "pending_end",
        _("Pending at the end of the period"),
        _("Cases instituted or resumed up to the period's last day and not disposed by then; equals 1 + 2 + 3 − 4."),
        Unit.COUNT,
        lambda m: m.pending_end,
    ),
    FormRow(
        "8",
        "average_days",
        _("Average time to disposition, days"),
        _("Calendar days from registration to disposal, averaged over the cases of row 4."),
        Unit.DAYS,
        _average_of,
    ),
)
