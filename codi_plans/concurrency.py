"""Optimistic locking shared by every editable record that carries a `revision` counter and history.

A form or API client sends back the revision it started from; a save from an older revision is
refused with EditConflict, which says who changed what in between, so nobody overwrites silently.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class EditConflict(ValidationError):
    """Someone else saved the record after this edit began."""

    def __init__(self, *, obj, expected_revision: int):
        self.obj = obj
        self.expected_revision = expected_revision
        self.current_revision = obj.revision
        self.changed_by, self.changed_at, self.changes = _what_changed(obj, expected_revision)
        who = str(self.changed_by) if self.changed_by else _("someone else")
        super().__init__(
            _(
                "This record was changed by %(who)s while you were editing it (your copy is revision %(mine)s, "
                "the saved one is revision %(theirs)s). Your changes were not saved: review theirs and try again."
            )
            % {"who": who, "mine": expected_revision, "theirs": obj.revision},
            code="conflict",
        )


# Shown when a save waited for the database's write lock longer than the timeout (SQLite: DJANGO_SQLITE_TIMEOUT).
BUSY_MESSAGE = gettext_lazy(
    "The system was busy saving other changes and could not save yours in time. Nothing was saved: "
    "please try again in a moment."
)


def is_database_busy(exc: BaseException) -> bool:
    """Say whether a database error means a save gave up waiting for another save's lock."""
    # SQLite says "database is locked" (or "database table is locked") once its busy timeout has run out.
    return isinstance(exc, OperationalError) and "is locked" in str(exc)


def _what_changed(obj, expected_revision: int):
    history = getattr(obj, "history", None)
    if history is None:
        return None, None, []
    records = list(history.filter(revision__gte=expected_revision).order_by("history_date", "history_id"))
    if not records:
        return None, None, []
    latest, base = records[-1], records[0]
    changes = []
    if base is not latest:
        delta = latest.diff_against(base)
        changes = [
            {"field": str(obj._meta.get_field(c.field).verbose_name), "old": c.old, "new": c.new}
            for c in delta.changes
            if c.field not in {"revision", "updated_at", "updated_by"}
        ]
    return latest.history_user, latest.history_date, changes


def check_revision(obj, expected_revision) -> None:
    """Raise EditConflict when the locked row's revision is not the one the edit started from."""
    if expected_revision is None:
        raise ValidationError(_("The revision you are editing is missing; reload the page."), code="revision")
    if int(expected_revision) != obj.revision:
        raise EditConflict(obj=obj, expected_revision=int(expected_revision))


def bump_revision(obj, by) -> None:
    """Record who saves and move the revision on; call on a row locked with select_for_update."""
    obj.revision += 1
    obj._history_user = by
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = by


class _Rehearsal(Exception):
    """Raised at the end of a rehearsed save to roll it back."""


@contextmanager
def rehearsed(dry_run: bool):
    """Run a save in a transaction and, for a dry run ("check only"), roll it back at the end.

    A check that runs the very save it predicts can never disagree with that save: every rule the save applies
    (model validation, constraints, locks) is applied to the check as well.
    """
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _Rehearsal
    except _Rehearsal:
        pass
