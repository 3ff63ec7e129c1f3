"""The eMENSCR export's rows: which projects, which columns (Thai headers, fixed order), what each cell holds, and
which projects cannot be exported and why.

One row per tambon project of an accepted (or endorsed) tambon plan whose period covers the fiscal year and whose
dates, where given, overlap it. Budget requests are not rows: a province's area-based request funds the tambon
projects already listed, so listing it too would count the money twice (README, "eMENSCR export").

`COLUMNS` is the column order of the workbook and the CSV; each column says whether it follows eMENSCR's published
entry form (as DOMAIN.md describes eMENSCR: projects X linked to a sub-plan target Y1, its master-plan target Y2 and
the national strategy target Z, with budget, period, indicators and progress) or is our assumption.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from codi_plans.spreadsheets import as_text, write_csv
from codi_plans.thai_calendar import QUARTERS, fiscal_year_range, format_input_date
from progress.models import ActivityStatus, IndicatorActual, ProgressStatus, ProjectProgress
from progress.selectors import STATUS_PERCENT, project_progress
from strategies.selectors import chain_for_targets
from workstreams.models import CONSOLIDATED_STATUSES, FundingSource, Project, ProjectBudget, ProjectIndicator

CODI_NAME_TH = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
EMENSCR = "eMENSCR"
ASSUMED = "assumption"

# Thai names of the sources of funds, fixed here so the headers are Thai whatever the page's language.
SOURCE_HEADERS = {
    FundingSource.COMMUNITY: "งบประมาณ: ชุมชน (บาท)",
    FundingSource.LOCAL_GOVERNMENT: "งบประมาณ: องค์กรปกครองส่วนท้องถิ่น (บาท)",
    FundingSource.CODI: "งบประมาณ: พอช. (บาท)",
    FundingSource.GOVERNMENT_AGENCY: "งบประมาณ: หน่วยงานรัฐอื่น (บาท)",
    FundingSource.PRIVATE: "งบประมาณ: ภาคเอกชน (บาท)",
    FundingSource.OTHER: "งบประมาณ: อื่น ๆ (บาท)",
}
ACTIVITY_TH = {
    ActivityStatus.NOT_STARTED: "ยังไม่เริ่ม",
    ActivityStatus.UNDER_WAY: "อยู่ระหว่างดำเนินการ",
    ActivityStatus.DONE: "ดำเนินการแล้วเสร็จ",
    ActivityStatus.STOPPED: "ยุติ/ชะลอ",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Thai, as written in the files
    english: str  # for the README and the page
    basis: str  # EMENSCR or ASSUMED
    kind: str = "text"  # text, int, money, percent


def _quarter_columns() -> list[Column]:
    columns = []
    for q in QUARTERS:
        columns.append(Column(f"q{q}_status", f"ไตรมาส {q}: สถานะ", f"Q{q} activity status", EMENSCR))
        columns.append(Column(f"q{q}_percent", f"ไตรมาส {q}: ร้อยละความก้าวหน้า", f"Q{q} percent", EMENSCR, "percent"))
    return columns


COLUMNS: list[Column] = [
    Column("row", "ลำดับ", "Row number", ASSUMED, "int"),
    Column("ref", "รหัสโครงการ (พอช.)", "CODI project reference", ASSUMED),
    Column("name", "ชื่อโครงการ", "Project name", EMENSCR),
    Column("fiscal_year", "ปีงบประมาณ", "Fiscal year (B.E.)", EMENSCR, "int"),
    Column("agency", "หน่วยงานเจ้าของโครงการ", "Responsible agency", EMENSCR),
    Column("responsible_body", "ผู้รับผิดชอบในพื้นที่", "Responsible body in the area", ASSUMED),
    Column("tambon", "ตำบล", "Tambon", EMENSCR),
    Column("district", "อำเภอ", "District", EMENSCR),
    Column("province", "จังหวัด", "Province", EMENSCR),
    Column("tambon_code", "รหัสตำบล (กรมการปกครอง)", "Tambon DOPA code", ASSUMED),
    Column("start", "วันเริ่มต้นโครงการ", "Start date (dd/mm/B.E.)", EMENSCR),
    Column("end", "วันสิ้นสุดโครงการ", "End date (dd/mm/B.E.)", EMENSCR),
    *(
        Column(f"budget_{source}", header, f"Budget: {source} (baht)", ASSUMED, "money")
        for source, header in SOURCE_HEADERS.items()
    ),
    Column("budget_total", "งบประมาณรวม (บาท)", "Budget, all sources (baht)", EMENSCR, "money"),
    Column("spent", "ผลการใช้จ่าย (บาท)", "Spent, approved progress reports (baht)", EMENSCR, "money"),
    Column("y1_code", "รหัสเป้าหมายแผนย่อย (Y1)", "Sub-plan target (Y1) code", EMENSCR),
    Column("y1_name", "เป้าหมายแผนย่อย (Y1)", "Sub-plan target (Y1)", EMENSCR),
    Column("sub_plan_code", "รหัสแผนย่อย", "Sub-plan code", EMENSCR),
    Column("sub_plan_name", "แผนย่อย", "Sub-plan", EMENSCR),
    Column("master_plan", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "Master plan", EMENSCR),
    Column("y2_code", "รหัสเป้าหมายแผนแม่บท (Y2)", "Master-plan target (Y2) code", EMENSCR),
    Column("y2_name", "เป้าหมายแผนแม่บท (Y2)", "Master-plan target (Y2)", EMENSCR),
    Column("z_code", "รหัสเป้าหมายยุทธศาสตร์ชาติ (Z)", "National strategy target (Z) code", EMENSCR),
    Column("z_name", "เป้าหมายยุทธศาสตร์ชาติ (Z)", "National strategy target (Z)", EMENSCR),
    Column("strategy", "ยุทธศาสตร์ชาติ", "National strategy", EMENSCR),
    Column("secondary_y1", "เป้าหมายแผนย่อยรอง (Y1)", "Secondary Y1 codes", EMENSCR),
    Column("indicators", "ตัวชี้วัดโครงการ", "Project indicators", EMENSCR),
    Column("units", "หน่วยนับ", "Units", EMENSCR),
    Column("targets", "ค่าเป้าหมาย", "Targets", EMENSCR),
    Column("actuals", "ผลการดำเนินงาน", "Actuals (latest approved in the year)", EMENSCR),
    *_quarter_columns(),
    Column("percent", "ร้อยละความก้าวหน้าล่าสุด", "Latest percent complete", ASSUMED, "percent"),
]
HEADERS = [c.header for c in COLUMNS]

PROBLEM_HEADERS = ["รหัสโครงการ (พอช.)", "ชื่อโครงการ", "ตำบล", "จังหวัด", "เหตุที่ส่งออกไม่ได้"]


def project_ref(project: Project) -> str:
    """CODI's own reference of a tambon project: tambon DOPA code, plan's first year, project number."""
    return f"CODI-{project.plan.tambon.code}-{project.plan.period_start_be}-{project.number}"


def candidate_projects(*, user, scope, fiscal_year: int):
    """Return the projects an export of the scope and fiscal year considers, as the user may see them, in order."""
    first, last = fiscal_year_range(fiscal_year)
    projects = Project.objects.visible_to(user).filter(
        plan__status__in=CONSOLIDATED_STATUSES,
        plan__period_start_be__lte=fiscal_year,
        plan__period_end_be__gte=fiscal_year,
    )
    projects = projects.filter(Q(start_date__isnull=True) | Q(start_date__lte=last)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )
    if scope.area is not None:
        projects = projects.filter(plan__tambon__province__in=scope.provinces())
    return projects.order_by(
        "plan__tambon__province__code", "plan__tambon__code", "plan__period_start_be", "number", "pk"
    )


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"


def _ratio(actual: Decimal | None, target: Decimal) -> Decimal:
    # The progress app's rule (progress.selectors): capped at 1, a zero target is met by any actual, none counts 0.
    if actual is None:
        return Decimal(0)
    if target <= 0:
        return Decimal(1)
    return min(Decimal(actual) / Decimal(target), Decimal(1))


def quarter_figures(project_ids: list[int], fiscal_year: int) -> dict[int, dict[int, tuple[str, Decimal]]]:
    """Return {project id: {quarter: (activity status, percent as of that quarter)}} from approved reports.

    A quarter with an approved report gets the progress app's percent computed from the approved reports up to and
    including that quarter; the last one equals progress.selectors.project_progress's figure (tested).
    """
    reports = defaultdict(dict)
    for project_id, quarter, activity in (
        ProjectProgress.objects.approved()
        .filter(fiscal_year=fiscal_year, project_id__in=project_ids)
        .order_by()
        .values_list("project_id", "quarter", "activity_status")
    ):
        reports[project_id][quarter] = activity
    targets = defaultdict(dict)
    for pk, project_id, target in (
        ProjectIndicator.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("pk", "project_id", "target_value")
    ):
        targets[project_id][pk] = target
    actuals = defaultdict(dict)  # indicator id → {quarter: value}
    for indicator_id, quarter, value in (
        IndicatorActual.objects.filter(
            report__status=ProgressStatus.APPROVED,
            report__fiscal_year=fiscal_year,
            report__project_id__in=project_ids,
        )
        .order_by()
        .values_list("indicator_id", "report__quarter", "value")
    ):
        actuals[indicator_id][quarter] = value
    out = {}
    for project_id, by_quarter in reports.items():
        figures = {}
        for quarter, activity in by_quarter.items():
            indicators = targets.get(project_id, {})
            if activity == ActivityStatus.STOPPED:
                percent = Decimal(0)
            elif indicators:
                ratios = []
                for pk, target in indicators.items():
                    known = {q: v for q, v in actuals.get(pk, {}).items() if q <= quarter}
                    ratios.append(_ratio(known[max(known)] if known else None, target))
                percent = sum(ratios, Decimal(0)) * HUNDRED / len(ratios)
            else:
                percent = STATUS_PERCENT[activity]
            figures[quarter] = (activity, percent.quantize(CENT, rounding=ROUND_HALF_UP))
        out[project_id] = figures
    return out


def _master_plan(node) -> str:
    if node is None:
        return ""
    return f"({node.number:02d}) {node.name_th}" if node.number else node.name_th


def _join(values, sep="\n") -> str:
    return sep.join(v for v in values if v)


def build_rows(projects: list[Project], fiscal_year: int, *, start: int = 1) -> tuple[list[dict], list[dict]]:
    """Return (rows keyed by column key, problems) for a batch of projects in a constant number of queries.

    `projects` come from candidate_projects with their plan, tambon, district and province fetched. A project that
    cannot be exported gets a problem (project, place, reasons) instead of a row.
    """
    ids = [p.pk for p in projects]
    budgets = defaultdict(dict)
    for project_id, source, amount in (
        ProjectBudget.objects.filter(project_id__in=ids, fiscal_year=fiscal_year)
        .order_by()
        .values_list("project_id", "source", "amount")
    ):
        budgets[project_id][source] = amount
    indicators = defaultdict(list)
    for indicator in ProjectIndicator.objects.filter(project_id__in=ids).order_by("id"):
        indicators[indicator.project_id].append(indicator)
    latest_actual = {}
    for indicator_id, quarter, value in (
        IndicatorActual.objects.filter(
            report__status=ProgressStatus.APPROVED, report__fiscal_year=fiscal_year, report__project_id__in=ids
        )
        .order_by()
        .values_list("indicator_id", "report__quarter", "value")
    ):
        if indicator_id not in latest_actual or quarter > latest_actual[indicator_id][0]:
            latest_actual[indicator_id] = (quarter, value)
    secondary = defaultdict(list)
    through = Project.secondary_targets.through
    for project_id, code, node_code in (
        through.objects.filter(project_id__in=ids)
        .order_by("plannode__official_code", "plannode__code")
        .values_list("project_id", "plannode__official_code", "plannode__code")
    ):
        secondary[project_id].append(code or node_code)
    chains = chain_for_targets({p.primary_target_id for p in projects if p.primary_target_id})
    progress = project_progress(Project.objects.filter(pk__in=ids), fiscal_year)
    quarters = quarter_figures(ids, fiscal_year)

    rows, problems = [], []
    number = start
    for project in projects:
        tambon = project.plan.tambon
        chain = chains.get(project.primary_target_id)
        reasons = []
        if project.primary_target_id is None:
            reasons.append(gettext("no sub-plan target (Y1) linked"))
        elif chain is None:
            reasons.append(gettext("the linked target is not a sub-plan target (Y1)"))
        else:
            reasons.extend(chain.missing)
        if not indicators.get(project.pk):
            reasons.append(gettext("no indicator"))
        if project.start_date is None or project.end_date is None:
            reasons.append(gettext("no start or end date"))
        if reasons:
            problems.append(
                {
                    "project_id": project.pk,
                    "plan_id": project.plan_id,
                    "ref": project_ref(project),
                    "name": project.name,
                    "tambon": tambon.full_name_th,
                    "province": tambon.province.name_th,
                    "reasons": reasons,
                }
            )
            continue
        money = budgets.get(project.pk, {})
        figure = progress[project.pk]
        row = {
            "row": number,
            "ref": project_ref(project),
            "name": project.name,
            "fiscal_year": fiscal_year,
            "agency": CODI_NAME_TH,
            "responsible_body": project.responsible_body,
            "tambon": tambon.full_name_th,
            "district": tambon.district.full_name_th,
            "province": tambon.province.name_th,
            "tambon_code": tambon.code,
            "start": format_input_date(project.start_date),
            "end": format_input_date(project.end_date),
            **{f"budget_{source}": money.get(source, Decimal(0)) for source in SOURCE_HEADERS},
            "budget_total": sum(money.values(), Decimal(0)),
            "spent": figure.spent_total,
            "y1_code": chain.y1.official_code,
            "y1_name": chain.y1.name_th,
            "sub_plan_code": chain.sub_plan.official_code if chain.sub_plan else "",
            "sub_plan_name": chain.sub_plan.name_th if chain.sub_plan else "",
            "master_plan": _master_plan(chain.master_plan),
            "y2_code": _join((n.official_code for n in chain.y2), "; "),
            "y2_name": _join(n.name_th for n in chain.y2),
            "z_code": _join((n.official_code for n in chain.z), "; "),
            "z_name": _join(n.name_th for n in chain.z),
            "strategy": _join(n.name_th for n in chain.strategies),
            "secondary_y1": "; ".join(secondary.get(project.pk, [])),
            "indicators": _join(i.name for i in indicators[project.pk]),
            "units": _join(i.unit for i in indicators[project.pk]),
            "targets": "\n".join(_number(i.target_value) for i in indicators[project.pk]),
            "actuals": "\n".join(
                _number(latest_actual[i.pk][1]) if i.pk in latest_actual else "-" for i in indicators[project.pk]
            ),
            "percent": figure.percent,
        }
        for q in QUARTERS:
            activity, percent = quarters.get(project.pk, {}).get(q, (None, None))
            row[f"q{q}_status"] = ACTIVITY_TH.get(activity, "")
            row[f"q{q}_percent"] = percent
        rows.append(row)
        number += 1
    return rows, problems


# Files ---------------------------------------------------------------------------------------------------------

NUMBER_FORMATS = {"int": "0", "money": "#,##0.00", "percent": "0.00"}
SHEET_ROWS = "eMENSCR"
SHEET_PROBLEMS = "ส่งออกไม่ได้"
SHEET_COLUMNS = "คำอธิบายคอลัมน์"
BASIS_TH = {EMENSCR: "ตามแบบฟอร์ม eMENSCR", ASSUMED: "สมมติฐานของ พอช."}


def _csv_value(value):
    if value is None:
        return ""
    return str(value)


def render_csv(rows: list[dict]) -> bytes:
    """Return the rows as CSV (UTF-8 with BOM, Thai headers in COLUMNS order), every field formula-safe."""
    return write_csv(HEADERS, [{c.header: _csv_value(row.get(c.key)) for c in COLUMNS} for row in rows])


class XlsxWriter:
    """Write the export's workbook in openpyxl's write-only mode: the rows sheet first (headers on row 1, as an
    import expects), then the projects not exported with their reasons, then what each column holds."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.creator = "CODI Plans"
        self.bold = Font(name="TH Sarabun New", size=14, bold=True)
        self.rows_sheet = self.workbook.create_sheet(SHEET_ROWS)
        self.rows_sheet.freeze_panes = "D2"
        self.rows_sheet.append([self._cell(self.rows_sheet, h, font=self.bold) for h in HEADERS])
        self.problems: list[dict] = []

    def _cell(self, ws, value, *, kind: str = "text", font=None):
        cell = WriteOnlyCell(ws)
        if isinstance(value, str):
            as_text(cell, value)
        elif value is not None:
            cell.value = value
            if kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
        if font is not None:
            cell.font = font
        return cell

    def add_rows(self, rows: list[dict]) -> None:
        for row in rows:
            self.rows_sheet.append([self._cell(self.rows_sheet, row.get(c.key), kind=c.kind) for c in COLUMNS])

    def add_problems(self, problems: list[dict]) -> None:
        self.problems.extend(problems)

    def render(self) -> bytes:
        ws = self.workbook.create_sheet(SHEET_PROBLEMS)
        ws.append([self._cell(ws, h, font=self.bold) for h in PROBLEM_HEADERS])
        for problem in self.problems:
            values = [problem["ref"], problem["name"], problem["tambon"], problem["province"]]
            ws.append([self._cell(ws, v) for v in [*values, "; ".join(problem["reasons"])]])
        ws = self.workbook.create_sheet(SHEET_COLUMNS)
        ws.append([self._cell(ws, h, font=self.bold) for h in ("ลำดับคอลัมน์", "หัวคอลัมน์", "English", "ที่มา")])
        for number, column in enumerate(COLUMNS, 1):
            ws.append([self._cell(ws, v) for v in (number, column.header, column.english, BASIS_TH[column.basis])])
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
