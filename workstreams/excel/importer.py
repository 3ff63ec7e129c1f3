"""Importing an uploaded workbook into a tambon plan: check the file, its structure and every row, then save."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from codi_plans import uploads
from codi_plans.concurrency import EditConflict, check_revision, rehearsed

from .. import permissions, services
from ..models import TambonPlan
from .layout import SHEET_BUDGET, SHEET_PROBLEMS, SHEET_PROFILE, SHEET_PROJECTS
from .parser import Parser, RowError
from .workbook import read_workbook


@dataclass
class ImportResult:
    errors: list[RowError]
    saved: bool
    summary: dict = field(default_factory=dict)


def import_plan(*, file, plan: TambonPlan, by, dry_run: bool) -> ImportResult:
    """Check an uploaded workbook against a plan and, unless dry_run or anything is wrong, save it all at once."""
    if not permissions.can_write_plan_for_tambon(by, plan.tambon):
        raise PermissionDenied(_("You may not change this tambon's plan."))
    plan = TambonPlan.objects.select_related("tambon").get(pk=plan.pk)
    if not plan.is_editable:
        raise ValidationError(
            _("A plan that is %(status)s is read-only until it is returned for revision.")
            % {"status": plan.get_status_display()},
            code="read_only",
        )
    data = uploads.check_xlsx(file)
    tables = read_workbook(data)
    parsed = Parser(plan, tables).parse()
    if parsed.expected_revision is not None:
        # A file downloaded before someone else's save is refused whole, whatever else it says.
        check_revision(plan, parsed.expected_revision)
    summary = parsed.summary()
    if parsed.errors:
        return ImportResult(errors=parsed.errors, saved=False, summary=summary)
    # "Check only" makes the very save and rolls it back: a check and a save can never reach different verdicts.
    try:
        with rehearsed(dry_run):
            saved = services.replace_plan_content(
                plan=plan,
                by=by,
                expected_revision=parsed.expected_revision,
                profile=parsed.profile,
                problems=parsed.problems,
                projects=parsed.projects,
                reason="imported from Excel",
            )
    except EditConflict:
        raise
    except ValidationError as error:
        return ImportResult(errors=_service_errors(error), saved=False, summary=summary)
    if dry_run:
        return ImportResult(errors=[], saved=False, summary=summary)
    summary["revision"] = saved.revision
    return ImportResult(errors=[], saved=True, summary=summary)


def _service_errors(error: ValidationError) -> list[RowError]:
    """List the rules the save itself refused (the parser checks first, so this is a safety net, not the rule)."""
    sheets = {"projects": SHEET_PROJECTS, "problems": SHEET_PROBLEMS, "budget_lines": SHEET_BUDGET}
    if not hasattr(error, "error_dict"):
        return [RowError(sheet="", row=0, column="", message=m, code="invalid") for m in error.messages]
    return [
        RowError(sheet=sheets.get(name, SHEET_PROFILE), row=0, column="", message=m, code="invalid")
        for name, messages in error.message_dict.items()
        for m in messages
    ]
