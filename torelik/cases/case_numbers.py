"""Case numbers `NNNN-YY-II-T/seq` (court code, year, instance code, proceeding type code, sequence).

Seen in published numbers: `7585-24-00-2/101`, `3599-24-00-2а/2151`; type codes `2`, `2а`, `4`,
`4а`, `4к`, `6ап`. No official table is public, so the codes below are data to verify with the
court administration (shared/domain/kazakhstan.md); changing them changes only new numbers.
"""

import re

from django.db import transaction

from torelik.cases.models import CaseNumberCounter, Instance
from torelik.core.rows import counted
from torelik.courts.models import Court, ProceedingType

INSTANCE_CODE = "00"  # verify: both public examples carry 00, for a first-instance and an appeal case

TYPE_CODES: dict[tuple[str, str], str] = {
    (ProceedingType.CRIMINAL, Instance.FIRST): "1",
    (ProceedingType.CRIMINAL, Instance.APPEAL): "1а",
    (ProceedingType.CRIMINAL, Instance.CASSATION): "1к",
    (ProceedingType.CIVIL, Instance.FIRST): "2",
    (ProceedingType.CIVIL, Instance.APPEAL): "2а",
    (ProceedingType.CIVIL, Instance.CASSATION): "2к",
    (ProceedingType.ADMINISTRATIVE_OFFENCE, Instance.FIRST): "4",
    (ProceedingType.ADMINISTRATIVE_OFFENCE, Instance.APPEAL): "4а",
    (ProceedingType.ADMINISTRATIVE_OFFENCE, Instance.CASSATION): "4к",
    (ProceedingType.ADMINISTRATIVE, Instance.FIRST): "6",
    (ProceedingType.ADMINISTRATIVE, Instance.APPEAL): "6ап",
    (ProceedingType.ADMINISTRATIVE, Instance.CASSATION): "6к",
}

CASE_NUMBER = re.compile(r"^(?P<court>\d{4})-(?P<yy>\d{2})-(?P<instance>\d{2})-(?P<type>\d[а-я]{0,2})/(?P<seq>\d+)$")


def type_code(proceeding_type: str, instance: str) -> str:
    return TYPE_CODES[(proceeding_type, instance)]


def format_case_number(*, court_code: str, year: int, type_code: str, sequence: int) -> str:
    return f"{court_code}-{year % 100:02d}-{INSTANCE_CODE}-{type_code}/{sequence}"


def next_sequence(*, court: Court, year: int, type_code: str) -> int:
    """The next number in the court's series for the year and type, gap-free under concurrency.

    Runs inside the registering transaction: the counter row stays locked until it commits, so a
    rolled-back registration gives its number back and two registrations never share one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_sequence must run inside the registering transaction")
    # One statement on both databases: the first case of a series creates the row with 1, any later one
    # increments it. The row stays locked by the upsert until the transaction ends.
    return counted(CaseNumberCounter, "last", court=court.pk, year=year, type_code=type_code)
