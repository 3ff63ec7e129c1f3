"""Tambon plans to and from Excel: download a plan (or an empty template) and upload it back.

The workbook is a file format, so its sheet names, column headers and row labels are Thai constants that
never change with the interface language; only the messages about a file are translated. An upload is
checked in three layers, each before the next is trusted: the raw bytes (size, zip magic, zip bomb, DTDs),
the workbook's structure (sheets, columns, profile rows), then every row. Row problems are all collected
with their sheet, row and column; nothing is saved unless there are none, and then everything is saved at
once through services.replace_plan_content.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from areas.models import Subdistrict
from codi_plans import thai_calendar
from codi_plans.concurrency import EditConflict, check_revision, rehearsed
from codi_plans.numbers import parse_decimal, parse_whole, rule_of, whole_number_rule
from codi_plans.spreadsheets import ILLEGAL_CHARACTERS, as_text
from strategies.models import NodeKind, PlanNode

from . import permissions, services
from .models import (
    FundingSource,
    ProjectBudget,
    ProjectClass,
    ProjectIndicator,
    TambonPlan,
    dates_outside_period,
    plan_link_errors,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Real workbooks compress text about 5-20 times; a member above this ratio (and above a megabyte) is a bomb.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_ROWS_PER_SHEET = 5000

SHEET_PROFILE = "แผนตำบล"
SHEET_PROBLEMS = "ปัญหา"
SHEET_PROJECTS = "โครงการ"
SHEET_BUDGET = "งบประมาณ"
SHEET_INDICATORS = "ตัวชี้วัด"
SHEET_REFERENCE = "รายการอ้างอิง"

# Shown by Thai Excel in the Buddhist calendar (LCID 041E, calendar 07); stored as an ordinary date.
DATE_FORMAT = "[$-107041E]d/m/yyyy"
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
TEXT_FORMAT = "@"

CLASS_LABELS = {
    ProjectClass.SELF: "ทำเอง",
    ProjectClass.JOINT: "ทำร่วม",
    ProjectClass.SUPPORT: "ขอสนับสนุน",
}
SOURCE_LABELS = {
    FundingSource.COMMUNITY: "ชุมชน",
    FundingSource.LOCAL_GOVERNMENT: "องค์กรปกครองส่วนท้องถิ่น",
    FundingSource.CODI: "พอช.",
    FundingSource.GOVERNMENT_AGENCY: "หน่วยงานรัฐอื่น",
    FundingSource.PRIVATE: "ภาคเอกชน",
    FundingSource.OTHER: "อื่น ๆ",
}
KIND_LABELS = {NodeKind.WORKSTREAM: "ประเด็นงาน", NodeKind.GOAL: "เป้าหมาย", NodeKind.PROGRAMME: "แผนงาน"}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str  # int, year, money, decimal, text, longtext, code, class, source, date
    width: int
    required: bool = False
    max_length: int | None = None


PROFILE_LABEL, PROFILE_VALUE, PROFILE_NOTE = "หัวข้อ", "ข้อมูล", "คำอธิบาย"
PROFILE_COLUMNS = [
    Column(PROFILE_LABEL, "label", "text", 44),
    Column(PROFILE_VALUE, "value", "longtext", 60),
    Column(PROFILE_NOTE, "note", "text", 60),
]
PROFILE_OPTIONAL_HEADERS = {PROFILE_NOTE}


@dataclass(frozen=True)
class ProfileRow:
    label: str
    key: str
    kind: str
    info_only: bool = False  # written for people to read, ignored on upload


PROFILE_ROWS = [
    ProfileRow("รหัสตำบล", "tambon_code", "code"),
    ProfileRow("ตำบล", "tambon_name", "text", info_only=True),
    ProfileRow("ช่วงแผน", "period", "period"),
    ProfileRow("ฉบับที่ (revision)", "revision", "int"),
    ProfileRow("สถานะแผน", "status", "text", info_only=True),
    ProfileRow("จำนวนครัวเรือน", "households", "int"),
    ProfileRow("จำนวนประชากร", "population", "int"),
    ProfileRow("อาชีพหลัก", "main_occupations", "longtext"),
    ProfileRow("รายได้เฉลี่ยต่อครัวเรือน (บาท/ปี)", "average_household_income", "money"),
    ProfileRow("หนี้สินเฉลี่ยต่อครัวเรือน (บาท)", "average_household_debt", "money"),
    ProfileRow("ข้อมูลความจำเป็นพื้นฐาน (จปฐ.)", "basic_needs", "longtext"),
    ProfileRow("ทุนชุมชน: คน (ผู้นำ ปราชญ์ อาสาสมัคร)", "capital_people", "longtext"),
    ProfileRow("ทุนชุมชน: ทรัพยากรธรรมชาติและทรัพยากรท้องถิ่น", "capital_resources", "longtext"),
    ProfileRow("ทุนชุมชน: กลุ่ม", "capital_groups", "longtext"),
    ProfileRow("ทุนชุมชน: องค์กรและกองทุน", "capital_organizations", "longtext"),
    ProfileRow("วิสัยทัศน์", "vision", "longtext"),
]

PROBLEM_COLUMNS = [
    Column("ลำดับ", "rank", "int", 8, required=True),
    Column("ปัญหา", "title", "text", 50, required=True, max_length=300),
    Column("รายละเอียด", "description", "longtext", 80),
]
PROJECT_COLUMNS = [
    Column("ลำดับ", "number", "int", 8, required=True),
    Column("ประเด็นงาน", "workstream", "code", 16, required=True),
    Column("เป้าหมาย", "goal", "code", 18, required=True),
    Column("แผนงาน", "programme", "code", 20, required=True),
    Column("ประเภท", "project_class", "class", 14, required=True),
    Column("ชื่อโครงการ", "name", "text", 40, required=True, max_length=300),
    Column("หลักการและเหตุผล", "rationale", "longtext", 50),
    Column("วัตถุประสงค์", "objectives", "longtext", 40),
    Column("เป้าหมายโครงการ", "targets", "longtext", 40),
    Column("วิธีดำเนินการ", "method", "longtext", 40),
    Column("วันเริ่ม", "start_date", "date", 14),
    Column("วันสิ้นสุด", "end_date", "date", 14),
    Column("ผู้รับผิดชอบ", "responsible_body", "text", 30, max_length=300),
    Column("หน่วยงานสนับสนุน", "supporting_agencies", "longtext", 30),
    Column("การประเมินผล", "evaluation", "longtext", 30),
    Column("ผลที่คาดว่าจะได้รับ", "expected_results", "longtext", 40),
]
BUDGET_COLUMNS = [
    Column("ลำดับโครงการ", "project", "int", 14, required=True),
    Column("ปีงบประมาณ (พ.ศ.)", "fiscal_year", "year", 18, required=True),
    Column("แหล่งงบประมาณ", "source", "source", 28, required=True),
    Column("จำนวนเงิน (บาท)", "amount", "money", 18, required=True),
]
INDICATOR_COLUMNS = [
    Column("ลำดับโครงการ", "project", "int", 14, required=True),
    Column("ตัวชี้วัด", "name", "text", 50, required=True, max_length=300),
    Column("หน่วยนับ", "unit", "text", 14, required=True, max_length=50),
    Column("ค่าฐาน", "baseline", "decimal", 14),
    Column("ค่าเป้าหมาย", "target_value", "decimal", 14, required=True),
    Column("ปีเป้าหมาย", "target_year_be", "year", 12, required=True),
]
TABLE_SHEETS = {
    SHEET_PROBLEMS: PROBLEM_COLUMNS,
    SHEET_PROJECTS: PROJECT_COLUMNS,
    SHEET_BUDGET: BUDGET_COLUMNS,
    SHEET_INDICATORS: INDICATOR_COLUMNS,
}
REFERENCE_COLUMNS = [
    Column("รหัส", "code", "text", 22),
    Column("ชื่อ", "name", "text", 70),
    Column("ชนิด", "kind", "text", 12),
    Column("ประเด็นงาน", "workstream", "text", 16),
    Column("", "gap", "text", 3),
    Column("ประเภทโครงการ", "class", "text", 16),
    Column("แหล่งงบประมาณ", "source", "text", 26),
]

# Rows of the template that carry drop-downs beyond the data already in the sheet.
TEMPLATE_EXTRA_ROWS = 300

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# --------------------------------------------------------------------------------------------------
# Text escaping: OOXML strings carry control characters (and a literal "_xHHHH_") as _xHHHH_ escapes,
# the way Excel writes them; without this a "\r\n" from a browser's textarea comes back as "\n".

_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
# Only what _escape writes is read back: a control character's escape or the escaped underscore, nothing else.
_ESCAPED = re.compile(r"_x(00[01][0-9A-Fa-f]|005[Ff])_")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


# --------------------------------------------------------------------------------------------------
# Export


def export_plan(plan: TambonPlan | None) -> bytes:
    """Return the plan as an .xlsx workbook; None gives an empty template."""
    nodes = _reference_nodes()
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
            plan.projects.select_related("workstream", "goal", "programme").prefetch_related(
                "budget_lines", "indicators"
            )
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
        (SHEET_PROJECTS, PROJECT_COLUMNS, project_rows),
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
        as_text(cell, _escape(value))
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
        return f"{tambon.name_th} {tambon.district.name_th} {tambon.province.name_th}"
    if key == "period":
        return f"{plan.period_start_be}–{plan.period_end_be}"
    if key == "status":
        return str(plan.get_status_display())
    return getattr(plan, key)


def _reference_nodes() -> list[PlanNode]:
    """Return workstreams, then goals, then programmes, each group in the order of their workstreams."""
    nodes = list(
        PlanNode.objects.filter(kind__in=list(KIND_LABELS)).select_related("parent__parent").order_by("number", "code")
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


# --------------------------------------------------------------------------------------------------
# Import


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str
    code: str = ""


@dataclass
class ImportResult:
    errors: list[RowError]
    saved: bool
    summary: dict = field(default_factory=dict)


class _TooManyRows(Exception):
    pass


class _CellError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


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
    data = _read_upload(file)
    _check_zip(data)
    tables = _read_workbook(data)
    parsed = _Parser(plan, tables).parse()
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


def _read_upload(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_large()
    if hasattr(file, "seek"):
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(
            _(
                "This is an old Excel 97–2003 (.xls) or a password-protected workbook. "
                "Remove the password and save it as an Excel workbook (.xlsx), then upload it again."
            ),
            code="not_xlsx",
        )
    if data[:4] != b"PK\x03\x04":
        raise _not_xlsx()
    return data


def _too_large():
    return ValidationError(
        _("The file is larger than %(limit)s MB. A tambon plan fits in far less: check that you chose the right file.")
        % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="too_large",
    )


def _not_xlsx():
    return ValidationError(
        _("This file is not an Excel workbook (.xlsx). Download the template and save your plan in it."),
        code="not_xlsx",
    )


def _zip_bomb():
    return ValidationError(
        _("This file unpacks to far more data than a plan holds (a “zip bomb”); it was not opened."),
        code="zip_bomb",
    )


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb from its directory, and any XML with a DTD, before openpyxl parses anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise _not_xlsx() from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise _zip_bomb()
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _zip_bomb()
        if member.file_size > RATIO_CHECK_MIN_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise _zip_bomb()
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_xlsx()
    # Spreadsheet parts never carry a DTD; refusing one keeps entity tricks away from the XML parser.
    try:
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(256 * 1024):
                    if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                        raise _not_xlsx()
                    tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise _not_xlsx() from error


@dataclass
class _Table:
    columns: dict[str, int]  # header → position
    rows: list[tuple[int, tuple]]  # (row number as Excel shows it, values)
    duplicates: list[str]
    # (row, column index) of formula cells the file holds no result for (a program that never calculated).
    formulas: set = field(default_factory=set)


def _read_workbook(data: bytes) -> dict[str, _Table]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        # The same file with formulas instead of their results, to tell an uncalculated formula from an empty cell.
        formulas_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a broken or foreign file
        raise _not_xlsx() from error
    try:
        problems = []
        names = {name.strip(): name for name in wb.sheetnames}
        missing = [s for s in (SHEET_PROFILE, *TABLE_SHEETS) if s not in names]
        if missing:
            problems.append(
                _("The workbook lacks the sheet(s) %(sheets)s. Download the template again and copy your data into it.")
                % {"sheets": ", ".join(f"“{s}”" for s in missing)}
            )
        tables = {}
        expected = {SHEET_PROFILE: PROFILE_COLUMNS, **TABLE_SHEETS}
        for title, columns in expected.items():
            if title not in names:
                continue
            try:
                table = _read_sheet(wb[names[title]], formulas_wb[names[title]])
            except _TooManyRows:
                problems.append(
                    _("Sheet “%(sheet)s” has more than %(limit)s rows; a tambon plan has far fewer.")
                    % {"sheet": title, "limit": MAX_ROWS_PER_SHEET}
                )
                continue
            except Exception as error:  # a sheet whose XML openpyxl cannot read
                raise _not_xlsx() from error
            if table.duplicates:
                problems.append(
                    _("Sheet “%(sheet)s” has the column(s) %(columns)s twice; keep one of each.")
                    % {"sheet": title, "columns": ", ".join(f"“{h}”" for h in table.duplicates)}
                )
                continue
            optional = PROFILE_OPTIONAL_HEADERS if title == SHEET_PROFILE else set()
            wanted = [c.header for c in columns if c.header]
            lacking = [h for h in wanted if h not in table.columns and h not in optional]
            unexpected = [h for h in table.columns if h not in wanted]
            if lacking or unexpected:
                parts = []
                if lacking:
                    parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(f"“{h}”" for h in lacking)})
                if unexpected:
                    parts.append(
                        _("unexpected columns: %(columns)s") % {"columns": ", ".join(f"“{h}”" for h in unexpected)}
                    )
                problems.append(
                    _(
                        "Sheet “%(sheet)s” has wrong column headers (%(details)s). "
                        "Row 1 must keep the template's headers."
                    )
                    % {"sheet": title, "details": "; ".join(parts)}
                )
                continue
            tables[title] = table
        if SHEET_PROFILE in tables:
            labels = {
                _normal(_cell_text(values, tables[SHEET_PROFILE].columns, PROFILE_LABEL))
                for _, values in tables[SHEET_PROFILE].rows
            }
            lacking = [r.label for r in PROFILE_ROWS if not r.info_only and _normal(r.label) not in labels]
            if lacking:
                problems.append(
                    _("Sheet “%(sheet)s” lacks the row(s) %(rows)s in column “%(column)s”.")
                    % {"sheet": SHEET_PROFILE, "rows": ", ".join(f"“{r}”" for r in lacking), "column": PROFILE_LABEL}
                )
        if problems:
            raise ValidationError([ValidationError(p, code="structure") for p in problems])
        return tables
    finally:
        wb.close()
        formulas_wb.close()


def _read_sheet(ws, formulas_ws) -> _Table:
    for sheet in (ws, formulas_ws):
        if hasattr(sheet, "reset_dimensions"):
            # Some programs write a wrong size in the sheet; read every row there is instead of trusting it.
            sheet.reset_dimensions()
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ()) or ()
    columns, duplicates = {}, []
    for index, value in enumerate(header):
        text = _normal(_unescape(str(value))) if value is not None else ""
        if text in columns:
            duplicates.append(text)
        elif text:
            columns[text] = index
    # Only the header's width is read: a stray cell far to the right cannot make every row huge.
    width = max(columns.values(), default=0) + 1
    data, formulas = [], set()
    rows = zip_longest(
        ws.iter_rows(min_row=2, max_col=width, values_only=True),
        formulas_ws.iter_rows(min_row=2, max_col=width, values_only=True),
        fillvalue=(),
    )
    for number, (values, written) in enumerate(rows, start=2):
        uncalculated = {
            (number, i)
            for i, text in enumerate(written)
            if isinstance(text, str) and text.startswith("=") and (i >= len(values) or values[i] is None)
        }
        if not uncalculated and not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            continue
        if len(data) >= MAX_ROWS_PER_SHEET:
            raise _TooManyRows
        data.append((number, tuple(values)))
        formulas |= uncalculated
    return _Table(columns=columns, rows=data, duplicates=duplicates, formulas=formulas)


def _short(value) -> str:
    """Quote at most 40 characters of what a cell holds in a message."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _normal(text: str) -> str:
    return " ".join(text.split())


