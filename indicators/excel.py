"""Quarterly results for many areas from one .xlsx sheet: read and check every row, report every error by
row and column, and save all rows or none (services.import_results)."""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .uploads import check_xlsx

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


def read_sheet(upload) -> list[SheetRow]:
    """Return the sheet's data rows keyed by column name; refuse bad files and wrong columns outright."""
    check_xlsx(upload)
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise ValidationError({"file": _("The workbook cannot be read; save it again from Excel and retry.")}) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ValidationError({"file": _("The sheet is empty.")})
        if len(header) > MAX_COLUMNS:
            raise ValidationError({"file": _("The sheet has too many columns.")})
        names = []
        for cell in header:
            name = _text(cell).lower()
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
                parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
            if duplicated:
                parts.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(duplicated)})
            raise ValidationError(
                {
                    "file": _("The first row must name the columns %(cols)s; %(problems)s.")
                    % {"cols": ", ".join(COLUMNS), "problems": "; ".join(parts)}
                }
            )
        out = []
        for number, cells in enumerate(rows, start=2):
            values = {name: _text(cells[i]) if i < len(cells) else "" for i, name in enumerate(names) if name}
            if not any(values.values()):
                continue
            if len(out) >= MAX_ROWS:
                raise ValidationError({"file": _("The sheet has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"}})
            out.append(SheetRow(row=number, values=values))
        if not out:
            raise ValidationError({"file": _("The sheet has no data rows.")})
        return out
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - read-only sheets parse lazily, so a broken part fails while iterating
        raise ValidationError({"file": _("The workbook cannot be read; save it again from Excel and retry.")}) from None
    finally:
        workbook.close()


def template_workbook(area_codes: list[tuple[str, str]], indicator_codes: list[str], fiscal_year: int, quarter: int):
    """Return an .xlsx (bytes) with the columns filled in for each area, ready to type the values."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "results"
    sheet.append(list(COLUMNS) + ["area_name"])
    for indicator in indicator_codes:
        for code, name in area_codes:
            sheet.append([indicator, code, fiscal_year, quarter, None, None, name])
    help_sheet = workbook.create_sheet("columns")
    for name, meaning in COLUMNS.items():
        help_sheet.append([name, str(meaning)])
    help_sheet.append(["area_name", _("Ignored: only there to help you find the row")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
