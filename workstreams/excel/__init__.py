"""Tambon plans to and from Excel: download a plan (or an empty template) and upload it back.

An upload is checked in three layers, each before the next is trusted: the raw bytes (size, zip magic, zip
bomb, DTDs: codi_plans.uploads), the workbook's structure (sheets, columns, profile rows: workbook.py), then
every row (parser.py). Row problems are all collected with their sheet, row and column; nothing is saved unless
there are none, and then everything is saved at once through services.replace_plan_content (importer.py).
The layout of the workbook is in layout.py, single cells in cells.py, the download in export.py.
"""

from .cells import to_code, to_date
from .export import export_plan
from .importer import ImportResult, import_plan
from .layout import (
    BUDGET_COLUMNS,
    CLASS_LABELS,
    INDICATOR_COLUMNS,
    KIND_LABELS,
    PROBLEM_COLUMNS,
    PROFILE_COLUMNS,
    PROFILE_ROWS,
    PROJECT_COLUMNS,
    SHEET_BUDGET,
    SHEET_INDICATORS,
    SHEET_PROBLEMS,
    SHEET_PROFILE,
    SHEET_PROJECTS,
    SHEET_REFERENCE,
    SOURCE_LABELS,
    TABLE_SHEETS,
    Column,
    ProfileRow,
)
from .parser import RowError
from .workbook import MAX_ROWS_PER_SHEET

__all__ = [
    "BUDGET_COLUMNS",
    "CLASS_LABELS",
    "INDICATOR_COLUMNS",
    "KIND_LABELS",
    "MAX_ROWS_PER_SHEET",
    "PROBLEM_COLUMNS",
    "PROFILE_COLUMNS",
    "PROFILE_ROWS",
    "PROJECT_COLUMNS",
    "SHEET_BUDGET",
    "SHEET_INDICATORS",
    "SHEET_PROBLEMS",
    "SHEET_PROFILE",
    "SHEET_PROJECTS",
    "SHEET_REFERENCE",
    "SOURCE_LABELS",
    "TABLE_SHEETS",
    "Column",
    "ImportResult",
    "ProfileRow",
    "RowError",
    "export_plan",
    "import_plan",
    "to_code",
    "to_date",
]
