"""The open datasets: what each holds, its data dictionary, and its rows streamed from one query.

Each dataset is a whitelist: its columns name exactly the fields read (`.values(...)`), from the public querysets of
public/selectors.py. Rows are dicts keyed by column name; free text passes through public.privacy.public_text.
Dates are ISO 8601 (Gregorian) so that programs read them; every year column is a Buddhist Era year and says so.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from areas.models import Subdistrict
from budgets.models import BudgetRequest
from codi_plans.spreadsheets import CSV_BOM, csv_field
from indicators.models import Result, Target
from workstreams.models import Project, ProjectBudget, TambonPlan

from . import selectors
from .privacy import public_text

CHUNK = 2000
LICENCE = {
    "id": "cc-by",
    "title": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution_th": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "attribution_en": "Community Organizations Development Institute (Public Organization)",
}
PUBLISHER = {
    "name": "codi",
    "title_th": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "title_en": "Community Organizations Development Institute (Public Organization)",
    "url": "https://www.codi.or.th/",
}


@dataclass(frozen=True)
class Column:
    name: str
    th: str
    en: str
    type: str  # text, integer, decimal, date, code
    unit: str = ""


@dataclass
class Dataset:
    id: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    columns: list[Column]
    query: object  # callable(year) -> queryset of values dicts
    shape: object = None  # callable(row) -> row, for masking and localising
    modified_from: tuple = ()  # (model, field) whose latest value is the dataset's modification time
    keywords: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "th").startswith("en") else self.title_th

    @property
    def description(self) -> str:
        from django.utils.translation import get_language

        return self.description_en if (get_language() or "th").startswith("en") else self.description_th

    def rows(self, year: int | None = None) -> Iterator[dict]:
        names = [c.name for c in self.columns]
        for row in self.query(year).iterator(chunk_size=CHUNK):
            row = self.shape(row) if self.shape else row
            yield {name: row.get(name) for name in names}

    def modified(self):
        """The latest change to the rows (None when the dataset is empty or has no timestamp)."""
        if not self.modified_from:
            return None
        model, name = self.modified_from
        return model.objects.aggregate(latest=Max(name))["latest"]


def _money_sum(queryset, group: str):
    """The sum of the budget lines of the outer row (lines filtered on OuterRef, grouped by `group`)."""
    return Coalesce(
        Subquery(queryset.values(group).annotate(s=Sum("amount")).values("s")[:1]),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


# --- areas ------------------------------------------------------------------------------------------------------

AREA_COLUMNS = [
    Column("tambon_code", "รหัสตำบล (กรมการปกครอง)", "Tambon code (DOPA)", "code"),
    Column("tambon_name_th", "ชื่อตำบล", "Tambon name in Thai", "text"),
    Column("tambon_name_en", "ชื่อตำบลภาษาอังกฤษ", "Tambon name in English", "text"),
    Column("district_code", "รหัสอำเภอ", "District code (DOPA)", "code"),
    Column("district_name_th", "ชื่ออำเภอ", "District name in Thai", "text"),
    Column("district_name_en", "ชื่ออำเภอภาษาอังกฤษ", "District name in English", "text"),
    Column("province_code", "รหัสจังหวัด", "Province code (DOPA)", "code"),
    Column("province_name_th", "ชื่อจังหวัด", "Province name in Thai", "text"),
    Column("province_name_en", "ชื่อจังหวัดภาษาอังกฤษ", "Province name in English", "text"),
    Column("province_group", "กลุ่มจังหวัด (ลำดับ)", "Province group (number)", "integer"),
    Column("region", "ภาค (รหัส)", "Region (key)", "code"),
    Column("region_name_th", "ชื่อภาค", "Region name in Thai", "text"),
    Column("region_name_en", "ชื่อภาคภาษาอังกฤษ", "Region name in English", "text"),
]


def _areas(year):
    return Subdistrict.objects.order_by("code").values(
        "code",
        "name_th",
        "name_en",
        "district__code",
        "district__name_th",
        "district__name_en",
        "province__code",
        "province__name_th",
        "province__name_en",
        "province__group__number",
        "province__region__key",
        "province__region__name_th",
        "province__region__name_en",
    )


def _area_shape(r):
    return {
        "tambon_code": r["code"],
        "tambon_name_th": r["name_th"],
        "tambon_name_en": r["name_en"],
        "district_code": r["district__code"],
        "district_name_th": r["district__name_th"],
        "district_name_en": r["district__name_en"],
        "province_code": r["province__code"],
        "province_name_th": r["province__name_th"],
        "province_name_en": r["province__name_en"],
        "province_group": r["province__group__number"],
        "region": r["province__region__key"],
        "region_name_th": r["province__region__name_th"],
        "region_name_en": r["province__region__name_en"],
    }


# --- tambon plans -----------------------------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("plan_id", "รหัสแผน", "Plan id", "integer"),
    Column("tambon_code", "รหัสตำบล", "Tambon code (DOPA)", "code"),
    Column("province_code", "รหัสจังหวัด", "Province code (DOPA)", "code"),
    Column("period_start_be", "ปีแรกของแผน (พ.ศ.)", "First fiscal year of the plan (B.E.)", "integer", "B.E. year"),
    Column("period_end_be", "ปีสุดท้ายของแผน (พ.ศ.)", "Last fiscal year of the plan (B.E.)", "integer", "B.E. year"),
    Column(
        "status",
        "สถานะ (accepted = จังหวัดรับรอง, endorsed = ภาครับรอง)",
        "Status (accepted by the province, or endorsed by the region)",
        "code",
    ),
    Column("households", "จำนวนครัวเรือน", "Households", "integer", "households"),
    Column("population", "จำนวนประชากร", "Population", "integer", "people"),
    Column("average_household_income", "รายได้เฉลี่ยต่อครัวเรือน", "Average household income", "decimal", "baht/year"),
    Column("average_household_debt", "หนี้สินเฉลี่ยต่อครัวเรือน", "Average household debt", "decimal", "baht"),
    Column("projects", "จำนวนโครงการ", "Number of projects", "integer", "projects"),
    Column("planned_budget", "งบประมาณตามแผนทุกปีทุกแหล่ง", "Planned budget, all years and sources", "decimal", "baht"),
    Column("vision", "วิสัยทัศน์ (ข้อความ ปิดบังข้อมูลติดต่อ)", "Vision (free text, contacts masked)", "text"),
]


def _plans(year):
    plans = TambonPlan.objects.filter(status__in=selectors.PUBLIC_PLAN_STATUSES)
    if year:
        plans = plans.filter(period_start_be__lte=year, period_end_be__gte=year)
    lines = ProjectBudget.objects.filter(project__plan=OuterRef("pk"))
    return (
        plans.order_by("tambon__code", "period_start_be")
        .annotate(n_projects=Count("projects"), planned=_money_sum(lines, "project__plan"))
        .values(
            "id",
            "tambon__code",
            "tambon__province__code",
            "period_start_be",
            "period_end_be",
            "status",
            "households",
            "population",
            "average_household_income",
            "average_household_debt",
            "n_projects",
            "planned",
            "vision",
        )
    )


def _plan_shape(r):
    return {
        "plan_id": r["id"],
        "tambon_code": r["tambon__code"],
        "province_code": r["tambon__province__code"],
        "period_start_be": r["period_start_be"],
        "period_end_be": r["period_end_be"],
        "status": r["status"],
        "households": r["households"],
        "population": r["population"],
        "average_household_income": r["average_household_income"],
        "average_household_debt": r["average_household_debt"],
        "projects": r["n_projects"],
        "planned_budget": r["planned"],
        "vision": public_text(r["vision"]),
    }


# --- projects and their budget lines ----------------------------------------------------------------------------

PROJECT_COLUMNS = [
    Column("project_id", "รหัสโครงการ", "Project id", "integer"),
    Column("plan_id", "รหัสแผน", "Plan id", "integer"),
    Column("tambon_code", "รหัสตำบล", "Tambon code (DOPA)", "code"),
    Column("number", "ลำดับโครงการในแผน", "Project number in the plan", "integer"),
    Column("name", "ชื่อโครงการ", "Project name (contacts masked)", "text"),
    Column(
        "project_class",
        "ประเภท (self = ทำเอง, joint = ทำร่วม, support = ขอสนับสนุน)",
        "Class (self: community alone; joint: with agencies; support: asks agencies)",
        "code",
    ),
    Column("workstream_code", "รหัสประเด็นงาน", "Workstream code", "code"),
    Column("workstream_name_th", "ประเด็นงาน", "Workstream name in Thai", "text"),
    Column("programme_code", "รหัสแผนงาน", "Programme code", "code"),
    Column("programme_name_th", "แผนงาน", "Programme name in Thai", "text"),
    Column("start_date", "วันเริ่ม (ISO 8601 ค.ศ.)", "Start date (ISO 8601)", "date"),
    Column("end_date", "วันสิ้นสุด (ISO 8601 ค.ศ.)", "End date (ISO 8601)", "date"),
    Column(
        "responsible_body",
        "หน่วยรับผิดชอบ (ชื่อองค์กร ปิดบังชื่อบุคคลและข้อมูลติดต่อ)",
        "Responsible body (an organisation; personal names and contacts masked)",
        "text",
    ),
    Column("total_budget", "งบประมาณรวมทุกปีทุกแหล่ง", "Budget, all years and sources", "decimal", "baht"),
]


def _projects(year):
    projects = Project.objects.filter(plan__status__in=selectors.PUBLIC_PLAN_STATUSES)
    if year:
        projects = projects.filter(plan__period_start_be__lte=year, plan__period_end_be__gte=year)
    lines = ProjectBudget.objects.filter(project=OuterRef("pk"))
    return (
        projects.order_by("plan__tambon__code", "plan_id", "number")
        .annotate(total=_money_sum(lines, "project"))
        .values(
            "id",
            "plan_id",
            "plan__tambon__code",
            "number",
            "name",
            "project_class",
            "workstream__code",
            "workstream__name_th",
            "programme__code",
            "programme__name_th",
            "workstream__is_draft",
            "programme__is_draft",
            "start_date",
            "end_date",
            "responsible_body",
            "total",
        )
    )


def _project_shape(r):
    return {
        "project_id": r["id"],
        "plan_id": r["plan_id"],
        "tambon_code": r["plan__tambon__code"],
        "number": r["number"],
        "name": public_text(r["name"]),
        "project_class": r["project_class"],
        # An item of a draft (rolled-forward, unpublished) CODI plan is not public yet.
        "workstream_code": "" if r["workstream__is_draft"] else r["workstream__code"],
        "workstream_name_th": "" if r["workstream__is_draft"] else r["workstream__name_th"],
        "programme_code": "" if r["programme__is_draft"] else r["programme__code"],
        "programme_name_th": "" if r["programme__is_draft"] else r["programme__name_th"],
        "start_date": r["start_date"],
        "end_date": r["end_date"],
        "responsible_body": public_text(r["responsible_body"]),
        "total_budget": r["total"],
    }


LINE_COLUMNS = [
    Column("project_id", "รหัสโครงการ", "Project id", "integer"),
    Column("tambon_code", "รหัสตำบล", "Tambon code (DOPA)", "code"),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E., October to September)", "integer", "B.E. year"),
    Column(
        "source",
        "แหล่งงบประมาณ (community ชุมชน, local_government อปท., codi พอช., government_agency "
        "หน่วยงานรัฐอื่น, private เอกชน, other อื่น ๆ)",
        "Source of funds",
        "code",
    ),
    Column("amount", "จำนวนเงิน", "Amount", "decimal", "baht"),
]


def _lines(year):
    lines = ProjectBudget.objects.filter(project__plan__status__in=selectors.PUBLIC_PLAN_STATUSES)
    if year:
        lines = lines.filter(fiscal_year=year)
    return lines.order_by("project_id", "fiscal_year", "source").values(
        "project_id", "project__plan__tambon__code", "fiscal_year", "source", "amount"
    )


def _line_shape(r):
    return {**r, "tambon_code": r["project__plan__tambon__code"]}


# --- budget requests --------------------------------------------------------------------------------------------

REQUEST_COLUMNS = [
    Column("request_id", "รหัสคำขอ", "Request id", "integer"),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", "integer", "B.E. year"),
    Column("province_code", "รหัสจังหวัด", "Province code (DOPA)", "code"),
    Column("title", "ชื่อโครงการ", "Project name (contacts masked)", "text"),
    Column("requesting_body", "หน่วยงานที่ขอ", "Requesting body (contacts masked)", "text"),
    Column("workstream_code", "รหัสประเด็นงาน", "Workstream code", "code"),
    Column(
        "status",
        "สถานะ (approved อนุมัติ, in_execution ดำเนินการ, closed ปิดโครงการ)",
        "Status (approved, in execution, closed)",
        "code",
    ),
    Column("requested_amount", "งบที่ขอ", "Requested", "decimal", "baht"),
    Column("approved_amount", "งบที่อนุมัติ", "Approved", "decimal", "baht"),
    Column("spent_amount", "ใช้จ่ายแล้ว", "Spent so far", "decimal", "baht"),
    Column("start_date", "วันเริ่ม (ISO 8601)", "Start date (ISO 8601)", "date"),
    Column("end_date", "วันสิ้นสุด (ISO 8601)", "End date (ISO 8601)", "date"),
]


def _requests(year):
    requests = BudgetRequest.objects.filter(status__in=selectors.PUBLIC_REQUEST_STATUSES)
    if year:
        requests = requests.filter(fiscal_year=year)
    return requests.order_by("fiscal_year", "province__code", "id").values(
        "id",
        "fiscal_year",
        "province__code",
        "title",
        "requesting_body",
        "workstream__code",
        "workstream__is_draft",
        "status",
        "requested_amount",
        "approved_amount",
        "spent_amount",
        "start_date",
        "end_date",
    )


def _request_shape(r):
    return {
        "request_id": r["id"],
        "fiscal_year": r["fiscal_year"],
        "province_code": r["province__code"],
        "title": public_text(r["title"]),
        "requesting_body": public_text(r["requesting_body"]),
        "workstream_code": "" if r["workstream__is_draft"] else r["workstream__code"],
        "status": r["status"],
        "requested_amount": r["requested_amount"],
        "approved_amount": r["approved_amount"],
        "spent_amount": r["spent_amount"],
        "start_date": r["start_date"],
        "end_date": r["end_date"],
    }


# --- indicator results and targets ------------------------------------------------------------------------------

_AREA_CODE_COLUMNS = [
    Column("level", "ระดับพื้นที่ (country, region, province_group, province, district, tambon)", "Area level", "code"),
    Column("region", "ภาค (รหัส) เมื่อระดับเป็นภาค", "Region key, for a region-level row", "code"),
    Column("province_group", "กลุ่มจังหวัด (ลำดับ)", "Province group number, for a group-level row", "integer"),
    Column("province_code", "รหัสจังหวัด", "Province code (DOPA)", "code"),
    Column("district_code", "รหัสอำเภอ", "District code (DOPA)", "code"),
    Column("tambon_code", "รหัสตำบล", "Tambon code (DOPA)", "code"),
]
_AREA_VALUES = ("level", "region__key", "province_group__number", "province__code", "district__code", "tambon__code")

RESULT_COLUMNS = [
    Column("result_id", "รหัสผลการดำเนินงาน", "Result id", "integer"),
    Column("indicator_code", "รหัสตัวชี้วัด", "Indicator code", "code"),
    Column("indicator_name_th", "ตัวชี้วัด", "Indicator name in Thai", "text"),
    Column("indicator_name_en", "ตัวชี้วัดภาษาอังกฤษ", "Indicator name in English", "text"),
    Column("unit_th", "หน่วยนับ", "Unit in Thai", "text"),
    Column("unit_en", "หน่วยนับภาษาอังกฤษ", "Unit in English", "text"),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", "integer", "B.E. year"),
    Column("quarter", "ไตรมาส (1 = ต.ค.–ธ.ค.)", "Quarter of the fiscal year (1 = October to December)", "integer"),
    *_AREA_CODE_COLUMNS,
    Column("value", "ค่าที่ได้ (อนุมัติแล้ว)", "Approved value", "decimal", "the indicator's unit"),
]


def _results(year):
    results = Result.objects.filter(status=selectors.PUBLIC_RESULT_STATUS, indicator__plan_node__is_draft=False)
    if year:
        results = results.filter(fiscal_year=year)
    return results.order_by("id").values(
        "id",
        "indicator__code",
        "indicator__name_th",
        "indicator__name_en",
        "indicator__unit_th",
        "indicator__unit_en",
        "fiscal_year",
        "quarter",
        *_AREA_VALUES,
        "value",
    )


def _area_codes(r):
    return {
        "level": r["level"],
        "region": r["region__key"],
        "province_group": r["province_group__number"],
        "province_code": r["province__code"],
        "district_code": r["district__code"],
        "tambon_code": r["tambon__code"],
    }


def _result_shape(r):
    return {
        "result_id": r["id"],
        "indicator_code": r["indicator__code"],
        "indicator_name_th": r["indicator__name_th"],
        "indicator_name_en": r["indicator__name_en"],
        "unit_th": r["indicator__unit_th"],
        "unit_en": r["indicator__unit_en"],
        "fiscal_year": r["fiscal_year"],
        "quarter": r["quarter"],
        **_area_codes(r),
        "value": r["value"],
    }


TARGET_COLUMNS = [
    Column("indicator_code", "รหัสตัวชี้วัด", "Indicator code", "code"),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", "integer", "B.E. year"),
    Column("quarter", "ไตรมาส (ว่าง = ทั้งปี)", "Quarter (empty: the whole year)", "integer"),
    *_AREA_CODE_COLUMNS,
    Column("value", "ค่าเป้าหมาย", "Target value", "decimal", "the indicator's unit"),
]


def _targets(year):
    targets = Target.objects.filter(indicator__plan_node__is_draft=False)
    if year:
        targets = targets.filter(fiscal_year=year)
    return targets.order_by("indicator__code", "fiscal_year", "quarter", "id").values(
        "indicator__code", "fiscal_year", "quarter", *_AREA_VALUES, "value"
    )


def _target_shape(r):
    return {
        "indicator_code": r["indicator__code"],
        "fiscal_year": r["fiscal_year"],
        "quarter": r["quarter"],
        **_area_codes(r),
        "value": r["value"],
    }


DATASETS = {
    d.id: d
    for d in [
        Dataset(
            "tambon-plans",
            "แผนพัฒนาตำบลที่จังหวัดรับรองแล้ว",
            "Accepted tambon development plans",
            "แผนพัฒนาตำบลทุกแผนที่จังหวัดรับรองหรือภาครับรองแล้ว พร้อมข้อมูลครัวเรือน ประชากร จำนวนโครงการและงบประมาณ"
            " ไม่มีแผนที่ยังร่างหรือรอพิจารณา",
            "Every tambon plan accepted by its province or endorsed by its region, with households, population, "
            "number of projects and planned budget. No draft or plan under review.",
            PLAN_COLUMNS,
            _plans,
            _plan_shape,
            (TambonPlan, "updated_at"),
            ["แผนพัฒนาตำบล", "tambon plan"],
        ),
        Dataset(
            "projects",
            "โครงการในแผนพัฒนาตำบล",
            "Projects of the accepted tambon plans",
            "โครงการของแผนพัฒนาตำบลที่รับรองแล้ว: ชื่อ ประเภท ประเด็นงาน แผนงาน ช่วงเวลา หน่วยรับผิดชอบ และงบรวม",
            "The projects of the accepted tambon plans: name, class, workstream, programme, period, responsible "
            "body and total budget.",
            PROJECT_COLUMNS,
            _projects,
            _project_shape,
            (TambonPlan, "updated_at"),
            ["โครงการ", "project"],
        ),
        Dataset(
            "project-budget-lines",
            "งบประมาณโครงการรายปีตามแหล่งเงิน",
            "Project budget lines by year and source",
            "งบประมาณของแต่ละโครงการในแผนที่รับรองแล้ว แยกตามปีงบประมาณและแหล่งเงิน",
            "Each project's money for one fiscal year from one source, for the projects of accepted plans.",
            LINE_COLUMNS,
            _lines,
            _line_shape,
            (TambonPlan, "updated_at"),
            ["งบประมาณ", "budget"],
        ),
        Dataset(
            "budget-requests",
            "คำขอตั้งงบประมาณที่อนุมัติแล้ว งบอนุมัติและงบที่ใช้จ่าย",
            "Approved budget requests: approved and spent",
            "คำขอตั้งงบประมาณเชิงพื้นที่ที่อนุมัติแล้ว กำลังดำเนินการ หรือปิดโครงการ พร้อมงบที่ขอ อนุมัติ และใช้จ่ายแล้ว",
            "Area-based budget requests approved, in execution or closed, with the amounts requested, approved "
            "and spent.",
            REQUEST_COLUMNS,
            _requests,
            _request_shape,
            (BudgetRequest, "updated_at"),
            ["งบประมาณ", "budget"],
        ),
        Dataset(
            "indicator-results",
            "ผลการดำเนินงานตามตัวชี้วัดที่อนุมัติแล้ว",
            "Approved indicator results",
            "ผลการดำเนินงานรายไตรมาสตามตัวชี้วัดที่ผ่านการอนุมัติแล้ว แยกตามพื้นที่",
            "Quarterly results on the indicators, approved, per area.",
            RESULT_COLUMNS,
            _results,
            _result_shape,
            (Result, "updated_at"),
            ["ตัวชี้วัด", "indicator"],
        ),
        Dataset(
            "indicator-targets",
            "ค่าเป้าหมายตัวชี้วัด",
            "Indicator targets",
            "ค่าเป้าหมายของตัวชี้วัดในแผนที่เผยแพร่แล้ว แยกตามปี ไตรมาส และพื้นที่",
            "Targets of the indicators of published plans, per year, quarter and area.",
            TARGET_COLUMNS,
            _targets,
            _target_shape,
            (Target, "updated_at"),
            ["ตัวชี้วัด", "target"],
        ),
        Dataset(
            "areas",
            "พื้นที่: ตำบล อำเภอ จังหวัด กลุ่มจังหวัด ภาค",
            "Areas: tambons, districts, provinces, province groups, regions",
            "รายชื่อตำบลทั้งหมดพร้อมรหัสกรมการปกครอง อำเภอ จังหวัด กลุ่มจังหวัด และภาค",
            "Every tambon with its DOPA code, district, province, province group and region.",
            AREA_COLUMNS,
            _areas,
            _area_shape,
            (),
            ["พื้นที่", "area"],
        ),
    ]
}
FORMATS = {"csv": "text/csv", "json": "application/json"}


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def csv_chunks(dataset: Dataset, year: int | None) -> Iterator[str]:
    """The dataset as CSV: a byte-order mark and the header, then rows in chunks; every field formula-safe."""
    names = [c.name for c in dataset.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_field(n) for n in names])
    yield CSV_BOM + out.getvalue()
    out.seek(0), out.truncate()
    for count, row in enumerate(dataset.rows(year), start=1):
        writer.writerow([csv_field(_plain(row[n])) for n in names])
        if count % 500 == 0:
            yield out.getvalue()
            out.seek(0), out.truncate()
    yield out.getvalue()


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_chunks(dataset: Dataset, year: int | None, meta: dict) -> Iterator[str]:
    """The dataset as one JSON object: its metadata, then "rows", an array of objects, streamed."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + ', "rows": ['
    buffer = []
    for count, row in enumerate(dataset.rows(year)):
        buffer.append(
            ("," if count else "") + json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False)
        )
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer) + "]}"


TYPE_LABELS = {
    "text": _("text"),
    "integer": _("whole number"),
    "decimal": _("decimal number"),
    "date": _("date (YYYY-MM-DD)"),
    "code": _("code"),
}
