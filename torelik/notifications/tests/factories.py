"""Helpers for the notifications tests."""

from torelik.cases.tests.factories import court_office, staff_user
from torelik.notifications import actions
from torelik.notifications.models import Message, Template

# Known-good Kazakh mobile number (Kcell 701) and a Kazakh court name with every Kazakh letter.
PHONE = "+77011234567"
KAZAKH_COURT = "Алматы қаласы Медеу ауданының соты"
KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і"

SUMMONS_PAYLOAD = {
    "court": KAZAKH_COURT,
    "date": "03.03.2027",
    "time": "10:00",
    "role": "жауапкер",
    "case_number": "7599-27-00-2/215",
    "code": "482913",
    "url": "http://127.0.0.1:8000/s/ABC",
}


def summons(cause: str = "subpoena:1", *, phone: str = PHONE, email: str = "", **kwargs: object) -> Message:
    return actions.enqueue(
        template=Template.HEARING_SUMMONS,
        language=str(kwargs.pop("language", "kk")),
        payload=dict(SUMMONS_PAYLOAD),
        phone=phone,
        email=email,
        recipient_name="Сейткалиева Айгуль",
        cause=cause,
        **kwargs,  # type: ignore[arg-type]
    )


__all__ = ["court_office", "staff_user", "summons"]
