"""Forms of the personnel officer's pages: they parse; the rules are the actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.core.clock import validate_day
from torelik.core.fields import validate_iin
from torelik.courts.models import AbsenceKind
from torelik.personnel.actions import MAX_POSTS_AT_ONCE
from torelik.personnel.models import CareerEntryKind, PostKind

MOVE_CHOICES = [
    (CareerEntryKind.APPOINTMENT.value, CareerEntryKind.APPOINTMENT.label),
    (CareerEntryKind.TRANSFER.value, CareerEntryKind.TRANSFER.label),
    (CareerEntryKind.PROMOTION.value, CareerEntryKind.PROMOTION.label),
]
DECISION_CHOICES = [
    (CareerEntryKind.QUALIFICATION.value, CareerEntryKind.QUALIFICATION.label),
    (CareerEntryKind.DISCIPLINARY.value, CareerEntryKind.DISCIPLINARY.label),
    (CareerEntryKind.DISMISSAL.value, CareerEntryKind.DISMISSAL.label),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayField(forms.DateField):
    widget = DATE

    def validate(self, value: object) -> None:
        super().validate(value)
        if value:
            validate_day(value)  # type: ignore[arg-type]


class FindPersonForm(forms.Form):
    iin = forms.CharField(label=_("IIN"), max_length=12, min_length=12, validators=[validate_iin])
    # Only for a person not yet known to Torelik (a candidate about to be appointed).
    surname = forms.CharField(label=_("Surname (a new person)"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name (a new person)"), max_length=100, required=False)


class PostsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Position"), choices=PostKind.choices)
    count = forms.IntegerField(label=_("Number of posts"), min_value=1, max_value=MAX_POSTS_AT_ONCE, initial=1)


class DocumentMixin(forms.Form):
    document = forms.FileField(label=_("Document (PDF or scan)"), required=False)


class AppointmentForm(DocumentMixin):
    kind = forms.ChoiceField(label=_("Decision"), choices=MOVE_CHOICES)
    court = forms.CharField(label=_("Court code"), max_length=4, min_length=4)
    post_kind = forms.ChoiceField(label=_("Position"), choices=PostKind.choices)
    post_number = forms.IntegerField(label=_("Post number"), min_value=1, max_value=32000)
    decree_number = forms.CharField(label=_("Decree number"), max_length=60)
    decree_date = DayField(label=_("Decree date"))
    effective_on = DayField(label=_("Effective from"))
    term_ends_on = DayField(label=_("Term of office ends (judges)"), required=False)


class DecisionForm(DocumentMixin):
    kind = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    decree_number = forms.CharField(label=_("Decree number"), max_length=60)
    decree_date = DayField(label=_("Decree date"), required=False)
    effective_on = DayField(label=_("Effective from"))
    details = forms.CharField(label=_("Details (class, measure, grounds)"), max_length=500, required=False)


class AbsenceForm(DocumentMixin):
    kind = forms.ChoiceField(label=_("Kind of absence"), choices=AbsenceKind.choices)
    starts_on = DayField(label=_("First day"))
    ends_on = DayField(label=_("Last day"))
    reason = forms.CharField(label=_("Reason or order"), max_length=300, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
