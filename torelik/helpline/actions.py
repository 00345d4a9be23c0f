"""Every write of the helpline: a call registered (answered at once or routed with its term), a caller
identified as a party by a code sent to the phone on record, a case looked up (recorded as a staff
opening of the case file), a web form filed after its phone is confirmed, a routed request answered and
the caller told through the notifications outbox. The codes reuse the subpoenas' machinery: random
digits, keyed hashes, the database lockout per phone and address (ADR 0028, ADR 0087)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import record_case_access, record_case_event
from torelik.cases.models import AccessKind, Case, CaseEventKind
from torelik.core import clock
from torelik.core.identifiers import IIN, IdentifierError
from torelik.core.rows import counted
from torelik.core.tokens import keyed_digest, keyed_digests
from torelik.courts.models import Court
from torelik.deadlines.working_calendar import working_calendar
from torelik.helpline import access, queries
from torelik.helpline.errors import (
    HelplineError,
    HelplineErrorCode,
    HelplineForbiddenError,
    HelplineNotFoundError,
    TooManyCodesError,
)
from torelik.helpline.models import (
    Call,
    CallChannel,
    CallCounter,
    CallerCode,
    CallStatus,
    Category,
    CodePurpose,
    Routing,
)
from torelik.identity.models import Language, Person, User
from torelik.notifications.actions import enqueue
from torelik.notifications.errors import InvalidPhoneError
from torelik.notifications.models import Template
from torelik.notifications.phones import normalise_phone
from torelik.summons import secret_codes
from torelik.summons.actions import code_lockout
from torelik.summons.errors import SummonsErrorCode

CODE_TTL = dt.timedelta(minutes=10)
CODES_PER_PHONE_PER_HOUR = 3
CODES_PER_ADDRESS_PER_HOUR = 10
NAMESPACE = "torelik.helpline"


def _refusal(error: HelplineErrorCode, message: Promise, field: str, **params: object) -> HelplineError:
    text = str(message) % params if params else str(message)
    return HelplineError(error, message, params=params, fields={field: [text]})


def parse_iin(raw: str) -> str:
    """An IIN checked with its check digit and birth date (`core.identifiers`), or '' when none is given."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        return IIN.parse(text).value
    except IdentifierError as error:
        raise HelplineError(HelplineErrorCode.INVALID, error.message, fields={"caller_iin": [error.message]}) from error


def _phone(raw: str, field: str = "caller_phone") -> str:
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        return normalise_phone(text)
    except InvalidPhoneError as error:
        raise HelplineError(HelplineErrorCode.INVALID, error.message, fields={field: [error.message]}) from error


