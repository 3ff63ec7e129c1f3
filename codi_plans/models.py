"""Abstract models shared by the apps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def optional_reference(to: str, verbose_name, **options) -> models.ForeignKey:
    """A link to reference data that a row may leave empty and that is never deleted under it (an area, a plan item)."""
    return models.ForeignKey(
        to, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name, **options
    )


class Transition(models.Model):
    """One move of a record through its workflow: who, when and why; subclasses add the record and statuses."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class ReviewedRecord(models.Model):
    """A record people write and others review (tambon plans, budget requests): who made it, who last changed it,
    its revision for optimistic locking, and who sent it for review (nobody decides on what they sent)."""

    # Optimistic lock: every save of the record or its parts bumps it; a save from an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        abstract = True
