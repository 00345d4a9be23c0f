"""Forms of the case pages: a paper filing with its parties and documents, the docket filters,
a change of status and the access-log filter. They check shapes only; the rules of the domain are
the actions' (their refusals are put back next to the inputs by `show_refusals`)."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import DocumentInput, PartyInput
from torelik.cases.models import CaseStatus, DocumentType, PartyRole
from torelik.courts import queries as court_queries
from torelik.courts.errors import CourtNotFoundError
from torelik.courts.models import Court, ProceedingType
from torelik.identity.models import Language

Choices = list[tuple[Any, Any]]

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,.tif,.tiff"


class AmountField(forms.DecimalField):
    """An amount in tenge as clerks type it: `1 500 000,50` as well as `1500000.50`."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)


def capitalised(choices: Sequence[tuple[str, Any]]) -> Choices:
    """Model choices (lower-case labels, as they read inside a sentence) as a list begins them."""
    return [(value, capfirst(label)) for value, label in choices]


def category_choices() -> Choices:
    """Active categories grouped by proceeding type (the action checks that they match)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in court_queries.search_case_categories():
        groups.setdefault(category.proceeding_type, []).append((category.code, f"{category.code} — {category.name}"))
    choices: Choices = [("", "—")]
    choices.extend((capfirst(label), groups[value]) for value, label in ProceedingType.choices if value in groups)
    return choices


def document_type_choices(types: Sequence[DocumentType]) -> Choices:
    return [("", "—")] + [(t.code, t.name) for t in types]


class RegistrationForm(forms.Form):
    court = forms.CharField(label=_("Court"), max_length=4)
    proceeding_type = forms.ChoiceField(
        label=_("Proceeding type"), choices=capitalised(ProceedingType.choices), initial=ProceedingType.CIVIL
    )
    category = forms.ChoiceField(label=_("Case category"))
    subject = forms.CharField(
        label=_("Subject of the case"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    claim_amount = AmountField(
        label=_("Claim amount, tenge"),
        required=False,
        min_value=Decimal("0"),
        max_digits=16,
        decimal_places=2,
        # Text, not a number input: a browser empties a number input holding `1 500 000,50`.
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    consent_sms = forms.BooleanField(label=_("Agrees to SMS notices"), required=False)
    consent_email = forms.BooleanField(label=_("Agrees to e-mail notices"), required=False)

    def __init__(self, *args: Any, courts: Sequence[Court], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        court = self.fields["court"]
        court.initial = courts[0].code if courts else None
        # One court: nothing to choose. Any court code is resolved; whether this user registers in
        # that court is for the action to say (a refusal there is a 403, not a form error).
        court.widget = (
            forms.Select(choices=[(c.code, f"{c.code} {c.name}") for c in courts])
            if len(courts) > 1
            else forms.HiddenInput()
        )
        category = self.fields["category"]
        if isinstance(category, forms.ChoiceField):
            category.choices = category_choices()

    def clean_court(self) -> Court:
        try:
            return court_queries.get_court(self.cleaned_data["court"])
        except CourtNotFoundError as error:
            raise ValidationError(error.message, code=error.code) from error


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *capitalised(PartyRole.choices)])
    iin = forms.CharField(label=_("IIN (a person)"), max_length=12, required=False)
    bin = forms.CharField(label=_("BIN (an organisation)"), max_length=12, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.KAZAKH
    )
    represents = forms.IntegerField(
        label=_("Represents party no."),
        required=False,
        min_value=1,
        help_text=_("For a lawyer or a representative: the number of the party represented."),
    )


class DocumentForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    page_count = forms.IntegerField(label=_("Pages"), min_value=1, max_value=100_000, initial=1)
    file = forms.FileField(
        label=_("File (PDF or a scan)"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES})
    )

    def __init__(self, *args: Any, type_choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document_type = self.fields["document_type"]
        if isinstance(document_type, forms.ChoiceField):
            document_type.choices = type_choices


# The first row must be filled in; the other rows may stay empty and are then left out.
PartyFormSet = forms.formset_factory(PartyForm, extra=1, min_num=1, validate_min=True, max_num=50)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=1, min_num=1, validate_min=True, max_num=50)


def filled_forms(formset: forms.BaseFormSet[Any]) -> list[tuple[int, forms.Form]]:
    """(row index, form) of the rows the clerk filled in (a valid formset's empty rows are skipped)."""
    return [(index, form) for index, form in enumerate(formset.forms) if form.has_changed() or index == 0]


def party_inputs(formset: forms.BaseFormSet[PartyForm]) -> tuple[list[PartyInput], list[int]]:
    """The parties for actions.register_case, and the formset row of each (to put refusals back)."""
    filled = filled_forms(formset)
    position = {row: index for index, (row, _form) in enumerate(filled)}
    inputs = []
    for _row, form in filled:
        data = form.cleaned_data
        represents = data.get("represents")
        inputs.append(
            PartyInput(
                role=data["role"],
                iin=data["iin"].strip(),
                bin=data["bin"].strip(),
                surname=data["surname"].strip(),
                given_name=data["given_name"].strip(),
                patronymic=data["patronymic"].strip(),
                organisation_name=data["organisation_name"].strip(),
                phone=data["phone"].strip(),
                email=data["email"],
                address=data["address"].strip(),
                preferred_language=data["preferred_language"],
                # Rows are numbered from 1 on the page; a number of an empty row is refused by the action.
                represents=position.get(represents - 1, -1) if represents else None,
            )
        )
    return inputs, [row for row, _form in filled]


def document_inputs(formset: forms.BaseFormSet[DocumentForm]) -> tuple[list[DocumentInput], list[int]]:
    filled = filled_forms(formset)
    inputs = []
    for _row, form in filled:
        data = form.cleaned_data
        inputs.append(
            DocumentInput(
                document_type=data["document_type"],
                title=data["title"].strip(),
                filename=data["file"].name or "",
                content=data["file"],
                page_count=data["page_count"],
            )
        )
    return inputs, [row for row, _form in filled]


def _add_error(form: forms.Form, field: str | None, messages: list[str]) -> None:
    for message in messages:
        form.add_error(field if field in form.fields else None, message)


def show_refusals(
    refusals: Mapping[str, list[str]],
    *,
    form: forms.Form,
    formsets: Mapping[str, tuple[forms.BaseFormSet[Any], list[int]]],
) -> None:
    """Put an action's refusals (`category`, `parties[0].iin`, `documents[1].file`, `parties`) next
    to the inputs they concern. `formsets` maps a list's name to its formset and the formset row of
    each item the action was given."""
    for key, messages in refusals.items():
        name, _bracket, rest = key.partition("[")
        if name in formsets and rest:
            formset, rows = formsets[name]
            index_text, _close, field = rest.partition("]")
            index = int(index_text) if index_text.isdigit() else -1
            if 0 <= index < len(rows):
                _add_error(formset.forms[rows[index]], field.lstrip(".") or None, messages)
                continue
        if name in formsets:
            formsets[name][0].non_form_errors().extend(messages)
            continue
        _add_error(form, key, messages)


class DocketFilterForm(forms.Form):
    q = forms.CharField(label=_("Case number"), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *capitalised(CaseStatus.choices)]
    )
    category = forms.CharField(
        label=_("Category code begins with"),
        max_length=18,
        required=False,
        validators=[RegexValidator(r"^\d*$", _("A category code has digits only."))],
    )
    court = forms.ChoiceField(label=_("Court"), required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)

    def __init__(self, *args: Any, courts: Sequence[Court], is_judge: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        court = self.fields["court"]
        if len(courts) > 1 and isinstance(court, forms.ChoiceField):
            court.choices = [("", _("All courts"))] + [(c.code, f"{c.code} {c.name}") for c in courts]
        else:
            del self.fields["court"]
        if not is_judge:
            del self.fields["mine"]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        if isinstance(status, forms.ChoiceField):
            status.choices = [(value, capfirst(CaseStatus(value).label)) for value in targets]


class AccessLogFilterForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=40, required=False)


class CaseDocumentForm(DocumentForm):
    """A document the court office adds to a case already registered: a late petition, a response,
    an expert opinion; or a new version of one of its documents."""

    author = forms.ChoiceField(label=_("Filed by"), required=False)
    corrects = forms.ChoiceField(label=_("New version of"), required=False)
    reason = forms.CharField(label=_("Reason of the new version"), max_length=300, required=False)

    def __init__(self, *args: Any, author_choices: Choices, version_choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("author", author_choices), ("corrects", version_choices)):
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("corrects") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the document gets a new version."))
        return data
