"""Forms of the Judicial Office pages. Parties come as numbered groups of inputs (`party-0-iin`)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import PartyRole
from torelik.core.clock import validate_day
from torelik.courts.models import ProceedingType
from torelik.filing import fees, queries
from torelik.filing.kinds import FIELD_LABELS, PARTY_KEYS, SPECS
from torelik.filing.models import AttachmentRole, FilingKind

PARTY_ROWS = 3


class TaggedSelect(forms.Select):
    """A select whose options carry data attributes (`data-group`) that the page's search filters by."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_data: dict[str, dict[str, str]] = {}

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        """The select written here rather than through a template per option: the court and category
        lists hold some 900 options, which Django's option templates took ~0.1 ms each to render."""
        chosen = "" if value is None else str(value[0] if isinstance(value, list | tuple) and value else value)
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})

        def options(choices: Any) -> SafeString:
            return format_html_join(
                "",
                '<option value="{}"{}{}>{}</option>',
                (
                    (
                        key,
                        flatatt(self.option_data.get(str(key), {})),
                        mark_safe(" selected") if str(key) == chosen else "",  # noqa: S308 - a constant
                        label,
                    )
                    for key, label in choices
                ),
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', key, options(label)))
            else:
                parts.append(options([(key, label)]))
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(parts)))  # noqa: S308


class DraftForm(forms.Form):
    # The court is picked by its region and name (the 4-digit code stays the value sent), the category
    # among those of the chosen proceeding type, by a search over the names (static/filing/draft.js).
    region = forms.ChoiceField(
        label=_("Region"), required=False, widget=forms.Select(attrs={"data-groups-of": "id_court"})
    )
    court = forms.ChoiceField(
        label=_("Court"), required=False, widget=TaggedSelect(attrs={"data-searchable": _("Find the court by name")})
    )
    proceeding_type = forms.ChoiceField(
        label=_("Kind of proceedings"), required=False, widget=forms.Select(attrs={"data-groups-of": "id_category"})
    )
    category = forms.ChoiceField(
        label=_("Category of the case"),
        required=False,
        widget=TaggedSelect(attrs={"data-searchable": _("Find the category by a word of its name")}),
    )
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
        self._court_and_category_choices()
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
            for name in ("region", "court", "proceeding_type", "category"):
                del self.fields[name]
        if kind not in (FilingKind.CLAIM, FilingKind.COURT_ORDER, FilingKind.APPEAL, FilingKind.CASSATION):
            del self.fields["claim_amount"]

    def _court_and_category_choices(self) -> None:
        courts = queries.courts_to_file_in()
        regions: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        court_widget = self.fields["court"].widget
        assert isinstance(court_widget, TaggedSelect)  # noqa: S101
        for court in courts:
            key = court.region_code
            label = court.region_name or str(_("Republic"))
            regions.setdefault(key, (label, []))[1].append((court.code, court.name))
            court_widget.option_data[court.code] = {"data-group": key}
        _choices(self.fields["region"], [("", _("any region"))] + [(k, v[0]) for k, v in regions.items()])
        _choices(
            self.fields["court"],
            [("", _("suggest from the category and the defendant's region"))] + list(regions.values()),
        )
        categories = queries.categories_to_file_in()
        category_widget = self.fields["category"].widget
        assert isinstance(category_widget, TaggedSelect)  # noqa: S101
        grouped: dict[str, list[tuple[str, str]]] = {}
        for category in categories:
            grouped.setdefault(category.proceeding_type, []).append((category.code, category.name))
            category_widget.option_data[category.code] = {"data-group": category.proceeding_type}
        kinds = [(value, ProceedingType(value).label) for value in queries.FILING_PROCEEDINGS if value in grouped]
        _choices(self.fields["proceeding_type"], kinds)
        _choices(
            self.fields["category"],
            [("", "—")] + [(str(ProceedingType(value).label).capitalize(), grouped[value]) for value, _l in kinds],
        )


# What a refusal's field is called on the page (a refusal names fields by their keys: `claims`, `fee`).
PROBLEM_LABELS = {
    "court": _("Court"),
    "category": _("Category of the case"),
    "case": _("Number of the case"),
    "subject": _("Subject"),
    "claim_amount": _("Claim amount, tenge"),
    "parties": _("Other parties"),
    "attachments": _("Attachments"),
    "fee": _("State fee"),
    "phone": _("Citizen's mobile phone"),
    "counter_phone": _("Citizen's mobile phone"),
    "code": _("Code the citizen received"),
    "signature": _("Digital signature"),
    "filer_bin": _("BIN of the organisation you file for"),
    "on_behalf_of_iin": _("IIN of the client you represent"),
    "fee_exemption": _("Exemption from the state fee"),
    "address": _("Your address"),
    **FIELD_LABELS,
}


@dataclass(frozen=True)
class Problems:
    """A refusal as a page shows it: its message led by the field it is about (`lead`), and each
    other problem with its field's name in the page's language."""

    lead: str
    items: list[tuple[str, str]]


def named_problems(
    fields: dict[str, list[str]] | None, said: str = "", labels: dict[str, Any] | None = None
) -> Problems:
    """The problems of a refusal whose message is `said`: a field's error that only repeats the message
    names the field in front of the message instead (the no-phone refusal was printed twice).
    `labels`: the page's own names of its fields, before the general ones."""
    known = {**PROBLEM_LABELS, **(labels or {})}
    lead = ""
    items = []
    for name, errors in (fields or {}).items():
        label = str(known.get(name, ""))
        for error in errors:
            if str(error) == said:
                lead = lead or label
            else:
                items.append((label, str(error)))
    return Problems(lead=lead, items=items)


def _choices(field: forms.Field, choices: list[Any]) -> None:
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    field.choices = choices


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
