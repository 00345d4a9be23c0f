"""The exchange's tables, by noun: partners' clients and their journal, inbound messages, letters, the
outbox of events for partners and the decisions on its dead letters."""

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
from torelik.exchange.models.outbound import BLOCKING, DeadLetterDecision, DecisionKind, DeliveryStatus, OutboundEvent

__all__ = [
    "DeliveryStatus",
    "OutboundEvent",
    "DecisionKind",
    "DeadLetterDecision",
    "BLOCKING",
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
