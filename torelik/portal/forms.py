"""Forms of the portal's pages: the library's search and filters, the editor's item and the announcement.
Their fields only parse; the rules are the actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.core.i18n import active_language
from torelik.courts.models import CaseCategory, Court, StaffRole
from torelik.portal.models import ItemKind, ItemStatus, Scope, Visibility


def category_choices() -> list[tuple[str, str]]:
    suffix = active_language()
    rows = CaseCategory.objects.filter(is_active=True).order_by("code").values_list("code", f"name_{suffix}")
    return [(code, f"{code} {name}") for code, name in rows]


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Words or a quoted phrase"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=(), required=False)
    category = forms.ChoiceField(label=_("Case category"), choices=(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("any kind")), *ItemKind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("any status")), *ItemStatus.choices]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("any category")), *category_choices()]  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    number = forms.CharField(label=_("Item number"), max_length=60)
    adopted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=500)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=500)
    text_kk = forms.CharField(label=_("Text (Kazakh)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    text_ru = forms.CharField(label=_("Text (Russian)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    lost_force_on = forms.DateField(
        label=_("Lost force on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices)
    categories = forms.MultipleChoiceField(
        label=_("Case categories it concerns"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    source = forms.CharField(label=_("Source (a public register's address)"), max_length=300, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["categories"].choices = category_choices()  # type: ignore[attr-defined]


class AnnouncementForm(forms.Form):
    court = forms.ChoiceField(label=_("From the court"), choices=())
    scope = forms.ChoiceField(label=_("To whom"), choices=Scope.choices)
    roles = forms.MultipleChoiceField(
        label=_("Only these roles (none chosen: every role)"),
        choices=StaffRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    asks_receipt = forms.BooleanField(label=_("Ask the readers to confirm that they have read it"), required=False)

    def __init__(self, *args: object, courts: list[Court], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["court"].choices = [(c.code, c.name) for c in courts]  # type: ignore[attr-defined]
