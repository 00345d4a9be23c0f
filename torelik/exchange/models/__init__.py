"""The exchange's tables, by noun: partners' clients and their journal, inbound messages, letters."""

from torelik.exchange.models.clients import (
    DEFAULT_SCOPES,
    CallOutcome,
    ClientCall,
    PartnerClient,
    PartnerKind,
    Scope,
    SigningScheme,
)
from torelik.exchange.models.inbound import InboundMessage
from torelik.exchange.models.letters import Letter, LetterCounter, LetterDirection, LetterKind, LetterStatus

__all__ = [
    "DEFAULT_SCOPES",
    "CallOutcome",
    "ClientCall",
    "InboundMessage",
    "Letter",
    "LetterCounter",
    "LetterDirection",
    "LetterKind",
    "LetterStatus",
    "PartnerClient",
    "PartnerKind",
    "Scope",
    "SigningScheme",
]
