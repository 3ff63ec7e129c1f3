"""Reading an uploaded workbook's structure: its sheets, their column headers and the profile's rows."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from itertools import zip_longest

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from codi_plans import uploads

from .cells import cell_text, normal, unescape
from .layout import (
    PROFILE_COLUMNS,
    PROFILE_LABEL,
    PROFILE_OPTIONAL_HEADERS,
    PROFILE_ROWS,
    PROJECT_OPTIONAL_HEADERS,
    READ_ONLY_HEADERS,
    SHEET_PROFILE,
    SHEET_PROJECTS,
    TABLE_SHEETS,
)

MAX_ROWS_PER_SHEET = 5000


class _TooManyRows(Exception):
    pass


@dataclass
class Table:
    columns: dict[str, int]  # header → position
    rows: list[tuple[int, tuple]]  # (row number as Excel shows it, values)
    duplicates: list[str]
    # (row, column index) of formula cells the file holds no result for (a program that never calculated).
    formulas: set = field(default_factory=set)


def read_workbook(data: bytes) -> dict[str, Table]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        # The same file with formulas instead of their results, to tell an uncalculated formula from an empty cell.
        formulas_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a broken or foreign file
        raise uploads.not_xlsx() from error
    try:
        problems = []
        names = {name.strip(): name for name in wb.sheetnames}
        missing = [s for s in (SHEET_PROFILE, *TABLE_SHEETS) if s not in names]
        if missing:
            problems.append(
                _("The workbook lacks the sheet(s) %(sheets)s. Download the template again and copy your data into it.")
                % {"sheets": ", ".join(f"“{s}”" for s in missing)}
            )
        tables = {}
        expected = {SHEET_PROFILE: PROFILE_COLUMNS, **TABLE_SHEETS}
        for title, columns in expected.items():
            if title not in names:
                continue
            try:
                table = _read_sheet(wb[names[title]], formulas_wb[names[title]])
            except _TooManyRows:
                problems.append(
                    _("Sheet “%(sheet)s” has more than %(limit)s rows; a tambon plan has far fewer.")
                    % {"sheet": title, "limit": MAX_ROWS_PER_SHEET}
                )
                continue
            except Exception as error:  # a sheet whose XML openpyxl cannot read
                raise uploads.not_xlsx() from error
            if table.duplicates:
                problems.append(
                    _("Sheet “%(sheet)s” has the column(s) %(columns)s twice; keep one of each.")
                    % {"sheet": title, "columns": ", ".join(f"“{h}”" for h in table.duplicates)}
                )
                continue
            optional = {SHEET_PROFILE: PROFILE_OPTIONAL_HEADERS, SHEET_PROJECTS: PROJECT_OPTIONAL_HEADERS}.get(
                title, set()
            )
            wanted = [c.header for c in columns if c.header]
            lacking = [h for h in wanted if h not in table.columns and h not in optional]
            unexpected = [h for h in table.columns if h not in wanted and h not in READ_ONLY_HEADERS.get(title, ())]
            if lacking or unexpected:
                parts = []
                if lacking:
                    parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(f"“{h}”" for h in lacking)})
                if unexpected:
                    parts.append(
                        _("unexpected columns: %(columns)s") % {"columns": ", ".join(f"“{h}”" for h in unexpected)}
                    )
                problems.append(
                    _(
                        "Sheet “%(sheet)s” has wrong column headers (%(details)s). "
                        "Row 1 must keep the template's headers."
                    )
                    % {"sheet": title, "details": "; ".join(parts)}
                )
                continue
            tables[title] = table
        if SHEET_PROFILE in tables:
            labels = {
                normal(cell_text(values, tables[SHEET_PROFILE].columns, PROFILE_LABEL))
                for _, values in tables[SHEET_PROFILE].rows
            }
            lacking = [r.label for r in PROFILE_ROWS if not r.info_only and normal(r.label) not in labels]
            if lacking:
                problems.append(
                    _("Sheet “%(sheet)s” lacks the row(s) %(rows)s in column “%(column)s”.")
                    % {"sheet": SHEET_PROFILE, "rows": ", ".join(f"“{r}”" for r in lacking), "column": PROFILE_LABEL}
                )
        if problems:
            raise ValidationError([ValidationError(p, code="structure") for p in problems])
        return tables
    finally:
        wb.close()
        formulas_wb.close()


def _read_sheet(ws, formulas_ws) -> Table:
    for sheet in (ws, formulas_ws):
        if hasattr(sheet, "reset_dimensions"):
            # Some programs write a wrong size in the sheet; read every row there is instead of trusting it.
            sheet.reset_dimensions()
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ()) or ()
    columns, duplicates = {}, []
    for index, value in enumerate(header):
        text = normal(unescape(str(value))) if value is not None else ""
        if text in columns:
            duplicates.append(text)
        elif text:
            columns[text] = index
    # Only the header's width is read: a stray cell far to the right cannot make every row huge.
    width = max(columns.values(), default=0) + 1
    data, formulas = [], set()
    rows = zip_longest(
        ws.iter_rows(min_row=2, max_col=width, values_only=True),
        formulas_ws.iter_rows(min_row=2, max_col=width, values_only=True),
        fillvalue=(),
    )
    for number, (values, written) in enumerate(rows, start=2):
        uncalculated = {
            (number, i)
            for i, text in enumerate(written)
            if isinstance(text, str) and text.startswith("=") and (i >= len(values) or values[i] is None)
        }
        if not uncalculated and not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            continue
        if len(data) >= MAX_ROWS_PER_SHEET:
            raise _TooManyRows
        data.append((number, tuple(values)))
        formulas |= uncalculated
    return Table(columns=columns, rows=data, duplicates=duplicates, formulas=formulas)
