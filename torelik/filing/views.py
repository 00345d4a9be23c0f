"""Pages of the Judicial Office: my filings, a draft (form, parties, attachments, state fee), paying in
the sandbox, signing, the status trail; my cases; the PSC operator's filing for a citizen; the
sandbox gateway's own payment page; statistics of filings by channel and kind."""

import base64
import binascii
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.acts.queries import announced_acts_of, appeals_for_party
from torelik.cases.access import access_case_for
from torelik.cases.errors import CaseNotFoundError
from torelik.cases.models import Channel
from torelik.cases.queries import documents_of, journal, parties_of
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.models import ProceedingType
from torelik.deadlines.queries import terms_of_case
from torelik.filing import actions, fees, queries
from torelik.filing.access import (
    access_draft_to_change,
    access_filing_for,
    filings_visible_to,
    iin_of,
    is_psc_operator,
    may_change,
)
from torelik.filing.actions import SandboxGateway
from torelik.filing.errors import FilingForbiddenError, FilingNotFoundError
from torelik.filing.fee_words import amount_words, basis_words
from torelik.filing.forms import (
    PARTY_ROLE_CHOICES,
    PARTY_ROWS,
    AttachmentForm,
    CardForm,
    DraftForm,
    PeriodForm,
    PhoneCodeForm,
    PhoneForm,
    PscConfirmForm,
    PscStartForm,
    ReceiptForm,
    SignatureForm,
    named_problems,
    parties_from,
)
from torelik.filing.kinds import SPECS
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import Filing, FilingKind, PaymentStatus, SandboxCharge
from torelik.filing.summary import signing_summary
from torelik.hearings.queries import hearings_of
from torelik.identity.models import User


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "filing/not_found.html", {"message": message}, status=404)


def _filing(request: HttpRequest, filing_id: uuid.UUID) -> Filing:
    try:
        return access_filing_for(_user(request), filing_id)
    except FilingNotFoundError as error:
        raise Http404(error.message) from error


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "filing/forbidden.html", {"message": message}, status=403)


def _to_change(request: HttpRequest, filing_id: uuid.UUID) -> Filing | HttpResponse:
    """The filing for its filer to change, or the answer to anyone else: 403 to who may only see
    it, 404 to everyone else."""
    try:
        return access_draft_to_change(_user(request), filing_id)
    except FilingNotFoundError as error:
        raise Http404(error.message) from error
    except FilingForbiddenError as error:
        return _forbidden(request, error.message)


@login_required
def office(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filings = filings_visible_to(user).select_related("case", "court").order_by("-created_at")[:100]
    return render(
        request,
        "filing/office.html",
        {
            "filings": filings,
            "kinds": FilingKind.choices,
            "has_person": bool(iin_of(user)),
            "is_psc_operator": is_psc_operator(user),
        },
    )


@login_required
@require_POST
def new_filing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    iin = iin_of(user)
    kind = request.POST.get("kind", "")
    if not iin or kind not in SPECS:
        messages.error(request, _("Only a person logged in with their IIN files in the Judicial Office."))
        return redirect("filing:office")
    filing = actions.start_draft(kind=kind, filer_iin=iin, actor=user)
    return redirect("filing:filing", filing_id=filing.public_id)


def _initial(filing: Filing) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "region": filing.court.region.code if filing.court and filing.court.region else "",
        "court": filing.court.code if filing.court else "",
        "proceeding_type": filing.category.proceeding_type if filing.category else ProceedingType.CIVIL,
        "category": filing.category.code if filing.category else "",
        "case": filing.target_case.number if filing.target_case else "",
        "subject": filing.subject,
        "claim_amount": f"{filing.claim_amount:.2f}" if filing.claim_amount is not None else "",
        "filer_bin": filing.filer_bin,
        "on_behalf_of_iin": filing.on_behalf_of_iin,
        "fee_exemption": filing.fee_exemption,
    }
    initial.update({k: v for k, v in filing.data.items() if k != "parties"})
    return initial


def _party_rows(filing: Filing, post: Any = None) -> list[dict[str, str]]:
    given = parties_from(post) if post is not None else list(filing.data.get("parties", []))
    return [*given, *([{}] * (PARTY_ROWS - len(given)))][:PARTY_ROWS]


def _fee_state(filing: Filing, quote: fees.FeeQuote | None) -> str:
    """What the draft says of its fee: none due, exempt, paid, a petition attached, or still due (an
    unpaid draft is never "settled" because its stored amount was not computed yet)."""
    if quote is None:
        return "unknown"
    if not quote.amount:
        return "none"
    if quote.exemption is not None:
        return "exempt"
    payment = queries.paid_payment(filing)
    if payment is not None and payment.amount >= quote.amount:
        return "paid"
    if filing.fee_amount and queries.fee_settled(filing):
        return "petition"
    return "due"


