"""Reads of the apostille context: the court office's queue, a person's requests, and the public
register (by number and date, as the e-Registers of the Hague Conference's e-APP are searched)."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet

from torelik.apostille.models import ApostilleRequest, ApostilleStatus

REGISTERED = (ApostilleStatus.ISSUED, ApostilleStatus.REFUSED, ApostilleStatus.REVOKED)


def office_queue(court_ids: Sequence[int], *, limit: int = 200) -> list[ApostilleRequest]:
    return list(
        ApostilleRequest.objects.filter(court_id__in=court_ids, status=ApostilleStatus.QUEUED)
        .select_related("act__case", "applicant", "court")
        .order_by("paid_at", "created_at")[:limit]
    )


def decided_by_office(court_ids: Sequence[int], *, limit: int = 50) -> list[ApostilleRequest]:
    return list(
        ApostilleRequest.objects.filter(court_id__in=court_ids, status__in=REGISTERED)
        .select_related("act__case", "applicant", "court")
        .order_by("-decided_at")[:limit]
    )


def requests_of(queryset: QuerySet[ApostilleRequest], *, limit: int = 100) -> list[ApostilleRequest]:
    return list(queryset.select_related("act__case", "court").order_by("-created_at")[:limit])


def registered(number: str, on: dt.date) -> ApostilleRequest | None:
    """The register's entry of apostille `number` dated `on`, or None (a wrong number or date alike)."""
    return (
        ApostilleRequest.objects.filter(number=number, issued_on=on, status__in=REGISTERED)
        .select_related("pdf", "court")
        .first()
    )
