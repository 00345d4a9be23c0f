"""The state fee from the rate table: known values of the 2026 Tax Code (shared/domain/kazakhstan.md:
MCI 2026 = 4,325 ₸; property claim 1 % individual, 3 % legal entity, caps 10,000 / 20,000 MCI;
appeal and cassation 50 %)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from torelik.courts.models import ProceedingType
from torelik.filing import fees
from torelik.filing.errors import FilingError, FilingErrorCode
from torelik.filing.fee_words import BASES, basis_words
from torelik.filing.models import FilerType, FilingKind

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)


def fee(
    kind: str, filer: str, amount: str | None, proceeding: str = ProceedingType.CIVIL, exemption: str = ""
) -> fees.FeeQuote:
    return fees.compute_fee(
        kind=kind,
        filer=filer,
        proceeding_type=proceeding,
        claim_amount=Decimal(amount) if amount is not None else None,
        on=DAY,
        exemption_code=exemption,
    )


def test_one_percent_of_a_million_is_ten_thousand_for_an_individual() -> None:
    quote = fee(FilingKind.CLAIM, FilerType.INDIVIDUAL, "1000000")
    assert quote.amount == Decimal("10000.00")
    assert "Tax Code of the Republic of Kazakhstan (2026)" in quote.basis
    assert "verify" not in quote.basis


def test_the_individual_cap_is_ten_thousand_mci_at_4325_tenge() -> None:
    assert fee(FilingKind.CLAIM, FilerType.INDIVIDUAL, "10000000000").amount == Decimal("43250000.00")


def test_a_legal_entity_pays_three_percent_capped_at_twenty_thousand_mci() -> None:
    assert fee(FilingKind.CLAIM, FilerType.LEGAL_ENTITY, "1000000").amount == Decimal("30000.00")
    assert fee(FilingKind.CLAIM, FilerType.LEGAL_ENTITY, "100000000000").amount == Decimal("86500000.00")


def test_an_appeal_and_a_cassation_pay_half_of_the_first_instance_rate() -> None:
    assert fee(FilingKind.APPEAL, FilerType.INDIVIDUAL, "1000000").amount == Decimal("5000.00")
    assert fee(FilingKind.CASSATION, FilerType.LEGAL_ENTITY, "1000000").amount == Decimal("15000.00")


def test_a_complaint_against_a_state_body_is_point_three_mci_for_an_individual() -> None:
    quote = fee(FilingKind.CLAIM, FilerType.INDIVIDUAL, None, ProceedingType.ADMINISTRATIVE)
    assert quote.amount == Decimal("1297.50")  # 0.3 × 4,325
    assert fee(FilingKind.CLAIM, FilerType.LEGAL_ENTITY, None, ProceedingType.ADMINISTRATIVE).amount == Decimal(
        "21625.00"
    )


def test_a_petition_or_a_response_bears_no_fee() -> None:
    assert fee(FilingKind.PETITION, FilerType.INDIVIDUAL, None).amount == 0
    assert fee(FilingKind.RESPONSE, FilerType.LEGAL_ENTITY, "5000").amount == 0


def test_an_alimony_claim_is_exempt_and_nothing_is_payable() -> None:
    quote = fee(FilingKind.CLAIM, FilerType.INDIVIDUAL, "600000", exemption="alimony")
    assert quote.amount == Decimal("6000.00")
    assert quote.exemption is not None
    assert quote.exemption.code == "alimony"
    assert quote.payable == 0


def test_a_non_property_claim_is_half_an_mci_verify_marked() -> None:
    quote = fees.compute_fee(
        kind=FilingKind.CLAIM,
        filer=FilerType.INDIVIDUAL,
        proceeding_type=ProceedingType.CIVIL,
        claim_amount=None,
        on=dt.date(2026, 1, 1),
    )
    assert quote.amount == Decimal("2162.50")  # 0.5 MCI × 4,325 (verify-marked non-property rate)


def test_a_rate_table_with_both_a_percent_and_an_mci_amount_is_refused(tmp_path: Path) -> None:
    data = json.loads(fees.RATES_FILE.read_text(encoding="utf-8"))
    data["rates"][0]["mci"] = "1"
    broken = tmp_path / "fee_rates.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FilingError) as refused:
        fees.fee_rates(broken)
    assert refused.value.code == FilingErrorCode.FEE_RATES_INVALID


def test_no_rate_before_the_table_took_effect() -> None:
    with pytest.raises(FilingError) as refused:
        fees.compute_fee(
            kind=FilingKind.CLAIM,
            filer=FilerType.INDIVIDUAL,
            proceeding_type=ProceedingType.CIVIL,
            claim_amount=Decimal(100),
            on=dt.date(2025, 6, 1),
        )
    assert refused.value.code == FilingErrorCode.FEE_NO_RATE


def test_the_fee_speaks_the_pages_language_mcis_as_mrp_and_aek_and_no_placeholder() -> None:
    with translation.override("ru"):
        ru = fees.compute_fee(kind="claim", filer="individual", proceeding_type="civil", claim_amount=None, on=DAY)
        basis_ru = basis_words(ru.basis)
    with translation.override("kk"):
        kk = fees.compute_fee(kind="claim", filer="individual", proceeding_type="civil", claim_amount=None, on=DAY)
    assert ru.description == "0,5 МРП"
    assert kk.description == "0,5 АЕК"
    assert basis_ru == "Налоговый кодекс РК (2026): иск неимущественного характера"
    rates = (Path(__file__).parents[1] / "data" / "fee_rates.json").read_text(encoding="utf-8")
    assert "verify" not in rates
    for basis in BASES:  # every basis of the data file is in the catalogs
        assert basis in rates
