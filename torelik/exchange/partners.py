"""The partner agencies as configuration (ADR 0092): who they are and which events they may take is
code (`PARTNERS`, each kind's code and name those of `models.PartnerKind`, the one list of partner kinds that
the inbound clients share); where they are, how we sign for them, how long we wait and which of those events they
subscribed to is the deployment's (`settings.TORELIK_EXCHANGE_PARTNERS`, from the environment). A
partner without an endpoint is not connected: nothing is written for it."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from torelik.exchange.models.clients import PartnerKind


class Signing(StrEnum):
    JWS = "jws"  # RS256 with the court's seal key, its certificate chain in `x5c`
    HMAC = "hmac"  # HMAC-SHA256 with the partner's shared secret


@dataclass(frozen=True)
class Outbound:
    """What the court sends a kind of partner: how it signs for it and which events it may take."""

    kind: PartnerKind
    signing: Signing
    event_types: tuple[str, ...]

    @property
    def code(self) -> str:
        return str(self.kind.value)

    @property
    def name(self) -> str:
        return capfirst(str(self.kind.label))


PARTNERS: dict[str, Outbound] = {
    outbound.code: outbound
    for outbound in (
        # The enforcement committee of the Ministry of Justice: writs of acts in force.
        Outbound(PartnerKind.ENFORCEMENT, Signing.JWS, ("writ_in_force",)),
        # The penal correction system: sentences in force, their changes, release dates.
        Outbound(PartnerKind.CORRECTIONS, Signing.JWS, ("sentence_in_force", "sentence_changed", "release_date")),
        # The prosecution's committee on legal statistics and special records: the periodic reports.
        Outbound(PartnerKind.LEGAL_STATISTICS, Signing.HMAC, ("statistical_report",)),
        # The e-government portal (egov.kz) and the Public Service Centres: what a citizen follows.
        Outbound(PartnerKind.EGOV, Signing.HMAC, ("case_status", "hearing")),
    )
}


@dataclass(frozen=True)
class Partner:
    """A connected partner: its kind plus the deployment's settings."""

    kind: Outbound
    url: str
    signing: Signing
    secret: str
    timeout: float
    subscribed: frozenset[str]

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def name(self) -> str:
        return self.kind.name

    def takes(self, event_type: str) -> bool:
        return event_type in self.subscribed


def partner(code: str) -> Partner | None:
    """The connected partner `code`, or None (unknown, or no endpoint configured)."""
    kind = PARTNERS.get(code)
    if kind is None:
        return None
    config = dict(getattr(settings, "TORELIK_EXCHANGE_PARTNERS", {}).get(code, {}))
    base = str(getattr(settings, "TORELIK_EXCHANGE_URL", "")).rstrip("/")
    url = str(config.get("url") or (f"{base}/{code}" if base else ""))
    if not url:
        return None
    events = [e for e in config.get("events") or [] if e in kind.event_types] or list(kind.event_types)
    return Partner(
        kind=kind,
        url=url,
        signing=Signing(config.get("signing") or kind.signing),
        secret=str(config.get("secret") or ""),
        timeout=float(config.get("timeout") or 10.0),
        subscribed=frozenset(events),
    )


def connected() -> Iterator[Partner]:
    for code in PARTNERS:
        found = partner(code)
        if found is not None:
            yield found


def subscribers(event_type: str) -> list[Partner]:
    return [p for p in connected() if p.takes(event_type)]


def name_of(code: str) -> str:
    kind = PARTNERS.get(code)
    return kind.name if kind else code


EVENT_TYPES: dict[str, str | Promise] = {
    "writ_in_force": _("writ of execution of an act in force"),
    "sentence_in_force": _("sentence in force"),
    "sentence_changed": _("sentence changed by a higher court"),
    "release_date": _("release date"),
    "case_status": _("case status"),
    "hearing": _("hearing"),
    "statistical_report": _("statistical report"),
}


def event_type_label(event_type: str) -> str:
    label = EVENT_TYPES.get(event_type)
    return str(label) if label is not None else event_type
