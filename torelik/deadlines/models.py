"""Procedural terms: the working calendar's declared exceptions, the term rules (data with their legal
basis), the terms of each case with their due dates and history, and the warnings sent about them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.courts.models import Court, Judge


class DayKind(models.TextChoices):
    NON_WORKING = "non_working", _("non-working day")
    WORKING = "working", _("working day")


class CalendarOverride(BaseModel):
    """A day the government declared otherwise than the `holidays` package knows it: a day off moved
    by a transfer, an extra non-working day, or a working Saturday. Overrides the package."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DayKind.choices)
    name_kk = models.CharField(_("reason (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("reason (Russian)"), max_length=200)
    name_en = models.CharField(_("reason (English)"), max_length=200)
    # Title, date and number of the act (a data test holds every declared day to it), or, for a
    # provisional day, the act it depends on that is not adopted yet.
    legal_act = models.CharField(_("legal act"), max_length=300)
    verify = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "The day depends on an act not adopted yet: it is shown as provisional and the terms it touches "
            "are flagged to the judge."
        ),
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.kind}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class TermUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


class Trigger(models.TextChoices):
    """Moments of a case that open or end a term. The case file publishes the first group today; the
    others wait for the contexts that will publish them (hearings, notifications, filing)."""

    REGISTERED = "registered", _("claim received")
    ASSIGNED = "assigned", _("judge assigned")
    ACCEPTED = "accepted", _("claim accepted")
    RETURNED = "returned", _("claim returned")
    REFUSED = "refused", _("claim refused")
    LEFT_WITHOUT_MOTION = "left_without_motion", _("claim left without motion")
    PREPARATION_STARTED = "in_preparation", _("preparation started")
    HEARING_SCHEDULED = "scheduled", _("hearing scheduled")
    HEARD = "heard", _("case heard")
    DECIDED = "decided", _("decision announced")
    APPEALED = "appealed", _("appeal filed")
    IN_FORCE = "in_force", _("decision in force")
    SUSPENDED = "suspended", _("proceedings suspended")
    CLOSED = "closed", _("proceedings closed")
    ARCHIVED = "archived", _("case archived")
    # Not published by any context yet (DECISION_FINAL_FORM: by the acts context, see below).
    RULING_ISSUED = "ruling_issued", _("ruling issued")
    SUBPOENA_ISSUED = "subpoena_issued", _("summons sent")
    COPY_DELIVERED = "copy_delivered", _("copy delivered")
    SERVED = "served", _("served by post")
    DECISION_FINAL_FORM = "decision_final_form", _("decision made in final form")
    # Published by the acts context (the judicial act's own events, ADR 0069).
    ACT_ANNOUNCED = "act_announced", _("judicial act announced")
    ACT_SERVED = "act_served", _("judicial act delivered to every party")
    COMPLAINT_FILED = "complaint_filed", _("complaint filed")
    CASSATION_FILED = "cassation_filed", _("cassation petition filed")
    CIRCUMSTANCES_DISCOVERED = "circumstances_discovered", _("new circumstances discovered")


class Responsible(models.TextChoices):
    COURT_OFFICE = "court_office", _("court office")
    JUDGE = "judge", _("judge")
    PARTY = "party", _("party")


# Terms the court must meet (those the control dashboards count); a party's term is its right.
COURT_DUTIES = (Responsible.COURT_OFFICE, Responsible.JUDGE)
# How many days ahead a running term counts as "due soon" (dashboards and warnings).
DUE_SOON_DAYS = 3


