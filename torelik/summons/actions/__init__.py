"""Every write of the summons context, behind one face (`from torelik.summons import actions`):
subpoenas (`subpoenas`: issued and revoked with their hearing, opened with phone and code, sealed) and
court documents by SMS login (`document_access`), both behind the lockout of `code_lockout`."""

from torelik.summons.actions.channels import choose_channel
from torelik.summons.actions.document_access import (
    GrantedAccess,
    documents_url,
    entitled_parties,
    grant_document_access,
    log_in_to_documents,
    notify_filer_of_registration,
    record_document_opening,
)
from torelik.summons.actions.letters import follow_undelivered_sms, send_subpoena_letter
from torelik.summons.actions.subpoenas import (
    MAX_PDF_SIZE,
    IssuedSubpoena,
    issue_subpoenas,
    open_subpoena,
    page_url,
    record_familiarisation,
    revoke_subpoenas,
    sealed_pdf,
    verify_address,
)

__all__ = [
    "choose_channel",
    "follow_undelivered_sms",
    "send_subpoena_letter",
    "MAX_PDF_SIZE",
    "GrantedAccess",
    "IssuedSubpoena",
    "documents_url",
    "entitled_parties",
    "grant_document_access",
    "issue_subpoenas",
    "log_in_to_documents",
    "notify_filer_of_registration",
    "open_subpoena",
    "page_url",
    "record_document_opening",
    "record_familiarisation",
    "revoke_subpoenas",
    "sealed_pdf",
    "verify_address",
]
