"""The admin of the courts' recorders: a new recorder gets its token through the action, shown
once on the page after saving (only its hash is kept); a recorder is withdrawn by ending its validity."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from torelik.hearings.actions import register_recorder
from torelik.hearings.models import RecorderDevice


@admin.register(RecorderDevice)
class RecorderDeviceAdmin(admin.ModelAdmin[RecorderDevice]):
    list_display = ["name", "court", "valid_until", "created_at"]
    list_filter = ["court__region"]
    search_fields = ["name", "court__code", "court__name_ru", "court__name_kk"]
    autocomplete_fields = ["court"]
    fields = ["court", "name", "valid_until", "token_hash"]

    def get_readonly_fields(self, request: HttpRequest, obj: RecorderDevice | None = None) -> list[str]:
        return ["token_hash"] if obj is None else ["court", "token_hash"]

    def save_model(self, request: HttpRequest, obj: RecorderDevice, form: Any, change: bool) -> None:  # noqa: FBT001
        if change:
            super().save_model(request, obj, form, change)
            return
        device, token = register_recorder(court=obj.court, name=obj.name, valid_until=obj.valid_until)
        obj.pk = device.pk
        obj.token_hash = device.token_hash
        messages.warning(
            request,
            _("The token of the recorder %(name)s, shown only now: %(token)s") % {"name": device.name, "token": token},
        )
