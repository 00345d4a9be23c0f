"""Forms of the post's pages."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.core.clock import validate_day

MAX_PERIOD_DAYS = 366


class TrackForm(forms.Form):
    barcode = forms.CharField(label=_("Barcode"), max_length=32)


class AddressForm(forms.Form):
    address = forms.CharField(label=_("Full address with postal index"), max_length=300)


class PeriodForm(forms.Form):
    start = forms.DateField(
        validators=[validate_day], label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        validators=[validate_day], label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return data
