"""The template workbook's layout: sheet names, column headers, profile rows and the labels of choices.

The workbook is a file format, so these are Thai constants that never change with the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

from strategies.models import NodeKind

from ..models import FundingSource, ProjectClass

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
# Project columns a workbook made before the eMENSCR chain lacks: reading it leaves the targets as they are.
PROJECT_OPTIONAL_HEADERS = {"เป้าหมายแผนย่อยหลัก (Y1)", "เป้าหมายแผนย่อยอื่น (Y1)"}


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
    # The eMENSCR chain: official codes of sub-plan targets (Y1); optional so older workbooks still load.
    Column("เป้าหมายแผนย่อยหลัก (Y1)", "primary_target", "code", 18),
    Column("เป้าหมายแผนย่อยอื่น (Y1)", "secondary_targets", "text", 22, max_length=200),
]
# Written on download only, never read back: where a project was carried over from (start_next_tambon_plan).
CARRIED_OVER = Column("ยกมาจากแผน (อ่านอย่างเดียว)", "carried_over", "text", 24)
PROJECT_EXPORT_COLUMNS = [*PROJECT_COLUMNS, CARRIED_OVER]
# Columns a sheet may carry for reading only: accepted on upload and ignored.
READ_ONLY_HEADERS = {SHEET_PROJECTS: {CARRIED_OVER.header}}
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
