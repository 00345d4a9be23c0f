"""DomainError: a refusal with a stable code, a translatable message and the fields at fault."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused an operation.

    `code` is stable (clients and tests branch on it); `message` is a lazy translation with
    named placeholders so that translators can reorder them; `fields` names the inputs at fault.
    """

    http_status: ClassVar[int] = 400

    def __init__(
        self,
        code: StrEnum | str,
        message: str | Promise,
        *,
        params: Mapping[str, Any] | None = None,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.code = str(code)
        self._message = message
        self.params = dict(params or {})
        self.fields = {name: list(errors) for name, errors in (fields or {}).items()}
        super().__init__(self.code)

    @property
    def message_template(self) -> str | Promise:
        """The message as raised: a lazy translation, its placeholders not filled in (what a refusal
        re-raised in another context's terms keeps, with `params`)."""
        return self._message

    @property
    def message(self) -> str:
        """The message in the active language, placeholders filled in."""
        text = str(self._message)
        return text % self.params if self.params else text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFoundError(DomainError):
    """The thing asked for does not exist, or the asker may not know that it exists."""

    http_status = 404


class PermissionDeniedError(DomainError):
    http_status = 403


class ConflictError(DomainError):
    http_status = 409
