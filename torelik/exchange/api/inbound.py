"""Partners' inbound messages: `POST /exchange/inbound/{topic}` (Bearer token of the partner's client,
`X-Torelik-Signature` over the body), and the JSON Schema of each topic's data by version."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from torelik.core.api import ErrorOut
from torelik.exchange import clients, inbound
from torelik.exchange.errors import ExchangeErrorCode, ExchangeNotFoundError

router = Router(tags=["exchange"])


def _token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@router.post(
    "/exchange/inbound/{path:topic}",
    response={
        200: dict[str, Any],
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="A partner's inbound message: JSON {message_id, schema_version, data}; Authorization: Bearer <token>; "
    "X-Torelik-Signature: t=<unix time>,v1=<HMAC-SHA256 of 't.' + body> or jws=<detached EdDSA JWS>",
    auth=None,
)
def receive(request: HttpRequest, topic: str) -> HttpResponse:
    answer = inbound.receive(
        topic=topic,
        token=_token(request),
        signature=request.headers.get(clients.SIGNATURE_HEADER, ""),
        body=request.body,
    )
    return JsonResponse(answer.body, status=answer.status)


@router.get(
    "/exchange/schemas/{path:topic}/{version}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="The JSON Schema of an inbound topic's message data in a schema version",
)
def schema(request: HttpRequest, topic: str, version: str) -> dict[str, Any]:
    found = inbound.schema_of(topic, version)
    if found is None:
        raise ExchangeNotFoundError(
            ExchangeErrorCode.UNKNOWN_TOPIC, _("There is no inbound topic %(topic)s."), params={"topic": topic}
        )
    return found
