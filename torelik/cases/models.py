"""Cases, their parties, documents, links, the journal of every change, and the staff access log."""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.core.fields import KindField
from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.courts.models import CaseCategory, Court, Judge, ProceedingType
from torelik.identity.models import Language, Organisation, Person


class Instance(models.TextChoices):
    FIRST = "first", _("first instance")
    APPEAL = "appeal", _("appeal")
    CASSATION = "cassation", _("cassation")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ASSIGNED = "assigned", _("assigned to a judge")
    ACCEPTED = "accepted", _("accepted for proceedings")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused")
    LEFT_WITHOUT_MOTION = "left_without_motion", _("left without motion")
    IN_PREPARATION = "in_preparation", _("in preparation")
    SCHEDULED = "scheduled", _("hearing scheduled")
    HEARD = "heard", _("heard")
    DECIDED = "decided", _("decided")
    IN_FORCE = "in_force", _("in force")
    APPEALED = "appealed", _("appealed")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")
    ARCHIVED = "archived", _("archived")


class Channel(models.TextChoices):
    PAPER = "paper", _("paper, at the court office")
    JUDICIAL_OFFICE = "judicial_office", _("Judicial Office")
    EGOV = "egov", _("e-government portal")
    PSC = "psc", _("Public Service Centre")
    LOWER_COURT = "lower_court", _("sent by the court of first instance")


