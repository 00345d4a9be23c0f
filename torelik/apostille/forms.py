"""Forms of the apostille pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.apostille.countries import country_choices
from torelik.apostille.models import DocumentKind


class RequestForm(forms.Form):
    document = forms.CharField(label=_("Document"), max_length=80)
    country = forms.ChoiceField(label=_("Country where the document will be used"), choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "—"), *country_choices()]

    def document_parts(self) -> tuple[str, str]:
        """(act public id, document kind) of the `act-id:kind` choice."""
        act_id, _sep, kind = str(self.cleaned_data["document"]).partition(":")
        return act_id, kind if kind in DocumentKind.values else ""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CitizenForm(forms.Form):
    iin = forms.CharField(label=_("Citizen's IIN"), max_length=12, min_length=12)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the citizen's SMS"), max_length=6, min_length=6)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Apostille number"), max_length=24)
    date = forms.DateField(label=_("Date of the apostille"), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
