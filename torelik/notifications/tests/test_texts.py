"""The SMS texts stay short in every language (they are paid per segment), and keep their placeholders."""

import pytest
from django.utils import translation

from torelik.notifications.models import Channel, Template
from torelik.notifications.segments import segment
from torelik.notifications.tests.factories import SUMMONS_PAYLOAD
from torelik.notifications.texts import _SMS, PAYLOAD_KEYS, render

# Realistic values of each template's payload (a long Kazakh court name, a full URL).
SAMPLES: dict[str, dict[str, str]] = {
    Template.HEARING_SUMMONS: SUMMONS_PAYLOAD,
    Template.DOCUMENT_RECEIVED: {
        "case_number": "7599-27-00-2/215",
        "document": "Шешім",
        "url": "https://torelik.kz/s/7Q2K9",
    },
    Template.CLAIM_FILED_AGAINST_YOU: {
        "court": "Астана қаласының мамандандырылған ауданаралық экономикалық соты",
        "case_number": "7194-27-00-2/1043",
        "login": "K7Q2M9",
        "password": "938127",
        "url": "https://torelik.kz/d",
        "until": "01.04.2027",
    },
    Template.FILING_REGISTERED: {
        "court": "Астана қаласының мамандандырылған ауданаралық экономикалық соты",
        "case_number": "7194-27-00-2/1043",
        "url": "https://torelik.kz/kk/cases/verify/8c0f8a52-55a3-4a4e-9d7c-1c1c3f0d2a9e/",
    },
    Template.TERM_REMINDER: {"case_number": "7599-27-00-2/215", "term": "апелляция", "date": "01.04.2027"},
    Template.CONFIRMATION_CODE: {"code": "482913", "purpose": "ЦОН"},
    Template.HELPLINE_ANSWER: {
        "number": "1401-27-004211",
        "url": "https://torelik.kz/kk/helpline/follow/?number=1401-27-004211",
    },
}


@pytest.mark.parametrize("template", list(Template))
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_sms_translation_fits_in_four_segments(template: str, language: str) -> None:
    # The catalogs' placeholders are checked against the msgids by config/tests/test_catalogs.py.
    rendered = render(template=template, language=language, payload=SAMPLES[template], channel=Channel.SMS)
    with translation.override("en"):
        english = str(_SMS[template]) % SAMPLES[template]
    assert rendered.text != english  # translated
    assert segment(rendered.text).segments <= 4, (len(rendered.text), rendered.text)


@pytest.mark.parametrize("template", list(Template))
def test_the_english_sms_fits_in_two_gsm_segments(template: str) -> None:
    rendered = render(template=template, language="en", payload=SAMPLES[template], channel=Channel.SMS)
    if template in {Template.HEARING_SUMMONS, Template.CLAIM_FILED_AGAINST_YOU, Template.FILING_REGISTERED}:
        assert segment(rendered.text).segments <= 4  # the Kazakh court name makes it UCS-2
    else:
        assert segment(rendered.text).segments <= 2


def test_the_payload_keys_are_documented() -> None:
    from torelik.notifications import texts  # noqa: PLC0415

    for template, keys in PAYLOAD_KEYS.items():
        assert f"``{template}``" in (texts.__doc__ or "")
        for key in keys:
            assert f"``{key}``" in (texts.__doc__ or "")
