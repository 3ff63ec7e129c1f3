"""Writing a plan (or an empty template) as an .xlsx workbook with drop-downs and a reference sheet."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from codi_plans.spreadsheets import as_text
from strategies.models import NodeKind, PlanNode
from strategies.selectors import plan_items

from .. import services
from ..models import TambonPlan
from .cells import escape
from .layout import (
    BUDGET_COLUMNS,
    CLASS_LABELS,
    DATE_FORMAT,
    INDICATOR_COLUMNS,
    INTEGER_FORMAT,
    KIND_LABELS,
    MONEY_FORMAT,
    PROBLEM_COLUMNS,
    PROFILE_COLUMNS,
    PROFILE_ROWS,
    PROJECT_EXPORT_COLUMNS,
    REFERENCE_COLUMNS,
    SHEET_BUDGET,
    SHEET_INDICATORS,
    SHEET_PROBLEMS,
    SHEET_PROFILE,
    SHEET_PROJECTS,
    SHEET_REFERENCE,
    SOURCE_LABELS,
    TABLE_SHEETS,
    TEMPLATE_EXTRA_ROWS,
    TEXT_FORMAT,
    Column,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def export_plan(plan: TambonPlan | None) -> bytes:
    """Return the plan as an .xlsx workbook; None gives an empty template."""
    nodes = _reference_nodes(plan.period_start_be if plan is not None else None)
    wb = Workbook()
    wb.properties.creator = "CODI Plans"
    wb.properties.title = str(plan) if plan else "แม่แบบแผนพัฒนาตำบล"

    profile = wb.active
    profile.title = SHEET_PROFILE
    _write_profile(profile, plan)

    problems = [] if plan is None else list(plan.problems.all())
    projects = (
        []
        if plan is None
        else list(
            plan.projects.select_related(
                "workstream", "goal", "programme", "carried_over_from__plan", "primary_target"
            ).prefetch_related("budget_lines", "indicators", "secondary_targets")
        )
    )
    problem_rows = [{"rank": p.rank, "title": p.title, "description": p.description} for p in problems]
    project_rows, budget_rows, indicator_rows = [], [], []
    for p in projects:
        row = {name: getattr(p, name) for name in services.PROJECT_FIELDS}
        row.update(
            number=p.number,
            workstream=p.workstream.code,
            goal=p.goal.code,
            programme=p.programme.code,
            project_class=CLASS_LABELS.get(p.project_class, p.project_class),
            primary_target=p.primary_target.official_code if p.primary_target else "",
            secondary_targets=", ".join(sorted(t.official_code for t in p.secondary_targets.all())),
            carried_over=(
                f"{p.carried_over_from.plan.period_start_be}–{p.carried_over_from.plan.period_end_be}"
                if p.carried_over_from
                else ""
            ),
        )
        project_rows.append(row)
        budget_rows += [
            {
                "project": p.number,
                "fiscal_year": b.fiscal_year,
                "source": SOURCE_LABELS.get(b.source, b.source),
                "amount": b.amount,
            }
            for b in sorted(p.budget_lines.all(), key=lambda b: (b.fiscal_year, b.source))
        ]
        indicator_rows += [
            {
                "project": p.number,
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline,
                "target_value": i.target_value,
                "target_year_be": i.target_year_be,
            }
            for i in p.indicators.all()
        ]

    sheets = {}
    for title, columns, rows in (
        (SHEET_PROBLEMS, PROBLEM_COLUMNS, problem_rows),
        (SHEET_PROJECTS, PROJECT_EXPORT_COLUMNS, project_rows),
        (SHEET_BUDGET, BUDGET_COLUMNS, budget_rows),
        (SHEET_INDICATORS, INDICATOR_COLUMNS, indicator_rows),
    ):
        ws = wb.create_sheet(title)
        _write_table(ws, columns, rows)
        sheets[title] = (ws, len(rows))
    sheets[SHEET_PROJECTS][0].freeze_panes = "B2"

    reference = wb.create_sheet(SHEET_REFERENCE)
    ranges = _write_reference(reference, nodes)
    _add_validations(sheets, ranges, plan)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(ws, row: int, column: int, value, kind: str = "text"):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        # Text is text: never a formula Excel would run, whatever it starts with.
        as_text(cell, escape(value))
    else:
        cell.value = value
    if kind in {"money", "decimal"} and value is not None:
        cell.number_format = MONEY_FORMAT if kind == "money" else "General"
    elif kind in {"int", "year"}:
        cell.number_format = INTEGER_FORMAT
    elif kind == "date":
        cell.number_format = DATE_FORMAT
    elif kind in {"code", "text", "longtext", "class", "source", "period"}:
        cell.number_format = TEXT_FORMAT
    cell.alignment = WRAP_TOP if kind == "longtext" else TOP
    return cell


def _write_header(ws, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header or None)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def _write_table(ws, columns: list[Column], rows: list[dict]) -> None:
    _write_header(ws, columns)
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if value in ("", None):
                continue
            _put(ws, r, c, value, column.kind)


def _write_profile(ws, plan: TambonPlan | None) -> None:
    _write_header(ws, PROFILE_COLUMNS)
    notes = {
        "tambon_code": _("The six-digit DOPA code of the tambon. Leave it empty in a blank template."),
        "tambon_name": _("For reading only: not read back on upload."),
        "period": _("First and last year of the plan (B.E.), for example 2563–2565."),
        "revision": _("Do not change: it tells whether the plan was changed by someone else after this download."),
        "status": _("For reading only: not read back on upload."),
    }
    for r, spec in enumerate(PROFILE_ROWS, start=2):
        label = ws.cell(row=r, column=1, value=spec.label)
        label.font, label.alignment = HEADER_FONT, TOP
        if spec.key in notes:
            _put(ws, r, 3, notes[spec.key])
        value = _profile_value(plan, spec.key) if plan is not None else None
        kind = "text" if spec.kind == "code" else spec.kind
        if value in ("", None):
            ws.cell(row=r, column=2).number_format = (
                TEXT_FORMAT if kind in {"text", "longtext", "period"} else "General"
            )
            continue
        _put(ws, r, 2, value, kind)


def _profile_value(plan: TambonPlan, key: str):
    if key == "tambon_code":
        return plan.tambon.code
    if key == "tambon_name":
        tambon = plan.tambon
        return f"{tambon.full_name_th} {tambon.district.full_name_th} {tambon.province.name_th}"
    if key == "period":
        return f"{plan.period_start_be}–{plan.period_end_be}"
    if key == "status":
        return str(plan.get_status_display())
    return getattr(plan, key)


def _reference_nodes(fiscal_year: int | None = None) -> list[PlanNode]:
    """Return workstreams, then goals, then programmes of the CODI plan for the year, in their workstreams' order."""
    nodes = list(
        plan_items(*KIND_LABELS, fiscal_year=fiscal_year).select_related("parent__parent").order_by("number", "code")
    )
    by_id = {n.id: n for n in nodes}
    workstreams = [n for n in nodes if n.kind == NodeKind.WORKSTREAM]
    position = {w.id: i for i, w in enumerate(workstreams)}

    def key(node):
        ws = _workstream_of(node, by_id)
        return (position.get(ws.id if ws else None, 99), _natural(node.code))

    goals = sorted((n for n in nodes if n.kind == NodeKind.GOAL), key=key)
    programmes = sorted((n for n in nodes if n.kind == NodeKind.PROGRAMME), key=key)
    return workstreams + goals + programmes


