"""The manifest a filer signs, in words: read from the very dictionary that is canonicalised and signed
(`manifest.manifest_of`), each code shown by its name in the page's language, so that the page says
exactly what the signature covers (court, kind, parties, claim, each attachment with its size and
SHA-256); the JSON itself stays one click away."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from torelik.cases.models import Case, PartyRole
from torelik.core.numbers import amount, number
from torelik.courts.models import CaseCategory, Court
from torelik.filing.kinds import FIELD_LABELS
from torelik.filing.manifest import manifest_of
from torelik.filing.models import AttachmentRole, Filing, FilingKind


@dataclass(frozen=True)
class SignedAttachment:
    name: str
    role: str
    title: str
    size: str  # "12,3 KB (12 583 bytes)"
    sha256: str


@dataclass(frozen=True)
class SigningSummary:
    rows: list[tuple[str, str]]  # (what, its value), in the manifest's order
    parties: list[tuple[str, str]]  # (role, who)
    texts: list[tuple[str, str]]  # the filing's own text fields
    attachments: list[SignedAttachment]


def _label(choices: Any, value: str | None) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _party(row: dict[str, Any]) -> tuple[str, str]:
    role = _label(PartyRole, row.get("role"))
    name = row.get("organisation_name") or " ".join(
        p for p in (row.get("surname"), row.get("given_name"), row.get("patronymic")) if p
    )
    ids = [f"{_('IIN')} {row['iin']}" if row.get("iin") else "", f"{_('BIN')} {row['bin']}" if row.get("bin") else ""]
    return role.capitalize(), ", ".join(p for p in (name, *ids) if p)


def _size(size: int) -> str:
    return _("%(size)s (%(bytes)s bytes)") % {"size": filesizeformat(size), "bytes": number(size)}


def signing_summary(filing: Filing) -> SigningSummary:
    signed = manifest_of(filing)
    court = Court.objects.filter(code=signed["court"]).first() if signed["court"] else None
    category = CaseCategory.objects.filter(code=signed["category"]).first() if signed["category"] else None
    case = Case.objects.filter(number=signed["case"]).select_related("court").first() if signed["case"] else None
    rows: list[tuple[str, str]] = [(_("Kind of filing"), _label(FilingKind, signed["kind"]).capitalize())]
    if court is not None:
        rows.append((_("Court"), court.name))
    if signed["case"]:
        rows.append((_("Case"), f"{signed['case']}, {case.court.name}" if case is not None else signed["case"]))
    if category is not None:
        rows.append((_("Category of the case"), category.name))
    filer = [_("IIN") + " " + signed["filer_iin"]]
    if signed["filer_bin"]:
        filer.append(_("for the organisation with BIN %(bin)s") % {"bin": signed["filer_bin"]})
    if signed["on_behalf_of_iin"]:
        filer.append(_("for the client with IIN %(iin)s") % {"iin": signed["on_behalf_of_iin"]})
    rows.append((_("Filer"), ", ".join(filer)))
    if signed["subject"]:
        rows.append((_("Subject"), signed["subject"]))
    if signed["claim_amount"] is not None:
        rows.append((_("Claim amount"), f"{amount(Decimal(signed['claim_amount']))} ₸"))
    fee = signed["fee"]
    if fee["amount"] is not None:
        rows.append((_("State fee"), f"{amount(Decimal(fee['amount']))} ₸"))
    data = signed["data"]
    texts = [(str(FIELD_LABELS[k]), str(v)) for k, v in data.items() if k in FIELD_LABELS and str(v).strip()]
    for key, label in (("phone", _("Your phone")), ("address", _("Your address"))):
        if data.get(key):
            texts.append((label, str(data[key])))
    attachments = [
        SignedAttachment(
            name=a["name"],
            role=_label(AttachmentRole, a["role"]).capitalize(),
            title=a["title"],
            size=_size(int(a["size"])),
            sha256=a["sha256"],
        )
        for a in signed["attachments"]
    ]
    return SigningSummary(
        rows=rows, parties=[_party(p) for p in data.get("parties", [])], texts=texts, attachments=attachments
    )
