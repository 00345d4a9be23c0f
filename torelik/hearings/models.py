"""Hearings of cases in courtrooms, the people taking part, and the secret calendar feeds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.cases.models import Case
from torelik.core.models import BaseModel
from torelik.courts.models import Courtroom, Judge
from torelik.identity.models import Person


class HearingType(models.TextChoices):
    PREPARATORY = "preparatory", _("preparatory conversation")
    MAIN = "main", _("main hearing")
    ANNOUNCEMENT = "announcement", _("announcement of the decision")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")
    HELD = "held", _("held")


# Only these occupy a courtroom and its people; a postponed or cancelled hearing frees them.
ACTIVE_STATUSES = frozenset({HearingStatus.SCHEDULED, HearingStatus.HELD})


class Hearing(BaseModel):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="hearings")
    courtroom = models.ForeignKey(
        Courtroom, verbose_name=_("courtroom"), on_delete=models.PROTECT, related_name="hearings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(_("type"), max_length=15, choices=HearingType.choices, default=HearingType.MAIN)
    judge = models.ForeignKey(Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="hearings")
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings_as_secretary",
    )
    is_closed = models.BooleanField(_("closed session"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    reason = models.TextField(_("reason"), blank=True)
    record = models.ForeignKey(
        "cases.Document",
        verbose_name=_("hearing record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["courtroom", "starts_at"], name="hearing_room_start"),
            models.Index(fields=["judge", "starts_at"], name="hearing_judge_start"),
            models.Index(fields=["starts_at", "status"], name="hearing_start_status"),
        ]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.case.number} @ {self.starts_at:%Y-%m-%d %H:%M}"


class ParticipantRole(models.TextChoices):
    PARTY = "party", _("party")
    PROSECUTOR = "prosecutor", _("prosecutor")
    LAWYER = "lawyer", _("lawyer")
    REPRESENTATIVE = "representative", _("representative")
    INTERPRETER = "interpreter", _("interpreter")
    WITNESS = "witness", _("witness")


# A prosecutor or a lawyer cannot be in two courtrooms at once; a witness or a party may be
# summoned to two cases on one day, and that is for them to ask to move.
EXCLUSIVE_ROLES = frozenset({ParticipantRole.PROSECUTOR, ParticipantRole.LAWYER})


class HearingParticipant(BaseModel):
    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="hearing_participations"
    )

    class Meta:
        ordering = ["hearing", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "person", "role"], name="hearing_participant_unique"),
        ]
        verbose_name = _("hearing participant")
        verbose_name_plural = _("hearing participants")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class CalendarFeed(BaseModel):
    """A secret address at which a user's hearings are served as iCalendar; revoked by deleting it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="hearing_feed"
    )
    # SHA-256 of the token: the address itself is shown once and never stored.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.user}"


class RecorderDevice(BaseModel):
    """An audio-video recorder of a court, which posts log marks (and recordings) with its token."""

    court = models.ForeignKey(
        "courts.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="recorders"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    valid_until = models.DateTimeField(_("valid until"))

    class Meta:
        verbose_name = _("recorder")
        verbose_name_plural = _("recorders")

    def __str__(self) -> str:
        return self.name


class LogMarkKind(models.TextChoices):
    OPENED = "opened", _("session opened")
    SPEAKING = "speaking", _("participant speaking")
    MOTION = "motion", _("motion")
    EVIDENCE = "evidence", _("evidence examined")
    BREAK = "break", _("break")
    RESUMED = "resumed", _("session resumed")
    CLOSING = "closing", _("session closed")
    NOTE = "note", _("note")


class LogMark(BaseModel):
    """A timestamped mark of the automatic log of a session (the skeleton of its record)."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="marks")
    at = models.DateTimeField(_("moment"))
    kind = models.CharField(_("kind"), max_length=10, choices=LogMarkKind.choices)
    text = models.CharField(_("text"), max_length=1000, blank=True)
    device = models.ForeignKey(
        RecorderDevice, verbose_name=_("recorder"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["hearing", "at", "id"]
        verbose_name = _("log mark")
        verbose_name_plural = _("log marks")

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.kind}"


class RecordingUpload(BaseModel):
    """A recording being uploaded in pieces: the bytes received so far wait in a partial file."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="uploads")
    device = models.ForeignKey(RecorderDevice, verbose_name=_("recorder"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField(_("size, bytes"))
    received = models.BigIntegerField(_("bytes received"), default=0)
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        verbose_name = _("recording upload")
        verbose_name_plural = _("recording uploads")

    def __str__(self) -> str:
        return f"{self.filename}: {self.received}/{self.size}"


class Recording(BaseModel):
    """The audio-video recording of a session, in the file store."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.PROTECT, related_name="recordings")
    file = models.ForeignKey(StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    media_type = models.CharField(_("media type"), max_length=100)
    duration = models.DurationField(_("duration"), null=True, blank=True)

    class Meta:
        ordering = ["hearing", "created_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"{self.hearing}: {self.file.sha256[:12]}"


class FacilityKind(models.TextChoices):
    DETENTION_CENTRE = "detention_centre", _("detention centre")
    PRISON_COLONY = "prison_colony", _("prison colony")
    HOSPITAL = "hospital", _("hospital")
    OTHER = "other", _("other facility")


class Facility(BaseModel):
    """A place from which a participant takes part by videoconference."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    vc_endpoint = models.CharField(_("videoconference endpoint"), max_length=300)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    # The facility's officer who connects the participant: they see the facility's hearings and links.
    contact_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name


class RemoteAttendance(BaseModel):
    """A participant of a hearing who takes part from a facility by videoconference."""

    participant = models.OneToOneField(
        HearingParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="remote"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="attendances"
    )

    class Meta:
        verbose_name = _("remote attendance")
        verbose_name_plural = _("remote attendances")

    def __str__(self) -> str:
        return f"{self.participant} @ {self.facility}"
