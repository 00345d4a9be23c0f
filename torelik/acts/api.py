"""JSON API of judicial acts: a case's acts (as the case's access rule allows), an act with its chain
of review, its signed PDF, the public verification by token, and the judge's drafting, signing and
announcing (the signing in two calls: the bytes to sign, then the detached CMS over them)."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from pydantic import Field

from torelik.acts import actions, queries
from torelik.acts.access import act_for
from torelik.acts.akoma_ntoso import akoma_ntoso
from torelik.acts.kinds import kind_of
from torelik.acts.models import Act
from torelik.archive.queries import open_stored_file
from torelik.cases.access import access_case_for
from torelik.core.api import ErrorOut, NotAuthenticatedError, Session
from torelik.identity.models import User

router = Router(tags=["acts"], auth=Session())


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by ninja's authentication
    if not isinstance(user, User):  # pragma: no cover - the router's auth guarantees it
        raise NotAuthenticatedError("not_authenticated", gettext_lazy("Log in to use this part of the API."))
    return user


class ActLinkOut(Schema):
    id: uuid.UUID
    case_number: str
    kind: str
    status: str
    outcome: str


class ActOut(Schema):
    id: uuid.UUID
    case_number: str
    kind: str
    kind_name: str
    legal_basis: str
    language: str
    status: str
    signed_at: dt.datetime | None
    signer_name: str
    certificate_serial: str
    timestamp_at: dt.datetime | None
    sha256: str
    announced_on: dt.date | None
    appeal_term_end: dt.date | None
    in_force_on: dt.date | None
    in_force_basis: dict[str, object]
    chain: list[ActLinkOut]


class VerifyOut(Schema):
    genuine: bool
    court: str
    kind_name: str
    signed_on: dt.date | None
    # When the RFC 3161 authority stamped the signature: the proof that it existed by then. It may be
    # later than `signed_on` (the demo's acts, signed in their history, were stamped when seeded).
    timestamped_at: dt.datetime | None = None
    sha256: str


class DraftIn(Schema):
    kind: str = Field(max_length=40, examples=["civil-decision"])
    language: str = Field(max_length=2, examples=["ru"])


class PartsIn(Schema):
    title: str = Field(max_length=300)
    introductory: str = Field(max_length=100_000)
    descriptive: str = Field(max_length=100_000)
    reasoning: str = Field(max_length=400_000)
    operative: str = Field(max_length=100_000)


class ToSignOut(Schema):
    data: str  # base64 of the bytes the detached CMS must cover


class SignatureIn(Schema):
    signature: str = Field(max_length=200_000)  # base64 detached CMS


def _link(act: Act) -> ActLinkOut:
    return ActLinkOut(
        id=act.public_id, case_number=act.case.number, kind=act.kind, status=act.status, outcome=act.outcome
    )


def _out(act: Act) -> ActOut:
    kind = kind_of(act.kind)
    return ActOut(
        id=act.public_id,
        case_number=act.case.number,
        kind=act.kind,
        kind_name=kind.name if kind is not None else act.kind,
        legal_basis=kind.legal_basis if kind is not None else "",
        language=act.language,
        status=act.status,
        signed_at=act.signed_at,
        signer_name=act.signer_name,
        certificate_serial=act.certificate_serial,
        timestamp_at=act.timestamp_at,
        sha256=act.sha256,
        announced_on=act.announced_on,
        appeal_term_end=act.appeal_term_end,
        in_force_on=act.in_force_on,
        in_force_basis=act.in_force_basis,
        chain=[_link(a) for a in queries.chain_of(act)],
    )


@router.get(
    "/cases/{path:number}/acts",
    response={200: list[ActOut], 401: ErrorOut, 404: ErrorOut},
    summary="The judicial acts of a case (a party sees the announced ones)",
)
def case_acts(request: HttpRequest, number: str) -> list[ActOut]:
    user = _user(request)
    case = access_case_for(user, number)
    visible = []
    for act in queries.acts_of(case):
        try:
            visible.append(_out(act_for(user, act.public_id)))
        except Exception:  # noqa: BLE001, S112 - an act this user may not see is left out
            continue
    return visible


@router.post(
    "/cases/{path:number}/acts",
    response={201: ActOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Draft an act of the case from its facts (the judge or the judge's assistant)",
)
def draft(request: HttpRequest, number: str, payload: DraftIn) -> tuple[int, ActOut]:
    user = _user(request)
    act = actions.draft_act(
        case=access_case_for(user, number), kind=payload.kind, language=payload.language, actor=user
    )
    return 201, _out(act)


@router.get(
    "/acts/verify/{token}",
    response={200: VerifyOut, 404: ErrorOut},
    auth=None,
    summary="Public: is the act with this verification code genuine",
)
def verify(request: HttpRequest, token: str) -> VerifyOut | tuple[int, dict[str, object]]:
    act = queries.act_by_token(token)
    if act is None:
        return 404, {
            "code": "act_not_found",
            "message": str(gettext_lazy("No signed judicial act has this verification code.")),
            "fields": {},
        }
    kind = kind_of(act.kind)
    return VerifyOut(
        genuine=True,
        court=act.case.court.name,
        kind_name=kind.name if kind is not None else act.kind,
        signed_on=timezone.localdate(act.signed_at) if act.signed_at else None,
        timestamped_at=act.timestamp_at,
        sha256=act.sha256,
    )


@router.get(
    "/acts/{act_id}", response={200: ActOut, 401: ErrorOut, 404: ErrorOut}, summary="An act with its chain of review"
)
def get_act(request: HttpRequest, act_id: uuid.UUID) -> ActOut:
    return _out(act_for(_user(request), act_id))


@router.get("/acts/{act_id}/pdf", response={200: None, 401: ErrorOut, 404: ErrorOut}, summary="The signed act (PDF)")
def act_pdf(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    act = act_for(_user(request), act_id)
    if act.signed_file is None:
        return HttpResponse(status=404)
    with open_stored_file(act.signed_file) as stream:
        return HttpResponse(stream.read(), content_type="application/pdf")


@router.get(
    "/acts/{act_id}/akn",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="The act as Akoma Ntoso (OASIS LegalDocML) XML: the signed version, else the latest draft",
)
def act_akn(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    act = act_for(_user(request), act_id)
    version = act.versions.filter(number=act.signed_version).first() if act.signed_version else None
    return HttpResponse(akoma_ntoso(act, version or actions.latest_version(act)), content_type="application/akn+xml")


@router.put(
    "/acts/{act_id}/text",
    response={200: ActOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="A new version of the draft's text",
)
def revise(request: HttpRequest, act_id: uuid.UUID, payload: PartsIn) -> ActOut:
    user = _user(request)
    act = act_for(user, act_id)
    actions.revise_act(act=act, parts=payload.dict(), actor=user)
    return _out(act)


@router.post(
    "/acts/{act_id}/signing",
    response={200: ToSignOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="The bytes the judge signs (detached CMS, SIGN key)",
)
def to_sign(request: HttpRequest, act_id: uuid.UUID) -> ToSignOut:
    user = _user(request)
    prepared = actions.prepare_signing(act=act_for(user, act_id), actor=user)
    return ToSignOut(data=prepared.signed_bytes_base64)


@router.post(
    "/acts/{act_id}/signature",
    response={200: ActOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The judge's signature: checked, time-stamped and written into the PDF",
)
def sign(request: HttpRequest, act_id: uuid.UUID, payload: SignatureIn) -> ActOut:
    user = _user(request)
    act = actions.sign_act(act=act_for(user, act_id), actor=user, signature=payload.signature.encode())
    return _out(act)


@router.post(
    "/acts/{act_id}/announcement",
    response={200: ActOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Announce a signed act",
)
def announce(request: HttpRequest, act_id: uuid.UUID) -> ActOut:
    user = _user(request)
    return _out(actions.announce_act(act=act_for(user, act_id), actor=user))
