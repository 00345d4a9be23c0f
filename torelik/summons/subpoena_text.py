"""The text of an e-subpoena in the addressee's language: the facts snapshot taken when it was issued,
the summons itself and the legal consequences of not appearing (with their legal basis)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.cases.coupon import court_local_time
from torelik.cases.models import Party, PartyRole
from torelik.courts.zones import court_zone
from torelik.hearings.models import Hearing, HearingParticipant, HearingType, ParticipantRole
from torelik.summons.models import Subpoena, SubpoenaStatus

# Civil Procedure Code of the Republic of Kazakhstan (ГПК РК, 2015) and the Code of Administrative
# Offences (КоАП РК). No public source confirmed the article numbers, so the subpoena names the code
# without an article rather than print a placeholder (issue 16).
LEGAL_CONSEQUENCES: tuple[tuple[Any, str], ...] = (
    (
        gettext_lazy(
            "If you do not appear without a valid reason and have not asked for the hearing to be held in your "
            "absence, the court may hear the case without you or postpone it."
        ),
        "ГПК РК",
    ),
    (
        gettext_lazy(
            "Tell the court in advance why you cannot appear and send proof of the reason; otherwise the reason "
            "is considered not valid."
        ),
        "ГПК РК",
    ),
    (
        gettext_lazy(
            "A witness, expert, specialist or interpreter who does not appear without a valid reason may be "
            "fined and brought to court by force."
        ),
        "ГПК РК; КоАП РК",
    ),
    (
        gettext_lazy("If your address or phone number changes while the case is heard, tell the court."),
        "ГПК РК",
    ),
)
# The subpoena is served through the court's electronic services as a notice (ГПК РК, its chapter on
# notices and summons). The article is not named where it is not certain: the code alone, no placeholder.
SERVICE_BASIS = "ГПК РК"


def _names(obj: object, field: str) -> dict[str, str]:
    return {lang: str(getattr(obj, f"{field}_{lang}", "") or "") for lang in ("kk", "ru", "en")}


def snapshot(*, hearing: Hearing, participant: HearingParticipant, party: Party | None) -> dict[str, Any]:
    """The facts a subpoena states, frozen when it is issued."""
    court = hearing.courtroom.court
    zone = court_zone(court)
    local = hearing.starts_at.astimezone(zone)
    return {
        "court": _names(court, "name"),
        "address": _names(court, "address"),
        "court_code": court.code,
        "case_number": hearing.case.number,
        "starts_at": hearing.starts_at.isoformat(),
        "ends_at": hearing.ends_at.isoformat(),
        "date": f"{local:%d.%m.%Y}",
        "time": f"{local:%H:%M}",
        "local_time": court_local_time(court, hearing.starts_at),
        "courtroom": hearing.courtroom.number,
        "hearing_kind": hearing.kind,
        "judge": hearing.judge.person.full_name,  # in full: the subpoena names who calls the person
        "addressee": participant.person.full_name,
        "role": participant.role,
        "party_role": party.role if party is not None else "",
        "closed": hearing.is_closed,
    }


def _pick(names: dict[str, str], language: str) -> str:
    for lang in (language, "ru", "kk", "en"):
        if names.get(lang):
            return names[lang]
    return ""


@dataclass(frozen=True)
class SubpoenaText:
    """Everything a page or the PDF prints, already in one language."""

    number: str
    court: str
    address: str
    title: str
    addressee: str
    role: str
    summons: str
    facts: list[tuple[str, str]]
    consequences_heading: str
    consequences: list[tuple[str, str]]
    service_note: str
    status_note: str
    verify_url: str
    issued: str


def role_label(facts: dict[str, Any]) -> str:
    if facts.get("party_role") in PartyRole.values:
        return str(PartyRole(facts["party_role"]).label)
    role = facts.get("role", "")
    return str(ParticipantRole(role).label) if role in ParticipantRole.values else str(role)


def verify_url(number: str, code: str, language: str) -> str:
    with translation.override(language):
        path = reverse("summons:verify", args=[number, code])
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}"


def subpoena_text(subpoena: Subpoena, language: str | None = None) -> SubpoenaText:
    language = language or subpoena.language
    facts = subpoena.facts
    with translation.override(language):
        kind = facts.get("hearing_kind", "")
        kind_label = str(HearingType(kind).label) if kind in HearingType.values else kind
        court = _pick(facts.get("court", {}), language)
        role = role_label(facts)
        summons = _(
            "You are summoned to %(court)s as %(role)s in case No. %(case)s for the %(kind)s on %(date)s at %(time)s, "
            "courtroom %(courtroom)s."
        ) % {
            "court": court,
            "role": role,
            "case": facts.get("case_number", ""),
            "kind": kind_label,
            "date": facts.get("date", ""),
            "time": facts.get("time", ""),
            "courtroom": facts.get("courtroom", ""),
        }
        rows = [
            (_("Case number"), str(facts.get("case_number", ""))),
            (_("Date and time"), str(facts.get("local_time", ""))),
            (_("Courtroom"), str(facts.get("courtroom", ""))),
            (_("Hearing"), capfirst(kind_label)),
            (_("Judge"), str(facts.get("judge", ""))),
            (_("Role"), capfirst(role)),
            (_("Court address"), _pick(facts.get("address", {}), language) or "—"),
        ]
        if facts.get("closed"):
            rows.append((_("Session"), _("closed session")))
        if subpoena.status == SubpoenaStatus.REVOKED:
            status_note = _("This subpoena is revoked: %(reason)s") % {"reason": subpoena.revoke_reason or "—"}
        else:
            status_note = ""
        issued = subpoena.issued_at.astimezone(court_zone(subpoena.court))
        return SubpoenaText(
            number=subpoena.number,
            court=court,
            address=_pick(facts.get("address", {}), language),
            title=_("Subpoena No. %(number)s") % {"number": subpoena.number},
            addressee=str(facts.get("addressee", "")),
            role=role,
            summons=summons,
            facts=rows,
            consequences_heading=_("Consequences of not appearing"),
            consequences=[(str(text), basis) for text, basis in LEGAL_CONSEQUENCES],
            service_note=_(
                "This e-subpoena is sent through the court's electronic services and sealed with the court's "
                "electronic seal (%(basis)s). Check it by its number: scan the code or open the address below."
            )
            % {"basis": SERVICE_BASIS},
            status_note=status_note,
            verify_url=verify_url(subpoena.number, subpoena.verify_code, language),
            issued=_("Issued on %(moment)s") % {"moment": f"{issued:%d.%m.%Y %H:%M}"},
        )


def local_moment(subpoena: Subpoena, moment: dt.datetime) -> str:
    return f"{moment.astimezone(court_zone(subpoena.court)):%d.%m.%Y %H:%M}"
