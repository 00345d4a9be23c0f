"""The personnel records in the admin: read-only; they are written by the officers' pages (actions)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from torelik.personnel.models import Absence, CareerEntry, Post


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnly):
    list_display = ["court", "kind", "number", "holder", "held_since", "term_ends_on"]
    list_filter = ["kind"]
    search_fields = ["court__code", "holder__iin", "holder__surname"]


@admin.register(CareerEntry)
class CareerEntryAdmin(ReadOnly):
    list_display = ["person", "kind", "court", "effective_on", "decree_number", "recorded_at"]
    search_fields = ["person__iin", "person__surname", "decree_number"]


@admin.register(Absence)
class AbsenceAdmin(ReadOnly):
    list_display = ["person", "kind", "court", "starts_on", "ends_on", "backdated", "recorded_at"]
    list_filter = ["kind", "backdated"]
    search_fields = ["person__iin", "person__surname"]
