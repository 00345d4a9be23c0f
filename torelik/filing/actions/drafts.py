"""Writes of a filing's draft: starting one (in the Judicial Office or for a partner system's id), its
form, the quoted state fee, and representations. Attachments are in `attachments`, the submission that
registers a case in `submission`, the fee's payment in `fee_payments`, partners' credentials in
`api_clients`, the Public Service Centre's path in `psc`, a person's own phone in `phone`, the status
trail in `trail`."""

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_file
from torelik.cases.models import (
    Case,
    Channel,
)
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.identifiers import BIN, IIN, IdentifierError
from torelik.courts.models import CaseCategory, Court, CourtKind
from torelik.filing import fees, kinds
from torelik.filing.access import parsed_filer_iin
from torelik.filing.actions.trail import record_trail
from torelik.filing.errors import (
    FilingConflictError,
    FilingError,
    FilingErrorCode,
    refusal,
)
from torelik.filing.models import (
    ApiClient,
    FilerType,
    Filing,
    FilingStatus,
    Representation,
)
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")


# The registry rows a draft points to: the locked row takes those the caller's copy already holds
# (the same rows when the ids are the same) rather than reading them again.
_REGISTRY_RELATIONS = ("court", "category", "target_case")


def locked_draft(filing: Filing, rows: models.QuerySet[Filing] | None = None) -> Filing:
    """The draft read again and locked (`rows`: the filings to read it from, with what the caller
    reads along); a filing no longer a draft is a conflict."""
    locked = (Filing.objects.all() if rows is None else rows).select_for_update().get(pk=filing.pk)
    if locked.status != FilingStatus.DRAFT:
        raise FilingConflictError(
            FilingErrorCode.NOT_A_DRAFT, _("This filing was already submitted and can no longer be changed.")
        )
    for field in _foreign_keys():
        held = field.name in _REGISTRY_RELATIONS and field.is_cached(filing)
        if held and getattr(locked, field.attname) == getattr(filing, field.attname):
            field.set_cached_value(locked, field.get_cached_value(filing))
    return locked


def _foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    return [field for field in Filing._meta.concrete_fields if isinstance(field, models.ForeignKey)]


def take_state(filing: Filing, current: Filing) -> None:
    """Make `filing` what `current` (the same row, just saved or read) holds - what `refresh_from_db`
    would read back, without reading it: the columns as the database gives them, and the related rows
    `current` holds."""
    for field in Filing._meta.concrete_fields:
        value = getattr(current, field.attname)
        if isinstance(field, models.DecimalField) and value is not None:
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        setattr(filing, field.attname, value)  # a key that changed drops the related row held for it
    for key in _foreign_keys():
        if key.is_cached(current):
            key.set_cached_value(filing, key.get_cached_value(current))
        elif key.is_cached(filing):
            key.delete_cached_value(filing)
    filing.held_trail = None


# Drafts


@transaction.atomic
def start_draft(
    *,
    kind: str,
    filer_iin: str,
    actor: User | None,
    channel: str = Channel.JUDICIAL_OFFICE,
    api_client: ApiClient | None = None,
    public_id: uuid.UUID | None = None,
) -> Filing:
    """Open a draft of `kind` in the name of the person `filer_iin` (with `public_id` when the
    e-government portal chose it)."""
    filing = new_draft(
        kind=kind, filer_iin=filer_iin, actor=actor, channel=channel, api_client=api_client, public_id=public_id
    )
    filing.save(force_insert=True)
    record_trail(filing, FilingStatus.DRAFT)
    return filing


def new_draft(
    *,
    kind: str,
    filer_iin: str,
    actor: User | None,
    channel: str = Channel.JUDICIAL_OFFICE,
    api_client: ApiClient | None = None,
    public_id: uuid.UUID | None = None,
) -> Filing:
    """The draft `start_draft` opens, checked but not saved yet."""
    if kind not in kinds.SPECS:
        raise refusal(FilingErrorCode.INVALID, _("Unknown kind of filing."), "kind")
    return Filing(
        public_id=public_id or uuid.uuid4(),
        kind=kind,
        filer_iin=parsed_filer_iin(filer_iin),
        channel=channel,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        api_client=api_client,
    )


