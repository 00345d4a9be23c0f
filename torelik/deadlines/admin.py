"""The admin of the term rules and the calendar table. A change of the calendar goes through the
actions, so that the open terms it touches are recomputed and the change is journaled."""

from django.contrib import admin
from django.http import HttpRequest

from torelik.deadlines.actions import declare_calendar_day, remove_calendar_day
from torelik.deadlines.models import CalendarOverride, Term, TermRule
from torelik.deadlines.rule_book import forget_rules
from torelik.identity.models import User


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["day", "kind", "name_ru", "legal_act", "verify"]
    list_filter = ["kind", "verify"]
    date_hierarchy = "day"

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: object, change: bool) -> None:  # noqa: FBT001
        if change and "day" in getattr(form, "changed_data", []):
            previous = CalendarOverride.objects.get(pk=obj.pk)
            remove_calendar_day(day=previous.day, actor=_actor(request))
        row, _recomputed = declare_calendar_day(
            day=obj.day,
            kind=obj.kind,
            name_kk=obj.name_kk,
            name_ru=obj.name_ru,
            name_en=obj.name_en,
            legal_act=obj.legal_act,
            verify=obj.verify,
            actor=_actor(request),
        )
        obj.pk = row.pk

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        remove_calendar_day(day=obj.day, actor=_actor(request))


@admin.register(TermRule)
class TermRuleAdmin(admin.ModelAdmin[TermRule]):
    list_display = ["code", "slot", "starts_on", "amount", "unit", "responsible", "legal_basis", "verify", "enabled"]
    list_filter = ["enabled", "verify", "responsible", "unit"]
    search_fields = ["code", "name_ru", "legal_basis"]

    def save_model(self, request: HttpRequest, obj: TermRule, form: object, change: bool) -> None:  # noqa: FBT001
        super().save_model(request, obj, form, change)
        forget_rules()


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    list_display = ["case", "rule", "court", "status", "event_date", "due_date", "closed_on"]
    list_filter = ["status", "responsible"]
    raw_id_fields = ["case", "court", "judge", "rule"]
    search_fields = ["case__number"]
    readonly_fields = ["adjustments", "history"]
