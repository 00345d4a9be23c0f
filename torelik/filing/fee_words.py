"""The words of the state fee as a person reads them: each basis of `data/fee_rates.json` in the
catalogs (the data file is in English; a page shows it in its own language), the MCI as МРП/АЕК,
amounts written by the page's language."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, gettext_noop

BASES = (
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026), exemption: claims for alimony"),
    gettext_noop(
        "Tax Code of the Republic of Kazakhstan (2026), exemption: claims of employees arising from labour relations"
    ),
    gettext_noop(
        "Tax Code of the Republic of Kazakhstan (2026), exemption: persons with disabilities of groups I and II"
    ),
    gettext_noop(
        "Tax Code of the Republic of Kazakhstan (2026): appeal, half of the first-instance rate for that filer"
    ),
    gettext_noop(
        "Tax Code of the Republic of Kazakhstan (2026): application for a court order, half of the claim rate"
    ),
    gettext_noop(
        "Tax Code of the Republic of Kazakhstan (2026): cassation, half of the first-instance rate for that filer"
    ),
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026): complaint against a state body"),
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026): non-property claim"),
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026): property claim, 1 per cent of the claim value"),
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026): property claim, 3 per cent of the claim value"),
    gettext_noop("Tax Code of the Republic of Kazakhstan (2026): special proceedings"),
)


def basis_words(basis: str) -> str:
    """A stored basis (one or several joined by "; ") in the active language."""
    return "; ".join(gettext(part) for part in basis.split("; ") if part)


def amount_words(value: Decimal) -> str:
    """`1 500 000,00` or `1 500 000.00` as the active language writes a sum of tenge."""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
