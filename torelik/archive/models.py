"""What the archive knows of each stored content: its SHA-256, size and sniffed media type."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