MAX_CLAIM_AMOUNT = Decimal(10) ** 14


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise refusal(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount") from (
            error
        )
    if not amount.is_finite():
        raise refusal(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount")
    if amount < 0:
        raise refusal(FilingErrorCode.INVALID, _("The claim amount cannot be negative."), "claim_amount")
    if amount >= MAX_CLAIM_AMOUNT:  # the column holds 14 digits of tenge (and no claim is larger)
        raise refusal(
            FilingErrorCode.INVALID,
            _("The claim amount is larger than any claim can be (at most 14 digits of tenge)."),
            "claim_amount",
        )
    return amount.quantize(Decimal("0.01"))


def filer_type(filing: Filing) -> str:
    return FilerType.LEGAL_ENTITY if filing.filer_bin else FilerType.INDIVIDUAL


def quote_fee(filing: Filing) -> fees.FeeQuote:
    """The state fee of the draft as it stands (shown before signing)."""
    spec = kinds.SPECS[filing.kind]
    proceeding_type = filing.category.proceeding_type if filing.category is not None else None
    if spec.higher_instance and filing.target_case is not None:
        proceeding_type = filing.target_case.proceeding_type
    amount = filing.claim_amount
    if spec.higher_instance and amount is None and filing.target_case is not None:
        amount = filing.target_case.claim_amount
    return fees.compute_fee(
        kind=filing.kind,
        filer=filer_type(filing),
        proceeding_type=proceeding_type,
        claim_amount=amount,
        on=clock.today(),
        exemption_code=filing.fee_exemption,
    )


def update_draft(
    *,
    filing: Filing,
    actor: User | None,
    court_code: str | None = None,
    category_code: str | None = None,
    case_number: str | None = None,
    subject: str | None = None,
    claim_amount: Any = None,
    filer_bin: str | None = None,
    on_behalf_of_iin: str | None = None,
    fee_exemption: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """Save the form of a draft: what is given and valid replaces what was there, the rest stays
    (a draft is never lost over one bad field). Answers the refused fields with their reasons."""
    with transaction.atomic():
        locked = locked_draft(filing)
        fields = fill_locked_draft(
            locked,
            court_code=court_code,
            category_code=category_code,
            case_number=case_number,
            subject=subject,
            claim_amount=claim_amount,
            filer_bin=filer_bin,
            on_behalf_of_iin=on_behalf_of_iin,
            fee_exemption=fee_exemption,
            data=data,
        )
    take_state(filing, locked)
    return fields


def fill_locked_draft(
    locked: Filing,
    *,
    court_code: str | None = None,
    category_code: str | None = None,
    case_number: str | None = None,
    subject: str | None = None,
    claim_amount: Any = None,
    filer_bin: str | None = None,
    on_behalf_of_iin: str | None = None,
    fee_exemption: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """`update_draft` on a draft the caller holds locked (`locked_draft`) in its transaction: the
    form applied, the fee quoted again and the row saved; the refused fields with their reasons."""
    fields: dict[str, list[str]] = {}

    def bad(name: str, message: Any) -> None:
        fields.setdefault(name, []).append(str(message))

    if court_code is not None:
        court = Court.objects.filter(code=court_code, is_active=True).first() if court_code else None
        if court_code and court is None:
            bad("court", _("There is no court with this code."))
        else:
            locked.court = court
    if category_code is not None:
        category = CaseCategory.objects.filter(code=category_code, is_active=True).first() if category_code else None
        if category_code and category is None:
            bad("category", _("There is no case category with this code."))
        else:
            locked.category = category
    if case_number is not None:
        number = case_number.strip()
        target = Case.objects.filter(number=number).first() if number else None
        if number and target is None:
            bad("case", _("There is no case with this number."))
        else:
            locked.target_case = target
    if subject is not None:
        locked.subject = subject.strip()[:5000]
    if claim_amount is not None:
        try:
            locked.claim_amount = _amount(claim_amount)
        except FilingError as error:
            bad("claim_amount", error.message)
    if filer_bin is not None:
        try:
            locked.filer_bin = str(BIN.parse(filer_bin)) if filer_bin.strip() else ""
        except IdentifierError as error:
            bad("filer_bin", error.message)
    if on_behalf_of_iin is not None:
        try:
            locked.on_behalf_of_iin = str(IIN.parse(on_behalf_of_iin)) if on_behalf_of_iin.strip() else ""
        except IdentifierError as error:
            bad("on_behalf_of_iin", error.message)
    if fee_exemption is not None:
        if fee_exemption and fees.exemption(fee_exemption, clock.today()) is None:
            bad("fee_exemption", _("Unknown ground of exemption from the state fee."))
        else:
            locked.fee_exemption = fee_exemption
    if data is not None:
        cleaned, problems = kinds.clean_data(locked.kind, dict(data))
        for name, messages in problems.items():
            for message in messages:
                bad(name, message)
        locked.data = cleaned
    if locked.target_case is not None and kinds.SPECS[locked.kind].higher_instance:
        locked.court = higher_court(locked.target_case, locked.kind)
    try:
        quote = quote_fee(locked)
    except DomainError as error:
        # The rate data lacks what the fee needs (an MCI not yet known for the day): the draft is kept,
        # the fee is named as the problem and computed when the draft is saved again.
        logger.warning("filing %s: state fee not computed: %s", locked.public_id, error.code)
        bad("fee", error.message)
        locked.fee_amount, locked.fee_basis = None, ""
    else:
        locked.fee_amount, locked.fee_basis = quote.amount, quote.basis
    locked.save()
    return fields


def higher_court(case: Case, kind: str) -> Court | None:
    """Where an appeal (the court above) or a cassation petition (the cassation court of the
    proceeding type, else the Supreme Court) of `case` goes."""
    if kind == kinds.FilingKind.APPEAL:
        court = case.court
        if court.kind in (CourtKind.DISTRICT, CourtKind.SPECIALISED):
            return court.parent or Court.objects.filter(region=court.region, kind=CourtKind.REGIONAL).first()
        return None
    cassation = Court.objects.filter(kind=CourtKind.CASSATION, is_active=True)
    specialised = cassation.filter(specialisation=case.category.specialisation).first()
    return specialised or cassation.first() or Court.objects.filter(kind=CourtKind.SUPREME).first()


def max_attachment_size() -> int:
    return int(settings.TORELIK_FILING_MAX_ATTACHMENT_MB) * 1024 * 1024


@transaction.atomic
def register_representation(
    *,
    representative_iin: str,
    power_of_attorney: IO[bytes],
    filename: str,
    client_iin: str = "",
    client_bin: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Representation:
    """Record that a lawyer or representative acts for a client under a power of attorney (a PDF)."""
    representative = str(IIN.parse(representative_iin))
    client = str(IIN.parse(client_iin)) if client_iin else ""
    organisation = str(BIN.parse(client_bin)) if client_bin else ""
    if not client and not organisation:
        raise refusal(FilingErrorCode.INVALID, _("Give the client's IIN or BIN."), "client_iin")
    stored = store_file(content=power_of_attorney, filename=filename, max_size=max_attachment_size())
    return Representation.objects.create(
        representative_iin=representative,
        client_iin=client,
        client_bin=organisation,
        power_of_attorney=stored,
        valid_from=valid_from or clock.today(),
        valid_until=valid_until,
    )
