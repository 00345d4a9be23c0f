"""Every write of the acts context: draft an act and revise it, prepare it for the judge's signature
and sign it, announce it, record its delivery to a party, record an appeal, and the system's own
entry into force. Each writes its journal entry in the case's journal in the same transaction.

The invariant kept here: an act is signed only by the case's judge, with that judge's own SIGN
certificate, and only the system records that an act entered into force."""

import base64
import datetime as dt
import hashlib
import io
import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from torelik.acts import signing
from torelik.acts.access import may_draft, may_record_delivery, may_sign
from torelik.acts.act_pdf import PrintedAct, render_act_pdf
from torelik.acts.act_text import first_draft
from torelik.acts.entry_into_force import appeal_term, start_event
from torelik.acts.errors import ActConflictError, ActError, ActErrorCode, ActForbiddenError
from torelik.acts.kinds import ActKind, Force, kind_of, kinds_for
from torelik.acts.models import (
    Act,
    ActService,
    ActStatus,
    ActVersion,
    ReviewOutcome,
    ServiceChannel,
)
from torelik.acts.writ import render_writ_pdf
from torelik.archive.timestamps import TimestampError
from torelik.cases.actions import (
    DocumentInput,
    add_document,
    change_status,
    record_case_event,
)
from torelik.cases.models import (
    REPRESENTING_ROLES,
    Case,
    CaseEventKind,
    CaseLink,
    CaseLinkKind,
    CaseStatus,
    Document,
    Instance,
    Party,
    PartyRole,
)
from torelik.cases.statuses import can_move
from torelik.core import clock
from torelik.hearings.models import Hearing, HearingStatus
from torelik.identity.eds import verify_detached
from torelik.identity.models import Language, User
from torelik.identity.pades import court_seal, seal_pdf
from torelik.identity.pki import KeyPurpose
from torelik.notifications import actions as notices
from torelik.notifications.errors import NotificationError
from torelik.notifications.models import Template
from torelik.post import actions as post
from torelik.post.models import Letter, LetterKind, enclosure

logger = logging.getLogger("torelik.acts")

PARTS = ("title", "introductory", "descriptive", "reasoning", "operative")
ACT_LANGUAGES = (Language.KAZAKH, Language.RUSSIAN)


def kind_or_error(case: Case, code: str) -> ActKind:
    kind = kind_of(code)
    if kind is None or kind not in kinds_for(case.proceeding_type, case.instance):
        allowed = ", ".join(k.name for k in kinds_for(case.proceeding_type, case.instance)) or "—"
        raise ActError(
            ActErrorCode.KIND_NOT_IN_PROCEEDING,
            _("A case of this proceeding and instance has no act of this kind. Its acts are: %(allowed)s."),
            params={"allowed": allowed},
            fields={"kind": [str(_("Choose a kind of act of this proceeding."))]},
        )
    return kind


def _parties(case: Case) -> list[Party]:
    return list(case.parties.select_related("person", "organisation").order_by("id"))


def _check_drafter(actor: User, case: Case) -> None:
    if not may_draft(actor, case):
        raise ActForbiddenError(
            ActErrorCode.NOT_DRAFTER,
            _("Only the case's judge, or the assistant or secretary working for that judge, drafts its acts."),
        )


