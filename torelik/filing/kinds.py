"""The kinds of filings and what each needs: whether it opens a new case or goes into an existing
one, the role of the filer, the other parties required, its own text fields, its document type."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from torelik.cases.models import PartyRole
from torelik.core.identifiers import BIN, IIN, IdentifierError
from torelik.filing.models import FilingKind

__all__ = ["SPECS", "FilingKind", "KindSpec", "clean_data"]


@dataclass(frozen=True)
class KindSpec:
    new_case: bool
    existing_case: bool  # concerns an existing case (a number is asked for)
    higher_instance: bool
    filer_role: str
    required_other_roles: tuple[str, ...]
    required_data: tuple[str, ...]
    optional_data: tuple[str, ...]
    document_type: str

    @property
    def text_fields(self) -> tuple[str, ...]:
        return (*self.required_data, *self.optional_data)


SPECS: dict[str, KindSpec] = {
    FilingKind.CLAIM: KindSpec(
        True,
        False,
        False,
        PartyRole.CLAIMANT,
        (PartyRole.DEFENDANT,),
        ("claims", "circumstances"),
        ("evidence_list",),
        "claim",
    ),
    FilingKind.COURT_ORDER: KindSpec(
        True, False, False, PartyRole.CLAIMANT, (PartyRole.DEFENDANT,), ("claims", "circumstances"), (), "claim"
    ),
    FilingKind.SPECIAL: KindSpec(True, False, False, PartyRole.APPLICANT, (), ("claims", "circumstances"), (), "claim"),
    FilingKind.RESPONSE: KindSpec(False, True, False, PartyRole.DEFENDANT, (), ("objections",), (), "response"),
    FilingKind.APPEAL_RESPONSE: KindSpec(
        False, True, False, PartyRole.DEFENDANT, (), ("objections",), (), "appeal_response"
    ),
    FilingKind.PETITION: KindSpec(False, True, False, PartyRole.CLAIMANT, (), ("request",), ("grounds",), "petition"),
    FilingKind.PRIVATE_COMPLAINT: KindSpec(
        False, True, False, PartyRole.CLAIMANT, (), ("ruling_date", "grounds"), (), "private_complaint"
    ),
    FilingKind.APPEAL: KindSpec(True, True, True, PartyRole.APPLICANT, (), ("decision_date", "grounds"), (), "appeal"),
    FilingKind.CASSATION: KindSpec(
        True, True, True, PartyRole.APPLICANT, (), ("decision_date", "grounds"), (), "appeal"
    ),
    FilingKind.REVIEW: KindSpec(
        False, True, False, PartyRole.APPLICANT, (), ("circumstances", "discovered_on"), (), "petition"
    ),
}

FIELD_LABELS = {
    "claims": _("What you ask the court for"),
    "circumstances": _("Circumstances and grounds"),
    "evidence_list": _("Evidence"),
    "objections": _("Objections to the claim"),
    "request": _("What you ask for"),
    "grounds": _("Grounds"),
    "ruling_date": _("Date of the ruling complained of"),
    "decision_date": _("Date of the decision complained of"),
    "discovered_on": _("Date the circumstances became known"),
}

PARTY_KEYS = (
    "role",
    "iin",
    "bin",
    "surname",
    "given_name",
    "patronymic",
    "organisation_name",
    "address",
    "phone",
    "region",
)
PARTY_ROLES = (PartyRole.DEFENDANT, PartyRole.THIRD_PARTY, PartyRole.APPLICANT, PartyRole.CLAIMANT)


def clean_data(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Keep the known text fields and well-formed parties; name what is wrong (the rest is kept)."""
    spec = SPECS[kind]
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in (*spec.text_fields, "phone", "email", "address", "filer_organisation_name"):
        if name in data and data[name] not in (None, ""):
            cleaned[name] = str(data[name]).strip()[:10000]
    parties = []
    for index, raw in enumerate(data.get("parties") or []):
        if not isinstance(raw, dict):
            continue
        party = {k: str(raw.get(k, "") or "").strip()[:300] for k in PARTY_KEYS}
        if not any(party[k] for k in ("iin", "bin", "surname", "organisation_name")):
            continue
        prefix = f"parties[{index}]"
        if party["role"] not in PARTY_ROLES:
            problems.setdefault(f"{prefix}.role", []).append(str(_("Unknown role of a party.")))
        if bool(party["iin"]) == bool(party["bin"]):
            problems.setdefault(prefix, []).append(str(_("Give either an IIN (a person) or a BIN (an organisation).")))
        try:
            if party["iin"]:
                party["iin"] = str(IIN.parse(party["iin"]))
                if not party["surname"] or not party["given_name"]:
                    problems.setdefault(f"{prefix}.surname", []).append(str(_("Give the surname and the given name.")))
            elif party["bin"]:
                party["bin"] = str(BIN.parse(party["bin"]))
                if not party["organisation_name"]:
                    problems.setdefault(f"{prefix}.organisation_name", []).append(
                        str(_("Give the name of the organisation."))
                    )
        except IdentifierError as error:
            problems.setdefault(f"{prefix}.{'iin' if party['iin'] else 'bin'}", []).append(error.message)
        parties.append({k: v for k, v in party.items() if v})
    if parties:
        cleaned["parties"] = parties
    return cleaned, problems
