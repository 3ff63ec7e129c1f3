"""Write a report Document as an .xlsx workbook: one sheet per section, Thai headers, numbers as numbers.

The workbook is written in openpyxl's write-only mode (fast and lean for national reports) into a zip
whose entries carry a fixed date, with the document's date as the file's created/modified time, so the
same document always gives the same bytes.
"""

import datetime as dt
import io
import os
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from codi_plans.spreadsheets import as_text

from .document import Document, Section

FONT_NAME = "TH Sarabun New"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
NUMBER_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00",
    "quantity": "#,##0.00",
    "quantity_whole": "#,##0",
    "percent": "0.00",
}
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7E4")
GROUP_FILL = PatternFill("solid", fgColor="F2F4F7")
TOTAL_FILL = PatternFill("solid", fgColor="FFF4DC")


class _FixedDateZip(zipfile.ZipFile):
    """A zip whose entries all carry the same date, so identical content gives identical bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_DATE)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # Write-only worksheets are spooled to a temporary file and added from there.
        with open(filename, "rb") as spooled:
            return self.writestr(arcname or os.path.basename(filename), spooled.read())


class _Styles:
    """Fonts and alignments made once per workbook and shared by every cell."""

    def __init__(self):
        self.title = Font(name=FONT_NAME, size=16, bold=True)
        self.text = Font(name=FONT_NAME, size=14)
        self.bold = Font(name=FONT_NAME, size=14, bold=True)
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.indents = {n: Alignment(vertical="top", wrap_text=True, indent=n) for n in range(4)}
        self.number = Alignment(vertical="top", horizontal="right")
        self.header = Alignment(vertical="center", horizontal="center", wrap_text=True)


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Sheet"
    title, n = clean, 2
    while title in used:
        suffix = f" {n}"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _column_formats(section: Section) -> list[str | None]:
    formats = []
    for i, column in enumerate(section.columns):
        if column.kind == "quantity":
            values = [r.cells[i] for r in section.rows if isinstance(r.cells[i], Decimal)]
            whole = all(v == v.to_integral_value() for v in values)
            formats.append(NUMBER_FORMATS["quantity_whole" if whole else "quantity"])
        else:
            formats.append(NUMBER_FORMATS.get(column.kind))
    return formats


def _write_section(wb: Workbook, document: Document, section: Section, styles: _Styles, used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title(section.sheet, used))
    for i, column in enumerate(section.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    has_groups = any(c.group for c in section.columns)
    header_row = 6 + (1 if has_groups else 0) + len(section.notes)
    ws.freeze_panes = f"C{header_row + 1}"

    def cell(value, font=None, alignment=None, number_format=None, fill=None, border=None):
        c = WriteOnlyCell(ws)
        if isinstance(value, str):
            as_text(c, value)  # report text comes from people: never a formula
        else:
            c.value = value
        if font is not None:
            c.font = font
        if alignment is not None:
            c.alignment = alignment
        if number_format is not None:
            c.number_format = number_format
        if fill is not None:
            c.fill = fill
        if border is not None:
            c.border = border
        return c

    ws.append([cell(document.organisation, styles.title)])
    ws.append([cell(f"{document.form}  {document.title}", styles.title)])
    ws.append([cell(f"{document.period}  {document.scope}", styles.bold)])
    ws.append([cell(f"{section.title}", styles.bold)])
    ws.append([cell(document.as_of, styles.text)])
    for note in section.notes:
        ws.append([cell(note, styles.text)])
    if has_groups:
        ws.append([cell(c.group or None, styles.bold, styles.header) for c in section.columns])
    ws.append([cell(c.title, styles.bold, styles.header, fill=HEADER_FILL, border=BORDER) for c in section.columns])
    formats = _column_formats(section)
    for row in section.rows:
        strong = row.style in ("group", "project", "total", "subtotal")
        font = styles.bold if strong else styles.text
        fill = TOTAL_FILL if row.style == "total" else GROUP_FILL if row.style == "group" else None
        cells = []
        for i, value in enumerate(row.cells):
            if isinstance(value, Decimal | int) and not isinstance(value, bool) and formats[i]:
                cells.append(cell(value, font, styles.number, formats[i], fill, BORDER))
            else:
                alignment = styles.indents[min(row.indent, 3)] if i == 1 else styles.wrap
                cells.append(cell(value if value not in (None, "") else None, font, alignment, None, fill, BORDER))
        ws.append(cells)


def render_xlsx(document: Document, *, created: dt.datetime) -> bytes:
    """Return the workbook of a document as .xlsx bytes (the same document gives the same bytes)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "CODI Plans"
    wb.properties.title = f"{document.form} {document.title} {document.period}"
    wb.properties.subject = document.scope
    wb.properties.created = created
    wb.properties.modified = created
    wb.properties.lastModifiedBy = "CODI Plans"
    styles = _Styles()
    used: set[str] = set()
    for section in document.sections:
        if section.in_excel:
            _write_section(wb, document, section, styles, used)
    buffer = io.BytesIO()
    archive = _FixedDateZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()
