"""What every .xlsx and .csv the product writes must hold: text as text, never a formula someone else's Excel runs.

OWASP's advice on CSV (formula) injection: a cell of untrusted text that starts with =, +, -, @, a tab or a
carriage return may be run as a formula when the file is opened, so it is neutralised. In a workbook each text
cell is written as a string with Excel's own "quote prefix" (the apostrophe Excel itself puts before text that
looks like a formula: the cell shows the text and stays text when edited); in a CSV, which has no cell types, the
field gets a leading apostrophe. Plain numbers (-5, +3.25) are left alone: they cannot be formulas. CSV carries a
UTF-8 byte-order mark so Excel on Windows reads Thai instead of mojibake.

Reading an uploaded sheet (after codi_plans.uploads checked the file) goes through the helpers at the end:
`reading_workbook` opens it read-only, `column_names` checks the first row, `row_values` and `cell_text` give
each row's text, and `too_many_rows` is the error past the row limit.
"""

import csv
import io
import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .numbers import quote

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# Characters no XML text, so no workbook cell, may hold (tab, line feed and carriage return are fine).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CSV_BOM = "\ufeff"


def looks_like_formula(text: str) -> bool:
    """Return whether a spreadsheet could run this text as a formula."""
    return bool(text) and text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_field(value):
    """Return a value for a CSV field: text that could run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[dict]) -> bytes:
    """Return CSV bytes (UTF-8 with a byte-order mark, CRLF) whose every field is neutralised."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.DictWriter(
        out, fieldnames=[csv_field(h) for h in header], extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({csv_field(key): csv_field(value) for key, value in row.items()})
    return out.getvalue().encode("utf-8")


def as_text(cell, text: str):
    """Make an openpyxl cell (normal or write-only) hold `text` as text, never as a formula.

    Characters XML cannot carry are dropped (a workbook writer would refuse the whole file for one of them);
    a writer that must give them back escapes them first (workstreams/excel.py).
    """
    text = ILLEGAL_CHARACTERS.sub("", text)
    cell.value = text
    # openpyxl guesses a formula from a leading "="; a string it stays.
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def append_row(sheet, values: list) -> None:
    """Append a row whose text cells hold text, never a formula (normal or write-only sheet).

    The text cells are made before the row is appended: finding the row afterwards (`sheet[sheet.max_row]`) scans
    every cell of the sheet, which made a template of 7,436 tambons take tens of seconds."""
    from openpyxl.cell.cell import Cell

    sheet.append([as_text(Cell(sheet), v) if isinstance(v, str) else v for v in values])


# Reading ----------------------------------------------------------------------------------------------------------


def unreadable_workbook() -> ValidationError:
    return ValidationError({"file": _("The workbook cannot be read; save it again from Excel and retry.")})


@contextmanager
def reading_workbook(data: bytes, *, data_only: bool = True, unreadable=unreadable_workbook):
    """Open .xlsx bytes read-only (cell values, or with data_only=False the formulas) and close them afterwards.

    A workbook that cannot be opened, or fails while being read (read-only sheets parse lazily), raises
    `unreadable()`; a ValidationError raised while reading passes through.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise unreadable() from None
    try:
        yield workbook
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - read-only sheets parse lazily, so a broken part fails while iterating
        raise unreadable() from None
    finally:
        workbook.close()


def cell_text(value, *, collapse: bool = False) -> str:
    """The text of a cell as read: "" when empty, 12 for 12.0, trimmed (collapse: inner runs of spaces made one)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if collapse:
        return " ".join(str(value).split())
    return str(value).strip()


def column_names(header, *, columns, required, thai_headers, max_columns: int, ignored=()) -> list[str]:
    """Check a sheet's first row and return its column names ("" for a column to skip).

    Headers are matched lower-cased, Thai ones through `thai_headers`; an empty row, too many columns, or columns
    missing, unknown or repeated raise a ValidationError on "file" that names them all.
    """
    if not header or not any(cell_text(cell) for cell in header):
        raise ValidationError({"file": _("The sheet is empty.")})
    if len(header) > max_columns:
        raise ValidationError({"file": _("The sheet has too many columns.")})
    names = []
    for cell in header:
        name = cell_text(cell).lower().lstrip("\ufeff")
        name = thai_headers.get(name, name)
        names.append("" if name in ignored else name)
    unknown = [n for n in names if n and n not in columns]
    missing = [n for n in required if n not in names]
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
                % {"cols": ", ".join(columns), "problems": "; ".join(parts)}
            }
        )
    return names


def row_values(cells, names: list[str], *, collapse: bool = False) -> dict[str, str]:
    """A data row's text by column name (a short row's missing cells are "")."""
    return {
        name: cell_text(cells[i], collapse=collapse) if i < len(cells) else "" for i, name in enumerate(names) if name
    }


def too_many_rows(max_rows: int) -> ValidationError:
    return ValidationError({"file": _("The sheet has more than %(n)s rows.") % {"n": f"{max_rows:,}"}})
