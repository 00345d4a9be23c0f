"""How the network cuts an SMS into segments: GSM 03.38 7-bit text (the extension table's characters
take two septets) fits 160 septets in one segment, 153 per part when concatenated; anything else is
sent as UCS-2, 70 characters in one segment, 67 per part (a character outside the BMP takes two)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Segmentation:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def segment(text: str) -> Segmentation:
    """The encoding, length in units and number of segments of `text` as an SMS."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part, encoding = 160, 153, "gsm7"
    else:
        units = len(text.encode("utf-16-be")) // 2
        single, part, encoding = 70, 67, "ucs2"
    segments = 1 if units <= single else math.ceil(units / part)
    return Segmentation(encoding=encoding, units=units, segments=segments)


def sms_cost(segments: int) -> Decimal:
    """Tenge for `segments` SMS segments (TORELIK_SMS_SEGMENT_COST, 4 ₸ by default)."""
    return (Decimal(settings.TORELIK_SMS_SEGMENT_COST) * segments).quantize(Decimal("0.01"))
