"""One workflow mechanism for plans, results and budget requests: a transition map and typed transition records.

Each workflow names, for every status, the statuses it may move to. A move is checked against the map and
recorded as data (from, to, who, when, why) in the workflow's Transition model (codi_plans.models.Transition);
history pages read those records, never a reason string. Who may make a move is the permissions' business and
is checked before; the map only knows which moves exist.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Workflow:
    """The moves a record's status may make, and where each move is written down."""

    transitions: Mapping[str, frozenset]
    record: type  # a subclass of codi_plans.models.Transition
    subject: str  # the record's foreign key to the moving object

    def can_move(self, obj, to_status: str) -> bool:
        """Return whether the map allows obj's status to move to to_status."""
        return to_status in self.transitions.get(obj.status, frozenset())

    def check(self, obj, to_status: str, refusal: str | None = None) -> None:
        """Refuse (ValidationError code "bad_status") a move the map does not allow."""
        if not self.can_move(obj, to_status):
            status = obj.get_status_display()
            raise ValidationError(
                refusal % {"status": status}
                if refusal
                else _("This cannot be done to a record that is %(status)s.") % {"status": status},
                code="bad_status",
            )

    def move(self, obj, to_status: str, *, by, reason: str = "", refusal: str | None = None):
        """Check the move, write its transition record and set the new status (the caller saves obj)."""
        self.check(obj, to_status, refusal)
        record = self.record.objects.create(
            **{self.subject: obj}, from_status=obj.status, to_status=to_status, by=by, comment=reason
        )
        obj.status = to_status
        if hasattr(obj, "status_changed_at"):
            obj.status_changed_at = timezone.now()
        return record

    def record_creation(self, objs, to_status: str, *, by, from_status: str) -> None:
        """Write down the move of records created straight into a later status (reported and submitted at once)."""
        self.record.objects.bulk_create(
            self.record(**{self.subject: obj}, from_status=from_status, to_status=to_status, by=by) for obj in objs
        )

    def history(self, obj):
        """Return the record's moves in order, with who made each."""
        return self.record.objects.filter(**{self.subject: obj}).select_related("by").order_by("at", "id")
