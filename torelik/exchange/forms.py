"""The dead letter's form: retry or annul, with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("retry", _("Send again")), ("annul", _("Annul"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for your decision.")},
    )
