"""Base models of every context and the monthly calculation index (MCI) table."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.errors import NotFoundError
from torelik.core.money import tenge


class BaseModel(models.Model):
    """A row with a public UUID (what URLs and the API show) and its creation/update moments."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MonthlyCalculationIndex(models.Model):
    """МРП / MCI: the unit in which fees, fines and caps are set; fixed by each year's budget law."""

    effective_from = models.DateField(_("effective from"), unique=True)
    amount = models.DecimalField(_("amount, tenge"), max_digits=10, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("monthly calculation index")
        verbose_name_plural = _("monthly calculation indices")

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}: {self.amount} ₸"


def mci_on(day: dt.date) -> Decimal:
    """The MCI in force on `day`."""
    row = MonthlyCalculationIndex.objects.filter(effective_from__lte=day).first()
    if row is None:
        raise NotFoundError("mci_unknown", _("No MCI is known for %(day)s."), params={"day": day.isoformat()})
    return row.amount


def mci_to_tenge(mci: Decimal | int | str, *, on: dt.date) -> Decimal:
    """An amount set in MCI (e.g. a fee of 0.3 MCI) in tenge on a given day."""
    return tenge(Decimal(mci) * mci_on(on))