def _cell(values: tuple, columns: dict[str, int], header: str):
    index = columns.get(header)
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        value = _unescape(value).strip()
        return value or None
    return value


def _cell_text(values: tuple, columns: dict[str, int], header: str) -> str:
    value = _cell(values, columns, header)
    return "" if value is None else str(value)


MONEY_RULE = rule_of(ProjectBudget, "amount")
DECIMAL_RULE = rule_of(ProjectIndicator, "target_value")
SIGNED_DECIMAL_RULE = rule_of(ProjectIndicator, "baseline", allow_negative=True)
ORDINAL_RULE = whole_number_rule(1, 32_767)
ORDINAL_RULE_BIG = whole_number_rule(1, 2_147_483_647)
COUNT_RULE = whole_number_rule(0, 2_147_483_647)


def to_date(value, *, label=None) -> dt.date | None:
    """Read a date cell: a real date (its year B.E. or C.E.), an Excel serial number, or text as people type it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return thai_calendar.parse_date(str(value), label=label)
        value = converted.date() if isinstance(converted, dt.datetime) else converted
    return thai_calendar.parse_date(value if isinstance(value, dt.date) else str(value), label=label)


def to_code(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # "WS-ECONOMY เศรษฐกิจฐานราก" (a code followed by its name) is read as the code.
    return text.split()[0] if text else text


def _key(text: str) -> str:
    return re.sub(r"[\s.]", "", text).lower()


CLASS_BY_KEY = {_key(label): code for code, label in CLASS_LABELS.items()} | {_key(code): code for code in CLASS_LABELS}
SOURCE_BY_KEY = {_key(label): code for code, label in SOURCE_LABELS.items()} | {
    _key(code): code for code in SOURCE_LABELS
}


# Columns a template may number in advance; a row with nothing else filled in is not a row.
KEY_COLUMNS = {"rank", "number", "project"}


@dataclass(frozen=True)
class _Refused:
    """A cell that cannot be read at all (an uncalculated formula, a control character): reported when used."""

    message: str
    code: str


class _Parser:
    def __init__(self, plan: TambonPlan, tables: dict[str, _Table]):
        self.plan = plan
        self.tables = tables
        self.errors: list[RowError] = []
        self.profile: dict = {}
        self.problems: list[dict] = []
        self.projects: list[services.ProjectContentInput] = []
        self.expected_revision: int | None = None
        nodes = list(PlanNode.objects.filter(kind__in=list(KIND_LABELS)).select_related("parent__parent"))
        self.by_id = {n.id: n for n in nodes}
        self.nodes = {(n.kind, n.code.upper()): n for n in nodes}

    def error(self, sheet: str, row: int, column: str, message: str, code: str) -> None:
        self.errors.append(RowError(sheet=sheet, row=row, column=column, message=str(message), code=code))

    def parse(self) -> _Parser:
        self._parse_profile()
        self._parse_problems()
        projects = self._parse_projects()
        lines = self._parse_budget(projects)
        indicators, mentioned = self._parse_indicators(projects)
        for number, (row, data) in projects.items():
            if number not in mentioned:
                self.error(
                    SHEET_PROJECTS,
                    row,
                    PROJECT_COLUMNS[0].header,
                    _("Project %(number)s has no indicator: add at least one row for it on the sheet “%(sheet)s”.")
                    % {"number": number, "sheet": SHEET_INDICATORS},
                    "no_indicator",
                )
            if data is not None:
                self.projects.append(
                    services.ProjectContentInput(
                        number=number,
                        data=data,
                        budget_lines=lines.get(number, []),
                        indicators=indicators.get(number, []),
                    )
                )
        self.projects.sort(key=lambda p: p.number)
        self.errors.sort(key=lambda e: (_SHEET_ORDER.get(e.sheet, 9), e.row, _column_order(e.sheet, e.column)))
        return self

    def summary(self) -> dict:
        lines = [li for p in self.projects for li in p.budget_lines]
        return {
            "problems": len(self.problems),
            "projects": len(self.projects),
            "budget_lines": len(lines),
            "indicators": sum(len(p.indicators) for p in self.projects),
            "budget_total": sum((li.amount for li in lines), Decimal("0.00")),
            "expected_revision": self.expected_revision,
            "errors": len(self.errors),
            "revision": None,
        }

    def _convert(self, sheet, row, column: Column, raw, *, negative_ok: bool = False):
        """Convert one cell; record the error and return None when it is wrong."""
        if isinstance(raw, _Refused):
            self.error(sheet, row, column.header, raw.message, raw.code)
            return None
        if raw is None:
            if column.required:
                self.error(sheet, row, column.header, _("This value is required."), "required")
            return None
        label = column.header
        try:
            if column.kind == "int" and column.key in {"rank", "number", "project"}:
                return parse_whole(raw, ORDINAL_RULE, label=label)
            if column.kind == "int":
                return parse_whole(raw, COUNT_RULE, label=label)
            if column.kind == "year":
                return thai_calendar.parse_be_year(raw, label=label)
            if column.kind == "money":
                return parse_decimal(raw, MONEY_RULE, label=label)
            if column.kind == "decimal":
                return parse_decimal(raw, SIGNED_DECIMAL_RULE if negative_ok else DECIMAL_RULE, label=label)
            if column.kind == "date":
                return to_date(raw, label=label)
            if column.kind == "code":
                return to_code(raw)
            text = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw)
            if column.max_length and len(text) > column.max_length:
                raise _CellError(
                    _("This text is %(length)s characters long; at most %(max)s fit.")
                    % {"length": len(text), "max": column.max_length},
                    "too_long",
                )
            return text
        except _CellError as error:
            self.error(sheet, row, column.header, error.message, error.code)
            return None
        except ValidationError as error:
            self.error(sheet, row, column.header, error.messages[0], error.code or "invalid")
            return None

    def _rows(self, sheet, columns):
        """Yield (row, {key: (column, value)}) for every row with content; template rows numbered in advance but
        never filled in are skipped, not reported."""
        table = self.tables[sheet]
        for number, values in table.rows:
            cells = {c.key: (c, self._value(sheet, number, values, c.header)) for c in columns}
            if all(raw is None for key, (_column, raw) in cells.items() if key not in KEY_COLUMNS):
                continue
            yield number, cells

    def _value(self, sheet: str, row: int, values: tuple, header: str):
        """Return a cell's value, or _Refused for a formula without its result or a forbidden character."""
        table = self.tables[sheet]
        index = table.columns.get(header)
        if index is not None and (row, index) in table.formulas:
            return _Refused(
                _(
                    "This cell holds a formula, but the file has no result for it (it was saved by a program that "
                    "does not calculate). Open the file in Excel or LibreOffice, let it calculate and save it, or "
                    "type the value itself, then upload it again."
                ),
                "formula_without_value",
            )
        value = _cell(values, table.columns, header)
        if isinstance(value, str) and (bad := ILLEGAL_CHARACTERS.search(value)):
            return _Refused(
                _(
                    "This cell holds an invisible control character (U+%(code)04X) that plan text may not contain. "
                    "Delete it (retype the text) and upload the file again."
                )
                % {"code": ord(bad.group(0))},
                "illegal_character",
            )
        return value

    # Profile ------------------------------------------------------------------------------------
    def _parse_profile(self):
        table = self.tables[SHEET_PROFILE]
        by_label = {_normal(r.label): r for r in PROFILE_ROWS}
        seen: dict[str, int] = {}
        found = {}
        for number, values in table.rows:
            label = _normal(_cell_text(values, table.columns, PROFILE_LABEL))
            spec = by_label.get(label)
            if spec is None or spec.info_only:
                continue
            if spec.key in seen:
                self.error(
                    SHEET_PROFILE,
                    number,
                    PROFILE_LABEL,
                    _("“%(label)s” appears twice (also on row %(row)s).")
                    % {"label": spec.label, "row": seen[spec.key]},
                    "duplicate",
                )
                continue
            seen[spec.key] = number
            found[spec.key] = (number, self._value(SHEET_PROFILE, number, values, PROFILE_VALUE))
        for spec in PROFILE_ROWS:
            if spec.info_only or spec.key not in found:
                continue
            row, raw = found[spec.key]
            if isinstance(raw, _Refused):
                self.error(SHEET_PROFILE, row, PROFILE_VALUE, raw.message, raw.code)
                continue
            column = Column(PROFILE_VALUE, spec.key, spec.kind, 0)
            if spec.key == "tambon_code":
                self._check_tambon(row, raw)
            elif spec.key == "period":
                self._check_period(row, raw)
            elif spec.key == "revision":
                self._check_revision(row, raw)
            elif spec.kind in {"int", "money"}:
                self.profile[spec.key] = self._convert(SHEET_PROFILE, row, column, raw)
            else:
                self.profile[spec.key] = self._convert(SHEET_PROFILE, row, column, raw) or ""

    def _check_tambon(self, row, raw):
        if raw is None:
            return  # a blank template names no tambon
        code = to_code(raw)
        if code != self.plan.tambon.code:
            known = Subdistrict.objects.filter(code=code).first() if re.fullmatch(r"\d{6}", code) else None
            if known is None:
                self.error(
                    SHEET_PROFILE,
                    row,
                    PROFILE_VALUE,
                    _("“%(code)s” is not a known tambon code.") % {"code": _short(code)},
                    "unknown_tambon",
                )
            else:
                self.error(
                    SHEET_PROFILE,
                    row,
                    PROFILE_VALUE,
                    _(
                        "This file is for tambon %(other)s (%(other_code)s), "
                        "not for this plan's tambon %(mine)s (%(code)s)."
                    )
                    % {
                        "other": known.name_th,
                        "other_code": known.code,
                        "mine": self.plan.tambon.name_th,
                        "code": self.plan.tambon.code,
                    },
                    "other_tambon",
                )

    def _check_period(self, row, raw):
        if raw is None:
            return
        text = str(raw).translate(thai_calendar.THAI_DIGITS)
        match = re.fullmatch(r"\s*(\d{4})\s*[-–—]\s*(\d{4})\s*", text)
        expected = f"{self.plan.period_start_be}–{self.plan.period_end_be}"
        if not match:
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _("Write the plan period as first–last year (B.E.), for example %(period)s.") % {"period": expected},
                "bad_period",
            )
        elif (int(match[1]), int(match[2])) != (self.plan.period_start_be, self.plan.period_end_be):
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _("This file is for the plan period %(file)s, but this plan covers %(plan)s.")
                % {"file": f"{match[1]}–{match[2]}", "plan": expected},
                "other_period",
            )

    def _check_revision(self, row, raw):
        if raw is None:
            if self._plan_is_empty():
                self.expected_revision = self.plan.revision
                return
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _(
                    "This file has no revision number, so it is a blank template, but this plan already has content. "
                    "Download this plan's own file, change it and upload that, so nothing is overwritten by mistake."
                ),
                "template_over_content",
            )
            return
        try:
            self.expected_revision = parse_whole(raw, ORDINAL_RULE_BIG, label=PROFILE_ROWS[3].label)
        except ValidationError as error:
            self.error(SHEET_PROFILE, row, PROFILE_VALUE, error.messages[0], error.code or "invalid")

    def _plan_is_empty(self) -> bool:
        plan = self.plan
        if any(getattr(plan, name) not in (None, "") for name in services.PLAN_FIELDS):
            return False
        return not plan.problems.exists() and not plan.projects.exists()

    # Problems -----------------------------------------------------------------------------------
    def _parse_problems(self):
        ranked, seen = [], {}
        for row, cells in self._rows(SHEET_PROBLEMS, PROBLEM_COLUMNS):
            values = {key: self._convert(SHEET_PROBLEMS, row, col, raw) for key, (col, raw) in cells.items()}
            rank = values["rank"]
            if rank is not None:
                if rank in seen:
                    self.error(
                        SHEET_PROBLEMS,
                        row,
                        PROBLEM_COLUMNS[0].header,
                        _("Rank %(rank)s is used twice (also on row %(row)s).") % {"rank": rank, "row": seen[rank]},
                        "duplicate",
                    )
                seen.setdefault(rank, row)
            if rank is not None and values["title"]:
                ranked.append((rank, row, {"title": values["title"], "description": values["description"] or ""}))
        self.problems = [p for _rank, _row, p in sorted(ranked, key=lambda t: (t[0], t[1]))]

    # Projects -----------------------------------------------------------------------------------
    def _node(self, sheet, row, header, kind, code):
        if code is None:
            return None
        node = self.nodes.get((kind, code.upper()))
        if node is None:
            messages = {
                NodeKind.WORKSTREAM: _("“%(code)s” is not a workstream code; see the sheet “%(sheet)s”."),
                NodeKind.GOAL: _("“%(code)s” is not a goal code; see the sheet “%(sheet)s”."),
                NodeKind.PROGRAMME: _("“%(code)s” is not a programme code; see the sheet “%(sheet)s”."),
            }
            self.error(
                sheet, row, header, messages[kind] % {"code": _short(code), "sheet": SHEET_REFERENCE}, "unknown_code"
            )
        return node

    def _parse_projects(self) -> dict[int, tuple[int, dict | None]]:
        """Return {project number: (row, data or None when the row has errors)}."""
        projects: dict[int, tuple[int, dict | None]] = {}
        headers = {c.key: c.header for c in PROJECT_COLUMNS}
        for row, cells in self._rows(SHEET_PROJECTS, PROJECT_COLUMNS):
            before = len(self.errors)
            values = {key: self._convert(SHEET_PROJECTS, row, col, raw) for key, (col, raw) in cells.items()}
            workstream = self._node(
                SHEET_PROJECTS, row, headers["workstream"], NodeKind.WORKSTREAM, values["workstream"]
            )
            goal = self._node(SHEET_PROJECTS, row, headers["goal"], NodeKind.GOAL, values["goal"])
            programme = self._node(SHEET_PROJECTS, row, headers["programme"], NodeKind.PROGRAMME, values["programme"])
            if workstream is not None:
                for key, problem in plan_link_errors(workstream, goal, programme).items():
                    self.error(SHEET_PROJECTS, row, headers[key], problem.message, problem.code)
            project_class = None
            if values["project_class"] is not None:
                project_class = CLASS_BY_KEY.get(_key(values["project_class"]))
                if project_class is None:
                    self.error(
                        SHEET_PROJECTS,
                        row,
                        headers["project_class"],
                        _("“%(value)s” is not a project class; write one of: %(choices)s.")
                        % {"value": _short(values["project_class"]), "choices": ", ".join(CLASS_LABELS.values())},
                        "bad_class",
                    )
            start, end = values["start_date"], values["end_date"]
            if start and end and start > end:
                self.error(
                    SHEET_PROJECTS, row, headers["end_date"], _("The end date is before the start date."), "bad_dates"
                )
            for key, message in dates_outside_period(self.plan, start=start, end=end).items():
                self.error(SHEET_PROJECTS, row, headers[key], message, "date_outside_period")
            number = values["number"]
            if number is None:
                continue
            if number in projects:
                self.error(
                    SHEET_PROJECTS,
                    row,
                    headers["number"],
                    _("Project number %(number)s is used twice (also on row %(row)s).")
                    % {"number": number, "row": projects[number][0]},
                    "duplicate",
                )
                continue
            data = None
            if len(self.errors) == before:
                data = {name: values[name] if values[name] is not None else "" for name in services.PROJECT_FIELDS}
                data.update(
                    workstream=workstream,
                    goal=goal,
                    programme=programme,
                    project_class=project_class,
                    start_date=start,
                    end_date=end,
                )
            projects[number] = (row, data)
        return projects

    def _project_ref(self, sheet, row, column: Column, raw, projects) -> int | None:
        number = self._convert(sheet, row, column, raw)
        if number is not None and number not in projects:
            self.error(
                sheet,
                row,
                column.header,
                _("There is no project number %(number)s on the sheet “%(sheet)s”.")
                % {"number": number, "sheet": SHEET_PROJECTS},
                "unknown_project",
            )
            return None
        return number

    def _parse_budget(self, projects) -> dict[int, list[services.BudgetLineInput]]:
        lines: dict[int, list[services.BudgetLineInput]] = {}
        seen: dict[tuple, int] = {}
        headers = {c.key: c for c in BUDGET_COLUMNS}
        plan = self.plan
        for row, cells in self._rows(SHEET_BUDGET, BUDGET_COLUMNS):
            before = len(self.errors)
            number = self._project_ref(SHEET_BUDGET, row, headers["project"], cells["project"][1], projects)
            year = self._convert(SHEET_BUDGET, row, headers["fiscal_year"], cells["fiscal_year"][1])
            if year is not None and year not in plan.fiscal_years:
                self.error(
                    SHEET_BUDGET,
                    row,
                    headers["fiscal_year"].header,
                    _("Fiscal year %(year)s is outside the plan period %(start)s–%(end)s (B.E.).")
                    % {"year": year, "start": plan.period_start_be, "end": plan.period_end_be},
                    "year_outside_period",
                )
            source = None
            raw_source = self._convert(SHEET_BUDGET, row, headers["source"], cells["source"][1])
            if raw_source is not None:
                source = SOURCE_BY_KEY.get(_key(raw_source))
                if source is None:
                    self.error(
                        SHEET_BUDGET,
                        row,
                        headers["source"].header,
                        _("“%(value)s” is not a source of funds; write one of: %(choices)s.")
                        % {"value": _short(raw_source), "choices": ", ".join(SOURCE_LABELS.values())},
                        "bad_source",
                    )
            amount = self._convert(SHEET_BUDGET, row, headers["amount"], cells["amount"][1])
            if len(self.errors) != before:
                continue
            key = (number, year, source)
            if key in seen:
                self.error(
                    SHEET_BUDGET,
                    row,
                    headers["source"].header,
                    _("Project %(number)s already has %(source)s money for fiscal year %(year)s on row %(row)s.")
                    % {"number": number, "source": SOURCE_LABELS[source], "year": year, "row": seen[key]},
                    "duplicate",
                )
                continue
            seen[key] = row
            lines.setdefault(number, []).append(
                services.BudgetLineInput(fiscal_year=year, source=source, amount=amount)
            )
        return lines

    def _parse_indicators(self, projects) -> tuple[dict[int, list[services.IndicatorInput]], set[int]]:
        """Return the valid indicators by project number, and every project number an indicator row names."""
        indicators: dict[int, list[services.IndicatorInput]] = {}
        mentioned: set[int] = set()
        headers = {c.key: c for c in INDICATOR_COLUMNS}
        for row, cells in self._rows(SHEET_INDICATORS, INDICATOR_COLUMNS):
            before = len(self.errors)
            number = self._project_ref(SHEET_INDICATORS, row, headers["project"], cells["project"][1], projects)
            name = self._convert(SHEET_INDICATORS, row, headers["name"], cells["name"][1])
            unit = self._convert(SHEET_INDICATORS, row, headers["unit"], cells["unit"][1])
            baseline = self._convert(SHEET_INDICATORS, row, headers["baseline"], cells["baseline"][1], negative_ok=True)
            target = self._convert(SHEET_INDICATORS, row, headers["target_value"], cells["target_value"][1])
            year = self._convert(SHEET_INDICATORS, row, headers["target_year_be"], cells["target_year_be"][1])
            if number is not None:
                # Even a wrong row counts as the project's indicator: the project is not flagged twice.
                mentioned.add(number)
            if len(self.errors) != before or number is None:
                continue
            indicators.setdefault(number, []).append(
                services.IndicatorInput(
                    name=name, unit=unit, target_value=target, target_year_be=year, baseline=baseline
                )
            )
        return indicators, mentioned


_SHEET_ORDER = {name: i for i, name in enumerate([SHEET_PROFILE, *TABLE_SHEETS])}


def _column_order(sheet: str, header: str) -> int:
    columns = TABLE_SHEETS.get(sheet, PROFILE_COLUMNS)
    return next((i for i, c in enumerate(columns) if c.header == header), 99)
