"""Forms of the helpline's pages: the call as the operator registers it, the public web form, the
lookups and the answer. Their fields only parse; the rules are the actions'."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.helpline import queries
from torelik.helpline.models import CallChannel, CallStatus
from torelik.identity.models import Language


def _category_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((c.code, c.name) for c in queries.categories())]


class CallForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=CallChannel.choices, initial=CallChannel.LANDLINE)
    language = forms.ChoiceField(label=_("Caller's language"), choices=Language.choices)
    caller_name = forms.CharField(label=_("Caller's name (if given)"), max_length=200, required=False)
    caller_iin = forms.CharField(label=_("Caller's IIN (if given)"), max_length=12, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False)
    caller_email = forms.CharField(label=_("Caller's e-mail"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=())
    court = forms.CharField(label=_("Court concerned (code)"), max_length=10, required=False)
    case_number = forms.CharField(label=_("Case concerned (number)"), max_length=40, required=False)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    answer_now = forms.CharField(
        label=_("Answer given during the call (leave empty to route the request)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    journal_consent = forms.BooleanField(
        label=_("The caller agrees that a complaint about a case and its answer are noted in the case's journal"),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]


class WebRequestForm(forms.Form):
    caller_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    caller_phone = forms.CharField(label=_("Mobile phone (a code is sent to it)"), max_length=20)
    caller_email = forms.CharField(label=_("E-mail (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the answer"), choices=Language.choices)
    category = forms.ChoiceField(label=_("What is it about"), choices=())
    court = forms.CharField(label=_("Court (code, if known)"), max_length=10, required=False)
    case_number = forms.CharField(label=_("Case number (if known)"), max_length=40, required=False)
    question = forms.CharField(
        label=_("Your question or complaint"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    journal_consent = forms.BooleanField(
        label=_("I agree that a complaint about a case and its answer are noted in the case's journal"),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the SMS"), max_length=12)


class IdentifyForm(forms.Form):
    caller_iin = forms.CharField(label=_("Caller's IIN"), max_length=12)
    code = forms.CharField(label=_("Code the caller reads out"), max_length=12, required=False)


class LookupForm(forms.Form):
    case = forms.CharField(label=_("Case number"), max_length=40, required=False)
    court = forms.CharField(label=_("Court (code)"), max_length=10, required=False)
    date = forms.DateField(
        label=_("Date of the hearing"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Request number"), max_length=20)
    phone = forms.CharField(label=_("Phone or e-mail the request was filed with"), max_length=200)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, phone, IIN, case or name"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *CallChannel.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *CallStatus.choices], required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end or (end - start).days > 366:
            start = end - dt.timedelta(days=29)
        return start, end
