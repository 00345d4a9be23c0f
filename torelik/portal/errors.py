"""Errors of the internal portal, each with a stable code and a translatable message."""

from enum import StrEnum

from torelik.core.errors import DomainError


class PortalErrorCode(StrEnum):
    NOT_EDITOR = "not_editor"
    NOT_PUBLISHER = "not_publisher"
    SCOPE_NOT_ALLOWED = "scope_not_allowed"
    UNKNOWN_ROLE = "unknown_role"
    INVALID_ITEM = "invalid_item"
    NOT_FOUND = "not_found"


class PortalError(DomainError):
    pass
