"""Forms of the public pages: phone and code for a subpoena, login and password for documents, and
the period of the statistics."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from torelik.core.clock import validate_day


class SubpoenaCodeForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "+7 7XX XXX XX XX"}),
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class DocumentsLoginForm(forms.Form):
    login = forms.CharField(label=_("Login from the SMS"), max_length=20)
    password = forms.CharField(
        label=_("Password from the SMS"), max_length=20, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Subpoena number"),
        max_length=24,
        validators=[RegexValidator(r"^\s*[0-9A-Za-z-]+\s*$", _("A subpoena number looks like 0215-26-S-000123."))],
    )
    code = forms.CharField(
        label=_("Check code (under the QR code of the subpoena)"),
        max_length=20,
        validators=[RegexValidator(r"^\s*[0-9A-Za-z -]+\s*$", _("The check code has letters and digits only."))],
    )


MAX_PERIOD_DAYS = 366


class PeriodForm(forms.Form):
    start = forms.DateField(
        validators=[validate_day], label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        validators=[validate_day], label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    court = forms.CharField(label=_("Court code"), max_length=10, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return data
