"""What every context's API shares: Django's session as authentication, refused in the API's own
error format (ninja's refusals are `{"detail": ...}`), and that format as a response schema."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import BaseModel

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
