"""Money in tenge (₸, with tiyn as hundredths) and amounts expressed in MCI."""

from decimal import ROUND_HALF_UP, Decimal

TIYN = Decimal("0.01")


def tenge(amount: Decimal | int | str) -> Decimal:
    """An amount in tenge rounded to the tiyn, half up, as payment orders round."""
    return Decimal(amount).quantize(TIYN, rounding=ROUND_HALF_UP)


def format_tenge(amount: Decimal) -> str:
    """`1234567.5` -> `1 234 567,50 ₸` (Kazakh and Russian usage: space groups, decimal comma)."""
    whole, _, fraction = f"{tenge(amount):.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{chr(0xA0).join(groups)},{fraction} ₸"
