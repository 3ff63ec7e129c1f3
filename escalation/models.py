"""What was sent about late work: one row per item, level, occasion and recipient, so the daily job never sends the
same reminder or escalation twice, even when two runs overlap (the unique constraint decides who sends)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.responsibility import Level


class DueKind(models.TextChoices):
    RESULTS = "results", _("Quarterly indicator results")
    PROGRESS = "progress", _("Project progress of the quarter")
    PLAN_REVIEW = "plan_review", _("Tambon plan awaiting review")
    RESULT_REVIEW = "result_review", _("Results awaiting review")
    PROGRESS_REVIEW = "progress_review", _("Project progress awaiting review")
    REQUEST_DECISION = "request_decision", _("Budget request awaiting decision")
    BUDGET_BUREAU = "budget_bureau", _("Quarterly monitoring for the Budget Bureau")


class Occasion(models.TextChoices):
    """Why a notice went out: a reminder some days before the due date, or the item being late at a level."""

    BEFORE = "before", _("Reminder before the due date")
    LATE = "late", _("Late: escalated to this level")


class EscalationNotice(models.Model):
    """One reminder or escalation about one due item, sent to one person at one level (written by the daily job)."""

    item_key = models.CharField(_("item"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=DueKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    occasion = models.CharField(_("occasion"), max_length=8, choices=Occasion.choices)
    # Days before the due date for a reminder (7, 1, …); 0 for a late notice.
    days_before = models.PositiveSmallIntegerField(_("days before the due date"), default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # The run that wrote the row: a run mails exactly the rows it wrote itself.
    batch = models.CharField(_("run"), max_length=32, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("escalation notice")
        verbose_name_plural = _("escalation notices")
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "level", "occasion", "days_before", "recipient"], name="one_notice_per_item_level"
            ),
            models.CheckConstraint(
                condition=models.Q(occasion="before", days_before__gt=0) | models.Q(occasion="late", days_before=0),
                name="notice_days_before_only_for_reminders",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_key} L{self.level} {self.occasion} → {self.recipient_id}"
