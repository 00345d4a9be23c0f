"""The periodic statistical report of the courts to the prosecution's Committee on Legal Statistics and
Special Accounts (КПСиСУ): the movement of cases in a month, quarter, half-year or year, per court, region
or the country, a column per proceeding type and one for all, the rows of `definitions.FORM_ROWS`
computed from the statistics' counters (ADR 0110).

`report(period, scope)` gives it as a typed model (`CommitteeReport`, the stable schema `SCHEMA`);
`payload(period, scope)` as canonical JSON with a detached CMS signature by the seal of the court that
files it (the court itself, the region's regional court, the Supreme Court for the country), which the
exchange context delivers to legal statistics."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict

from torelik.core import clock
from torelik.courts.models import Court, CourtKind, ProceedingType
from torelik.identity.pades import court_seal
from torelik.identity.pki import sign_detached
from torelik.reports import dashboard, definitions, periods, queries
from torelik.reports.dashboard import Level, Place
from torelik.reports.errors import ReportsError, ReportsErrorCode

SCHEMA: Literal["torelik.reports.committee/1"] = "torelik.reports.committee/1"
FORM: Literal["court-case-movement"] = "court-case-movement"
# The grains the committee takes a report for (a day is no reporting period).
GRAINS = (periods.Grain.MONTH, periods.Grain.QUARTER, periods.Grain.HALF_YEAR, periods.Grain.YEAR)
TOTAL = "total"
# The legal bases of the forms whose shape the report follows (ADR 0110 says what is taken from them).
BASIS = (
    _(
        "Law of the Republic of Kazakhstan of 22 December 2003 No. 510-II “On state legal statistics and special "
        "accounts”"
    ),
    _(
        "Order of the Prosecutor General of 2 November 2017 No. 124 “On approving the forms of court statistical "
        "reports in the civil-law sphere”"
    ),
    _(
        "Order of the Prosecutor General of 22 June 2021 No. 92, form No. 5 “Report on the consideration of "
        "administrative cases by courts of first instance”"
    ),
)


class PeriodOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    text: str
    grain: str
    start: dt.date
    end: dt.date


class ScopeOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    level: str
    code: str
    name: str


class SignerOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    court_code: str
    court_name: str


class ColumnOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    number: int
    key: str
    label: str


class RowOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    number: str
    key: str
    label: str
    description: str
    unit: str
    values: list[int | float | None]  # one per column, in the order of `columns`


class CommitteeReport(BaseModel):
    """The report as filed: `format` names the schema and its version; a change that is not an addition
    of an optional field makes a new version."""

    model_config = ConfigDict(frozen=True)
    format: Literal["torelik.reports.committee/1"] = SCHEMA
    form: Literal["court-case-movement"] = FORM
    language: str
    period: PeriodOut
    scope: ScopeOut
    signer: SignerOut
    made_at: dt.datetime
    basis: list[str]
    columns: list[ColumnOut]
    rows: list[RowOut]
    balanced: bool  # the control sum of every column: row 7 = 1 + 2 + 3 − 4

    def value(self, row: str, column: str = TOTAL) -> int | float | None:
        """The value of the row `row` (its number or key) in the column `column` (its key)."""
        index = next(i for i, c in enumerate(self.columns) if c.key == column)
        return next(r for r in self.rows if row in (r.number, r.key)).values[index]


@dataclass(frozen=True)
class SignedPayload:
    """The report as canonical JSON (UTF-8, keys sorted, no spaces) and its detached CMS signature (DER)."""

    report: CommitteeReport
    content: bytes
    signature: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def period_of(text: str | periods.Period) -> periods.Period:
    """The reporting period `text` names: a month, quarter, half-year or year (a translated 400 otherwise)."""
    period = periods.parse(text) if isinstance(text, str) else text
    if period.grain not in GRAINS:
        raise ReportsError(
            ReportsErrorCode.BAD_PERIOD,
            _("The report is made for a month (2025-03), a quarter (2025-Q1), a half-year (2025-H1) or a year (2025)."),
            fields={"period": [str(_("Not a reporting period."))]},
        )
    return period


def scope(level: str, code: str = "") -> Place:
    """The place of a report by its level and code: `scope("country")`, `scope("region", "11")`,
    `scope("court", "1101")`."""
    from torelik.reports import access  # noqa: PLC0415 - the public lookups of a place by code

    if level == Level.COURT:
        return dashboard.court(access.public_court(code))
    if level == Level.REGION:
        return dashboard.region(access.public_region(code))
    return dashboard.country()


def filer(place: Place) -> Court:
    """The court whose seal signs the report of `place`: the court, the region's regional court, the
    Supreme Court for the country (the first court by code where the registry has none)."""
    if place.court is not None:
        return place.court
    courts = Court.objects.order_by("code")
    if place.region is not None:
        found = (
            courts.filter(region=place.region, kind=CourtKind.REGIONAL).first()
            or courts.filter(region=place.region).first()
        )
    else:
        found = courts.filter(kind=CourtKind.SUPREME).first() or courts.first()
    if found is None:
        raise ReportsError(ReportsErrorCode.NOT_FOUND, _("There is no court to file this report."))
    return found


def _merged(movements: list[definitions.Movement]) -> definitions.Movement:
    tallies: dict[tuple[str, str], tuple[int, int]] = {}
    for m in movements:
        for key, (c, a) in m.sums.tallies.items():
            before = tallies.get(key, (0, 0))
            tallies[key] = (before[0] + c, before[1] + a)
    return definitions.Movement(
        sums=queries.Sums(tallies=tallies, records={}),
        pending_start=sum(m.pending_start for m in movements),
        pending_end=sum(m.pending_end for m in movements),
    )


def report(period: str | periods.Period, scope: Place, *, language: str | None = None) -> CommitteeReport:
    """The report of `scope` for `period`, its labels in `language` (the active one by default)."""
    span = period_of(period)
    if scope.level == Level.JUDGE:
        raise ReportsError(ReportsErrorCode.NOT_FOUND, _("The report is made for a court, a region or the country."))
    flows = queries.by_proceeding(scope.area, span.start, span.end)
    before = queries.pending_at(scope.area, span.start - dt.timedelta(days=1))
    after = queries.pending_at(scope.area, span.end)
    kinds = list(ProceedingType)
    movements = [
        definitions.Movement(
            sums=flows.get(kind.value, queries.Sums(tallies={}, records={})),
            pending_start=before.get(kind.value, 0),
            pending_end=after.get(kind.value, 0),
        )
        for kind in kinds
    ]
    movements.append(_merged(movements))
    court = filer(scope)
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        columns = [ColumnOut(number=i + 1, key=k.value, label=str(k.label)) for i, k in enumerate(kinds)]
        columns.append(ColumnOut(number=len(kinds) + 1, key=TOTAL, label=str(_("All proceedings"))))
        rows = [
            RowOut(
                number=row.number,
                key=row.key,
                label=str(row.label),
                description=str(row.description),
                unit=row.unit,
                values=[_plain(row.value(m)) for m in movements],
            )
            for row in definitions.FORM_ROWS
        ]
        return CommitteeReport(
            language=translation.get_language() or settings.LANGUAGE_CODE,
            period=PeriodOut(text=span.text, grain=span.grain, start=span.start, end=span.end),
            scope=ScopeOut(level=scope.level, code=scope.code, name=scope.name),
            signer=SignerOut(court_code=court.code, court_name=court.name),
            made_at=clock.now(),
            basis=[str(b) for b in BASIS],
            columns=columns,
            rows=rows,
            balanced=all(
                m.pending_end
                == m.pending_start + m.sums.count("instituted") + m.sums.count("reopened") - m.sums.count("disposed")
                for m in movements
            ),
        )


def _plain(value: definitions.Value) -> int | float | None:
    return float(value) if value is not None and not isinstance(value, int | float) else value


def canonical(report: CommitteeReport) -> bytes:
    """The bytes that are signed: the report's JSON, keys sorted, no spaces, UTF-8. Not `core.canonical`
    (RFC 8785) on purpose: the schema `torelik.reports.committee/1` fixes these bytes, and its float
    values print as Python prints them (100.0, 1e-07) where RFC 8785 would write 100 and 1e-7; the
    committee checks the CMS signature over the bytes sent, so a new encoding would be a new schema."""
    return json.dumps(
        report.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def sign(report: CommitteeReport) -> SignedPayload:
    """The report signed by its filing court's seal (`identity.pades.court_seal`: the court's PKCS#12 in
    production, the demo CA's seal in development and tests)."""
    content = canonical(report)
    seal = court_seal(report.signer.court_code, report.signer.court_name)
    return SignedPayload(report=report, content=content, signature=sign_detached(content, seal))


def payload(period: str | periods.Period, scope: Place, *, language: str = "kk") -> SignedPayload:
    """The report of `scope` for `period` as signed JSON, for delivery to legal statistics (labels in
    the state language by default)."""
    return sign(report(period, scope, language=language))