def _email(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError as error:
        message = _("%(email)s is not an e-mail address.")
        raise _refusal(HelplineErrorCode.INVALID, message, "caller_email", email=text) from error
    return text


def _category(code: str) -> Category:
    found = queries.category(code or "")
    if found is None:
        raise _refusal(HelplineErrorCode.CATEGORY_NOT_FOUND, _("Choose the category of the call."), "category")
    return found


def _court(code: str) -> Court | None:
    if not (code or "").strip():
        return None
    found = queries.court_by_code(code)
    if found is None:
        raise _refusal(
            HelplineErrorCode.COURT_NOT_FOUND,
            _("There is no court with the code %(code)s."),
            "court",
            code=code.strip(),
        )
    return found


def _case(number: str) -> Case | None:
    if not (number or "").strip():
        return None
    found = queries.case_by_number(number)
    if found is None:
        raise _refusal(
            HelplineErrorCode.CASE_NOT_FOUND, _("There is no case %(number)s."), "case_number", number=number.strip()
        )
    return found


def _require_operator(user: User | None) -> User:
    if user is None or not access.is_operator(user):
        raise HelplineForbiddenError(
            HelplineErrorCode.NOT_OPERATOR, _("Only a call-centre operator registers calls and looks cases up.")
        )
    return user


def _next_number(now: dt.datetime) -> str:
    year = now.astimezone(queries.LOCAL).year
    sequence = counted(CallCounter, "last", year=year)
    return f"1401-{year % 100:02d}-{sequence:06d}"


def answer_term(category: Category, received: dt.date) -> dt.date:
    """The last day of the answer: the category's working days after the day received (the day itself not
    counted), by the working calendar of the deadlines context."""
    return working_calendar().add_working_days(received, category.answer_days, explain=False).end


@dataclass(frozen=True)
class CallInput:
    channel: str
    language: str
    category: str
    question: str
    caller_name: str = ""
    caller_iin: str = ""
    caller_phone: str = ""
    caller_email: str = ""
    court: str = ""
    case_number: str = ""
    answer_now: str = ""
    journal_consent: bool = False


def _checked(data: CallInput) -> tuple[Category, Court | None, Case | None, str, str, str]:
    if data.channel not in CallChannel.values:
        raise _refusal(HelplineErrorCode.INVALID, _("Choose the channel of the call."), "channel")
    if data.language not in Language.values:
        raise _refusal(HelplineErrorCode.INVALID, _("Choose the caller's language."), "language")
    if not data.question.strip():
        raise _refusal(HelplineErrorCode.INVALID, _("Write down the caller's question."), "question")
    iin = parse_iin(data.caller_iin)
    phone = _phone(data.caller_phone)
    email = _email(data.caller_email)
    category = _category(data.category)
    case = _case(data.case_number)
    court = case.court if case is not None else _court(data.court)
    return category, court, case, iin, phone, email


def _route(category: Category, court: Court | None, answered: bool) -> tuple[str, Court | None]:
    if answered:
        return Routing.NONE, None
    routing = category.routing
    if routing in (Routing.NONE, Routing.COURT):
        if court is None:
            if routing == Routing.COURT:
                raise _refusal(
                    HelplineErrorCode.COURT_NOT_FOUND,
                    _("A complaint goes to the court concerned: name the court or the case."),
                    "court",
                )
            routing = Routing.SUPREME
        else:
            return Routing.COURT, court
    supreme = queries.supreme_court()
    if supreme is None:
        raise _refusal(HelplineErrorCode.COURT_NOT_FOUND, _("The Supreme Court is not in the registry."), "court")
    return routing, supreme


@transaction.atomic
def register_call(
    *, operator: User | None, data: CallInput, identified_person_id: int | None = None, now: dt.datetime | None = None
) -> Call:
    """Register a call (or a web form, when `operator` is None): answered at once when the operator wrote the
    answer and the category allows it, routed otherwise with the category's answer term."""
    if data.channel != CallChannel.WEB_FORM:
        _require_operator(operator)
    moment = now or clock.now()
    category, court, case, iin, phone, email = _checked(data)
    answer = data.answer_now.strip()
    answered = bool(answer) and category.routing == Routing.NONE
    routing, routed_to = _route(category, court, answered)
    identified = False
    if identified_person_id is not None:
        person = Person.objects.filter(pk=identified_person_id).first()
        identified = person is not None and (not iin or person.iin == iin)
        iin = iin or (person.iin if person is not None else "")
    call = Call.objects.create(
        number=_next_number(moment),
        received_at=moment,
        operator=operator,
        channel=data.channel,
        language=data.language,
        caller_name=data.caller_name.strip()[:200],
        caller_iin=iin,
        caller_phone=phone,
        caller_email=email,
        identified=identified,
        category=category,
        court=court,
        case=case,
        question=data.question.strip(),
        status=CallStatus.ANSWERED_AT_ONCE if answered else CallStatus.ROUTED,
        routing=routing,
        routed_to=routed_to,
        due_on=None if answered else answer_term(category, moment.astimezone(queries.LOCAL).date()),
        answer=answer if answered else "",
        answered_at=moment if answered else None,
        answered_by=operator if answered else None,
        journal_consent=bool(data.journal_consent),
    )
    if case is not None and _journaled(call):
        record_case_event(
            case=case,
            kind=CaseEventKind.HELPLINE_COMPLAINT,
            actor=operator,
            data={"request": call.number, "category": category.code},
        )
    return call


def _journaled(call: Call) -> bool:
    """A request about a case joins its journal only with the caller's consent, only when it is a routed
    complaint, and never a report of corruption (the court complained about reads the journal)."""
    return bool(
        call.case_id is not None
        and call.journal_consent
        and call.status != CallStatus.ANSWERED_AT_ONCE
        and call.routing != Routing.CORRUPTION
    )


def record_lookup(*, operator: User, case: Case, ip_address: str | None = None) -> None:
    """An operator's look at a case, recorded like any staff opening of its file (read by the chairman)."""
    _require_operator(operator)
    record_case_access(case=case, user=operator, kind=AccessKind.CASE_OPENED, ip_address=ip_address)


def _code_hash(purpose: str, phone: str, code: str) -> str:
    return keyed_digest(NAMESPACE, purpose, phone, code)


def _sent_recently(**filters: object) -> int:
    return CallerCode.objects.filter(sent_at__gt=clock.now() - dt.timedelta(hours=1), **filters).count()


def _send_code(
    *,
    purpose: str,
    phone: str,
    language: str,
    person: Person | None = None,
    operator: User | None = None,
    ip_address: str | None = None,
    draft: dict[str, str] | None = None,
) -> CallerCode:
    if _sent_recently(phone=phone) >= CODES_PER_PHONE_PER_HOUR or (
        ip_address and _sent_recently(ip_address=ip_address) >= CODES_PER_ADDRESS_PER_HOUR
    ):
        raise TooManyCodesError(
            HelplineErrorCode.TOO_MANY_CODES,
            _("Too many codes were sent to this phone or from this address in the last hour; try again later."),
        )
    code = secret_codes.new_code()
    now = clock.now()
    row = CallerCode.objects.create(
        purpose=purpose,
        person=person,
        phone=phone,
        code_hash=_code_hash(purpose, phone, code),
        sent_at=now,
        expires_at=now + CODE_TTL,
        operator=operator,
        ip_address=ip_address,
        draft=draft or {},
    )
    code_lockout.reset(secret_codes.throttle_key("helpline", phone))
    with translation.override(language):
        why = (
            _("you confirm to the courts' helpline that you are a party")
            if purpose == CodePurpose.IDENTIFY
            else _("you confirm your request to the courts' helpline")
        )
        enqueue(
            template=Template.CONFIRMATION_CODE,
            language=language,
            payload={"code": code, "purpose": str(why)},
            phone=phone,
            cause=f"helpline-code:{row.pk}",
        )
    return row


@transaction.atomic
def send_identification_code(*, operator: User, iin: str) -> CallerCode:
    """Send a code to the phone on record of the party with this IIN; the operator never sees it."""
    _require_operator(operator)
    value = parse_iin(iin)
    if not value:
        raise _refusal(HelplineErrorCode.INVALID, _("Type the caller's IIN."), "caller_iin")
    person = queries.person_by_iin(value)
    if person is None or not queries.cases_of_person(person.pk, limit=1):
        raise _refusal(
            HelplineErrorCode.NOT_A_PARTY, _("No case has a party with the IIN %(iin)s."), "caller_iin", iin=value
        )
    phone = queries.phone_on_record(person)
    if not phone:
        raise _refusal(
            HelplineErrorCode.NO_PHONE_ON_RECORD,
            _("The party has no mobile phone on record: only public information can be given."),
            "caller_iin",
        )
    return _send_code(
        purpose=CodePurpose.IDENTIFY,
        phone=_phone(phone),
        language=person.preferred_language or Language.KAZAKH,
        person=person,
        operator=operator,
    )


def _check_code(purpose: str, phone: str, code: str, ip_address: str | None, **filters: object) -> CallerCode:
    digits = secret_codes.clean_code(code)
    keys = [(secret_codes.throttle_key("helpline", phone), settings.TORELIK_CODE_ATTEMPTS)]
    if ip_address:
        keys.append((secret_codes.throttle_key("address", ip_address), settings.TORELIK_CODE_ADDRESS_ATTEMPTS))
    digests = keyed_digests(NAMESPACE, purpose, phone, digits)
    found, locked_until, left = code_lockout.attempt(
        keys,
        lambda: (
            CallerCode.objects.filter(
                purpose=purpose, phone=phone, code_hash__in=digests, used_at=None, expires_at__gt=clock.now(), **filters
            )
            .order_by("-sent_at")
            .first()
        ),
    )
    if found is None:
        if locked_until is not None:
            raise code_lockout.locked(locked_until)
        raise code_lockout.wrong(left, _("The code is wrong or has expired."), SummonsErrorCode.WRONG_CODE)
    CallerCode.objects.filter(pk=found.pk).update(used_at=clock.now())
    return found


def confirm_identification(*, operator: User, iin: str, code: str) -> Person:
    """The caller read back the code sent to the party's phone: the caller is that party (for this call)."""
    _require_operator(operator)
    value = parse_iin(iin)
    person = queries.person_by_iin(value) if value else None
    if person is None:
        raise _refusal(
            HelplineErrorCode.NOT_A_PARTY, _("No case has a party with the IIN %(iin)s."), "caller_iin", iin=value
        )
    phone = _phone(queries.phone_on_record(person))
    _check_code(CodePurpose.IDENTIFY, phone, code, None, person=person)
    return person


@transaction.atomic
def start_web_request(*, data: CallInput, ip_address: str | None) -> CallerCode:
    """A request from the public page: checked in full, kept with the code sent to its phone, and filed
    once the code is typed back (a bot is stopped by the limits per phone and per address)."""
    _checked(data)
    phone = _phone(data.caller_phone)
    if not phone:
        raise _refusal(HelplineErrorCode.INVALID, _("Give your mobile phone: the code goes to it."), "caller_phone")
    draft = {name: str(getattr(data, name)) for name in CallInput.__dataclass_fields__ if name != "journal_consent"}
    draft["channel"] = CallChannel.WEB_FORM
    draft["journal_consent"] = "1" if data.journal_consent else ""
    return _send_code(
        purpose=CodePurpose.WEB_FORM, phone=phone, language=data.language, ip_address=ip_address, draft=draft
    )


def confirm_web_request(*, code_id: int, code: str, ip_address: str | None) -> Call:
    pending = CallerCode.objects.filter(pk=code_id, purpose=CodePurpose.WEB_FORM).first()
    if pending is None:
        raise HelplineNotFoundError(HelplineErrorCode.CALL_NOT_FOUND, _("Fill in the form again."))
    found = _check_code(CodePurpose.WEB_FORM, pending.phone, code, ip_address, pk=pending.pk)
    fields = [name for name in CallInput.__dataclass_fields__ if name != "journal_consent"]
    data = CallInput(
        **{name: str(found.draft.get(name, "")) for name in fields},
        journal_consent=bool(found.draft.get("journal_consent")),
    )
    return register_call(operator=None, data=data)


def follow_url(call: Call) -> str:
    """Where the caller reads the answer (the SMS is kept short: the answer itself may be long)."""
    with translation.override(call.language):
        path = reverse("helpline:follow")
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}?number={call.number}"


