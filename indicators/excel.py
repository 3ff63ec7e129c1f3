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
from codi_plans.numbers import quote
from codi_plans.spreadsheets import as_text

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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unreadable() -> ValidationError:
    return ValidationError({"file": _("The workbook cannot be read; save it again from Excel and retry.")})


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
    from openpyxl import load_workbook

    data = uploads.check_xlsx(upload, field="file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # The same file with its formulas, to tell a formula without a saved result from an empty cell.
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise _unreadable() from None
    try:
        values = workbook.worksheets[0].iter_rows(values_only=True)
        written = formulas.worksheets[0].iter_rows(values_only=True)
        return _rows_from(zip_longest(values, written, fillvalue=()))
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - read-only sheets parse lazily, so a broken part fails while iterating
        raise _unreadable() from None
    finally:
        workbook.close()
        formulas.close()


def _csv_rows(text: str):
    """Yield (values, written) pairs from a CSV file's text, like a worksheet's rows (text only, no formulas)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield tuple(cells), ()


def _rows_from(pairs) -> list[SheetRow]:
    header_pair = next(pairs, None)
    header = header_pair[0] if header_pair else None
    if not header or not any(_text(cell) for cell in header):
        raise ValidationError({"file": _("The sheet is empty.")})
    if len(header) > MAX_COLUMNS:
        raise ValidationError({"file": _("The sheet has too many columns.")})
    names = []
    for cell in header:
        name = _text(cell).lower().lstrip("\ufeff")
        name = THAI_HEADERS.get(name, name)
        names.append("" if name in IGNORED else name)
    unknown = [n for n in names if n and n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if unknown or missing or duplicated:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(quote(u) for u in unknown)})
        if duplicated:
            parts.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(duplicated)})
        raise ValidationError(
            {
                "file": _("The first row must name the columns %(cols)s; %(problems)s.")
                % {"cols": ", ".join(COLUMNS), "problems": "; ".join(parts)}
            }
        )
    out = []
    for number, (cells, written) in enumerate(pairs, start=2):
        values = {name: _text(cells[i]) if i < len(cells) else "" for i, name in enumerate(names) if name}
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
            raise ValidationError({"file": _("The sheet has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"}})
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
    _append(sheet, list(COLUMNS) + ["area_name"])
    for indicator in indicator_codes:
        for code, name in area_codes:
            _append(sheet, [indicator, code, fiscal_year, quarter, None, None, name])
    help_sheet = workbook.create_sheet("columns")
    for name, meaning in COLUMNS.items():
        _append(help_sheet, [name, str(meaning)])
    _append(help_sheet, ["area_name", _("Ignored: only there to help you find the row")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, values: list) -> None:
    """Append a row whose text cells hold text, never a formula.

    The text cells are made before the row is appended: finding the row afterwards (`sheet[sheet.max_row]`) scans
    every cell of the sheet, which made a template of 7,436 tambons take tens of seconds."""
    from openpyxl.cell.cell import Cell

    sheet.append([as_text(Cell(sheet), v) if isinstance(v, str) else v for v in values])
