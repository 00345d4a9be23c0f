"""Forms of the entrance desk and the security pages. Their fields only parse; the rules are the actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.access.models import Purpose, VisitKind, VisitStatus
from torelik.core.clock import validate_day


class LookupForm(forms.Form):
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
    )
    document_number = forms.CharField(label=_("Foreign document number"), max_length=30, required=False)
    document_country = forms.CharField(label=_("Country of the document (two letters)"), max_length=2, required=False)


class RegisterForm(LookupForm):
    full_name = forms.CharField(label=_("Full name (as in the document)"), max_length=300, required=False)
    purpose = forms.ChoiceField(label=_("Purpose of the visit"), choices=Purpose.choices, required=False)
    purpose_text = forms.CharField(label=_("Details (office, judge, room)"), max_length=300, required=False)
    hearing = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BanForm(forms.Form):
    iin = forms.CharField(label=_("IIN"), max_length=20, required=False)
    document_number = forms.CharField(label=_("Foreign document number"), max_length=30, required=False)
    document_country = forms.CharField(label=_("Country of the document (two letters)"), max_length=2, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    starts_on = forms.DateField(
        label=_("From"), validators=[validate_day], widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until (empty: until lifted)"),
        required=False,
        validators=[validate_day],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class LogFilterForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), required=False, validators=[validate_day], widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Who"), choices=[("", "—"), *VisitKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *VisitStatus.choices], required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Purpose.choices], required=False)
    text = forms.CharField(label=_("Name, IIN, document or badge"), max_length=100, required=False)


class DeviceForm(forms.Form):
    entrance = forms.ChoiceField(label=_("Entrance"), choices=())
    name = forms.CharField(label=_("Name of the device"), max_length=100)
