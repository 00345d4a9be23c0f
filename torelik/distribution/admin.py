"""Draws and anchors are shown, never edited: no admin form can give a case a judge."""

from django.contrib import admin
from django.http import HttpRequest

from torelik.distribution.models import BeaconAnchor, Draw, Recusal


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ["case", "attempt", "reason", "status", "judge", "beacon_round", "committed_at", "drawn_at"]
    list_filter = ["status", "reason", "beacon"]
    search_fields = ["case__number", "snapshot_sha256"]


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ["case", "judge", "kind", "recorded_at"]


@admin.register(BeaconAnchor)
class BeaconAnchorAdmin(ReadOnlyAdmin):
    list_display = ["chain", "segment", "first_round", "last_round", "published_at"]
