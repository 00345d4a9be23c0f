"""Addresses of letters in the Kazakh structure: postal index (6 digits), region, district, locality,
street, house, flat. A party's address in a case is one line of text; `parse` finds the parts, and a
letter is sent only with a postal index (without one it waits in the office's worklist)."""

import re
from dataclasses import asdict, dataclass

INDEX = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass(frozen=True)
class Address:
    postal_index: str = ""
    region: str = ""
    district: str = ""
    locality: str = ""
    street: str = ""
    house: str = ""
    flat: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def lines(self) -> list[str]:
        """The address block of an envelope: street, house and flat; locality; district and region; index."""
        first = ", ".join(p for p in (self.street, self.house, self.flat) if p)
        out = [first, self.locality, ", ".join(p for p in (self.district, self.region) if p), self.postal_index]
        return [line for line in out if line]

    def one_line(self) -> str:
        return ", ".join(
            p
            for p in (self.postal_index, self.region, self.district, self.locality, self.street, self.house, self.flat)
            if p
        )


HOUSE = re.compile(r"^(?:д\.?|үй|дом|house)\s*(.+)$", re.IGNORECASE)
FLAT = re.compile(r"^(?:кв\.?|пәтер|квартира|flat|apt\.?)\s*(.+)$", re.IGNORECASE)
REGION = re.compile(r"(обл|облысы|область|region)", re.IGNORECASE)
DISTRICT = re.compile(r"(ауданы|район|р-н|district)", re.IGNORECASE)


def parse(text: str) -> Address:
    """The parts of a one-line address `050000, Алматы, ул. Абая, д. 10, кв. 5` (best effort: what is not
    recognised stays in the locality and street, in order)."""
    found = INDEX.search(text)
    index = found.group(1) if found else ""
    rest = INDEX.sub("", text) if found else text
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    region = district = house = flat = ""
    plain: list[str] = []
    for part in parts:
        if (m := FLAT.match(part)) is not None:
            flat = m.group(1)
        elif (m := HOUSE.match(part)) is not None:
            house = m.group(1)
        elif REGION.search(part):
            region = part
        elif DISTRICT.search(part):
            district = part
        elif not house and plain and part[:1].isdigit():
            house = part
        else:
            plain.append(part)
    locality = plain[0] if plain else ""
    street = ", ".join(plain[1:])
    return Address(
        postal_index=index, region=region, district=district, locality=locality, street=street, house=house, flat=flat
    )
