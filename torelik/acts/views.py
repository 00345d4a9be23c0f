"""Pages of judicial acts: a case's acts (a panel of the case page, ADR 0047), the act's page (draft,
preview, sign, announce for the judge; read and download for the parties, which is the act's delivery
to them), the judge's queues, and the public verification page keyed by the act's token."""

import datetime as dt
import hashlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.acts import actions, queries
from torelik.acts import appeals as appeal_actions
from torelik.acts.access import (
    act_for,
    courts_sending_appeals,
    is_case_judge,
    may_draft,
    may_record_delivery,
    may_register_appeal,
    may_send_appeal,
    may_sign,
)
from torelik.acts.actions import PARTS
from torelik.acts.errors import ActNotFoundError
from torelik.acts.kinds import final_form_term, kind_of, kinds_for, responses_term
from torelik.acts.models import Act, ActStatus, Appeal, ReviewOutcome, ServiceChannel
from torelik.archive.queries import open_stored_file
from torelik.cases.access import access_case_for
from torelik.cases.errors import CaseNotFoundError
from torelik.cases.models import REPRESENTING_ROLES, Instance, Party
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.models import Judge, StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User
from torelik.identity.pades import check_pdf_seals

MAX_UPLOAD = 20 * 1024 * 1024


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _act(request: HttpRequest, act_id: uuid.UUID) -> Act:
    try:
        return act_for(_user(request), act_id)
    except ActNotFoundError as error:
        raise Http404 from error


def _party_of(user: User | None, act: Act) -> Party | None:
    if user is None or user.person_id is None:
        return None
    return act.case.parties.exclude(role__in=REPRESENTING_ROLES).filter(person_id=user.person_id).first()


