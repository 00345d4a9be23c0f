"""Segment counting as the network does it, and the cost per segment."""

from decimal import Decimal

import pytest
from django.test import override_settings

from torelik.notifications.segments import segment, sms_cost


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "gsm7", 1),
        ("a" * 161, "gsm7", 2),
        ("a" * 306, "gsm7", 2),  # 2 × 153
        ("a" * 307, "gsm7", 3),
        ("д" * 70, "ucs2", 1),
        ("д" * 71, "ucs2", 2),
        ("д" * 134, "ucs2", 2),  # 2 × 67
        ("д" * 135, "ucs2", 3),
        ("ә" * 70, "ucs2", 1),  # Kazakh letters are not GSM-7
        ("€" * 80, "gsm7", 1),  # extension table: two septets each, 160
        ("€" * 81, "gsm7", 2),
        ("{" + "a" * 159, "gsm7", 2),  # 161 septets
        ("a" * 159 + "ә", "ucs2", 3),  # one Kazakh letter makes the whole text UCS-2: 160 / 67
    ],
)
def test_segments(text: str, encoding: str, segments: int) -> None:
    counted = segment(text)
    assert (counted.encoding, counted.segments) == (encoding, segments)


def test_extension_characters_count_double() -> None:
    assert segment("{}[]~|^\\€").units == 18


def test_cost_is_four_tenge_per_segment_by_default() -> None:
    assert sms_cost(3) == Decimal("12.00")


@override_settings(TORELIK_SMS_SEGMENT_COST="5.50")
def test_cost_per_segment_is_a_setting() -> None:
    assert sms_cost(2) == Decimal("11.00")
