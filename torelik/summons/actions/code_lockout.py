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


def attempt(key: str | list[tuple[str, int]], find: Callable[[], T | None]) -> tuple[T | None, dt.datetime | None, int]:
    """Check a code under the per-key locks: (found, locked until, tries left). A miss is counted for every
    key. `key` is one key (TORELIK_CODE_ATTEMPTS tries) or a list of keys with their own limits: a phone
    or login and the client's address, so that one address cannot try codes for any number of phones."""
    keys = [(key, settings.TORELIK_CODE_ATTEMPTS)] if isinstance(key, str) else key
    window = dt.timedelta(minutes=settings.TORELIK_CODE_LOCK_MINUTES)
    with transaction.atomic():
        for name, _limit in sorted(keys):  # one order for all, so that two tries never wait on each other
            try:
                with transaction.atomic():
                    CodeThrottle.objects.get_or_create(key=name)
            except IntegrityError:  # created by a parallel try in between
                pass
            CodeThrottle.objects.select_for_update().get(key=name)
        now = clock.now()
        left = min(limit for _name, limit in keys)
        for name, limit in keys:
            failures = list(
                CodeAttempt.objects.filter(key=name, at__gt=now - window).order_by("at").values_list("at", flat=True)
            )
            if len(failures) >= limit:
                return None, failures[-limit] + window, 0
            left = min(left, limit - len(failures))
        found = find()
        if found is None:
            CodeAttempt.objects.bulk_create([CodeAttempt(key=name, at=now) for name, _limit in keys])
            return None, (now + window if left - 1 == 0 else None), left - 1
        return found, None, left


def reset(key: str) -> None:
    """Forget the wrong tries counted for `key`: a new code was sent to that phone, so whatever was
    guessed against the old one no longer locks its addressee out (the lockout costs the guesser)."""
    CodeAttempt.objects.filter(key=key).delete()


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
