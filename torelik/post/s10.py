"""UPU S10 item identifiers (`AA NNNNNNNN C KZ`): the check digit over the 8-digit serial with the
weights 8 6 4 2 3 5 9 7, `c = 11 - (sum % 11)`, 10 -> 0 and 11 -> 5 (UPU S10, shared/domain/kazakhstan.md).

Parsing separates two faults: a barcode that is not an S10 identifier at all (refused) and a domestic
one whose check digit does not conform (some of the post's own `B*` ranges): that one is flagged, never
refused, because the post issues and tracks such items."""

import re
from dataclasses import dataclass

WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
SHAPE = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
DOMESTIC = "KZ"


def check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("an S10 serial has 8 digits")
    c = 11 - sum(int(d) * w for d, w in zip(serial, WEIGHTS, strict=True)) % 11
    return 0 if c == 10 else 5 if c == 11 else c


def compose(service: str, serial: int, country: str = DOMESTIC) -> str:
    """The barcode of `serial` in the `service` range (e.g. `RR`, registered letters)."""
    digits = f"{serial:08d}"
    return f"{service}{digits}{check_digit(digits)}{country}"


@dataclass(frozen=True)
class S10:
    barcode: str
    service: str
    serial: str
    check: int
    country: str
    conforming: bool  # the check digit is right

    @property
    def domestic(self) -> bool:
        return self.country == DOMESTIC


def normalise(text: str) -> str:
    """Upper case without spaces or dashes (what people type from an envelope: `rr 1234 5678 5 kz`)."""
    return re.sub(r"[\s\-]", "", text).upper()


def parse(text: str) -> S10 | None:
    """The identifier in `text`, or None when it has not the S10 shape at all."""
    barcode = normalise(text)
    found = SHAPE.match(barcode)
    if found is None:
        return None
    service, serial, check, country = found.groups()
    return S10(
        barcode=barcode,
        service=service,
        serial=serial,
        check=int(check),
        country=country,
        conforming=check_digit(serial) == int(check),
    )


def acceptable(item: S10) -> bool:
    """Whether the post can be asked about `item`: a conforming identifier, or a domestic one (flagged)."""
    return item.conforming or item.domestic