@never_cache
def case_acts(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    acts = [(act, kind_of(act.kind)) for act in queries.acts_of(case)]
    template = "acts/_case_acts.html" if request.headers.get("HX-Request") == "true" else "acts/case_acts.html"
    return render(
        request,
        template,
        {
            "case": case,
            "acts": acts,
            "may_draft": may_draft(user, case),
            "kinds": kinds_for(case.proceeding_type, case.instance),
            "outcomes": ReviewOutcome.choices if case.instance != Instance.FIRST else [],
        },
    )


@login_required
@require_POST
def new_act(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    assert user is not None  # noqa: S101 - logged in
    try:
        act = actions.draft_act(
            case=case,
            kind=request.POST.get("kind", ""),
            language=request.POST.get("language", ""),
            actor=user,
            outcome=request.POST.get("outcome", "") if case.instance != Instance.FIRST else "",
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("acts:case_acts", number=case.number)
    messages.success(
        request, _("The draft is made from the case's facts. Write the court's reasoning and its decision.")
    )
    return redirect("acts:act", act_id=act.public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def act_page(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    kind = kind_of(act.kind)
    editable = act.status == ActStatus.DRAFT and may_draft(user, act.case)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and editable:
        assert user is not None  # noqa: S101 - logged in
        try:
            actions.revise_act(act=act, parts={name: request.POST.get(name, "") for name in PARTS}, actor=user)
        except DomainError as error:
            messages.error(request, error.message)
            errors = error.fields
        else:
            messages.success(request, _("A new version of the draft is kept."))
            return redirect("acts:act", act_id=act.public_id)
    party = _party_of(user, act)
    if party is not None and act.status in (ActStatus.ANNOUNCED, ActStatus.APPEALED, ActStatus.IN_FORCE):
        actions.record_service(act=act, party=party, channel=ServiceChannel.OFFICE, actor=user)
    version = actions.latest_version(act)
    return render(
        request,
        "acts/act.html",
        {
            "act": act,
            "kind": kind,
            "version": version,
            "versions": act.versions.order_by("-number"),
            "editable": editable,
            "errors": errors,
            "may_sign": act.status == ActStatus.DRAFT and may_sign(user, act.case),
            "may_announce": act.status == ActStatus.SIGNED and may_sign(user, act.case),
            "signed": act.signed_file_id is not None,
            "chain": queries.chain_of(act),
            "services": act.services.select_related("party__person", "party__organisation"),
            "parts": [(name, getattr(version, name)) for name in PARTS[1:]],
            "may_deliver": act.status in (ActStatus.ANNOUNCED, ActStatus.APPEALED, ActStatus.IN_FORCE)
            and may_record_delivery(user, act.case),
            "may_appeal": act.status == ActStatus.ANNOUNCED and may_register_appeal(user, act.case),
            "parties": act.case.parties.exclude(role__in=REPRESENTING_ROLES).select_related("person", "organisation"),
            "today": clock.today().isoformat(),
            "appeals": queries.appeals_of(act.case).filter(act=act),
            "may_send": may_send_appeal(user, act.case),
            "today_date": clock.today(),
        },
    )


@login_required
def preview(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    act = _act(request, act_id)
    if not may_draft(_user(request), act.case):
        raise Http404
    response = HttpResponse(actions.preview_pdf(act), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{act.public_id}.pdf"'
    return response


@login_required
def act_pdf(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    if act.signed_file is None:
        raise Http404
    party = _party_of(user, act)
    if party is not None:
        actions.record_service(act=act, party=party, channel=ServiceChannel.OFFICE, actor=user)
    with open_stored_file(act.signed_file) as stream:
        content = stream.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="act-{act.public_id}.pdf"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    assert user is not None  # noqa: S101 - logged in
    if request.method == "POST":
        try:
            actions.sign_act(act=act, actor=user, signature=request.POST.get("signature", "").encode())
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("acts:act", act_id=act.public_id)
        messages.success(request, _("The act is signed with your digital signature and time-stamped."))
        return redirect("acts:act", act_id=act.public_id)
    try:
        prepared = actions.prepare_signing(act=act, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("acts:act", act_id=act.public_id)
    return render(request, "acts/sign.html", {"act": act, "content": prepared.signed_bytes_base64})


@login_required
@require_POST
def announce(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    assert user is not None  # noqa: S101 - logged in
    try:
        actions.announce_act(act=act, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The act is announced: the parties can read it in the Judicial Office."))
    return redirect("acts:act", act_id=act.public_id)


@login_required
@require_POST
def delivery(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    assert user is not None  # noqa: S101 - logged in
    party_id = _uuid(request.POST.get("party", ""))
    party = act.case.parties.filter(public_id=party_id).first() if party_id else None
    if party is None:
        messages.error(request, _("Choose the party the act was delivered to."))
        return redirect("acts:act", act_id=act.public_id)
    try:
        actions.record_delivery(act=act, party=party, channel=request.POST.get("channel", ""), actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery is noted."))
    return redirect("acts:act", act_id=act.public_id)


@login_required
@require_POST
def by_post(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    """Staff send the act to a party by a registered or a hybrid letter."""
    user = _user(request)
    act = _act(request, act_id)
    assert user is not None  # noqa: S101 - logged in
    party_id = _uuid(request.POST.get("party", ""))
    party = act.case.parties.filter(public_id=party_id).first() if party_id else None
    if party is None:
        messages.error(request, _("Choose the party the act was delivered to."))
        return redirect("acts:act", act_id=act.public_id)
    try:
        letter = actions.send_by_post(act=act, party=party, kind=request.POST.get("kind", ""), actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if letter.barcode:
            messages.success(
                request,
                _("The act goes to %(name)s by post, letter %(barcode)s.")
                % {"name": party.name, "barcode": letter.barcode},
            )
        else:
            messages.warning(
                request, _("The letter waits in the court office's worklist: the address has no postal index.")
            )
    return redirect("acts:act", act_id=act.public_id)


@login_required
@require_POST
def appeal(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    act = _act(request, act_id)
    assert user is not None  # noqa: S101 - logged in
    try:
        filed_on = dt.date.fromisoformat(request.POST.get("filed_on", ""))
    except ValueError:
        messages.error(request, _("Give the day the appeal was brought."))
        return redirect("acts:act", act_id=act.public_id)
    try:
        appeal_actions.register_appeal_at_office(
            act=act, actor=user, filed_on=filed_on, restore_term=request.POST.get("restore_term") == "on"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appeal is registered: the act does not enter into force meanwhile."))
    return redirect("acts:act", act_id=act.public_id)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@never_cache
@login_required
def docket(request: HttpRequest) -> HttpResponse:
    """The judge's act queues; for a court's chairman also the acts each judge signed and signed late."""
    user = _user(request)
    judge = Judge.objects.filter(person_id=user.person_id).first() if user and user.person_id else None
    courts = [p.court for p in positions_of(user).filter(role=StaffRole.CHAIRMAN).select_related("court")]
    if judge is None and not courts:
        return render(request, "acts/docket.html", {"docket": None, "courts": []}, status=403)
    return render(
        request,
        "acts/docket.html",
        {
            "docket": queries.docket_of(judge) if judge is not None else None,
            "judge": judge,
            "courts": [(court, queries.late_acts_of_court(court.pk)) for court in courts],
            "final_form": final_form_term(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: whether the act with this token is genuine; a PDF sent here is compared with it."""
    act = queries.act_by_token(token)
    if act is None:
        return render(request, "acts/verify.html", {"act": None}, status=404)
    checked: bool | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
            messages.error(request, _("Choose the act's PDF file (at most 20 MB)."))
        else:
            content = upload.read()
            seals = check_pdf_seals(content)
            checked = hashlib.sha256(content).hexdigest() == act.sha256 and bool(seals) and all(s.ok for s in seals)
    stamped_later = (
        act.signed_at is not None
        and act.timestamp_at is not None
        and timezone.localdate(act.timestamp_at) > timezone.localdate(act.signed_at)
    )
    return render(
        request,
        "acts/verify.html",
        {"act": act, "kind": kind_of(act.kind), "checked": checked, "stamped_later": stamped_later},
    )


def is_judge_of(user: User | None, act: Act) -> bool:
    return is_case_judge(user, act.case)


@never_cache
@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """The first-instance court's appeals: waiting for the term for responses, then ready to send."""
    user = _user(request)
    courts = courts_sending_appeals(user)
    if not courts:
        return render(request, "acts/appeals.html", {"queue": None}, status=403)
    today = clock.today()
    queue = queries.appeal_queue(courts, today)
    for appeal in [*queue.awaiting, *queue.ready]:
        appeal.responses = appeal_actions.responses_to(appeal)  # type: ignore[attr-defined]
        appeal.ready_days = max((today - appeal.ready_on).days, 0)  # type: ignore[attr-defined]
    return render(request, "acts/appeals.html", {"queue": queue, "term": responses_term(), "today": today})


@login_required
@require_POST
def send_appeal(request: HttpRequest, appeal_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    assert user is not None  # noqa: S101 - logged in
    appeal = Appeal.objects.filter(public_id=appeal_id, case__court_id__in=courts_sending_appeals(user)).first()
    if appeal is None:
        raise Http404
    try:
        sent = appeal_actions.send_appeal(appeal=appeal, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        assert sent.appeal_case is not None  # noqa: S101 - set when sent
        messages.success(
            request,
            _("The case is sent to %(court)s as case %(number)s; a judge is being drawn there.")
            % {"court": sent.higher_court.name, "number": sent.appeal_case.number},
        )
    return redirect("acts:appeals")
