"""What every context's API shares: Django's session as authentication, refused in the API's own
error format (ninja's refusals are `{"detail": ...}`), and that format as a response schema."""

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.security import SessionAuth
from pydantic import AfterValidator, BaseModel, BeforeValidator

from torelik.core import clock
from torelik.core.errors import DomainError


class NotAuthenticatedError(DomainError):
    http_status = 401


class CsrfRefusedError(DomainError):
    http_status = 403


class Session(SessionAuth):
    """ninja's `django_auth`, with its refusals as `{code, message, fields}`: 401 for an anonymous
    request, 403 for a write without a valid CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        try:
            user = super().__call__(request)
        except HttpError as error:  # ninja refuses a failed CSRF check this way
            raise CsrfRefusedError(
                "csrf_failed", gettext_lazy("The request has no valid CSRF token: reload the page and try again.")
            ) from error
        if user is None:
            raise NotAuthenticatedError("not_authenticated", gettext_lazy("Log in to use this part of the API."))
        return user


class ErrorOut(BaseModel):
    """The API's error format."""

    code: str
    message: str
    fields: dict[str, list[str]]


# Pagination and dates: bounded once for every list and every date parameter, so that no number or day a
# client sends reaches the database or the calendar outside what they can hold (an offset past 2^63 or a
# day at the calendar's ends answered 500 before, ADR 0035).
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with both numbers bounded: the limit by NINJA_PAGINATION_MAX_LIMIT,
    the offset by MAX_OFFSET. Every list of the API uses this one class."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description=f"how many items (at most {settings.NINJA_PAGINATION_MAX_LIMIT})",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"how many items to skip (at most {MAX_OFFSET})")


def _bounded_day(value: object) -> object:
    # A bare number is not a date: pydantic reads 0 as 1970-01-01 (a Unix time), which nobody means.
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        raise ValueError(gettext("Enter a date as YYYY-MM-DD."))
    return value


def _day_in_range(value: dt.date) -> dt.date:
    if not clock.day_in_range(value):
        raise ValueError(
            gettext("Enter a date between %(first)s and %(last)s.")
            % {"first": clock.FIRST_DAY.isoformat(), "last": clock.LAST_DAY.isoformat()}
        )
    return value


Day = Annotated[dt.date, BeforeValidator(_bounded_day), AfterValidator(_day_in_range)]
"""A date parameter of the API: YYYY-MM-DD between FIRST_DAY and LAST_DAY (refused with 422 otherwise)."""
