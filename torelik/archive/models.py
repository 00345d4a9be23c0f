"""What the archive knows of each stored content: its SHA-256, size and sniffed media type."""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.fields import KindField


class StoredFile(models.Model):
    """One content in the file store. Immutable: the same bytes always map to the same row."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(_("size, bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… {self.media_type} {self.size} B"


class LogEntryKind(models.TextChoices):
    """What the transparency log records; each kind's fields are in docs/transparency-log.md."""

    DOCUMENT_VERSION = "document_version", _("document version")
    RECORDING = "recording", _("hearing recording")
    ACT = "act", _("judicial act")
    ACT_SIGNATURE = "act_signature", _("signature of a judicial act")
    DISTRIBUTION_COMMITMENT = "distribution_commitment", _("distribution commitment")
    BEACON_ANCHOR = "beacon_anchor", _("beacon segment anchor")
    JUDGE_ABSENCE = "judge_absence", _("judge absence")
    JUDGE_STANDING = "judge_standing", _("change of a judge's standing")
    CATEGORY_TERMS = "category_terms", _("change of a case category's terms")
    CONFIGURATION = "configuration", _("configuration affecting draws or terms")
    FIXITY_MISMATCH = "fixity_mismatch", _("stored object failed its fixity check")
    FIXITY_REPAIRED = "fixity_repaired", _("stored object repaired from the second copy")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableLogError("the transparency log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableLogError("the transparency log is append-only")


class ImmutableLogError(Exception):
    """The log's tables are append-only: a row is never changed or removed."""


class AppendOnly(models.Model):
    """A row written once (on PostgreSQL a trigger refuses UPDATE and DELETE as well)."""

    objects: ClassVar[models.Manager[Any]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableLogError("the transparency log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableLogError("the transparency log is append-only")


class PendingEntry(models.Model):
    """An entry written with the fact it records, waiting for the sequencer to give it its index
    (a queue: the sequencer deletes it in the transaction that appends it to the log)."""

    kind = KindField(max_length=30, choices=LogEntryKind.choices)
    body = models.TextField()  # RFC 8785 canonical JSON
    leaf_hash = models.CharField(max_length=64, unique=True)
    subject = models.CharField(max_length=64, blank=True)  # public id of what it records
    case = models.CharField(max_length=64, blank=True)  # public id of the case, if any
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("entry waiting for the log")
        verbose_name_plural = _("entries waiting for the log")

    def __str__(self) -> str:
        return f"{self.kind} {self.leaf_hash[:12]}…"


class LogEntry(AppendOnly):
    """One leaf of the log: its index, the canonical JSON entry and its leaf hash."""

    index = models.BigIntegerField(_("index"), primary_key=True)
    kind = KindField(_("kind"), max_length=30, choices=LogEntryKind.choices)
    body = models.TextField(_("entry"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64, unique=True)
    subject = models.CharField(max_length=64, blank=True, db_index=True)
    case = models.CharField(max_length=64, blank=True, db_index=True)
    written_at = models.DateTimeField(_("written at"))
    sequenced_at = models.DateTimeField(_("sequenced at"))

    class Meta:
        ordering = ["index"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LogNode(AppendOnly):
    """The hash of a complete subtree of level >= 1: it covers the leaves [index·2^level, (index+1)·2^level)."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="log_node_unique")]
        verbose_name = _("log subtree hash")
        verbose_name_plural = _("log subtree hashes")

    def __str__(self) -> str:
        return f"{self.level}/{self.index}"


class Checkpoint(AppendOnly):
    """A signed statement of the log's size and root hash (C2SP signed note), perhaps timestamped by a TSA."""

    size = models.BigIntegerField(_("size"))
    root_hash = models.CharField(_("root hash"), max_length=64)
    note = models.TextField(_("signed note"))
    signed_at = models.DateTimeField(_("signed at"), db_index=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["size", "signed_at"], name="checkpoint_size_time")]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.size} @ {self.signed_at:%Y-%m-%d %H:%M:%S}"


class CheckpointTimestamp(AppendOnly):
    """An RFC 3161 timestamp token over a checkpoint's signed note (SHA-256), from the configured authority."""

    checkpoint = models.OneToOneField(Checkpoint, on_delete=models.PROTECT, related_name="timestamp")
    token = models.BinaryField(_("timestamp token (DER)"))
    authority = models.CharField(_("timestamp authority"), max_length=300)
    stamped_at = models.DateTimeField(_("time in the token"))

    class Meta:
        verbose_name = _("checkpoint timestamp")
        verbose_name_plural = _("checkpoint timestamps")

    def __str__(self) -> str:
        return f"{self.checkpoint_id} @ {self.stamped_at:%Y-%m-%d %H:%M:%S}"


class Witness(models.Model):
    """An outside party (the prosecutor's office, the bar, a university) that cosigns checkpoints:
    its C2SP verifier key (`name+keyid+base64(0x01 || Ed25519 public key)`)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    verifier_key = models.CharField(_("verifier key"), max_length=300, unique=True)
    description = models.CharField(_("who it is"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")

    def __str__(self) -> str:
        return self.name


class Cosignature(AppendOnly):
    """A witness's cosignature of a checkpoint (C2SP tlog-cosignature/v1: signed with its time)."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    line = models.CharField(_("signature line"), max_length=400)
    cosigned_at = models.DateTimeField(_("cosigned at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="cosignature_once")]
        verbose_name = _("cosignature")
        verbose_name_plural = _("cosignatures")

    def __str__(self) -> str:
        return f"{self.witness_id} / {self.checkpoint_id}"


class FixityCheck(AppendOnly):
    """One re-hash of a stored object: what was found, and whether it was repaired from the second copy."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    checked_at = models.DateTimeField(_("checked at"))
    found = models.CharField(_("found"), max_length=64, blank=True)  # the hash of what was read; empty: missing
    ok = models.BooleanField(_("intact"))
    repaired = models.BooleanField(_("repaired"), default=False)
    reason = models.CharField(_("why checked"), max_length=20)  # rolling, sample, manual

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("fixity check")
        verbose_name_plural = _("fixity checks")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… {'ok' if self.ok else 'damaged'}"
