"""The form a secretary or clerk schedules a hearing with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.hearings.models import HearingType


class ScheduleForm(forms.Form):
    case = forms.CharField(label=_("Case number"), max_length=40)
    courtroom = forms.CharField(label=_("Courtroom"), max_length=10)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Duration, minutes"), min_value=10, max_value=540, initial=60)
    kind = forms.ChoiceField(label=_("Type"), choices=HearingType.choices, initial=HearingType.MAIN)
    closed = forms.BooleanField(label=_("Closed session"), required=False)
