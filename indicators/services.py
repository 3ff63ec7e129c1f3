"""Writes to targets and results: reporting, the review workflow, and reasoned changes kept in history.

Roll-ups are computed from approved results by aggregate queries (see selectors.py), so every write here
is reflected in the official figures the moment its transaction commits; nothing else needs updating.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_of
from codi_plans.concurrency import bump_revision, check_revision, rehearsed
from codi_plans.numbers import parse_decimal, parse_whole, rule_of, whole_number_rule
from codi_plans.spreadsheets import ILLEGAL_CHARACTERS
from codi_plans.thai_calendar import THAI_DIGITS, parse_be_year
from codi_plans.uploads import evidence_content_type
from strategies.models import PlanNode
from strategies.permissions import can_edit_plan
from strategies.services import copy_code

from . import permissions
from .models import (
    RESULT_WORKFLOW,
    AreaLevel,
    Indicator,
    Result,
    ResultStatus,
    Target,
    area_shape_q,
)

INDICATORS_FILE = Path(__file__).parent / "data" / "indicators.json"


VALUE_RULE = rule_of(Result, "value", allow_negative=True)
QUARTER_RULE = whole_number_rule(1, 4)


def _decimal(value, field: str = "value", label=None) -> Decimal | None:
    """Read a value the way people type it (Thai digits, separators); a wrong one is an error on `field`."""
    try:
        return parse_decimal(value, VALUE_RULE, label=label or _("Value"))
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _check_period(fiscal_year, quarter, *, quarter_required: bool) -> tuple[int, int | None]:
    try:
        fiscal_year = parse_be_year(fiscal_year, label=_("Fiscal year"))
    except ValidationError as error:
        raise ValidationError({"fiscal_year": error}) from None
    if fiscal_year is None:
        raise ValidationError({"fiscal_year": _("Enter the fiscal year in B.E., e.g. 2565.")})
    if quarter in (None, ""):
        if quarter_required:
            raise ValidationError({"quarter": _("Choose a quarter (1–4).")})
        return fiscal_year, None
    try:
        quarter = parse_whole(quarter, QUARTER_RULE, label=_("Quarter"))
    except ValidationError:
        raise ValidationError({"quarter": _("Choose a quarter (1–4).")}) from None
    return fiscal_year, quarter


def _area_row_filter(level: str, area) -> dict:
    """Return field lookups that pick the rows set on exactly this area."""
    if level == AreaLevel.COUNTRY:
        return {"level": level}
    return {"level": level, level: area}


def _save(obj, by, reason: str) -> None:
    bump_revision(obj, by)
    obj._change_reason = reason
    obj.save()


# Targets ------------------------------------------------------------------------------------------


@transaction.atomic
def set_target(
    *,
    indicator: Indicator,
    level: str,
    area,
    fiscal_year: int,
    quarter: int | None,
    value,
    by,
    reason: str = "",
    note: str = "",
    expected_revision: int | None = None,
) -> Target:
    """Set an indicator's target for a fiscal year (or quarter) in an area; changing one needs a reason."""
    if not permissions.can_set_target(by, level, area):
        raise PermissionDenied(_("You may not set targets for this area."))
    fiscal_year, quarter = _check_period(fiscal_year, quarter, quarter_required=False)
    value = _decimal(value)
    if value is None:
        raise ValidationError({"value": _("Enter the target value.")})
    if value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    if not indicator.is_numeric:
        raise ValidationError({"indicator": _("A narrative indicator has no numeric target.")})
    if level not in AreaLevel.values:
        raise ValidationError({"level": _("Unknown area level %(level)s.") % {"level": level}})
    # Lock the indicator row: two people setting the same new target are serialised here.
    Indicator.objects.select_for_update().get(pk=indicator.pk)
    target = (
        Target.objects.select_for_update()
        .filter(indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, **_area_row_filter(level, area))
        .first()
    )
    if target is None:
        target = Target(indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, value=value, note=note)
        target.set_area(level, area)
        target.updated_by = by
        target._history_user = by
        target._change_reason = (reason or "").strip() or "target set"
        target.full_clean()
        target.save()
        return target
    check_revision(target, expected_revision)
    reason = _reason(reason, _("Say why the target changes."))
    target.value, target.note = value, note or target.note
    target.full_clean()
    _save(target, by, reason)
    return target