@transaction.atomic
def draft_act(
    *, case: Case, kind: str, language: str, actor: User, reviews: Act | None = None, outcome: str = ""
) -> Act:
    """A new act of `case` with its first version written from the case's facts."""
    _check_drafter(actor, case)
    act_kind = kind_or_error(case, kind)
    if language not in ACT_LANGUAGES:
        raise ActError(
            ActErrorCode.LANGUAGE,
            _("An act is written in Kazakh or Russian, the languages of proceedings."),
            fields={"language": [str(_("Choose Kazakh or Russian."))]},
        )
    if outcome and outcome not in ReviewOutcome.values:
        raise ActError(ActErrorCode.KIND_NOT_IN_PROCEEDING, _("Choose what the review decided."))
    if reviews is None and case.instance != Instance.FIRST:
        reviews = act_under_review(case)
    hearing_days = sorted(
        {
            timezone.localdate(h.starts_at)
            for h in Hearing.objects.filter(case=case).exclude(status=HearingStatus.CANCELLED).only("starts_at")
        }
    )
    parts = first_draft(
        case=case,
        kind=act_kind,
        language=language,
        parties=_parties(case),
        hearing_days=hearing_days,
        today=clock.today(),
    )
    act = Act.objects.create(
        case=case, kind=act_kind.code, language=language, drafted_by=actor, reviews=reviews, outcome=outcome
    )
    ActVersion.objects.create(act=act, number=1, author=actor, created_at=clock.now(), **parts.as_dict())
    return act


def latest_version(act: Act) -> ActVersion:
    version = act.versions.order_by("-number").first()
    if version is None:  # pragma: no cover - every act is created with its first version
        raise ActError(ActErrorCode.NOT_A_DRAFT, _("The act has no text."))
    return version


def _lock(pk: int) -> Act:
    """The act under its row lock (the act's row alone: PostgreSQL locks no row of an outer join's
    nullable side), with its case, court and judge."""
    return Act.objects.select_for_update(of=("self",)).select_related("case__court", "case__judge__person").get(pk=pk)


def _locked_draft(act: Act) -> Act:
    locked = _lock(act.pk)
    if locked.status != ActStatus.DRAFT:
        raise ActConflictError(ActErrorCode.NOT_A_DRAFT, _("The act is signed: its text no longer changes."))
    return locked


@transaction.atomic
def revise_act(*, act: Act, parts: Mapping[str, str], actor: User) -> ActVersion:
    """A new version of the draft; the earlier versions stay as they were."""
    locked = _locked_draft(act)
    _check_drafter(actor, locked.case)
    cleaned = {name: str(parts.get(name, "")).strip() for name in PARTS}
    empty = [name for name, text in cleaned.items() if not text]
    if empty:
        raise ActError(
            ActErrorCode.EMPTY_PART,
            _("Every part of the act must be written."),
            fields={name: [str(_("This part is empty."))] for name in empty},
        )
    number = latest_version(locked).number + 1
    version = ActVersion.objects.create(act=locked, number=number, author=actor, created_at=clock.now(), **cleaned)
    locked.pending_pdf, locked.pending_range, locked.pending_version = None, [], None
    locked.save(update_fields=["pending_pdf", "pending_range", "pending_version", "updated_at"])
    return version


def verify_url(act: Act) -> str:
    with translation.override(act.language):
        path = reverse("acts:verify", args=[act.verify_token])
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}"


def printed(act: Act, version: ActVersion, *, for_signing: bool) -> PrintedAct:
    case = act.case
    return PrintedAct(
        language=act.language,
        court=case.court.name_kk if act.language == Language.KAZAKH else case.court.name_ru,
        number=case.number,
        dated=clock.today().strftime("%d.%m.%Y"),
        title=version.title,
        introductory=version.introductory,
        descriptive=version.descriptive,
        reasoning=version.reasoning,
        operative=version.operative,
        judge=case.judge.person.full_name if case.judge is not None else "—",
        verify_url=verify_url(act) if for_signing else "",
    )


def preview_pdf(act: Act) -> bytes:
    """The draft as it will be printed (marked as a draft, without the QR code)."""
    return render_act_pdf(printed(act, latest_version(act), for_signing=False))


@transaction.atomic
def prepare_signing(*, act: Act, actor: User) -> signing.Prepared:
    """The PDF of the latest version with room for the judge's signature, kept until it is signed;
    what the judge's signing program signs is its `signed_bytes`."""
    locked = _locked_draft(act)
    if not may_sign(actor, locked.case):
        raise ActForbiddenError(ActErrorCode.NOT_THE_JUDGE, _("Only the judge of the case signs its acts."))
    if not locked.verify_token:
        locked.verify_token = new_token()
    version = latest_version(locked)
    kind = kind_of(locked.kind)
    reason = kind.name_ru if kind is not None else ""
    prepared = signing.prepare(
        render_act_pdf(printed(locked, version, for_signing=True)), reason=reason, location=locked.case.court.name_ru
    )
    locked.pending_pdf = prepared.pdf
    locked.pending_range = [prepared.start, prepared.end]
    locked.pending_version = version.number
    locked.save(update_fields=["verify_token", "pending_pdf", "pending_range", "pending_version", "updated_at"])
    return prepared


