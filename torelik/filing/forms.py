"""Forms of the Judicial Office pages. Parties come as numbered groups of inputs (`party-0-iin`)."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import PartyRole
from torelik.core.clock import validate_day
from torelik.courts.models import CaseCategory
from torelik.filing import fees
from torelik.filing.kinds import FIELD_LABELS, PARTY_KEYS, SPECS
from torelik.filing.models import AttachmentRole, FilingKind

PARTY_ROWS = 3


class DraftForm(forms.Form):
    court = forms.CharField(label=_("Court (code)"), required=False, max_length=4)
    category = forms.ChoiceField(label=_("Category of the case"), required=False)
    case = forms.CharField(label=_("Number of the case"), required=False, max_length=40)
    subject = forms.CharField(label=_("Subject"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    claim_amount = forms.CharField(label=_("Claim amount, tenge"), required=False, max_length=20)
    filer_bin = forms.CharField(label=_("BIN of the organisation you file for"), required=False, max_length=12)
    on_behalf_of_iin = forms.CharField(label=_("IIN of the client you represent"), required=False, max_length=12)
    fee_exemption = forms.ChoiceField(label=_("Exemption from the state fee"), required=False)
    phone = forms.CharField(label=_("Your phone"), required=False, max_length=20)
    address = forms.CharField(label=_("Your address"), required=False, max_length=300)

    def __init__(self, *args: Any, kind: str, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = SPECS[kind]
        categories = CaseCategory.objects.filter(is_active=True).order_by("code")
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)  # noqa: S101
        category_field.choices = [("", "—")] + [(c.code, f"{c.code} {c.name}") for c in categories[:500]]
        exemption_field = self.fields["fee_exemption"]
        assert isinstance(exemption_field, forms.ChoiceField)  # noqa: S101
        exemption_field.choices = [("", _("none"))] + [(e.code, e.label) for e in fees.exemptions(today)]
        for name in spec.text_fields:
            widget = (
                forms.DateInput(attrs={"type": "date"})
                if name.endswith(("_date", "_on"))
                else forms.Textarea(attrs={"rows": 4})
            )
            self.fields[name] = forms.CharField(label=FIELD_LABELS[name], required=False, widget=widget)
        if not spec.existing_case:
            del self.fields["case"]
        if not spec.new_case or spec.higher_instance:
            del self.fields["category"]
            del self.fields["court"]
        if kind not in (FilingKind.CLAIM, FilingKind.COURT_ORDER, FilingKind.APPEAL, FilingKind.CASSATION):
            del self.fields["claim_amount"]


def parties_from(post: QueryDict) -> list[dict[str, str]]:
    parties = []
    for index in range(PARTY_ROWS):
        row = {key: post.get(f"party-{index}-{key}", "").strip() for key in PARTY_KEYS}
        if any(row[k] for k in ("iin", "bin", "surname", "organisation_name")):
            parties.append(row)
    return parties


PARTY_ROLE_CHOICES = [
    (PartyRole.DEFENDANT, PartyRole.DEFENDANT.label),
    (PartyRole.THIRD_PARTY, PartyRole.THIRD_PARTY.label),
    (PartyRole.APPLICANT, PartyRole.APPLICANT.label),
]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
    role = forms.ChoiceField(label=_("What it is"), choices=AttachmentRole.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    page_count = forms.IntegerField(label=_("Pages"), min_value=1, max_value=10000, initial=1)


class SignatureForm(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput)


class ReceiptForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)


class CardForm(forms.Form):
    card_number = forms.CharField(label=_("Card number"), max_length=23)
    holder = forms.CharField(label=_("Card holder"), max_length=100)
    expiry = forms.CharField(label=_("Valid until (MM/YY)"), max_length=5)
    cvc = forms.CharField(label=_("CVC"), max_length=4, widget=forms.PasswordInput)


class PscStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of filing"), choices=FilingKind.choices)
    citizen_iin = forms.CharField(label=_("Citizen's IIN"), max_length=12)


class PscConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code the citizen received"), max_length=6)


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Your mobile phone"), max_length=32, help_text=_("+7 7XX XXX XX XX"))


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the SMS"), max_length=6)


class PeriodForm(forms.Form):
    start = forms.DateField(validators=[validate_day], label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(validators=[validate_day], label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