class TermRule(BaseModel):
    """A procedural term as the law sets it. Rules of one `slot` compete: the one with the longest
    matching category prefix applies (a labour case gets one month of consideration, not two)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    slot = models.SlugField(_("slot"), max_length=60)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    starts_on = models.CharField(_("starts on"), max_length=30, choices=Trigger.choices)
    ends_on = models.JSONField(_("met by"), default=list, help_text=_("Triggers that fulfil the term."))
    lapses_on = models.JSONField(
        _("ends without effect on"), default=list, help_text=_("Triggers after which the term no longer applies.")
    )
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=15, choices=TermUnit.choices)
    responsible = models.CharField(_("responsible"), max_length=15, choices=Responsible.choices)
    proceeding_types = models.JSONField(_("proceeding types"), default=list, help_text=_("Empty: every type."))
    instances = models.JSONField(_("instances"), default=list, help_text=_("Empty: every instance."))
    category_prefixes = models.JSONField(_("category code prefixes"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    verify = models.BooleanField(_("to verify"), default=False, help_text=_("No official source confirmed it yet."))
    enabled = models.BooleanField(
        _("opened automatically"), default=True, help_text=_("Off while no context publishes its events.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("term rule")
        verbose_name_plural = _("term rules")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localized(self, "name")


class TermStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    MISSED = "missed", _("missed")
    LAPSED = "lapsed", _("no longer applies")


OPEN_STATUSES = (TermStatus.RUNNING, TermStatus.PAUSED)


class Term(models.Model):
    """One term of one case. `court`, `judge` and `responsible` are copied from the case and the rule
    so that the dashboards aggregate one table. `adjustments` (pauses, extensions) and `starts_on`
    are the inputs from which `due_date` is recomputed whenever the calendar changes."""

    # No index of their own on case, court and judge: the indexes below lead with each of them (one
    # index fewer to write at every term opened and every judge followed).
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="terms", db_index=False
    )
    rule = models.ForeignKey(TermRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="terms")
    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    judge = models.ForeignKey(
        Judge,
        verbose_name=_("judge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    responsible = models.CharField(_("responsible"), max_length=15, choices=Responsible.choices)
    status = models.CharField(_("status"), max_length=10, choices=TermStatus.choices, default=TermStatus.RUNNING)
    started_by = models.CharField(_("started by"), max_length=30, choices=Trigger.choices)
    event_date = models.DateField(_("date of the starting event"))
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=15, choices=TermUnit.choices)
    due_date = models.DateField(_("last day"))
    original_due_date = models.DateField(_("last day as first computed"))
    adjustments = models.JSONField(_("pauses and extensions"), default=list)
    history = models.JSONField(_("history"), default=list)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    ended_by = models.CharField(_("ended by"), max_length=30, choices=Trigger.choices, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Dashboards: per court / per judge, by status and due date (index-only scans on PostgreSQL).
            models.Index(fields=["court", "responsible", "status", "due_date"], name="term_court_status_due"),
            models.Index(fields=["judge", "responsible", "status", "due_date"], name="term_judge_status_due"),
            models.Index(fields=["case", "status"], name="term_case_status"),
            models.Index(fields=["status", "due_date"], name="term_status_due"),
            # The open terms alone (a small part of all terms kept for a decade), for every dashboard's
            # running, due-soon, overdue and paused counts (index-only on PostgreSQL); closed terms are
            # counted in `ClosedTerms` (ADR 0115).
            models.Index(
                fields=["court", "judge", "responsible", "status", "due_date"],
                condition=models.Q(status__in=["running", "paused"]),
                name="term_open",
            ),
        ]
        verbose_name = _("procedural term")
        verbose_name_plural = _("procedural terms")

    def __str__(self) -> str:
        return f"{self.case_id} {self.rule_id} {self.due_date:%Y-%m-%d} {self.status}"

    def add_history(self, entry: dict[str, Any]) -> None:
        self.history = [*self.history, entry]


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    MISSED = "missed", _("missed")


class ClosedTerms(models.Model):
    """How many terms of the court's duty one judge of one court (or nobody, `judge_key` 0) closed as
    met on time or met late: the part of every deadline dashboard that no longer changes. Moved by
    `apply_trigger` in the transaction that closes the terms; `torelik recount-terms` recounts it from
    the terms and says whether it agreed (ADR 0115)."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    judge_key = models.PositiveIntegerField(_("judge key"), default=0)  # the judge's id, 0 for none: one key
    responsible = models.CharField(_("responsible"), max_length=15, choices=Responsible.choices)
    status = models.CharField(_("status"), max_length=10, choices=TermStatus.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "judge_key", "responsible", "status"], name="closed_terms_one_row_per_key"
            )
        ]
        verbose_name = _("closed terms")
        verbose_name_plural = _("closed terms")

    def __str__(self) -> str:
        return f"{self.court_id} {self.judge_key} {self.responsible} {self.status} {self.count}"


class TermWarning(models.Model):
    """A warning about a term for whoever must meet it, shown in the workspace until the notification
    context delivers it. One per term, kind and user."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(_("kind"), max_length=10, choices=WarningKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["term", "kind", "user"], name="term_warning_unique")]
        indexes = [models.Index(fields=["user", "seen_at"], name="term_warning_user_seen")]
        verbose_name = _("term warning")
        verbose_name_plural = _("term warnings")

    def __str__(self) -> str:
        return f"{self.term_id} {self.kind} {self.user_id}"