def new_token() -> str:
    """The act's verification code: unguessable (256 bits), the key of its public page."""
    return secrets.token_urlsafe(32)


def pending_of(act: Act) -> signing.Prepared | None:
    if not act.pending_pdf or len(act.pending_range) != 2:
        return None
    return signing.Prepared(pdf=bytes(act.pending_pdf), start=act.pending_range[0], end=act.pending_range[1])


def _timestamped(signature: bytes) -> tuple[bytes, dt.datetime, str]:
    url = str(getattr(settings, "TORELIK_TSA_URL", ""))
    if not url:
        raise ActError(
            ActErrorCode.NO_TIMESTAMP_AUTHORITY,
            _("No time-stamping authority is configured: an act cannot be signed without a trusted time."),
        )
    try:
        stamped, stamp = signing.with_timestamp(signature, url, timeout=float(settings.TORELIK_TSA_TIMEOUT))
    except TimestampError as error:
        logger.warning("act timestamp failed: %s", error)
        raise ActError(
            ActErrorCode.TIMESTAMP_FAILED,
            _("The time-stamping authority did not answer: the act is not signed yet. Sign it again in a moment."),
        ) from error
    return stamped, stamp.moment, stamp.authority


def _der(signature: bytes) -> bytes:
    """The CMS as DER: NCALayer answers base64 (already checked readable by `verify_detached`)."""
    if signature[:1] == b"\x30":
        return signature
    return base64.b64decode(b"".join(signature.split()))


def sign_act(*, act: Act, actor: User, signature: bytes) -> Act:
    """Accept the judge's detached CMS over the prepared PDF: it must be valid, of a SIGN key, by a
    trusted, unrevoked certificate, and the judge's own; then timestamped and written into the PDF.
    Refused: nothing is written and the draft stays as it was."""
    act = Act.objects.select_related("case__court", "case__judge__person").get(pk=act.pk)
    if act.status != ActStatus.DRAFT:
        raise ActConflictError(ActErrorCode.NOT_A_DRAFT, _("The act is already signed."))
    if not may_sign(actor, act.case):
        raise ActForbiddenError(ActErrorCode.NOT_THE_JUDGE, _("Only the judge of the case signs its acts."))
    prepared = pending_of(act)
    if prepared is None:
        raise ActError(ActErrorCode.NOT_PREPARED, _("Open the act for signing first."))
    signer = verify_detached(prepared.signed_bytes, signature, purpose=KeyPurpose.SIGNING)
    judge_iin = str(act.case.judge.person.iin) if act.case.judge is not None else ""
    if signer.iin != judge_iin or (actor.person is not None and str(actor.person.iin) != signer.iin):
        raise ActForbiddenError(
            ActErrorCode.WRONG_SIGNER,
            _("The act was signed with the certificate of %(name)s, not of the case's judge."),
            params={"name": signer.common_name},
            fields={"signature": [str(_("Sign with your own signing certificate."))]},
        )
    stamped, stamped_at, authority = _timestamped(_der(signature))
    pdf = signing.complete(prepared, stamped)
    return record_signature(
        act=act,
        actor=actor,
        pdf=pdf,
        signer_name=signer.common_name,
        signer_iin=signer.iin,
        serial=signer.certificate_serial,
        issuer=signer.issuer,
        stamped_at=stamped_at,
        authority=authority,
        version=act.pending_version or 1,
    )