def follow_request(*, number: str, phone: str, ip_address: str | None) -> Call:
    """A request followed on the public page by its number and phone: a miss is counted per client address
    under the subpoenas' lockout, so that nobody walks through the numbers trying phones."""
    if "@" in phone:
        normalised = phone.strip()
    else:
        try:
            normalised = normalise_phone(phone)
        except InvalidPhoneError:
            normalised = ""
    keys = [(secret_codes.throttle_key("helpline-follow", ip_address or "-"), settings.TORELIK_CODE_ADDRESS_ATTEMPTS)]
    found, locked_until, _left = code_lockout.attempt(keys, lambda: queries.followed_call(number, normalised))
    if found is None:
        if locked_until is not None:
            raise code_lockout.locked(locked_until)
        raise HelplineNotFoundError(HelplineErrorCode.CALL_NOT_FOUND, _("No request has this number and phone."))
    return found


@transaction.atomic
def answer_call(*, user: User, call: Call, answer: str) -> Call:
    """The court's (or department's) answer: recorded, and sent to the caller by SMS or e-mail in their
    language through the outbox (the workers send it); without either, the operator is to call back."""
    current = Call.objects.select_for_update().get(pk=call.pk)
    if not access.may_answer(user, current):
        raise HelplineForbiddenError(HelplineErrorCode.NOT_ANSWERER, _("This request is not yours to answer."))
    if current.status != CallStatus.ROUTED:
        raise HelplineError(HelplineErrorCode.ALREADY_ANSWERED, _("This request has been answered already."))
    text = answer.strip()
    if not text:
        raise _refusal(HelplineErrorCode.INVALID, _("Write the answer."), "answer")
    current.answer = text
    current.answered_at = clock.now()
    current.answered_by = user
    if current.caller_phone or current.caller_email:
        message = enqueue(
            template=Template.HELPLINE_ANSWER,
            language=current.language,
            payload={"number": current.number, "url": follow_url(current)},
            phone=current.caller_phone,
            email=current.caller_email,
            recipient_name=current.caller_name,
            cause=f"helpline-answer:{current.public_id}",
            court=current.routed_to,
            case=current.case,
        )
        current.message_id = str(message.public_id)
        current.status = CallStatus.ANSWERED
    else:
        current.status = CallStatus.CALL_BACK
    current.save(update_fields=["answer", "answered_at", "answered_by", "message_id", "status", "updated_at"])
    if _journaled(current) and current.case is not None:
        record_case_event(
            case=current.case,
            kind=CaseEventKind.HELPLINE_ANSWERED,
            actor=user,
            data={"request": current.number, "category": current.category.code},
        )
    return current


@transaction.atomic
def close_call_back(*, operator: User, call: Call) -> Call:
    """The operator called the caller back with the answer."""
    _require_operator(operator)
    updated = Call.objects.filter(pk=call.pk, status=CallStatus.CALL_BACK).update(status=CallStatus.CLOSED)
    call.refresh_from_db()
    if not updated:
        raise HelplineError(HelplineErrorCode.ALREADY_ANSWERED, _("This request has no call back waiting."))
    return call
