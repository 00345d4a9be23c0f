"""Every write of the Judicial Office, behind one face: `from torelik.filing import actions`, then
`actions.start_draft(...)`, `actions.submit_filing(...)`. Behind it, one module per step of a filing:

- `drafts`: starting a draft, its form and the quoted state fee, representations;
- `attachments`: a draft's attachments, alone or with the form in one transaction;
- `submission`: the signed (or PSC-confirmed) draft sent to the court, where it registers a case;
- `portal`: the e-government portal's create-or-update-then-submit of one request;
- `fee_payments`: the state fee's payment and its callback; `payments`: the gateway and its sandbox;
- `psc`: the Public Service Centre's path; `phone`: a person's own phone, confirmed by a code;
- `trail`: the status trail, and the steps that follow the case a filing became;
- `api_clients`: partner systems' credentials.

Reads are in `filing.queries`, who may see or change what in `filing.access`."""

from torelik.filing.actions.api_clients import create_api_client
from torelik.filing.actions.attachments import (
    ATTACHMENT_MEDIA_TYPES,
    AttachmentInput,
    add_attachment,
    remove_attachment,
    start_draft_with_attachments,
    update_draft_and_attachments,
)
from torelik.filing.actions.drafts import (
    MAX_CLAIM_AMOUNT,
    filer_type,
    fill_locked_draft,
    higher_court,
    locked_draft,
    max_attachment_size,
    new_draft,
    quote_fee,
    register_representation,
    start_draft,
    take_state,
    update_draft,
)
from torelik.filing.actions.fee_payments import record_payment_callback, start_payment, verify_receipt
from torelik.filing.actions.payments import (
    SIGNATURE_HEADER,
    CallbackResult,
    PaymentGateway,
    ReceiptStatus,
    SandboxGateway,
    gateway,
    sign_body,
)
from torelik.filing.actions.phone import confirm_phone, send_phone_code
from torelik.filing.actions.psc import (
    PSC_CODE_TTL,
    PSC_MAX_ATTEMPTS,
    confirm_psc_filing,
    masked_phone,
    no_phone_refusal,
    phone_on_record,
    send_psc_code,
    start_psc_filing,
)
from torelik.filing.actions.submission import (
    already_submitted,
    check_ready,
    check_standing,
    send_to_court,
    submit_filing,
    submit_filing_of,
)
from torelik.filing.actions.trail import follow_assignment, follow_status, record_trail

__all__ = [
    "ATTACHMENT_MEDIA_TYPES",
    "MAX_CLAIM_AMOUNT",
    "PSC_CODE_TTL",
    "PSC_MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "AttachmentInput",
    "CallbackResult",
    "PaymentGateway",
    "ReceiptStatus",
    "SandboxGateway",
    "add_attachment",
    "already_submitted",
    "check_ready",
    "check_standing",
    "confirm_phone",
    "confirm_psc_filing",
    "create_api_client",
    "filer_type",
    "fill_locked_draft",
    "follow_assignment",
    "follow_status",
    "gateway",
    "higher_court",
    "locked_draft",
    "masked_phone",
    "no_phone_refusal",
    "phone_on_record",
    "max_attachment_size",
    "new_draft",
    "quote_fee",
    "record_payment_callback",
    "record_trail",
    "register_representation",
    "remove_attachment",
    "send_phone_code",
    "send_psc_code",
    "send_to_court",
    "sign_body",
    "start_draft",
    "start_draft_with_attachments",
    "start_payment",
    "start_psc_filing",
    "submit_filing",
    "submit_filing_of",
    "take_state",
    "update_draft",
    "update_draft_and_attachments",
    "verify_receipt",
]
