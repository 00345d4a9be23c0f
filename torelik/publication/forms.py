"""The public search's parameters and the correction request, checked with translated errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.publication import queries
from torelik.publication.models import CorrectionOutcome


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words or a phrase in quotes"), required=False, max_length=queries.MAX_QUERY)
    court = forms.RegexField(label=_("Court"), regex=r"^\d{4}$", required=False)
    region = forms.RegexField(label=_("Region"), regex=r"^\d{2}$", required=False)
    category = forms.RegexField(label=_("Category"), regex=r"^\d{18}$", required=False)
    kind = forms.RegexField(label=_("Kind of act"), regex=r"^[a-z-]{3,40}$", required=False)
    proceeding_type = forms.RegexField(label=_("Proceeding"), regex=r"^[a-z_]{3,25}$", required=False)
    instance = forms.RegexField(label=_("Instance"), regex=r"^[a-z]{3,10}$", required=False)
    outcome = forms.RegexField(label=_("Outcome"), regex=r"^[a-z_]{3,12}$", required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1991, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("date", _("date")), ("relevance", _("relevance"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10000, widget=forms.HiddenInput)
    after = forms.RegexField(required=False, regex=r"^\d{4}-\d{2}-\d{2}\.\d{1,12}$", widget=forms.HiddenInput)

    def filters(self) -> queries.Filters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return queries.Filters(**data)


class CorrectionForm(forms.Form):
    message = forms.CharField(label=_("What should be corrected"), max_length=4000, widget=forms.Textarea)
    contact = forms.CharField(label=_("How to reach you (optional)"), max_length=200, required=False)


class MaskForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1, required=False)
    kind = forms.CharField(max_length=20, required=False)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


class AnswerForm(forms.Form):
    """The reviewer's answer to a correction request."""

    correction = forms.IntegerField(min_value=1)
    outcome = forms.ChoiceField(choices=CorrectionOutcome.choices)
    answer = forms.CharField(max_length=4000, required=False)
