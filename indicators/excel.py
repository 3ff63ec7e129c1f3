"""Quarterly results for many areas from one .xlsx sheet or a .csv file: read and check every row, report every
error by row and column, and save all rows or none (services.import_results)."""

import csv
import io
from dataclasses import dataclass, field
from itertools import zip_longest

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi_plans import uploads
from codi_plans.spreadsheets import append_row, column_names, reading_workbook, row_values, too_many_rows

# Column name in the sheet's first row → what it holds. Thai headers are accepted as well.
COLUMNS = {
    "indicator_code": gettext_lazy("Indicator code"),
    "area_code": gettext_lazy("Area code (tambon DOPA code, or the indicator's reporting area)"),
    "fiscal_year": gettext_lazy("Fiscal year (B.E.)"),
    "quarter": gettext_lazy("Quarter (1–4)"),
    "value": gettext_lazy("Value"),
    "note": gettext_lazy("Note (optional)"),
}
# Columns the template adds to help people find their row; ignored on upload.
IGNORED = {"area_name", "ชื่อพื้นที่"}
REQUIRED = ["indicator_code", "area_code", "fiscal_year", "quarter", "value"]
THAI_HEADERS = {
    "รหัสตัวชี้วัด": "indicator_code",
    "รหัสพื้นที่": "area_code",
    "รหัสตำบล": "area_code",
    "ปีงบประมาณ": "fiscal_year",
    "ไตรมาส": "quarter",
    "ค่า": "value",
    "ผล": "value",
    "หมายเหตุ": "note",
}
# The columns a person fills in; a template row with only the others filled is not a result.
ENTERED = ("value", "note")
MAX_ROWS = 10_000
MAX_COLUMNS = 30


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class SheetRow:
    row: int
    values: dict
    # Columns whose cell holds a formula the file has no result for (saved by a program that never calculated).
    uncalculated: set = field(default_factory=set)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_sheet(upload) -> list[SheetRow]:
    """Return the data rows of an .xlsx or .csv upload keyed by column name; refuse bad files and wrong columns.

    CSV may be UTF-8 (with or without a byte-order mark) or Thai Windows (TIS-620/cp874), comma-, semicolon- or
    tab-separated; it is checked like a workbook (size, columns) and read the same way.
    """
    if uploads.spreadsheet_kind(upload, field="file") == "csv":
        text = uploads.read_csv_text(upload, field="file")
        try:
            return _rows_from(_csv_rows(text))
        except csv.Error:
            raise ValidationError(
                {"file": _("The CSV file cannot be read: check its quotes and separators.")}
            ) from None
    data = uploads.check_xlsx(upload, field="file")
    # The same file with its formulas, to tell a formula without a saved result from an empty cell.
    with reading_workbook(data) as workbook, reading_workbook(data, data_only=False) as formulas:
        values = workbook.worksheets[0].iter_rows(values_only=True)
        written = formulas.worksheets[0].iter_rows(values_only=True)
        return _rows_from(zip_longest(values, written, fillvalue=()))


def _csv_rows(text: str):
    """Yield (values, written) pairs from a CSV file's text, like a worksheet's rows (text only, no formulas)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield tuple(cells), ()


def _rows_from(pairs) -> list[SheetRow]:
    header_pair = next(pairs, None)
    header = header_pair[0] if header_pair else None
    names = column_names(
        header,
        columns=COLUMNS,
        required=REQUIRED,
        thai_headers=THAI_HEADERS,
        max_columns=MAX_COLUMNS,
        ignored=IGNORED,
    )
    out = []
    for number, (cells, written) in enumerate(pairs, start=2):
        values = row_values(cells, names)
        uncalculated = {
            name
            for i, name in enumerate(names)
            if name
            and i < len(written)
            and isinstance(written[i], str)
            and written[i].startswith("=")
            and (i >= len(cells) or cells[i] is None)
        }
        if not uncalculated and not any(values.get(name) for name in ENTERED):
            # Blank, or a template row with its indicator, area and quarter filled in but nothing reported.
            continue
        if len(out) >= MAX_ROWS:
            raise too_many_rows(MAX_ROWS)
        out.append(SheetRow(row=number, values=values, uncalculated=uncalculated))
    if not out:
        raise ValidationError({"file": _("The sheet has no data rows.")})
    return out


def template_workbook(area_codes: list[tuple[str, str]], indicator_codes: list[str], fiscal_year: int, quarter: int):
    """Return an .xlsx (bytes) with the columns filled in for each area, ready to type the values."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "results"
    append_row(sheet, list(COLUMNS) + ["area_name"])
    for indicator in indicator_codes:
        for code, name in area_codes:
            append_row(sheet, [indicator, code, fiscal_year, quarter, None, None, name])
    help_sheet = workbook.create_sheet("columns")
    for name, meaning in COLUMNS.items():
        append_row(help_sheet, [name, str(meaning)])
    append_row(help_sheet, ["area_name", _("Ignored: only there to help you find the row")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
