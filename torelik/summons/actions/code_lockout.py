"""A code typed on a public page (a subpoena's code, a documents login's password), checked under the
lockout: a wrong one is counted in the database, per phone (or login), in its own transaction, so that
the count survives the refusal and holds across processes (ADR 0028)."""

import datetime as dt
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.summons.errors import LockedError, SummonsErrorCode, WrongCodeError
from torelik.summons.models import CodeAttempt, CodeThrottle

T = TypeVar("T")


def attempt(key: str, find: Callable[[], T | None]) -> tuple[T | None, dt.datetime | None, int]:
    """Check a code under the per-key lock: (found, locked until, tries left). A miss is counted."""
    attempts = settings.TORELIK_CODE_ATTEMPTS
    window = dt.timedelta(minutes=settings.TORELIK_CODE_LOCK_MINUTES)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CodeThrottle.objects.get_or_create(key=key)
        except IntegrityError:  # created by a parallel try in between
            pass
        CodeThrottle.objects.select_for_update().get(key=key)
        now = clock.now()
        failures = list(
            CodeAttempt.objects.filter(key=key, at__gt=now - window).order_by("at").values_list("at", flat=True)
        )
        if len(failures) >= attempts:
            return None, failures[-attempts] + window, 0
        found = find()
        if found is None:
            CodeAttempt.objects.create(key=key, at=now)
            left = attempts - len(failures) - 1
            return None, (now + window if left == 0 else None), left
        return found, None, attempts - len(failures)


def locked(until: dt.datetime) -> LockedError:
    local = until.astimezone(ZoneInfo(settings.TIME_ZONE))
    return LockedError(
        SummonsErrorCode.LOCKED,
        _("Too many wrong attempts. Entry is locked until %(time)s; try again then."),
        params={"time": f"{local:%d.%m.%Y %H:%M}"},
    )


def wrong(left: int, message: str | object, code: SummonsErrorCode) -> WrongCodeError:
    return WrongCodeError(
        code,
        _("%(message)s Attempts left before the entry is locked for an hour: %(left)s."),
        params={"message": str(message), "left": left},
    )
