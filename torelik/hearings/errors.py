"""Refusals of the hearings context."""

from enum import StrEnum

from django.utils.translation import gettext_lazy

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class HearingErrorCode(StrEnum):
    IN_THE_PAST = "hearing_in_the_past"
    OUTSIDE_WORKING_HOURS = "hearing_outside_working_hours"
    END_BEFORE_START = "hearing_ends_before_it_starts"
    COURTROOM_OF_ANOTHER_COURT = "courtroom_of_another_court"
    JUDGE_OF_ANOTHER_COURT = "judge_of_another_court"
    CONFLICT = "hearing_conflict"
    NOT_STAFF_OF_COURT = "not_staff_of_court"
    NOT_JUDGE_OF_CASE = "not_judge_of_case"
    CASE_NOT_ACCEPTED = "case_not_accepted"
    NO_VIDEOCONFERENCE = "courtroom_without_videoconference"
    NOT_FOUND = "hearing_not_found"
    NOT_SCHEDULED = "hearing_not_scheduled"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_COURT = "unknown_court"
    FEED_NOT_FOUND = "calendar_feed_not_found"
    DEVICE_TOKEN_INVALID = "device_token_invalid"  # noqa: S105 - an error code
    DEVICE_TOKEN_EXPIRED = "device_token_expired"  # noqa: S105 - an error code
    MARK_OUTSIDE_SESSION = "log_mark_outside_session"
    NO_MARKS = "hearing_has_no_log_marks"
    INVALID_INPUT = "invalid_input"
    CASE_NOT_FOUND = "case_not_found"
    UPLOAD_NOT_FOUND = "upload_not_found"
    RECORDING_NOT_FOUND = "recording_not_found"


class HearingError(DomainError):
    http_status = 422


def invalid_input(field: str, message: str) -> HearingError:
    """The refusal of one input of a request, named by `field`."""
    return HearingError(
        HearingErrorCode.INVALID_INPUT, gettext_lazy("Some of the data sent is not valid."), fields={field: [message]}
    )


class HearingConflictError(ConflictError):
    pass


class HearingForbiddenError(PermissionDeniedError):
    pass


class HearingNotFoundError(NotFoundError):
    """Also what anyone who may not see a hearing gets."""


class DeviceTokenError(DomainError):
    http_status = 401