def _natural(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _workstream_of(node, by_id: dict):
    seen = 0
    while node is not None and node.kind != NodeKind.WORKSTREAM and seen < 10:
        node = by_id.get(node.parent_id)
        seen += 1
    return node if node is not None and node.kind == NodeKind.WORKSTREAM else None


def _write_reference(ws, nodes: list[PlanNode]) -> dict:
    _write_header(ws, REFERENCE_COLUMNS)
    by_id = {n.id: n for n in nodes}
    ranges = {}
    for r, node in enumerate(nodes, start=2):
        ws_node = _workstream_of(node, by_id)
        for c, value in enumerate(
            [node.code, node.name_th, KIND_LABELS[node.kind], ws_node.code if ws_node else ""], start=1
        ):
            _put(ws, r, c, value)
        first, last = ranges.get(node.kind, (r, r))
        ranges[node.kind] = (min(first, r), max(last, r))
    for r, label in enumerate(CLASS_LABELS.values(), start=2):
        _put(ws, r, 6, label)
    for r, label in enumerate(SOURCE_LABELS.values(), start=2):
        _put(ws, r, 7, label)
    ranges["class"] = (2, 1 + len(CLASS_LABELS))
    ranges["source"] = (2, 1 + len(SOURCE_LABELS))
    # Read-only for people (no password): it is what the drop-downs list.
    ws.protection.sheet = True
    return ranges


def _add_validations(sheets: dict, ranges: dict, plan: TambonPlan | None) -> None:
    column_letter = {NodeKind.WORKSTREAM: "A", NodeKind.GOAL: "A", NodeKind.PROGRAMME: "A", "class": "F", "source": "G"}

    def list_from(key):
        first, last = ranges.get(key, (2, 2))
        col = column_letter[key]
        return f"'{SHEET_REFERENCE}'!${col}${first}:${col}${last}"

    def add(title, header, formula1, *, kind="list", operator=None, formula2=None):
        ws, count = sheets[title]
        columns = TABLE_SHEETS[title]
        index = next(i for i, c in enumerate(columns, start=1) if c.header == header)
        letter = get_column_letter(index)
        dv = DataValidation(
            type=kind,
            formula1=formula1,
            formula2=formula2,
            operator=operator,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_("Not accepted"),
            error=_("Choose a value from the list; the sheet “%(sheet)s” explains the codes.")
            % {"sheet": SHEET_REFERENCE}
            if kind == "list"
            else _("Enter a number in the allowed range."),
        )
        dv.add(f"{letter}2:{letter}{count + 1 + TEMPLATE_EXTRA_ROWS}")
        ws.add_data_validation(dv)

    add(SHEET_PROJECTS, "ประเด็นงาน", list_from(NodeKind.WORKSTREAM))
    add(SHEET_PROJECTS, "เป้าหมาย", list_from(NodeKind.GOAL))
    add(SHEET_PROJECTS, "แผนงาน", list_from(NodeKind.PROGRAMME))
    add(SHEET_PROJECTS, "ประเภท", list_from("class"))
    add(SHEET_BUDGET, "แหล่งงบประมาณ", list_from("source"))
    add(SHEET_BUDGET, "จำนวนเงิน (บาท)", "0", kind="decimal", operator="greaterThanOrEqual")
    first, last = (plan.period_start_be, plan.period_end_be) if plan else (2500, 2700)
    add(SHEET_BUDGET, "ปีงบประมาณ (พ.ศ.)", str(first), kind="whole", operator="between", formula2=str(last))