@transaction.atomic
def record_signature(
    *,
    act: Act,
    actor: User | None,
    pdf: bytes,
    signer_name: str,
    signer_iin: str,
    serial: str,
    issuer: str,
    stamped_at: dt.datetime,
    authority: str,
    version: int,
) -> Act:
    locked = _locked_draft(act)
    kind = kind_of(locked.kind)
    assert kind is not None  # noqa: S101 - a drafted act's kind is known
    with translation.override(locked.language):
        title = f"{kind.name} № {locked.case.number}"
    document = add_document(
        case=locked.case,
        document=DocumentInput(
            document_type=kind.document_type,
            title=title,
            filename=f"act-{locked.public_id}.pdf",
            content=io.BytesIO(pdf),
            page_count=max(1, pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")),
            dated=clock.today(),
        ),
        actor=actor,
    )
    now = clock.now()
    locked.status = ActStatus.SIGNED
    locked.document = document
    locked.signed_file = document.file
    locked.sha256 = hashlib.sha256(pdf).hexdigest()
    locked.signed_version = version
    locked.signed_at = now
    locked.signer_iin, locked.signer_name = signer_iin or "", signer_name
    locked.certificate_serial, locked.certificate_issuer = serial, issuer[:300]
    locked.timestamp_at, locked.timestamp_authority = stamped_at, authority[:300]
    locked.final_form_on = clock.today()
    locked.pending_pdf, locked.pending_range = None, []
    locked.save()
    record_case_event(
        case=locked.case,
        kind=CaseEventKind.ACT_SIGNED,
        actor=actor,
        data={
            "act": str(locked.public_id),
            "kind": locked.kind,
            "sha256": locked.sha256,
            "signer": signer_name,
            "certificate": serial,
            "timestamp": stamped_at.isoformat(),
            "final_form_on": locked.final_form_on.isoformat(),
        },
    )
    return locked


def _notify_parties(act: Act, parties: list[Party]) -> int:
    """An SMS to each party with a phone that the act is in the Judicial Office."""
    sent = 0
    kind = kind_of(act.kind)
    for party in parties:
        if not party.phone:
            continue
        language = party.preferred_language or Language.KAZAKH
        with translation.override(language):
            url = f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{reverse('acts:read', args=[act.public_id])}"
            name = kind.name if kind is not None else ""
        try:
            notices.enqueue(
                template=Template.DOCUMENT_RECEIVED,
                language=language,
                payload={"case_number": act.case.number, "document": name, "url": url},
                phone=party.phone,
                email=party.email,
                recipient_name=party.name,
                cause=f"act:{act.public_id}:{party.public_id}",
                court=act.case.court,
                case=act.case,
            )
            sent += 1
        except NotificationError:
            logger.warning("act notice not written for party %s", party.pk, exc_info=True)
    return sent


@transaction.atomic
def announce_act(*, act: Act, actor: User) -> Act:
    """The signed act is announced (made public to the parties): they can read it in the Judicial
    Office and get an SMS; an act in force at once (an appeal instance's) takes effect now."""
    locked = _lock(act.pk)
    if locked.status != ActStatus.SIGNED:
        raise ActConflictError(ActErrorCode.NOT_SIGNED, _("Only a signed act that is not yet announced is announced."))
    if not may_sign(actor, locked.case):
        raise ActForbiddenError(ActErrorCode.NOT_THE_JUDGE, _("Only the judge of the case announces its acts."))
    return _announce(locked, actor=actor)


def _announce(locked: Act, *, actor: User | None) -> Act:
    """`announce_act` once the caller holds the signed act locked and has checked the announcer."""
    kind = kind_of(locked.kind)
    assert kind is not None  # noqa: S101 - a drafted act's kind is known
    today = clock.today()
    locked.status, locked.announced_on = ActStatus.ANNOUNCED, today
    term = None
    if kind.appealable:
        event_date = start_event(kind, announced_on=today, final_form_on=locked.final_form_on, last_served_on=None)
        if event_date is not None:
            term = appeal_term(kind, event_date)
            locked.appeal_term_end = term.last_day
    locked.save(update_fields=["status", "announced_on", "appeal_term_end", "updated_at"])
    record_case_event(
        case=locked.case,
        kind=CaseEventKind.ACT_ANNOUNCED,
        actor=actor,
        data={
            "act": str(locked.public_id),
            "kind": locked.kind,
            "announced_on": today.isoformat(),
            "review": kind.review,
            **({"appeal_term": term.as_dict()} if term is not None else {}),
        },
    )
    if kind.ends_case and can_move(locked.case.status, CaseStatus.DECIDED):
        # The announcing judge's own procedural act (the system's when the demo seeds history).
        change_status(case=locked.case, to=CaseStatus.DECIDED, actor=actor, reason="act announced")
    parties = [p for p in _parties(locked.case) if p.role not in REPRESENTING_ROLES]
    _notify_parties(locked, parties)
    for party in parties:
        if not party.phone and not has_office_access(party):  # nobody to tell electronically: on paper
            serve_by_letter(act=locked, party=party, kind=LetterKind.HYBRID, actor=actor)
    if kind.force == Force.ON_SIGNING:
        _enter_into_force(locked, kind=kind, day=today, basis={"rule": kind.code, "legal_basis": kind.legal_basis})
    return locked


@transaction.atomic
def record_service(
    *,
    act: Act,
    party: Party,
    channel: str,
    actor: User | None,
    served_at: dt.datetime | None = None,
    letter: str = "",
) -> ActService | None:
    """The act delivered to `party` (read in the Judicial Office, handed over, or by post): the first
    delivery counts; a term that runs from delivery starts once every party has it. `served_at`: the
    moment of delivery when it is learnt later (a letter's delivery, reported by the post), `letter` its
    barcode."""
    if act.status not in (ActStatus.ANNOUNCED, ActStatus.APPEALED, ActStatus.IN_FORCE) or party.case_id != act.case_id:
        return None
    service, created = ActService.objects.get_or_create(
        act=act, party=party, defaults={"channel": ServiceChannel(channel), "served_at": served_at or clock.now()}
    )
    if not created:
        return service
    kind = kind_of(act.kind)
    term = None
    if kind is not None and kind.appealable and act.appeal_term_end is None:
        served = {s.party_id: s.served_at for s in ActService.objects.filter(act=act)}
        needed = [p.pk for p in _parties(act.case) if p.role not in REPRESENTING_ROLES]
        if all(pk in served for pk in needed):
            last = max(timezone.localdate(served[pk]) for pk in needed)
            event_date = start_event(
                kind, announced_on=act.announced_on, final_form_on=act.final_form_on, last_served_on=last
            )
            if event_date is not None:
                term = appeal_term(kind, event_date)
                act.appeal_term_end = term.last_day
                act.save(update_fields=["appeal_term_end", "updated_at"])
    data: dict[str, object] = {"act": str(act.public_id), "party": str(party.public_id), "channel": channel}
    if served_at is not None:
        data["served_on"] = timezone.localdate(served_at).isoformat()
    if letter:
        data["letter"] = letter
    if kind is not None and term is not None:
        # The delivery that completes the set starts a term counted from delivery: the deadlines open
        # theirs on it (ADR 0069).
        data |= {"review": kind.review, "appeal_term": term.as_dict()}
    record_case_event(case=act.case, kind=CaseEventKind.ACT_SERVED, actor=actor, data=data)
    return service


@transaction.atomic
def record_appeal(*, act: Act, actor: User | None, filed_on: dt.date, restore_term: bool = False) -> Act:
    """An appeal against `act` filed on `filed_on` (through the office or the Judicial Office). Filed
    within the term it holds the act back from entering into force; after the term it is accepted only
    with a motion to restore the term, never silently."""
    locked = Act.objects.select_for_update(of=("self",)).select_related("case").get(pk=act.pk)
    kind = kind_of(locked.kind)
    if kind is None or not kind.appealable:
        raise ActError(ActErrorCode.NOT_APPEALABLE, _("This act cannot be appealed."))
    if locked.status == ActStatus.APPEALED:
        raise ActConflictError(ActErrorCode.ALREADY_APPEALED, _("An appeal against this act is already filed."))
    if locked.status != ActStatus.ANNOUNCED:
        raise ActError(ActErrorCode.NOT_APPEALABLE, _("Only an announced act that is not in force is appealed here."))
    late = locked.appeal_term_end is not None and filed_on > locked.appeal_term_end
    if late and not restore_term:
        raise ActError(
            ActErrorCode.APPEAL_LATE,
            _("The appeal term ended on %(day)s: the appeal is accepted only with a motion to restore the term."),
            params={"day": locked.appeal_term_end.strftime("%d.%m.%Y") if locked.appeal_term_end else ""},
            fields={"restore_term": [str(_("Ask the court to restore the term."))]},
        )
    locked.status, locked.appealed_at = ActStatus.APPEALED, clock.now()
    locked.save(update_fields=["status", "appealed_at", "updated_at"])
    record_case_event(
        case=locked.case,
        kind=CaseEventKind.ACT_APPEALED,
        actor=actor,
        data={
            "act": str(locked.public_id),
            "filed_on": filed_on.isoformat(),
            "late": late,
            "restore_term": restore_term,
        },
    )
    if can_move(locked.case.status, CaseStatus.APPEALED):
        change_status(case=locked.case, to=CaseStatus.APPEALED, actor=None, reason="appeal filed")
    return locked


def _enter_into_force(act: Act, *, kind: ActKind, day: dt.date, basis: Mapping[str, object]) -> None:
    act.status, act.in_force_on, act.in_force_basis = ActStatus.IN_FORCE, day, dict(basis)
    act.save(update_fields=["status", "in_force_on", "in_force_basis", "updated_at"])
    record_case_event(
        case=act.case,
        kind=CaseEventKind.ENTERED_INTO_FORCE,
        actor=None,
        data={"act": str(act.public_id), "kind": act.kind, "in_force_on": day.isoformat(), **basis},
    )
    if kind.ends_case and can_move(act.case.status, CaseStatus.IN_FORCE):
        change_status(case=act.case, to=CaseStatus.IN_FORCE, actor=None, reason="entry into force")
    if kind.writ and act.writ_id is None:
        issue_writ(act=act, kind=kind)
    reviewed = act.reviews
    if reviewed is not None and reviewed.status == ActStatus.APPEALED:
        reviewed_kind = kind_of(reviewed.kind)
        if act.outcome in (ReviewOutcome.UPHELD, ReviewOutcome.CHANGED) and reviewed_kind is not None:
            _enter_into_force(
                reviewed,
                kind=reviewed_kind,
                day=day,
                basis={
                    "rule": act.kind,
                    "legal_basis": kind.legal_basis,
                    "review": str(act.public_id),
                    "outcome": act.outcome,
                },
            )
        elif act.outcome in (ReviewOutcome.QUASHED, ReviewOutcome.SENT_BACK):
            reviewed.status = ActStatus.QUASHED
            reviewed.save(update_fields=["status", "updated_at"])


def record_entries_into_force(*, today: dt.date | None = None) -> int:
    """The system's daily look: every announced act whose appeal term ran out before `today` with no
    appeal enters into force on the day after the term's last day (the rule, the term and the dates in
    the journal). Idempotent: an act in force is not looked at again."""
    today = today or clock.today()
    count = 0
    due = Act.objects.filter(status=ActStatus.ANNOUNCED, appeal_term_end__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            act = Act.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)
            kind = kind_of(act.kind)
            if act.status != ActStatus.ANNOUNCED or kind is None or kind.force != Force.AFTER_APPEAL_TERM:
                continue
            if act.appeal_term_end is None or act.appeal_term_end >= today:
                continue
            event_date = start_event(
                kind,
                announced_on=act.announced_on,
                final_form_on=act.final_form_on,
                last_served_on=max((timezone.localdate(s.served_at) for s in act.services.all()), default=None),
            )
            assert event_date is not None  # noqa: S101 - the term's end was computed from it
            term = appeal_term(kind, event_date)
            _enter_into_force(act, kind=kind, day=term.in_force_on, basis=term.as_dict())
            count += 1
    return count


def act_under_review(case: Case) -> Act | None:
    """The act of a lower court that a case of the appeal or cassation instance reviews: the latest
    appealed act of the case it was opened against (CaseLink APPEAL_OF)."""
    lower = CaseLink.objects.filter(from_case=case, kind=CaseLinkKind.APPEAL_OF).values_list("to_case", flat=True)
    return Act.objects.filter(case__in=list(lower), status=ActStatus.APPEALED).order_by("-announced_on", "-pk").first()


def attach_appeal(*, lower_case: Case, appeal_case: Case, actor: User | None) -> Act | None:
    """An appeal filed through the Judicial Office (which opened `appeal_case` at the higher court) is
    attached to the act it attacks: the latest announced, appealable act of `lower_case` not yet in
    force. Filed after the term, it is recorded as late with its motion to restore the term (the
    court decides on the motion; the act is held back meanwhile), never silently."""
    act = Act.objects.filter(case=lower_case, status=ActStatus.ANNOUNCED).order_by("-announced_on", "-pk").first()
    if act is None:
        return None
    today = clock.today()
    late = act.appeal_term_end is not None and today > act.appeal_term_end
    recorded = record_appeal(act=act, actor=actor, filed_on=today, restore_term=late)
    record_case_event(
        case=appeal_case,
        kind=CaseEventKind.ACT_APPEALED,
        actor=actor,
        data={"act": str(act.public_id), "lower_case": lower_case.number, "late": late, "restore_term": late},
    )
    return recorded


def issue_writ(*, act: Act, kind: ActKind) -> Document:
    """The writ of execution of an act in force, sealed by the court, as a document of the case."""
    parties = _parties(act.case)
    version = act.versions.filter(number=act.signed_version or 1).first() or latest_version(act)
    court = act.case.court
    with translation.override(act.language):
        act_name = f"{kind.name} № {act.case.number}"
    pdf = render_writ_pdf(
        language=act.language,
        court=court.name_kk if act.language == Language.KAZAKH else court.name_ru,
        number=act.case.number,
        act_name=act_name,
        in_force_on=act.in_force_on.strftime("%d.%m.%Y") if act.in_force_on else "",
        creditors=", ".join(p.name for p in parties if p.role in (PartyRole.CLAIMANT, PartyRole.APPLICANT)) or "—",
        debtors=", ".join(p.name for p in parties if p.role == PartyRole.DEFENDANT) or "—",
        operative=version.operative,
    )
    sealed = seal_pdf(pdf, signer=court_seal(court.code, court.name_ru), field_name="CourtSeal")
    with translation.override(act.language):
        title = str(_("Writ of execution")) + f" № {act.case.number}"
    document = add_document(
        case=act.case,
        document=DocumentInput(
            document_type="writ_of_execution",
            title=title,
            filename=f"writ-{act.public_id}.pdf",
            content=io.BytesIO(sealed),
            dated=clock.today(),
        ),
        actor=None,
    )
    act.writ = document
    act.save(update_fields=["writ", "updated_at"])
    return document


@transaction.atomic
def announce_for_history(act: Act) -> Act:
    """The demo's history: a signed act announced by nobody in particular (the case moved already)."""
    locked = _lock(act.pk)
    return _announce(locked, actor=None)


@transaction.atomic
def enter_into_force_for_history(act: Act, *, day: dt.date) -> None:
    """The demo's history: an act that entered into force on `day` (the case's journal says so)."""
    kind = kind_of(act.kind)
    if kind is None:
        return
    basis: dict[str, object] = {"rule": kind.code, "legal_basis": kind.legal_basis}
    if act.announced_on is not None and kind.appealable:
        basis = dict(appeal_term(kind, act.final_form_on or act.announced_on).as_dict())
    _enter_into_force(act, kind=kind, day=day, basis=basis)


def has_office_access(party: Party) -> bool:
    """Whether the party can read the act in the Judicial Office: a person with an account."""
    return party.person_id is not None and User.objects.filter(person_id=party.person_id, is_active=True).exists()


def act_letter_cause(act: Act, party: Party) -> str:
    return f"act:{act.public_id}:{party.public_id}"


def _letter_lines(act: Act) -> tuple[str, list[str]]:
    version = act.versions.filter(number=act.signed_version).first() if act.signed_version else None
    version = version or latest_version(act)
    kind = kind_of(act.kind)
    with translation.override(act.language):
        title = f"{kind.name if kind is not None else act.kind} · {act.case.number}"
    lines = [line for name in PARTS for line in str(getattr(version, name, "") or "").splitlines() if line.strip()]
    return title, lines


@transaction.atomic
def serve_by_letter(*, act: Act, party: Party, kind: str, actor: User | None) -> Letter:
    """The signed, announced act sent on paper to `party` (a registered or a hybrid letter, to the
    address in the case). When the post reports it delivered, that day is the act's delivery to the
    party (the `letter_delivered` event, through `handlers.on_case_event`). Idempotent per party."""
    if act.status not in (ActStatus.ANNOUNCED, ActStatus.APPEALED, ActStatus.IN_FORCE) or party.case_id != act.case_id:
        raise ActError(ActErrorCode.NOT_A_PARTY, _("Only an announced act of this case is delivered to its parties."))
    if party.role in REPRESENTING_ROLES:
        raise ActError(ActErrorCode.NOT_A_PARTY, _("Choose the party the act was delivered to."))
    if kind not in LetterKind.values:
        raise ActError(ActErrorCode.NOT_A_PARTY, _("Choose a registered or a hybrid letter."))
    title, lines = _letter_lines(act)
    return post.prepare_letter(
        court=act.case.court,
        kind=kind,
        recipient_name=party.name,
        address_text=party.address,
        enclosures=[enclosure("act", title, str(act.public_id), lines)],
        case=act.case,
        party=party,
        language=party.preferred_language or act.language,
        cause=act_letter_cause(act, party),
        actor=actor,
    )


def send_by_post(*, act: Act, party: Party, kind: str, actor: User) -> Letter:
    """Staff send the act to a party by post (the court's choice, or a party without a phone)."""
    if not may_record_delivery(actor, act.case):
        raise ActForbiddenError(
            ActErrorCode.NOT_DRAFTER, _("Only the court's office, its judges and their staff note deliveries.")
        )
    return serve_by_letter(act=act, party=party, kind=kind, actor=actor)


def served_by_letter(*, act_id: str, party_id: str, served_at: dt.datetime, barcode: str) -> ActService | None:
    """The post delivered a letter carrying the act: its delivery to the party, on the day of delivery."""
    act = Act.objects.select_related("case").filter(public_id=act_id).first()
    party = Party.objects.filter(public_id=party_id).first() if party_id else None
    if act is None or party is None:
        return None
    return record_service(
        act=act, party=party, channel=ServiceChannel.POST, actor=None, served_at=served_at, letter=barcode
    )


def record_delivery(*, act: Act, party: Party, channel: str, actor: User) -> ActService:
    """Staff note that the act reached `party` by post or at a hearing (the day counts for terms)."""
    if not may_record_delivery(actor, act.case):
        raise ActForbiddenError(
            ActErrorCode.NOT_DRAFTER, _("Only the court's office, its judges and their staff note deliveries.")
        )
    if channel not in (ServiceChannel.POST, ServiceChannel.HEARING):
        raise ActError(ActErrorCode.NOT_A_PARTY, _("Choose how the act was delivered."))
    service = record_service(act=act, party=party, channel=channel, actor=actor)
    if service is None:
        raise ActError(ActErrorCode.NOT_A_PARTY, _("Only an announced act of this case is delivered to its parties."))
    return service