@transaction.atomic
def remove_target(*, target: Target, by, reason: str, expected_revision: int) -> None:
    """Delete a target, saying why; the history keeps it."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    if not permissions.can_set_target(by, target.level, target.area):
        raise PermissionDenied(_("You may not set targets for this area."))
    check_revision(target, expected_revision)
    target._change_reason = _reason(reason, _("Say why the target is removed."))
    target._history_user = by
    target.delete()


# Results ------------------------------------------------------------------------------------------


def _lock(result: Result) -> Result:
    return (
        Result.objects.select_for_update(of=("self",))
        .select_related("indicator", "tambon", "district", "province", "province_group", "region")
        .get(pk=result.pk)
    )


def _attach_evidence(result: Result, evidence) -> None:
    if evidence:
        evidence_content_type(evidence)
        result.evidence = evidence


@transaction.atomic
def create_result(
    *,
    indicator: Indicator,
    level: str,
    area,
    fiscal_year: int,
    quarter: int,
    value,
    by,
    note: str = "",
    evidence=None,
    submit: bool = False,
) -> Result:
    """Report a quarter's result for an area as a draft (or submit it straight away)."""
    if not permissions.can_report_result(by, level, area):
        raise PermissionDenied(_("You may not report results for this area."))
    if not indicator.is_active:
        raise ValidationError({"indicator": _("This indicator is no longer in use.")})
    if level != indicator.reporting_level:
        raise ValidationError(
            {
                "level": _("Results of this indicator are reported per %(level)s.")
                % {"level": AreaLevel(indicator.reporting_level).label}
            }
        )
    fiscal_year, quarter = _check_period(fiscal_year, quarter, quarter_required=True)
    value = _decimal(value)
    indicator.validate_value(value)
    if Result.objects.filter(
        indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, **_area_row_filter(level, area)
    ).exists():
        raise ValidationError(
            _("This area already has a result for this indicator and quarter; open it to change it."),
            code="duplicate",
        )
    now = timezone.now()
    result = Result(
        indicator=indicator,
        fiscal_year=fiscal_year,
        quarter=quarter,
        value=value,
        note=(note or "").strip(),
        created_by=by,
        updated_by=by,
        status=ResultStatus.SUBMITTED if submit else ResultStatus.DRAFT,
        submitted_at=now if submit else None,
        submitted_by=by if submit else None,
    )
    result.set_area(level, area)
    _attach_evidence(result, evidence)
    result.full_clean(exclude=["evidence"])
    result._history_user = by
    result._change_reason = "reported and submitted" if submit else "reported"
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError:
        # Someone reported the same quarter between our check and our insert.
        raise ValidationError(
            _("This area already has a result for this indicator and quarter; open it to change it."),
            code="duplicate",
        ) from None
    if submit:
        RESULT_WORKFLOW.record_creation([result], ResultStatus.SUBMITTED, by=by, from_status=ResultStatus.DRAFT)
    return result


_UNSET = object()


@transaction.atomic
def update_result(
    *, result: Result, by, expected_revision: int, value=_UNSET, note=None, evidence=None, remove_evidence=False
) -> Result:
    """Change a result that is still with the reporting side (draft, returned or withdrawn)."""
    result = _lock(result)
    if not permissions.can_report_result(by, result.level, result.area):
        raise PermissionDenied(_("You may not change this result."))
    if not result.is_editable:
        raise ValidationError(
            _("A result that is %(status)s cannot be edited here.") % {"status": result.get_status_display()},
            code="read_only",
        )
    check_revision(result, expected_revision)
    if value is not _UNSET:
        value = _decimal(value)
        result.indicator.validate_value(value)
        result.value = value
    if note is not None:
        result.note = note.strip()
    if remove_evidence:
        result.evidence = None
    _attach_evidence(result, evidence)
    _save(result, by, "edited")
    return result


def _move(result: Result, to_status: str, by, reason: str = "") -> Result:
    """Move a locked result along RESULT_WORKFLOW, with its transition record, and save it."""
    now = timezone.now()
    RESULT_WORKFLOW.move(result, to_status, by=by, reason=reason)
    if to_status == ResultStatus.SUBMITTED:
        result.submitted_at, result.submitted_by = now, by
    if to_status in (ResultStatus.APPROVED, ResultStatus.RETURNED, ResultStatus.WITHDRAWN):
        result.reviewed_by, result.reviewed_at = by, now
    result.status_reason = reason
    _save(result, by, f"status → {to_status}")
    return result


