"""Official population and households per province and per tambon from one .xlsx sheet: read and check every
row, report every error by row and column, and save all rows or none (services.import_official_population).

Columns (first row; English or Thai headers):
  province / จังหวัด        DOPA code (2 digits) or Thai name of the province (required)
  tambon / ตำบล            DOPA code (6 digits) or Thai name of a tambon of that province; empty: the province's figure
  population / ประชากร      number of people (required; Thai digits and thousands separators accepted)
  households / ครัวเรือน     number of households (optional)
  year / ปี                 B.E. year of the count (required)
  source / แหล่งที่มา        where the figure comes from, e.g. "กรมการปกครอง ทะเบียนราษฎร ธ.ค. 2567" (required)
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi_plans import uploads
from codi_plans.numbers import parse_whole as _parse_whole
from codi_plans.numbers import quote, whole_number_rule
from codi_plans.spreadsheets import as_text, column_names, reading_workbook, row_values, too_many_rows
from codi_plans.thai_calendar import MAX_BE_YEAR, MIN_BE_YEAR

from .models import Province, Subdistrict

COLUMNS = {
    "province": gettext_lazy("Province: DOPA code (2 digits) or Thai name"),
    "tambon": gettext_lazy("Tambon: DOPA code (6 digits) or Thai name; leave empty for the province's own figure"),
    "population": gettext_lazy("Population (people)"),
    "households": gettext_lazy("Households (optional)"),
    "year": gettext_lazy("Year of the count (B.E.)"),
    "source": gettext_lazy("Source of the figure"),
}
REQUIRED = ["province", "population", "year", "source"]
THAI_HEADERS = {
    "จังหวัด": "province",
    "รหัสจังหวัด": "province",
    "ตำบล": "tambon",
    "รหัสตำบล": "tambon",
    "ประชากร": "population",
    "จำนวนประชากร": "population",
    "ครัวเรือน": "households",
    "จำนวนครัวเรือน": "households",
    "ปี": "year",
    "ปี พ.ศ.": "year",
    "แหล่งที่มา": "source",
    "ที่มา": "source",
}
MAX_ROWS = 10_000
MAX_COLUMNS = 20
PEOPLE = whole_number_rule(0, 2_147_483_647)
NAME_PREFIXES = ("จังหวัด", "ตำบล", "แขวง")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Figure:
    """One checked row: the area and its figures."""

    row: int
    province: Province | None
    tambon: Subdistrict | None
    population: int
    households: int | None
    year_be: int
    source: str


@dataclass
class PopulationReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _bare_name(text: str) -> str:
    text = " ".join(text.split())
    for prefix in NAME_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].strip()
    return text


def read_rows(upload) -> list[tuple[int, dict]]:
    """Return (sheet row number, values by column) of an .xlsx upload; refuse a bad file or wrong columns."""
    data = uploads.check_xlsx(upload, field="file")
    with reading_workbook(data) as workbook:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        names = column_names(
            next(rows, None), columns=COLUMNS, required=REQUIRED, thai_headers=THAI_HEADERS, max_columns=MAX_COLUMNS
        )
        out = []
        for number, cells in enumerate(rows, start=2):
            values = row_values(cells, names)
            if not any(values.values()):
                continue
            if len(out) >= MAX_ROWS:
                raise too_many_rows(MAX_ROWS)
            out.append((number, values))
    if not out:
        raise ValidationError({"file": _("The sheet has no data rows.")})
    return out


class _Areas:
    """Every province and tambon, looked up by code or Thai name with a fixed number of queries."""

    def __init__(self):
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.province_names = {}
        for p in self.provinces.values():
            self.province_names.setdefault(_bare_name(p.name_th), []).append(p)
        self._tambons = None

    def tambons(self):
        if self._tambons is None:
            by_code, by_name = {}, {}
            for t in Subdistrict.objects.only("id", "code", "name_th", "province_id"):
                by_code[t.code] = t
                by_name.setdefault((t.province_id, _bare_name(t.name_th)), []).append(t)
            self._tambons = (by_code, by_name)
        return self._tambons

    def province(self, text: str) -> Province | str:
        if text.isdigit() or any("๐" <= ch <= "๙" for ch in text):
            code = text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).zfill(2)
            return self.provinces.get(code) or _("No province has the code %(code)s.") % {"code": quote(text)}
        found = self.province_names.get(_bare_name(text), [])
        if len(found) == 1:
            return found[0]
        return _("No province is called %(name)s.") % {"name": quote(text)}

    def tambon(self, text: str, province: Province) -> Subdistrict | str:
        by_code, by_name = self.tambons()
        if text.isdigit() or any("๐" <= ch <= "๙" for ch in text):
            code = text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
            tambon = by_code.get(code)
            if tambon is None:
                return _("No tambon has the code %(code)s.") % {"code": quote(text)}
            if tambon.province_id != province.id:
                return _("Tambon %(code)s is not in %(province)s.") % {"code": code, "province": province.name_th}
            return tambon
        found = by_name.get((province.id, _bare_name(text)), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return _("%(province)s has %(n)s tambons called %(name)s: give the tambon's DOPA code.") % {
                "province": province.name_th,
                "n": len(found),
                "name": quote(text),
            }
        return _("%(province)s has no tambon called %(name)s.") % {"province": province.name_th, "name": quote(text)}


def _number(values: dict, column: str, errors: list, row: int, *, required: bool, rule=PEOPLE) -> int | None:
    raw = values.get(column, "")
    if not raw:
        if required:
            errors.append(RowError(row, column, _("This column is required.")))
        return None
    try:
        return _parse_whole(raw, rule, label=column)
    except ValidationError as exc:
        errors.append(RowError(row, column, exc.messages[0]))
        return None


def check_rows(rows: list[tuple[int, dict]]) -> PopulationReport:
    """Check every row and return the figures and every error, by row and column (nothing is saved here)."""
    report = PopulationReport(rows=len(rows))
    areas = _Areas()
    seen: dict[tuple, int] = {}
    for number, values in rows:
        errors: list[RowError] = []
        province = None
        if not values.get("province"):
            errors.append(RowError(number, "province", _("This column is required.")))
        else:
            found = areas.province(values["province"])
            if isinstance(found, str):
                errors.append(RowError(number, "province", found))
            else:
                province = found
        tambon = None
        if province is not None and values.get("tambon"):
            found = areas.tambon(values["tambon"], province)
            if isinstance(found, str):
                errors.append(RowError(number, "tambon", found))
            else:
                tambon = found
        population = _number(values, "population", errors, number, required=True)
        households = _number(values, "households", errors, number, required=False)
        year = _number(values, "year", errors, number, required=True, rule=whole_number_rule(MIN_BE_YEAR, MAX_BE_YEAR))
        source = values.get("source", "")
        if not source:
            errors.append(RowError(number, "source", _("This column is required.")))
        elif len(source) > 200:
            errors.append(RowError(number, "source", _("At most 200 characters.")))
        if population is not None and households is not None and households > population:
            errors.append(RowError(number, "households", _("There cannot be more households than people.")))
        area_key = None
        if tambon is not None:
            area_key = ("tambon", tambon.id)
        elif province is not None and not values.get("tambon"):
            area_key = ("province", province.id)
        if area_key in seen:
            column = "tambon" if tambon else "province"
            errors.append(RowError(number, column, _("Row %(row)s already gives this area.") % {"row": seen[area_key]}))
        elif area_key:
            seen[area_key] = number
        if errors:
            report.errors.extend(errors)
            continue
        report.figures.append(
            Figure(
                row=number,
                province=None if tambon else province,
                tambon=tambon,
                population=population,
                households=households,
                year_be=year,
                source=source,
            )
        )
    return report


def template_workbook(provinces) -> bytes:
    """Return an .xlsx (bytes) with the columns and one row per province, ready to type the figures."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "population"
    for i, name in enumerate(COLUMNS, start=1):
        as_text(sheet.cell(row=1, column=i), name)
    for r, province in enumerate(provinces, start=2):
        as_text(sheet.cell(row=r, column=1), province.code)
    help_sheet = workbook.create_sheet("columns")
    for r, (name, meaning) in enumerate(COLUMNS.items(), start=1):
        as_text(help_sheet.cell(row=r, column=1), name)
        as_text(help_sheet.cell(row=r, column=2), str(meaning))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