def _draft_context(
    filing: Filing, form: DraftForm, problems: dict[str, list[str]] | None = None, *, can_change: bool = True
) -> dict[str, Any]:
    spec = SPECS[filing.kind]
    try:
        quote: fees.FeeQuote | None = actions.quote_fee(filing)
    except DomainError:
        quote = None
    return {
        "filing": filing,
        "spec": spec,
        "form": form,
        "problems": problems or {},
        "named": named_problems(problems, labels={name: field.label for name, field in form.fields.items()}),
        "party_rows": _party_rows(filing),
        "party_roles": PARTY_ROLE_CHOICES,
        "show_parties": spec.new_case and not spec.higher_instance,
        "attachment_form": AttachmentForm(),
        "attachments": filing.attachments.select_related("file"),
        "quote": quote,
        "basis": basis_words(quote.basis) if quote is not None else "",
        "fee_amount": amount_words(quote.amount) if quote is not None else "",
        "fee_state": _fee_state(filing, quote),
        "payments": filing.payments.all(),
        "receipt_form": ReceiptForm(),
        "is_psc": filing.channel == Channel.PSC,
        "can_change": can_change,
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_page(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    filing = _filing(request, filing_id)
    if not filing.is_draft:
        return render(
            request,
            "filing/status.html",
            {"filing": filing, "trail": queries.trail(filing), "rulings": _rulings(filing)},
        )
    today = clock.today()
    if not may_change(_user(request), filing):
        # Whoever may see the draft sees it as it stands; only its filer changes it.
        if request.method == "POST":
            return _forbidden(request, _("Only the filer may change or send this filing; you may see it."))
        form = DraftForm(initial=_initial(filing), kind=filing.kind, today=today)
        return render(request, "filing/draft.html", _draft_context(filing, form, can_change=False))
    if request.method == "POST":
        form = DraftForm(request.POST, kind=filing.kind, today=today)
        form.is_valid()
        values = {**form.cleaned_data}
        spec = SPECS[filing.kind]
        data: dict[str, Any] = {name: values.get(name, "") for name in spec.text_fields}
        data.update({"phone": values.get("phone", ""), "address": values.get("address", "")})
        data["parties"] = parties_from(request.POST)
        court_code = values.get("court")
        if "court" in form.fields and not court_code:
            suggested = _suggested_court(values.get("category", ""), data["parties"])
            court_code = suggested or ""
        problems = actions.update_draft(
            filing=filing,
            actor=_user(request),
            court_code=court_code if "court" in form.fields else None,
            category_code=values.get("category") if "category" in form.fields else None,
            case_number=values.get("case") if "case" in form.fields else None,
            subject=values.get("subject", ""),
            claim_amount=values.get("claim_amount") if "claim_amount" in form.fields else None,
            filer_bin=values.get("filer_bin", ""),
            on_behalf_of_iin=values.get("on_behalf_of_iin", ""),
            fee_exemption=values.get("fee_exemption", ""),
            data=data,
        )
        if problems:
            messages.error(request, _("Some fields are not valid; the rest of the draft is saved."))
            form = DraftForm(initial=_initial(filing), kind=filing.kind, today=today)
            return render(request, "filing/draft.html", _draft_context(filing, form, problems), status=422)
        messages.success(request, _("The draft is saved."))
        return redirect("filing:filing", filing_id=filing.public_id)
    form = DraftForm(initial=_initial(filing), kind=filing.kind, today=today)
    return render(request, "filing/draft.html", _draft_context(filing, form))


def _suggested_court(category_code: str, parties: list[dict[str, str]]) -> str | None:
    from torelik.courts.models import CaseCategory  # noqa: PLC0415

    category = CaseCategory.objects.filter(code=category_code).first() if category_code else None
    region = next((p.get("region", "") for p in parties if p.get("role") == "defendant" and p.get("region")), "")
    court = queries.suggest_court(category, region)
    return court.code if court is not None else None


def _rulings(filing: Filing) -> list[Any]:
    if filing.case is None:
        return []
    return list(documents_of(filing.case).filter(document_type__is_judicial_act=True))


@login_required
@require_POST
def upload_attachment(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    filing = _to_change(request, filing_id)
    if isinstance(filing, HttpResponse):
        return filing
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and say what it is."))
        return redirect("filing:filing", filing_id=filing.public_id)
    upload = form.cleaned_data["file"]
    try:
        actions.add_attachment(
            filing=filing,
            actor=_user(request),
            content=upload,
            filename=upload.name,
            role=form.cleaned_data["role"],
            title=form.cleaned_data["title"],
            page_count=form.cleaned_data["page_count"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is attached."))
    return redirect("filing:filing", filing_id=filing.public_id)


@login_required
@require_POST
def delete_attachment(request: HttpRequest, filing_id: uuid.UUID, attachment_id: uuid.UUID) -> HttpResponse:
    filing = _to_change(request, filing_id)
    if isinstance(filing, HttpResponse):
        return filing
    attachment = filing.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        actions.remove_attachment(attachment=attachment, actor=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("filing:filing", filing_id=filing.public_id)


@login_required
@require_POST
def pay(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    filing = _to_change(request, filing_id)
    if isinstance(filing, HttpResponse):
        return filing
    callback = request.build_absolute_uri("/api/v1/payments/sandbox/callback")
    back = request.build_absolute_uri(reverse("filing:filing", kwargs={"filing_id": filing.public_id}))
    try:
        _payment, url = actions.start_payment(
            filing=filing, actor=_user(request), callback_url=callback, return_url=back
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("filing:filing", filing_id=filing.public_id)
    return redirect(reverse("filing:office") + url)


@login_required
@require_POST
def receipt(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    filing = _to_change(request, filing_id)
    if isinstance(filing, HttpResponse):
        return filing
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_receipt(filing=filing, receipt_number=form.cleaned_data["receipt_number"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The payment of the state fee is confirmed."))
    return redirect("filing:filing", filing_id=filing.public_id)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponseBase:
    filing = _filing(request, filing_id)
    if not filing.is_draft:
        return redirect("filing:filing", filing_id=filing.public_id)
    if not may_change(_user(request), filing):
        return _forbidden(request, _("Only the filer may change or send this filing; you may see it."))
    problem: DomainError | None = None
    status = 200
    if request.method == "POST":
        form = SignatureForm(request.POST)
        if form.is_valid():
            try:
                signature = base64.b64decode(form.cleaned_data["signature"], validate=True)
            except (binascii.Error, ValueError):
                signature = b""
            try:
                actions.submit_filing(filing=filing, signature=signature, actor=_user(request))
            except DomainError as error:
                problem, status = error, error.http_status
            else:
                messages.success(request, _("The filing is signed and sent to the court."))
                return redirect("filing:filing", filing_id=filing.public_id)
    try:
        actions.check_ready(filing)
    except DomainError as error:
        problem = problem or error
        ready = False
    else:
        ready = True
    manifest = canonical_manifest(filing)
    return render(
        request,
        "filing/sign.html",
        {
            "filing": filing,
            "ready": ready,
            "problem": problem,
            "problems": named_problems(problem.fields, problem.message) if problem is not None else None,
            "manifest": manifest.decode(),
            "manifest_base64": base64.b64encode(manifest).decode(),
            "summary": signing_summary(filing),
            "quote": actions.quote_fee(filing),
            "fee_amount": amount_words(filing.fee_amount) if filing.fee_amount else "",
            "is_psc": filing.channel == Channel.PSC,
        },
        status=status,
    )


# The sandbox gateway's own page (what a bank would host)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, order_id: str) -> HttpResponseBase:
    charge = SandboxCharge.objects.filter(order_id=order_id).first()
    if charge is None or not SandboxGateway().enabled:
        raise Http404
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and charge.status != PaymentStatus.PAID:
        sandbox = SandboxGateway()
        charged = sandbox.charge(order_id=order_id, card_number=form.cleaned_data["card_number"])
        if charged is not None:
            sandbox.deliver_callback(charged)
            if charged.status == PaymentStatus.PAID:
                return redirect(charged.return_url)
            charge = charged
    return render(request, "filing/sandbox_pay.html", {"charge": charge, "form": form})


# My cases


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(request, "filing/my_cases.html", {"cases": queries.cases_of_party(_user(request))[:200]})


@login_required
@never_cache
def my_case(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    if not queries.cases_of_party(user).filter(number=number).exists():
        return _not_found(request, _("There is no case %(number)s that you may see.") % {"number": number})
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    return render(
        request,
        "filing/my_case.html",
        {
            "case": case,
            "parties": parties_of(case),
            "documents": documents_of(case),
            "journal": journal(case),
            "hearings": hearings_of(user).filter(case=case).order_by("starts_at"),
            "terms": terms_of_case(case),
            "filings": filings_visible_to(user).filter(case=case),
            "acts": announced_acts_of(case),
            "appeals": appeals_for_party(case, iin_of(user) or "", clock.today()),
        },
    )


# The Public Service Centre


@login_required
@require_http_methods(["GET", "POST"])
def psc(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_psc_operator(user):
        return render(request, "filing/forbidden.html", status=403)
    assert user is not None  # noqa: S101 - an operator is logged in
    form = PscStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing = actions.start_psc_filing(
                operator=user, kind=form.cleaned_data["kind"], citizen_iin=form.cleaned_data["citizen_iin"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("filing:filing", filing_id=filing.public_id)
    filings = Filing.objects.filter(created_by=user, channel=Channel.PSC).order_by("-created_at")[:50]
    return render(request, "filing/psc.html", {"form": form, "filings": filings})


@login_required
@require_http_methods(["GET", "POST"])
def psc_confirm(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponseBase:
    user = _user(request)
    filing = _filing(request, filing_id)
    if filing.channel != Channel.PSC or not filing.is_draft or not may_change(user, filing):
        return render(request, "filing/forbidden.html", status=403)
    assert user is not None  # noqa: S101
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = PscConfirmForm(request.POST if action == "confirm" else None)
    problem = None
    if action == "send":
        # The code goes to the phone on the citizen's record; without one, to the number the citizen
        # gives at the counter (never shown the code, the operator only types the number).
        try:
            actions.send_psc_code(filing=filing, operator=user, counter_phone=request.POST.get("counter_phone", ""))
        except DomainError as error:
            problem = error
    if action == "confirm" and confirm_form.is_valid():
        try:
            actions.confirm_psc_filing(filing=filing, operator=user, code=confirm_form.cleaned_data["code"])
        except DomainError as error:
            problem = error
        else:
            messages.success(request, _("The citizen confirmed the filing; it is sent to the court."))
            return redirect("filing:filing", filing_id=filing.public_id)
    sent = filing.psc_confirmations.order_by("-sent_at").first()
    on_record = actions.phone_on_record(filing)
    no_phone = actions.no_phone_refusal(filing)
    shown = problem if problem is not None and problem.code != no_phone.code else None
    return render(
        request,
        "filing/psc_confirm.html",
        {
            "filing": filing,
            "confirm_form": confirm_form,
            "problem": shown,
            "problems": named_problems(shown.fields, shown.message) if shown is not None else None,
            "sent_to": actions.masked_phone(sent.phone) if sent is not None else "",
            "sent": sent is not None,
            "on_record": bool(on_record),
            "no_phone_message": no_phone.message,
            "counter_phone": request.POST.get("counter_phone", "") if action == "send" else "",
        },
        status=problem.http_status if problem is not None else 200,
    )


# The person's own phone on record


@login_required
def my_phone(request: HttpRequest) -> HttpResponse:
    """The logged-in person's mobile number on record: given here, confirmed by the code sent to it."""
    user = _user(request)
    if not iin_of(user):
        return render(request, "filing/forbidden.html", status=403)
    action = request.POST.get("action") if request.method == "POST" else None
    phone_form = PhoneForm(request.POST if action == "send" else None)
    code_form = PhoneCodeForm(request.POST if action == "confirm" else None)
    problem: DomainError | None = None
    if action == "send" and phone_form.is_valid():
        try:
            actions.send_phone_code(user=user, phone=phone_form.cleaned_data["phone"])
        except DomainError as error:
            problem = error
        else:
            return redirect("filing:phone")
    if action == "confirm" and code_form.is_valid():
        try:
            actions.confirm_phone(user=user, code=code_form.cleaned_data["code"])
        except DomainError as error:
            problem = error
        else:
            messages.success(request, _("Your mobile phone is on record."))
            return redirect("filing:phone")
    assert user is not None  # noqa: S101 - login_required
    pending = queries.pending_confirmation(user)
    on_record = user.person.phone if user.person is not None else ""
    return render(
        request,
        "filing/phone.html",
        {
            "on_record": actions.masked_phone(on_record) if on_record else "",
            "pending_to": actions.masked_phone(pending.phone) if pending is not None else "",
            "phone_form": phone_form,
            "code_form": code_form,
            "problem": problem,
        },
        status=problem.http_status if problem is not None else 200,
    )


# Statistics


def statistics(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = PeriodForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["start"] <= form.cleaned_data["end"]:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = today.replace(day=1), today
        form = PeriodForm(initial={"start": start, "end": end})
    stats = queries.statistics(start, end)
    channels = dict(Channel.choices)
    kinds = dict(FilingKind.choices)
    rows = [
        {
            "channel": channels.get(str(r["channel"]), r["channel"]),
            "kind": kinds.get(str(r["kind"]), r["kind"]),
            "count": r["count"],
        }
        for r in stats.by_channel_and_kind
    ]
    cases = [{"channel": channels.get(k, k), "count": v} for k, v in sorted(stats.cases_by_channel.items())]
    return render(request, "filing/statistics.html", {"form": form, "stats": stats, "rows": rows, "cases": cases})