class Case(BaseModel):
    number = models.CharField(_("case number"), max_length=40, unique=True)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("year"))
    type_code = models.CharField(_("proceeding type code"), max_length=4)
    sequence = models.PositiveIntegerField(_("sequence number"))
    proceeding_type = models.CharField(_("proceeding type"), max_length=25, choices=ProceedingType.choices)
    instance = models.CharField(_("instance"), max_length=10, choices=Instance.choices, default=Instance.FIRST)
    category = models.ForeignKey(CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    subject = models.TextField(_("subject of the case"), blank=True)
    claim_amount = models.DecimalField(
        _("claim amount, tenge"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=25, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices, default=Channel.PAPER)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Whoever brought a paper filing agreed (or not) to notices by SMS and e-mail (shown on the coupon).
    consent_sms = models.BooleanField(_("agrees to SMS notices"), default=False)
    consent_email = models.BooleanField(_("agrees to e-mail notices"), default=False)
    # The secret of the registration coupon: its QR opens the coupon's check only with it (the public id
    # is published by every distribution protocol, so it cannot be the key; ADR 0036).
    coupon_secret = models.CharField(_("coupon secret"), max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "type_code", "sequence"], name="case_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["court", "status"], name="case_court_status"),
            models.Index(fields=["judge", "status"], name="case_judge_status"),
            # The judge's docket, newest first, a page at a time (issue 24: 74 -> <1 ms at 0.3 M cases).
            models.Index(fields=["judge", "-registered_at", "-id"], name="case_judge_registered"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number


class CaseNumberCounter(models.Model):
    """The last sequence number given per court, year and proceeding type code (gap-free)."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    type_code = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "type_code"], name="case_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}/{self.type_code}: {self.last}"


class PartyRole(models.TextChoices):
    CLAIMANT = "claimant", _("claimant")
    DEFENDANT = "defendant", _("defendant")
    THIRD_PARTY = "third_party", _("third party")
    APPLICANT = "applicant", _("applicant")
    ACCUSED = "accused", _("accused")
    VICTIM = "victim", _("victim")
    PROSECUTOR = "prosecutor", _("prosecutor")
    LAWYER = "lawyer", _("lawyer")
    REPRESENTATIVE = "representative", _("representative")


REPRESENTING_ROLES = frozenset({PartyRole.LAWYER, PartyRole.REPRESENTATIVE})


class Party(BaseModel):
    """A participant of a case: a person (IIN) or an organisation (BIN)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parties",
    )
    represents = models.ForeignKey(
        "self",
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    power_of_attorney = models.ForeignKey(
        "Document",
        verbose_name=_("power of attorney"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Contact data as given in this case (it may differ from the person's usual data).
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, organisation__isnull=True)
                    | models.Q(person__isnull=True, organisation__isnull=False)
                ),
                name="party_is_person_or_organisation",
            ),
        ]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        return self.organisation.name if self.organisation is not None else ""

    @property
    def identifier(self) -> str:
        if self.person is not None:
            return str(self.person.iin)
        return str(self.organisation.bin) if self.organisation is not None else ""


class DocumentDirection(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")
    INTERNAL = "internal", _("internal")


class DocumentType(models.Model):
    """The general classifier of document types (claim, ruling, power of attorney...)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    direction = models.CharField(_("direction"), max_length=10, choices=DocumentDirection.choices)
    is_judicial_act = models.BooleanField(_("judicial act"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Document(BaseModel):
    """A document of a case. Never overwritten: a correction is a new version pointing to the old."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents")
    document_type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=300)
    author_party = models.ForeignKey(
        Party, verbose_name=_("author (party)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    dated = models.DateField(_("date of the document"))
    received_at = models.DateTimeField(_("received or issued at"))
    page_count = models.PositiveIntegerField(_("pages"), default=1, validators=[MinValueValidator(1)])
    file = models.ForeignKey(StoredFile, verbose_name=_("content"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "received_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class CaseLinkKind(models.TextChoices):
    APPEAL_OF = "appeal_of", _("appeal of")
    JOINED_TO = "joined_to", _("joined to")
    REFILED_AS = "refiled_as", _("refiled as")


class CaseLink(models.Model):
    from_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_from")
    to_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_to")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseLinkKind.choices)
    created_at = models.DateTimeField(_("linked at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case", "kind"], name="case_link_unique"),
            models.CheckConstraint(condition=~models.Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]
        verbose_name = _("link between cases")
        verbose_name_plural = _("links between cases")

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.kind} {self.to_case_id}"


class CaseEventKind(models.TextChoices):
    REGISTERED = "registered", _("case registered")
    STATUS_CHANGED = "status_changed", _("status changed")
    ASSIGNED = "assigned", _("judge assigned")
    PARTY_ADDED = "party_added", _("party added")
    DOCUMENT_ADDED = "document_added", _("document added")
    DOCUMENT_CORRECTED = "document_corrected", _("document corrected")
    LINKED = "linked", _("linked to another case")
    # The registration's coupon (its check code) first printed or sent: the statistics count paper ones.
    COUPON_ISSUED = "coupon_issued", _("registration coupon issued")
    # Written when the archive's fixity audit finds a document's stored file damaged.
    FIXITY_MISMATCH = "fixity_mismatch", _("stored file failed its integrity check")
    # Written by the distribution context.
    DISTRIBUTION_COMMITTED = "distribution_committed", _("distribution inputs committed")
    DISTRIBUTION_WAITING = "distribution_waiting", _("distribution waiting for eligible judges")
    # Written by the deadlines context.
    TERM_OPENED = "term_opened", _("procedural term opened")
    TERM_CLOSED = "term_closed", _("procedural term closed")
    TERM_PAUSED = "term_paused", _("procedural term paused")
    TERM_RESUMED = "term_resumed", _("procedural term resumed")
    TERM_EXTENDED = "term_extended", _("procedural term extended")
    TERMS_RECOMPUTED = "terms_recomputed", _("procedural terms recomputed")
    # Written by the hearings context.
    HEARING_SCHEDULED = "hearing_scheduled", _("hearing scheduled")
    HEARING_POSTPONED = "hearing_postponed", _("hearing postponed")
    HEARING_CANCELLED = "hearing_cancelled", _("hearing cancelled")
    HEARING_HELD = "hearing_held", _("hearing held")
    RECORDING_ADDED = "recording_added", _("hearing recording added")
    HEARING_RECORD_GENERATED = "hearing_record_generated", _("hearing record generated")
    # Written by the summons context.
    SUBPOENA_ISSUED = "subpoena_issued", _("subpoena issued")
    SUBPOENA_REVOKED = "subpoena_revoked", _("subpoena revoked")
    SUBPOENA_VIEWED = "subpoena_viewed", _("subpoena viewed (familiarisation)")
    DOCUMENTS_ACCESS_GRANTED = "documents_access_granted", _("access to the case documents granted by SMS login")
    DOCUMENT_STUDIED = "document_studied", _("document studied through SMS login")
    # Post: a letter sent, and its final status (the postal record of service).
    LETTER_SENT = "letter_sent", _("letter sent by post")
    LETTER_DELIVERED = "letter_delivered", _("served by post")
    LETTER_REFUSED = "letter_refused", _("letter refused by the addressee")
    LETTER_RETURNED = "letter_returned", _("letter returned to the court")
    LETTER_UNDELIVERABLE = "letter_undeliverable", _("letter undeliverable")
    LETTER_WITHDRAWN = "letter_withdrawn", _("letter withdrawn: what it carries was revoked")
    NOTICE_CHANNEL_CHOSEN = "notice_channel_chosen", _("channel of notices chosen for a party")
    # Written by the acts context.
    ACT_SIGNED = "act_signed", _("judicial act signed")
    ACT_ANNOUNCED = "act_announced", _("judicial act announced")
    ACT_SERVED = "act_served", _("judicial act delivered to a party")
    ACT_APPEALED = "act_appealed", _("appeal against a judicial act filed")
    ENTERED_INTO_FORCE = "entered_into_force", _("judicial act entered into force")
    # Written by the helpline, with the caller's consent (the request's number, not its text or the caller).
    HELPLINE_COMPLAINT = "helpline_complaint", _("complaint to the courts' helpline")
    HELPLINE_ANSWERED = "helpline_answered", _("complaint to the courts' helpline answered")
    CASE_SENT_ON_APPEAL = "case_sent_on_appeal", _("case sent to the higher court on appeal")
    # Written by the exchange from partners' inbound messages and the document exchange.
    EXECUTION_STARTED = "execution_started", _("enforcement proceedings on the writ started")
    EXECUTION_COMPLETED = "execution_completed", _("writ executed")
    EXECUTION_RETURNED = "execution_returned", _("writ returned unexecuted")
    CUSTODY_ARRIVED = "custody_arrived", _("convicted person arrived at an institution")
    CUSTODY_RELEASED = "custody_released", _("convicted person released from an institution")
    CORRESPONDENCE_SENT = "correspondence_sent", _("letter sent to a state body")
    CORRESPONDENCE_RECEIVED = "correspondence_received", _("letter received from a state body")


class ImmutableRowError(Exception):
    """The journal is append-only: a recorded event is never changed or removed."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableRowError("the case journal is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError("the case journal is append-only")


class CaseEvent(models.Model):
    """One entry of the case journal: what happened, who did it, when, and its data. Append-only
    (on PostgreSQL a trigger refuses UPDATE and DELETE as well)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events")
    kind = KindField(_("kind"), max_length=30, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("moment"))
    data = models.JSONField(_("data"), default=dict)

    objects: ClassVar[models.Manager["CaseEvent"]] = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["case", "id"]
        indexes = [
            models.Index(fields=["case", "id"], name="case_event_case_id"),
            # The case page: its latest entries, newest first, read from the index in order (at national
            # scale the planner otherwise walks `case_event_at` backwards hoping to meet the case soon).
            models.Index(fields=["case", "-occurred_at", "-id"], name="case_event_case_moment"),
            # The audit review (operations, ADR 0083): actions by person and period.
            models.Index(fields=["actor", "occurred_at"], name="case_event_actor_at"),
            models.Index(fields=["occurred_at"], name="case_event_at"),
        ]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRowError("the case journal is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError("the case journal is append-only")


class AccessKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("case file opened")
    DOCUMENT_READ = "document_read", _("document read")
    JOURNAL_READ = "journal_read", _("journal read")
    TERMS_READ = "terms_read", _("terms read")


class CaseAccess(models.Model):
    """A staff member opened a case file: who, when, what, from where (for the court chairman)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["case", "at"], name="case_access_case_at"),
            # The audit review (operations, ADR 0083): by period, and by person and period.
            models.Index(fields=["at"], name="case_access_at"),
            models.Index(fields=["user", "at"], name="case_access_user_at"),
        ]
        verbose_name = _("access to a case file")
        verbose_name_plural = _("accesses to case files")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.case_id} {self.at:%Y-%m-%d %H:%M}"
