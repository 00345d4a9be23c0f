"""The audit review's filters: a person (login or IIN), a case number, a period of dates."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torelik.operations.queries import AuditFilter, parse_cursor


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (login or IIN)"), max_length=150, required=False)
    case = forms.CharField(label=_("Case number"), max_length=40, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)

    def clean_after(self) -> str:
        after: str = self.cleaned_data.get("after", "")
        if after and parse_cursor(after) is None:
            raise forms.ValidationError(_("The page's address is damaged: start the search again."))
        return after

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The period ends before it starts."))
        return data

    def audit_filter(self) -> AuditFilter:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def start(day: dt.date | None) -> dt.datetime | None:
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone) if day else None

        until = data.get("until")
        return AuditFilter(
            person=data.get("person", "").strip(),
            case_number=data.get("case", "").strip(),
            since=start(data.get("since")),
            until=start(until + dt.timedelta(days=1)) if until else None,
            after=parse_cursor(data.get("after", "")) if data.get("after") else None,
        )

    def as_record(self) -> dict[str, str]:
        return {key: str(value) for key, value in self.cleaned_data.items() if value and key != "after"}
