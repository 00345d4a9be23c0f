"""Model, form and API fields for IIN and BIN: one validation for every door."""

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator

from torelik.core.identifiers import BIN, IIN, IdentifierError


def validate_iin(value: str) -> None:
    try:
        IIN.parse(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code=error.code) from error


def validate_bin(value: str) -> None:
    try:
        BIN.parse(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code=error.code) from error


class IINField(models.CharField):  # type: ignore[type-arg]
    """An IIN stored as its 12 digits, validated by the check-digit rule."""

    default_validators = [validate_iin]
    description = _("Individual identification number (IIN)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(form_class=form_class or IINFormField, choices_form_class=choices_form_class, **kwargs)


class BINField(models.CharField):  # type: ignore[type-arg]
    """A BIN stored as its 12 digits, validated by the check-digit rule."""

    default_validators = [validate_bin]
    description = _("Business identification number (BIN)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(form_class=form_class or BINFormField, choices_form_class=choices_form_class, **kwargs)


class IINFormField(forms.CharField):
    default_validators = [validate_iin]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("min_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]{12}", "autocomplete": "off"})


class BINFormField(IINFormField):
    default_validators = [validate_bin]


def _api_iin(value: str) -> str:
    try:
        return IIN.parse(value).value
    except IdentifierError as error:
        raise ValueError(error.message) from error


def _api_bin(value: str) -> str:
    try:
        return BIN.parse(value).value
    except IdentifierError as error:
        raise ValueError(error.message) from error


# For django-ninja schemas: a wrong IIN/BIN becomes a 422 naming the field and the reason.
IINStr = Annotated[str, AfterValidator(_api_iin)]
BINStr = Annotated[str, AfterValidator(_api_bin)]


class KindField(models.CharField):  # type: ignore[type-arg]
    """A kind chosen from a TextChoices that grows with every context that writes one (the case
    journal's events, the transparency log's entries): the choices serve the admin, forms and
    ``get_kind_display``, but stay out of migrations, so a new kind needs no schema change and two
    branches adding kinds do not each write an AlterField that clashes (ADR 0091)."""

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs
