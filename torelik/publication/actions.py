"""Writes of the publication context: a candidate prepared from a signed act (its text masked, or the
act closed by law), the reviewer's masks added and removed, publication and withdrawal, and a
visitor's request for a correction. Every step is journaled in `PublicationEvent`."""

import datetime as dt
import secrets
import tempfile

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import Act, ActStatus, ActVersion
from torelik.cases.models import PartyRole
from torelik.core import clock, events
from torelik.courts.models import StaffRole
from torelik.courts.queries import holds_role_in
from torelik.identity.models import User
from torelik.publication import policy, queries
from torelik.publication.depersonalise import LABELS, NAME_LABEL, KnownPerson, Span, SpanKind, apply, find_spans
from torelik.publication.errors import PublicationError, PublicationErrorCode, PublicationForbiddenError
from torelik.publication.events import ActPublished
from torelik.publication.models import (
    CorrectionOutcome,
    CorrectionRequest,
    ExportFile,
    PublicationEvent,
    PublicationEventKind,
    PublicationStatus,
    PublishedAct,
)

REVIEWERS = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN, StaffRole.ASSISTANT, StaffRole.ANALYST})
# Working days are the deadlines context's; a calendar month is what the law on appeals of citizens
# gives for an answer, and the reviewer's queue shows the date.
ANSWER_TERM = dt.timedelta(days=15)


def may_review(user: User | None, published: PublishedAct) -> bool:
    return holds_role_in(user, published.court, REVIEWERS)


def _journal(published: PublishedAct, event: str, actor: User | None, **data: object) -> None:
    entry = PublicationEvent.objects.create(
        published_act=published, kind=event, actor=actor, occurred_at=clock.now(), data=data
    )
    if event == PublicationEventKind.PUBLISHED:  # counted by the statistics on the entry's day
        events.publish(
            ActPublished(
                published_act_id=published.pk,
                court_id=published.court_id,
                proceeding_type=published.proceeding_type,
                occurred_at=entry.occurred_at,
            )
        )


def signed_text(act: Act) -> tuple[str, str]:
    """The title and the text of the version the judge signed."""
    signed = ActVersion.objects.filter(act=act, number=act.signed_version) if act.signed_version else None
    version = (signed.first() if signed is not None else None) or act.versions.order_by("-number").first()
    if version is None:  # pragma: no cover - every act has its first version
        return "", ""
    parts = [version.title, version.introductory, version.descriptive, version.reasoning, version.operative]
    return version.title, "\n\n".join(p for p in parts if p)


def _people_and_kept(act: Act) -> tuple[list[KnownPerson], list[str], list[str]]:
    people, kept, iins = [], [], []
    for party in act.case.parties.select_related("person"):
        if party.person is None:
            continue
        if party.role == PartyRole.LAWYER:  # an advocate acting in their profession is named
            kept.append(party.person.surname)
            continue
        people.append(KnownPerson(party.person.surname, party.person.given_name, party.person.patronymic))
        iins.append(str(party.person.iin))
    if act.case.judge is not None and act.case.judge.person is not None:
        kept.append(act.case.judge.person.surname)
    return people, kept, iins


def _search_text(published: PublishedAct) -> str:
    court, category = published.court, published.category
    return " ".join(
        [published.text, court.name_kk, court.name_ru, category.name_kk, category.name_ru, published.case_number]
    ).lower()


@transaction.atomic
def prepare_candidate(act: Act) -> PublishedAct | None:
    """The act's public copy, once it is due (policy): masked and waiting for a reviewer, or closed by
    law with its basis. Idempotent: an act prepared once is not prepared again."""
    if PublishedAct.objects.filter(act=act).exists() or not policy.is_due(act):
        return None
    case = act.case
    title, source = signed_text(act)
    people, kept, iins = _people_and_kept(act)
    spans = find_spans(source, language=act.language, people=people, keep=kept, iins=iins)
    basis = policy.closed_basis(case, act.language)
    decided = act.announced_on or (act.signed_at.date() if act.signed_at else clock.today())
    published = PublishedAct(
        act=act,
        public_id=act.public_id,
        status=PublicationStatus.CLOSED if basis else PublicationStatus.CANDIDATE,
        closed_basis=basis,
        language=act.language,
        court=case.court,
        region=case.court.region,
        category=case.category,
        proceeding_type=case.proceeding_type,
        instance=case.instance,
        kind=act.kind,
        outcome=act.outcome,
        case_number=case.number,
        decided_on=decided,
        year=decided.year,
        title=title,
        source_text="" if basis else source,
        spans=[] if basis else [s.as_dict() for s in spans],
        text="" if basis else apply(source, spans),
        prepared_at=clock.now(),
    )
    published.search_text = "" if basis else _search_text(published)
    published.save()
    if basis:
        _journal(published, PublicationEventKind.CLOSED, None, basis=basis)
    else:
        _journal(published, PublicationEventKind.PREPARED, None, spans=len(spans))
    return published


def prepare_due_candidates(*, limit: int = 500) -> int:
    """The workers' look for acts due for publication with no public copy yet."""
    statuses = {
        s for p in ("civil", "criminal", "administrative", "administrative_offence") for s in policy.due_statuses(p)
    }
    due = (
        Act.objects.filter(status__in=statuses, publication__isnull=True)
        .select_related("case__court__region", "case__category", "case__judge__person")
        .order_by("signed_at")[:limit]
    )
    return sum(1 for act in due if prepare_candidate(act) is not None)


def _locked(published: PublishedAct) -> PublishedAct:
    return PublishedAct.objects.select_for_update().select_related("court", "category").get(pk=published.pk)


def _check(actor: User | None, published: PublishedAct) -> None:
    if not may_review(actor, published):
        raise PublicationForbiddenError(
            PublicationErrorCode.NOT_A_REVIEWER, _("Only the court's reviewer may do this.")
        )
    if published.status == PublicationStatus.CLOSED:
        raise PublicationError(PublicationErrorCode.CLOSED, _("The law closes this act: it is never published."))


def _rewrite(published: PublishedAct, spans: list[Span]) -> None:
    published.spans = [s.as_dict() for s in sorted(spans, key=lambda s: s.start)]
    published.text = apply(published.source_text, spans)
    published.search_text = _search_text(published)


def _spans(published: PublishedAct) -> list[Span]:
    from torelik.publication.depersonalise import spans_from  # noqa: PLC0415 - one name, kept close

    return spans_from(published.spans)


@transaction.atomic
def add_mask(*, published: PublishedAct, start: int, end: int, kind: str, actor: User) -> PublishedAct:
    """The reviewer masks a passage the rules missed (a name: labelled as the next person)."""
    locked = _locked(published)
    _check(actor, locked)
    if kind not in set(SpanKind) or not 0 <= start < end <= len(locked.source_text):
        raise PublicationError(PublicationErrorCode.BAD_SPAN, _("Choose a passage of the act's text to mask."))
    spans = [s for s in _spans(locked) if s.end <= start or s.start >= end]
    if kind == SpanKind.NAME:
        used = {s.label for s in spans if s.kind == SpanKind.NAME}
        template = NAME_LABEL.get(locked.language, NAME_LABEL["ru"])
        label = next(template.format(n) for n in range(1, 1000) if template.format(n) not in used)
    else:
        label = LABELS.get(locked.language, LABELS["ru"])[SpanKind(kind)]
    spans.append(Span(start, end, kind, label, locked.source_text[start:end]))
    _rewrite(locked, spans)
    locked.save(update_fields=["spans", "text", "search_text"])
    _journal(locked, PublicationEventKind.MASK_ADDED, actor, start=start, end=end, kind=kind)
    return locked


@transaction.atomic
def remove_mask(*, published: PublishedAct, start: int, actor: User) -> PublishedAct:
    """The reviewer unmasks a passage masked wrongly (a company's name taken for a person's)."""
    locked = _locked(published)
    _check(actor, locked)
    spans = _spans(locked)
    kept = [s for s in spans if s.start != start]
    if len(kept) == len(spans):
        raise PublicationError(PublicationErrorCode.BAD_SPAN, _("No mask starts there."))
    _rewrite(locked, kept)
    locked.save(update_fields=["spans", "text", "search_text"])
    _journal(locked, PublicationEventKind.MASK_REMOVED, actor, start=start)
    return locked


@transaction.atomic
def publish(*, published: PublishedAct, actor: User) -> PublishedAct:
    locked = _locked(published)
    _check(actor, locked)
    if locked.act.status == ActStatus.QUASHED:
        raise PublicationError(PublicationErrorCode.NOT_DUE, _("A quashed act is not published."))
    locked.status = PublicationStatus.PUBLISHED
    locked.reviewed_by = actor
    locked.published_at = clock.now()
    locked.save(update_fields=["status", "reviewed_by", "published_at"])
    _journal(locked, PublicationEventKind.PUBLISHED, actor)
    return locked


@transaction.atomic
def withdraw(*, published: PublishedAct, actor: User, reason: str) -> PublishedAct:
    locked = _locked(published)
    _check(actor, locked)
    locked.status = PublicationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _journal(locked, PublicationEventKind.WITHDRAWN, actor, reason=reason[:500])
    return locked


@transaction.atomic
def request_correction(*, published: PublishedAct, message: str, contact: str) -> CorrectionRequest:
    message = message.strip()
    if not message:
        raise PublicationError(PublicationErrorCode.EMPTY_MESSAGE, _("Say what should be corrected."))
    now = clock.now()
    request = CorrectionRequest.objects.create(
        published_act=published,
        message=message[:4000],
        contact=contact.strip()[:200],
        received_at=now,
        answer_by=(now + ANSWER_TERM).date(),
        token=secrets.token_urlsafe(24),
    )
    _journal(published, PublicationEventKind.CORRECTION_REQUESTED, None, request=request.pk)
    return request


@transaction.atomic
def answer_correction(*, correction: CorrectionRequest, actor: User, outcome: str, answer: str) -> CorrectionRequest:
    """The court's reviewer answers a visitor's request: the masking was corrected (the reviewer masked
    the passage on the review page: the public text is already the new one), the request is refused
    with its reason, or the act is withdrawn from the public site. The requester reads the answer on
    the request's page; the step is journaled with the act."""
    locked = CorrectionRequest.objects.select_for_update().select_related("published_act").get(pk=correction.pk)
    published = locked.published_act
    if not may_review(actor, published):
        raise PublicationForbiddenError(
            PublicationErrorCode.NOT_A_REVIEWER, _("Only the court's reviewer may do this.")
        )
    if locked.answered_at is not None:
        raise PublicationError(PublicationErrorCode.ALREADY_ANSWERED, _("This request is already answered."))
    if outcome not in set(CorrectionOutcome):
        raise PublicationError(PublicationErrorCode.BAD_SPAN, _("Choose how the request is answered."))
    answer = answer.strip()[:4000]
    if outcome == CorrectionOutcome.REFUSED and not answer:
        raise PublicationError(PublicationErrorCode.REASON_REQUIRED, _("Give the reason of the refusal."))
    if outcome == CorrectionOutcome.WITHDRAWN and published.status == PublicationStatus.PUBLISHED:
        withdraw(published=published, actor=actor, reason=answer or str(_("correction request")))
    locked.outcome = outcome
    locked.answer = answer
    locked.answered_at = clock.now()
    locked.answered_by = actor
    locked.save(update_fields=["outcome", "answer", "answered_at", "answered_by"])
    _journal(published, PublicationEventKind.CORRECTION_ANSWERED, actor, request=locked.pk, outcome=outcome)
    return locked


def write_export(month: str) -> ExportFile:
    """The month's open-data file written to the archive's file store (spooled to disk past 8 MB) and
    its row, replacing an older one of the month."""
    from torelik.archive.actions import store_stream  # noqa: PLC0415 - the archive's store, used here only
    from torelik.publication import export  # noqa: PLC0415

    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        lines = export.write_lines(month, spool)
        spool.seek(0)
        stored = store_stream(spool, "application/x-ndjson")
    row, _created = ExportFile.objects.update_or_create(
        month=month,
        defaults={
            "stored": stored,
            "lines": lines,
            "size": stored.size,
            "sha256": stored.sha256,
            "written_at": clock.now(),
        },
    )
    return row


def write_due_exports() -> dict[str, int]:
    """The workers' monthly export: the ended months not written yet or changed since, each in its own
    transaction; the files of months with no public act left are removed from the manifest."""
    due, gone = queries.months_due_for_export(clock.today())
    for month in due:
        with transaction.atomic():
            write_export(month)
    removed, _kinds = ExportFile.objects.filter(month__in=gone).delete()
    return {"written": len(due), "removed": removed}


@transaction.atomic
def publish_for_demo(published: PublishedAct) -> None:
    """The demo's history: a candidate published by nobody in particular."""
    if PublishedAct.objects.filter(pk=published.pk, status=PublicationStatus.CANDIDATE).update(
        status=PublicationStatus.PUBLISHED, published_at=clock.now()
    ):
        _journal(published, PublicationEventKind.PUBLISHED, None, demo=True)
