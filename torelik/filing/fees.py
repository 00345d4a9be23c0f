"""The state fee of a filing, from versioned rate data (`data/fee_rates.json`, validated here) and the
MCI in force on the day (`torelik.core.models.mci_to_tenge`). Rates, caps, shares for higher
instances and exemptions are data with their legal basis and effective date, never literals."""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from torelik.core.models import mci_to_tenge
from torelik.core.money import tenge
from torelik.courts.models import ProceedingType
from torelik.filing.errors import FilingError, FilingErrorCode
from torelik.filing.fee_words import amount_words
from torelik.filing.models import FilerType, FilingKind

RATES_FILE = Path(__file__).parent / "data" / "fee_rates.json"

FeeKind = Literal[
    "property_claim",
    "non_property_claim",
    "complaint_against_state_body",
    "court_order",
    "special_proceedings",
    "apostille",
]


class Rate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fee_kind: FeeKind
    filer: Literal["individual", "legal_entity"]
    percent: Decimal | None = None
    mci: Decimal | None = None
    cap_mci: Decimal | None = None
    basis: str
    effective_from: dt.date

    @model_validator(mode="after")
    def _one_rate(self) -> "Rate":
        if (self.percent is None) == (self.mci is None):
            raise ValueError("a rate is either a percent of the claim value or an amount in MCI")
        if self.cap_mci is not None and self.percent is None:
            raise ValueError("only a percent rate has a cap")
        return self


class HigherInstance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["appeal", "cassation"]
    share_percent: Decimal
    basis: str
    effective_from: dt.date


class Exemption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    basis: str
    label_en: str
    label_kk: str
    label_ru: str
    effective_from: dt.date

    @property
    def label(self) -> str:
        language = (get_language() or "kk")[:2]
        return str(getattr(self, f"label_{language}", self.label_ru))


class FeeRates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    rates: list[Rate]
    higher_instance: list[HigherInstance]
    exemptions: list[Exemption]


@cache
def fee_rates(path: Path = RATES_FILE) -> FeeRates:
    try:
        return FeeRates.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, ValueError) as error:
        raise FilingError(
            FilingErrorCode.FEE_RATES_INVALID,
            _("The state fee rate table %(file)s is not valid: %(error)s"),
            params={"file": path.name, "error": str(error)[:300]},
        ) from error


def exemptions(on: dt.date) -> list[Exemption]:
    return [e for e in fee_rates().exemptions if e.effective_from <= on]


def exemption(code: str, on: dt.date) -> Exemption | None:
    return next((e for e in exemptions(on) if e.code == code), None)


@dataclass(frozen=True)
class FeeQuote:
    """What the filer must pay, why, and what it was computed from."""

    amount: Decimal
    basis: str
    description: str
    exemption: Exemption | None = None

    @property
    def payable(self) -> Decimal:
        return Decimal("0.00") if self.exemption is not None else self.amount


NO_FEE = FeeQuote(amount=Decimal("0.00"), basis="", description="")


def _rate(fee_kind: str, filer: str, on: dt.date) -> Rate:
    candidates = [
        r for r in fee_rates().rates if r.fee_kind == fee_kind and r.filer == filer and r.effective_from <= on
    ]
    if not candidates:
        raise FilingError(
            FilingErrorCode.FEE_NO_RATE,
            _("No state fee rate is in force on %(day)s for this filing."),
            params={"day": on.isoformat()},
        )
    return max(candidates, key=lambda r: r.effective_from)


def _first_instance(rate: Rate, claim_amount: Decimal | None, on: dt.date) -> tuple[Decimal, str]:
    if rate.percent is not None:
        value = claim_amount or Decimal(0)
        amount = tenge(value * rate.percent / Decimal(100))
        description = f"{number(rate.percent)} % × {amount_words(tenge(value))} ₸"
        if rate.cap_mci is not None:
            cap = mci_to_tenge(rate.cap_mci, on=on)
            if amount > cap:
                amount = cap
                description = f"{description}, ≤ {mci_words(rate.cap_mci)} = {amount_words(cap)} ₸"
        return amount, description
    assert rate.mci is not None  # noqa: S101 - guaranteed by the schema
    return mci_to_tenge(rate.mci, on=on), mci_words(rate.mci)


def service_fee(*, fee_kind: FeeKind, filer: str, on: dt.date) -> FeeQuote:
    """The fee of a court's service that is set per document in MCI (an apostille: `apostille`), from
    the same rate table as the filings' fees."""
    rate = _rate(fee_kind, filer, on)
    amount, description = _first_instance(rate, None, on)
    return FeeQuote(amount=amount, basis=rate.basis, description=description)


def number(value: Decimal) -> str:
    return str(formats.number_format(value, use_l10n=True, force_grouping=True))


def mci_words(value: Decimal) -> str:
    """`0,5 МРП` (ru), `0,5 АЕК` (kk), `0.5 MCI` (en): the monthly calculation index by its name."""
    return str(_("%(count)s MCI")) % {"count": number(value)}


def first_instance_fee_kind(*, kind: str, proceeding_type: str | None, claim_amount: Decimal | None) -> str | None:
    """Which first-instance rate applies (None: the filing bears no fee)."""
    if kind == FilingKind.COURT_ORDER:
        return "court_order"
    if kind == FilingKind.SPECIAL:
        return "special_proceedings"
    if kind in (FilingKind.CLAIM, FilingKind.APPEAL, FilingKind.CASSATION):
        if proceeding_type == ProceedingType.ADMINISTRATIVE:
            return "complaint_against_state_body"
        return "property_claim" if claim_amount else "non_property_claim"
    return None


def compute_fee(
    *,
    kind: str,
    filer: str,
    proceeding_type: str | None,
    claim_amount: Decimal | None,
    on: dt.date,
    exemption_code: str = "",
) -> FeeQuote:
    """The state fee of a filing of `kind` by an individual or a legal entity on day `on`."""
    if filer not in FilerType.values:
        raise ValueError(filer)
    fee_kind = first_instance_fee_kind(kind=kind, proceeding_type=proceeding_type, claim_amount=claim_amount)
    if fee_kind is None:
        return NO_FEE
    rate = _rate(fee_kind, filer, on)
    amount, description = _first_instance(rate, claim_amount, on)
    basis = rate.basis
    if kind in (FilingKind.APPEAL, FilingKind.CASSATION):
        shares = [h for h in fee_rates().higher_instance if h.kind == kind and h.effective_from <= on]
        if not shares:
            raise FilingError(
                FilingErrorCode.FEE_NO_RATE,
                _("No state fee rate is in force on %(day)s for this filing."),
                params={"day": on.isoformat()},
            )
        share = max(shares, key=lambda h: h.effective_from)
        amount = tenge(amount * share.share_percent / Decimal(100))
        description = f"{number(share.share_percent)} % × ({description})"
        basis = f"{share.basis}; {rate.basis}"
    granted = exemption(exemption_code, on) if exemption_code else None
    return FeeQuote(amount=amount, basis=basis, description=description, exemption=granted)
