"""Forms of the court directory."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.courts.models import CourtKind, Region


class CourtSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), max_length=100, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of court"), required=False, choices=[("", _("All kinds")), *CourtKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        if isinstance(region_field, forms.ChoiceField):
            region_field.choices = [("", _("All regions"))] + [(r.code, r.name) for r in Region.objects.all()]
