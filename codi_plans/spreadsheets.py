"""What every .xlsx and .csv the product writes must hold: text as text, never a formula someone else's Excel runs.

OWASP's advice on CSV (formula) injection: a cell of untrusted text that starts with =, +, -, @, a tab or a
carriage return may be run as a formula when the file is opened, so it is neutralised. In a workbook each text
cell is written as a string with Excel's own "quote prefix" (the apostrophe Excel itself puts before text that
looks like a formula: the cell shows the text and stays text when edited); in a CSV, which has no cell types, the
field gets a leading apostrophe. Plain numbers (-5, +3.25) are left alone: they cannot be formulas. CSV carries a
UTF-8 byte-order mark so Excel on Windows reads Thai instead of mojibake.
"""

import csv
import io
import re

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