def _expect_status(result: Result, to_status: str, message: str) -> None:
    """Refuse a move RESULT_WORKFLOW does not allow from the result's status, saying which status it is in."""
    RESULT_WORKFLOW.check(result, to_status, message)


@transaction.atomic
def submit_result(*, result: Result, by, expected_revision: int | None = None) -> Result:
    """Send a draft, returned or withdrawn result for review."""
    result = _lock(result)
    if not permissions.can_report_result(by, result.level, result.area):
        raise PermissionDenied(_("You may not submit this result."))
    _expect_status(
        result,
        ResultStatus.SUBMITTED,
        _("Only a draft, returned or withdrawn result can be submitted; this one is %(status)s."),
    )
    if expected_revision is not None:
        check_revision(result, expected_revision)
    if not result.indicator.is_numeric and not result.note:
        raise ValidationError({"note": _("A narrative result needs its note.")})
    return _move(result, ResultStatus.SUBMITTED, by)


def _lock_for_review(result: Result, by, expected_revision) -> Result:
    result = _lock(result)
    if not permissions.can_review_result(by, result):
        raise PermissionDenied(_("You may not review this result."))
    if expected_revision is not None:
        check_revision(result, expected_revision)
    return result


@transaction.atomic
def approve_result(*, result: Result, by, expected_revision: int | None = None) -> Result:
    """Approve a submitted result: from now on it counts in the official figures; never by its reporter."""
    result = _lock_for_review(result, by, expected_revision)
    permissions.check_approve_result(by, result)
    _expect_status(result, ResultStatus.APPROVED, _("Only a submitted result can be approved; this one is %(status)s."))
    return _move(result, ResultStatus.APPROVED, by)


@transaction.atomic
def return_result(*, result: Result, by, reason: str, expected_revision: int | None = None) -> Result:
    """Send a submitted result back to the area for correction, saying why."""
    reason = _reason(reason, _("Say why the result is returned."))
    result = _lock_for_review(result, by, expected_revision)
    _expect_status(result, ResultStatus.RETURNED, _("Only a submitted result can be returned; this one is %(status)s."))
    return _move(result, ResultStatus.RETURNED, by, reason)


@transaction.atomic
def withdraw_result(*, result: Result, by, reason: str, expected_revision: int | None = None) -> Result:
    """Take an approved result out of the official figures, saying why; the area may correct and resubmit it."""
    reason = _reason(reason, _("Say why the approved result is withdrawn."))
    result = _lock_for_review(result, by, expected_revision)
    _expect_status(
        result, ResultStatus.WITHDRAWN, _("Only an approved result can be withdrawn; this one is %(status)s.")
    )
    return _move(result, ResultStatus.WITHDRAWN, by, reason)


@transaction.atomic
def change_approved_result(
    *, result: Result, by, expected_revision: int, reason: str, value=_UNSET, note=None
) -> Result:
    """Correct an approved result in place, saying why; the history keeps the old value, who and when."""
    reason = _reason(reason, _("Say why the approved result changes."))
    result = _lock_for_review(result, by, None)
    permissions.check_approve_result(by, result)
    if result.status != ResultStatus.APPROVED:
        raise ValidationError(
            _("Only an approved result is corrected this way; this one is %(status)s.")
            % {"status": result.get_status_display()},
            code="bad_status",
        )
    check_revision(result, expected_revision)
    if value is not _UNSET:
        value = _decimal(value)
        result.indicator.validate_value(value)
        result.value = value
    if note is not None:
        result.note = note.strip()
    # The correction is a move approved → approved: its reason is kept as data beside the history's old value.
    RESULT_WORKFLOW.move(result, ResultStatus.APPROVED, by=by, reason=reason)
    _save(result, by, "approved result corrected")
    return result


# Seed data ----------------------------------------------------------------------------------------

INDICATOR_FIELDS = [
    "number",
    "level",
    "name_th",
    "name_en",
    "definition_th",
    "definition_en",
    "unit_th",
    "unit_en",
    "measure",
    "direction",
    "aggregation",
    "condition_threshold",
    "cumulative",
    "baseline_value",
    "baseline_year",
    "reporting_level",
    "source_th",
]
INDICATOR_DEFAULTS = {
    "definition_th": "",
    "definition_en": "",
    "condition_threshold": None,
    "cumulative": False,
    "baseline_value": None,
    "baseline_year": None,
    "reporting_level": AreaLevel.TAMBON,
    "source_th": "",
    "direction": "higher",
}


