"""Forms of the exchange's pages: an outgoing letter, an incoming letter registered from paper, a partner
client, a revocation.

The dead letter's form: retry or annul, with a reason."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.core.clock import validate_day
from torelik.exchange.models import Letter, LetterKind, PartnerClient, PartnerKind, Scope, SigningScheme


class BodyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LetterChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.counterpart_number} — {obj.subject}"


class OutgoingLetterForm(forms.Form):
    counterpart = BodyChoice(label=_("To the state body"), queryset=PartnerClient.objects.none())
    kind = forms.ChoiceField(label=_("Kind of letter"), choices=LetterKind.choices)
    subject = forms.CharField(label=_("Subject of the letter"), max_length=300)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    case_number = forms.CharField(label=_("Case number (if the letter concerns a case)"), max_length=40, required=False)
    in_reply_to = LetterChoice(
        label=_("In reply to the incoming letter"), queryset=Letter.objects.none(), required=False
    )


class IncomingLetterForm(forms.Form):
    counterpart = BodyChoice(label=_("From the state body"), queryset=PartnerClient.objects.none())
    kind = forms.ChoiceField(label=_("Kind of letter"), choices=LetterKind.choices)
    counterpart_number = forms.CharField(label=_("The sender's number"), max_length=60)
    counterpart_date = forms.DateField(
        label=_("The sender's date"), validators=[validate_day], widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=_("Subject of the letter"), max_length=300)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    case_number = forms.CharField(label=_("Case number (if the letter concerns a case)"), max_length=40, required=False)


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerKind.choices)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    signing = forms.ChoiceField(label=_("Signing of messages"), choices=SigningScheme.choices)
    public_key_pem = forms.CharField(
        label=_("Public key (PEM, for JWS)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    bin = forms.CharField(label=_("BIN"), max_length=12, required=False)
    endpoint_url = forms.URLField(label=_("Address for letters (state bodies)"), required=False, assume_scheme="https")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


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