@dataclass
class IndicatorLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    targets_created: int = 0


def _indicator_values(row: dict) -> dict:
    values = {f: row.get(f, INDICATOR_DEFAULTS.get(f, "")) for f in INDICATOR_FIELDS}
    for name in ("condition_threshold", "baseline_value"):
        values[name] = _decimal(values[name], name)
    return values


@transaction.atomic
def load_indicators(*, update: bool = False, path: Path = INDICATORS_FILE) -> IndicatorLoadReport:
    """Create the seed's indicators and their country targets that are missing; update=True also overwrites
    existing indicators with the file's text. A second run changes nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {n.code: n for n in PlanNode.objects.filter(code__in={r["plan_node"] for r in data["indicators"]})}
    existing = {i.code: i for i in Indicator.objects.all()}
    report = IndicatorLoadReport()
    for row in data["indicators"]:
        if row["plan_node"] not in nodes:
            raise ValidationError(
                _("Plan item %(code)s is missing: run load_plan_hierarchy first.") % {"code": row["plan_node"]}
            )
        values = _indicator_values(row)
        node = nodes[row["plan_node"]]
        indicator = existing.get(row["code"])
        if indicator is None:
            indicator = Indicator(code=row["code"], plan_node=node, **values)
            indicator.full_clean()
            indicator._change_reason = "loaded from indicators.json"
            indicator.save()
            report.created += 1
        elif update and (
            indicator.plan_node_id != node.pk or any(getattr(indicator, f) != v for f, v in values.items())
        ):
            indicator.plan_node = node
            for f, v in values.items():
                setattr(indicator, f, v)
            indicator.full_clean()
            indicator._change_reason = "updated from indicators.json"
            indicator.save()
            report.updated += 1
        else:
            report.unchanged += 1
        for t in row.get("targets", []):
            exists = Target.objects.filter(
                area_shape_q(AreaLevel.COUNTRY),
                indicator=indicator,
                fiscal_year=t["fiscal_year"],
                quarter=t.get("quarter"),
            ).exists()
            if not exists:
                target = Target(
                    indicator=indicator,
                    fiscal_year=t["fiscal_year"],
                    quarter=t.get("quarter"),
                    value=_decimal(t["value"]),
                    level=AreaLevel.COUNTRY,
                )
                target._change_reason = "loaded from indicators.json"
                target.save()
                report.targets_created += 1
    return report


# Bulk entry ---------------------------------------------------------------------------------------


def import_results(*, upload, by, dry_run: bool = True, submit: bool = True):
    """Check every row of an .xlsx or .csv of results and, unless dry_run or any row is wrong, save them all at once.

    New results are created (submitted for review when `submit`), results still with the area (draft,
    returned, withdrawn) are updated; a row for a result already submitted or approved is an error.
    Returns an ImportReport listing every error by row and column; raises ValidationError for a bad file.
    """
    from areas.models import District, Province, ProvinceGroup, Region, Subdistrict

    from .excel import COLUMNS, ImportReport, RowError, read_sheet

    rows = read_sheet(upload)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    if not scope_of(by).may_write:
        raise PermissionDenied(_("This account is read-only."))
    indicators = {i.code: i for i in Indicator.objects.all()}
    area_models = {
        AreaLevel.REGION: (Region, "key"),
        AreaLevel.PROVINCE_GROUP: (ProvinceGroup, "number"),
        AreaLevel.PROVINCE: (Province, "code"),
        AreaLevel.DISTRICT: (District, "code"),
        AreaLevel.TAMBON: (Subdistrict, "code"),
    }
    areas_by_level: dict = {}

    def areas(level):
        if level not in areas_by_level:
            model, key = area_models[level]
            areas_by_level[level] = {str(getattr(a, key)): a for a in model.objects.all()}
        return areas_by_level[level]

    checked, seen = [], {}
    for row in rows:
        v = row.values
        errors = []

        def error(column, message, _row=row, _errors=errors):
            _errors.append(RowError(_row.row, column, str(message)))

        indicator = indicators.get(v.get("indicator_code", "").upper()) or indicators.get(v.get("indicator_code", ""))
        if indicator is None or not indicator.is_active:
            error("indicator_code", _("Unknown indicator code %(code)s.") % {"code": v.get("indicator_code", "")})
        area = None
        if indicator is not None:
            level = indicator.reporting_level
            area_code = v.get("area_code", "").translate(THAI_DIGITS)
            area = areas(level).get(area_code) if level != AreaLevel.COUNTRY else None
            if area is None and level != AreaLevel.COUNTRY:
                error(
                    "area_code",
                    _("Unknown %(level)s code %(code)s.")
                    % {"level": AreaLevel(level).label, "code": v.get("area_code", "")},
                )
            elif not permissions.can_report_result(by, level, area):
                error(
                    "area_code",
                    _("You may not report results for %(area)s.")
                    % {"area": area if area is not None else _("the whole country")},
                )
        fiscal_year = quarter = None
        try:
            fiscal_year = parse_be_year(v.get("fiscal_year"), label=_("Fiscal year"))
        except ValidationError as exc:
            error("fiscal_year", exc.messages[0])
        else:
            if fiscal_year is None:
                error("fiscal_year", _("Enter the fiscal year in B.E., e.g. 2565."))
        try:
            quarter = parse_whole(v.get("quarter"), QUARTER_RULE, label=_("Quarter"))
        except ValidationError:
            quarter = None
        if quarter is None:
            error("quarter", _("Choose a quarter (1–4)."))
        for column in sorted(row.uncalculated):
            error(
                column,
                _(
                    "This cell holds a formula, but the file has no result for it (it was saved by a program that "
                    "does not calculate). Open the file in Excel or LibreOffice, let it calculate and save it, or "
                    "type the value itself, then upload it again."
                ),
            )
        if bad := ILLEGAL_CHARACTERS.search(v.get("note", "")):
            error(
                "note",
                _("This cell holds an invisible control character (U+%(code)04X); delete it and upload again.")
                % {"code": ord(bad.group(0))},
            )
        value = None
        if "value" not in row.uncalculated:
            try:
                value = _decimal(v.get("value"))
                if indicator is not None:
                    indicator.validate_value(value)
            except ValidationError as exc:
                error("value", exc.message_dict.get("value", exc.messages)[0])
        if not errors:
            key = (indicator.id, indicator.reporting_level, area.id if area else None, fiscal_year, quarter)
            if key in seen:
                error(
                    "area_code",
                    _("The same indicator, area and quarter is already on row %(row)s.") % {"row": seen[key]},
                )
            seen[key] = row.row
        report.errors.extend(errors)
        if not errors:
            checked.append((row, indicator, area, fiscal_year, quarter, value, v.get("note", "")))
    existing = _existing_results(checked)
    for row, indicator, area, fiscal_year, quarter, _value, _note in checked:
        current = existing.get((indicator.id, area.id if area else None, fiscal_year, quarter))
        if current is not None and not current.is_editable:
            report.errors.append(
                RowError(
                    row.row,
                    "area_code",
                    _("This quarter's result is already %(status)s; it cannot be replaced by upload.")
                    % {"status": current.get_status_display()},
                )
            )
    order = list(COLUMNS)
    report.errors.sort(key=lambda e: (e.row, order.index(e.column) if e.column in order else len(order)))
    if report.errors:
        report.created = sum(1 for c in checked if (c[1].id, c[2].id if c[2] else None, c[3], c[4]) not in existing)
        report.updated = len(checked) - report.created
        return report
    # "Check only" makes the very save and rolls it back, so it reaches the verdict the save would.
    with rehearsed(dry_run):
        _save_import(checked, existing, by, submit, report)
    report.dry_run = dry_run
    return report


def _existing_results(checked) -> dict:
    """Return the results already stored for the checked rows, keyed like them."""
    out = {}
    wanted = {(c[1].id, c[2].id if c[2] else None, c[3], c[4]) for c in checked}
    by_level: dict = {}
    for _row, indicator, area, fiscal_year, _quarter, _value, _note in checked:
        parts = by_level.setdefault(indicator.reporting_level, {"indicators": set(), "areas": set(), "years": set()})
        parts["indicators"].add(indicator.id)
        parts["years"].add(fiscal_year)
        if area is not None:
            parts["areas"].add(area.id)
    for level, parts in by_level.items():
        rows = Result.objects.filter(indicator_id__in=parts["indicators"], fiscal_year__in=parts["years"], level=level)
        if level != AreaLevel.COUNTRY:
            rows = rows.filter(**{f"{level}_id__in": parts["areas"]})
        for result in rows:
            area_id = getattr(result, f"{level}_id") if level != AreaLevel.COUNTRY else None
            key = (result.indicator_id, area_id, result.fiscal_year, result.quarter)
            if key in wanted:
                out[key] = result
    return out


@transaction.atomic
def _save_import(checked, existing, by, submit: bool, report) -> None:
    from simple_history.utils import bulk_create_with_history

    now = timezone.now()
    status = ResultStatus.SUBMITTED if submit else ResultStatus.DRAFT
    new = []
    for _row, indicator, area, fiscal_year, quarter, value, note in checked:
        current = existing.get((indicator.id, area.id if area else None, fiscal_year, quarter))
        if current is not None:
            current = Result.objects.select_for_update().get(pk=current.pk)
            if not current.is_editable:
                raise ValidationError(_("A result changed while the file was being saved; nothing was saved."))
            current.value, current.note = value, note.strip()
            if submit:
                RESULT_WORKFLOW.move(current, ResultStatus.SUBMITTED, by=by)
                current.submitted_at, current.submitted_by = now, by
            _save(current, by, "updated by upload")
            report.updated += 1
            continue
        result = Result(
            indicator=indicator,
            fiscal_year=fiscal_year,
            quarter=quarter,
            value=value,
            note=note.strip(),
            status=status,
            submitted_at=now if submit else None,
            submitted_by=by if submit else None,
            created_by=by,
            updated_by=by,
        )
        result.set_area(indicator.reporting_level, area)
        new.append(result)
    try:
        with transaction.atomic():
            created = bulk_create_with_history(
                new, Result, batch_size=1000, default_user=by, default_change_reason="uploaded"
            )
    except IntegrityError:
        raise ValidationError(
            _("Some of these results were reported meanwhile; nothing was saved. Try again.")
        ) from None
    if submit:
        RESULT_WORKFLOW.record_creation(created, ResultStatus.SUBMITTED, by=by, from_status=ResultStatus.DRAFT)
    report.created = len(new)
    report.dry_run = False


# --- Plan cycles --------------------------------------------------------------------------------------------------


@transaction.atomic
def copy_indicators_for_plan(*, old_plan: PlanNode, new_plan: PlanNode, mapping: dict, by) -> list[Indicator]:
    """Copy the plan-level indicators of a rolled-forward plan's items, with their targets inside the new period."""
    if not can_edit_plan(by):
        raise PermissionDenied(_("Only CODI central staff roll a CODI plan forward."))
    first, last = new_plan.period_start_be, new_plan.period_end_be
    # Project indicators belong to a tambon project, not to the plan: they stay with their project.
    sources = list(
        Indicator.objects.filter(plan_node_id__in=list(mapping), project__isnull=True)
        .prefetch_related("targets")
        .order_by("number", "code")
    )
    taken = set(Indicator.objects.values_list("code", flat=True))
    skipped = {"id", "pk", "code", "plan_node", "updated_at"}
    copies = []
    for source in sources:
        copy = Indicator(
            code=copy_code(source.code, first, taken),
            plan_node=mapping[source.plan_node_id],
            **{
                f.attname: getattr(source, f.attname)
                for f in Indicator._meta.concrete_fields
                if f.name not in skipped and f.attname not in skipped
            },
        )
        copy._history_user = by
        copy._change_reason = f"rolled forward from {source.code}"
        copy.save()
        for target in source.targets.all():
            if not (first <= target.fiscal_year <= last):
                continue
            new_target = Target(
                indicator=copy,
                fiscal_year=target.fiscal_year,
                quarter=target.quarter,
                value=target.value,
                note=target.note,
                updated_by=by,
            )
            new_target.set_area(target.level, target.area)
            new_target._history_user = by
            new_target._change_reason = f"rolled forward from {source.code}"
            new_target.save()
        copies.append(copy)
    return copies


def copy_indicators_on_roll_forward(sender, *, old_plan, new_plan, mapping, by, **kwargs) -> None:
    """Answer strategies' plan_rolled_forward signal (connected in apps.py): copy the indicators too."""
    copy_indicators_for_plan(old_plan=old_plan, new_plan=new_plan, mapping=mapping, by=by)
