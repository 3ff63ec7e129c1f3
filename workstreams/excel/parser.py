"""Reading every row of a checked workbook into the plan's content, collecting each error with its place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.models import Subdistrict
from codi_plans import thai_calendar
from codi_plans.numbers import parse_decimal, parse_whole
from codi_plans.spreadsheets import ILLEGAL_CHARACTERS
from strategies.models import NodeKind
from strategies.selectors import plan_items, project_targets
from strategies.services import normal_official_code

from .. import services
from ..models import TambonPlan, dates_outside_period, plan_link_errors
from .cells import (
    CLASS_BY_KEY,
    COUNT_RULE,
    DECIMAL_RULE,
    MONEY_RULE,
    ORDINAL_RULE,
    ORDINAL_RULE_BIG,
    SIGNED_DECIMAL_RULE,
    SOURCE_BY_KEY,
    cell_text,
    cell_value,
    choice_key,
    normal,
    short,
    to_code,
    to_date,
)
from .layout import (
    BUDGET_COLUMNS,
    CLASS_LABELS,
    INDICATOR_COLUMNS,
    KIND_LABELS,
    PROBLEM_COLUMNS,
    PROFILE_COLUMNS,
    PROFILE_LABEL,
    PROFILE_ROWS,
    PROFILE_VALUE,
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
)
from .workbook import Table


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str
    code: str = ""


class _CellError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


KEY_COLUMNS = {"rank", "number", "project"}


@dataclass(frozen=True)
class _Refused:
    """A cell that cannot be read at all (an uncalculated formula, a control character): reported when used."""

    message: str
    code: str


class Parser:
    def __init__(self, plan: TambonPlan, tables: dict[str, Table]):
        self.plan = plan
        self.tables = tables
        self.errors: list[RowError] = []
        self.profile: dict = {}
        self.problems: list[dict] = []
        self.projects: list[services.ProjectContentInput] = []
        self.expected_revision: int | None = None
        # A plan links to the CODI plan for its period (the same items the project form offers).
        nodes = list(plan_items(*KIND_LABELS, fiscal_year=plan.period_start_be).select_related("parent__parent"))
        self.by_id = {n.id: n for n in nodes}
        self.nodes = {(n.kind, n.code.upper()): n for n in nodes}

    def error(self, sheet: str, row: int, column: str, message: str, code: str) -> None:
        self.errors.append(RowError(sheet=sheet, row=row, column=column, message=str(message), code=code))

    def parse(self) -> Parser:
        self._parse_profile()
        self._parse_problems()
        projects = self._parse_projects()
        lines = self._parse_budget(projects)
        indicators, mentioned = self._parse_indicators(projects)
        for number, (row, data) in projects.items():
            if number not in mentioned:
                self.error(
                    SHEET_PROJECTS,
                    row,
                    PROJECT_COLUMNS[0].header,
                    _("Project %(number)s has no indicator: add at least one row for it on the sheet “%(sheet)s”.")
                    % {"number": number, "sheet": SHEET_INDICATORS},
                    "no_indicator",
                )
            if data is not None:
                self.projects.append(
                    services.ProjectContentInput(
                        number=number,
                        data=data,
                        budget_lines=lines.get(number, []),
                        indicators=indicators.get(number, []),
                    )
                )
        self.projects.sort(key=lambda p: p.number)
        self.errors.sort(key=lambda e: (_SHEET_ORDER.get(e.sheet, 9), e.row, _column_order(e.sheet, e.column)))
        return self

    def summary(self) -> dict:
        lines = [li for p in self.projects for li in p.budget_lines]
        return {
            "problems": len(self.problems),
            "projects": len(self.projects),
            "budget_lines": len(lines),
            "indicators": sum(len(p.indicators) for p in self.projects),
            "budget_total": sum((li.amount for li in lines), Decimal("0.00")),
            "expected_revision": self.expected_revision,
            "errors": len(self.errors),
            "revision": None,
        }

    def _convert(self, sheet, row, column: Column, raw, *, negative_ok: bool = False):
        """Convert one cell; record the error and return None when it is wrong."""
        if isinstance(raw, _Refused):
            self.error(sheet, row, column.header, raw.message, raw.code)
            return None
        if raw is None:
            if column.required:
                self.error(sheet, row, column.header, _("This value is required."), "required")
            return None
        label = column.header
        try:
            if column.kind == "int" and column.key in {"rank", "number", "project"}:
                return parse_whole(raw, ORDINAL_RULE, label=label)
            if column.kind == "int":
                return parse_whole(raw, COUNT_RULE, label=label)
            if column.kind == "year":
                return thai_calendar.parse_be_year(raw, label=label)
            if column.kind == "money":
                return parse_decimal(raw, MONEY_RULE, label=label)
            if column.kind == "decimal":
                return parse_decimal(raw, SIGNED_DECIMAL_RULE if negative_ok else DECIMAL_RULE, label=label)
            if column.kind == "date":
                return to_date(raw, label=label)
            if column.kind == "code":
                return to_code(raw)
            text = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw)
            if column.max_length and len(text) > column.max_length:
                raise _CellError(
                    _("This text is %(length)s characters long; at most %(max)s fit.")
                    % {"length": len(text), "max": column.max_length},
                    "too_long",
                )
            return text
        except _CellError as error:
            self.error(sheet, row, column.header, error.message, error.code)
            return None
        except ValidationError as error:
            self.error(sheet, row, column.header, error.messages[0], error.code or "invalid")
            return None

    def _rows(self, sheet, columns):
        """Yield (row, {key: (column, value)}) for every row with content; template rows numbered in advance but
        never filled in are skipped, not reported."""
        table = self.tables[sheet]
        for number, values in table.rows:
            cells = {c.key: (c, self._value(sheet, number, values, c.header)) for c in columns}
            if all(raw is None for key, (_column, raw) in cells.items() if key not in KEY_COLUMNS):
                continue
            yield number, cells

    def _value(self, sheet: str, row: int, values: tuple, header: str):
        """Return a cell's value, or _Refused for a formula without its result or a forbidden character."""
        table = self.tables[sheet]
        index = table.columns.get(header)
        if index is not None and (row, index) in table.formulas:
            return _Refused(
                _(
                    "This cell holds a formula, but the file has no result for it (it was saved by a program that "
                    "does not calculate). Open the file in Excel or LibreOffice, let it calculate and save it, or "
                    "type the value itself, then upload it again."
                ),
                "formula_without_value",
            )
        value = cell_value(values, table.columns, header)
        if isinstance(value, str) and (bad := ILLEGAL_CHARACTERS.search(value)):
            return _Refused(
                _(
                    "This cell holds an invisible control character (U+%(code)04X) that plan text may not contain. "
                    "Delete it (retype the text) and upload the file again."
                )
                % {"code": ord(bad.group(0))},
                "illegal_character",
            )
        return value

    # Profile ------------------------------------------------------------------------------------
    def _parse_profile(self):
        table = self.tables[SHEET_PROFILE]
        by_label = {normal(r.label): r for r in PROFILE_ROWS}
        seen: dict[str, int] = {}
        found = {}
        for number, values in table.rows:
            label = normal(cell_text(values, table.columns, PROFILE_LABEL))
            spec = by_label.get(label)
            if spec is None or spec.info_only:
                continue
            if spec.key in seen:
                self.error(
                    SHEET_PROFILE,
                    number,
                    PROFILE_LABEL,
                    _("“%(label)s” appears twice (also on row %(row)s).")
                    % {"label": spec.label, "row": seen[spec.key]},
                    "duplicate",
                )
                continue
            seen[spec.key] = number
            found[spec.key] = (number, self._value(SHEET_PROFILE, number, values, PROFILE_VALUE))
        for spec in PROFILE_ROWS:
            if spec.info_only or spec.key not in found:
                continue
            row, raw = found[spec.key]
            if isinstance(raw, _Refused):
                self.error(SHEET_PROFILE, row, PROFILE_VALUE, raw.message, raw.code)
                continue
            column = Column(PROFILE_VALUE, spec.key, spec.kind, 0)
            if spec.key == "tambon_code":
                self._check_tambon(row, raw)
            elif spec.key == "period":
                self._check_period(row, raw)
            elif spec.key == "revision":
                self._check_revision(row, raw)
            elif spec.kind in {"int", "money"}:
                self.profile[spec.key] = self._convert(SHEET_PROFILE, row, column, raw)
            else:
                self.profile[spec.key] = self._convert(SHEET_PROFILE, row, column, raw) or ""

    def _check_tambon(self, row, raw):
        if raw is None:
            return  # a blank template names no tambon
        code = to_code(raw)
        if code != self.plan.tambon.code:
            known = Subdistrict.objects.filter(code=code).first() if re.fullmatch(r"\d{6}", code) else None
            if known is None:
                self.error(
                    SHEET_PROFILE,
                    row,
                    PROFILE_VALUE,
                    _("“%(code)s” is not a known tambon code.") % {"code": short(code)},
                    "unknown_tambon",
                )
            else:
                self.error(
                    SHEET_PROFILE,
                    row,
                    PROFILE_VALUE,
                    _(
                        "This file is for tambon %(other)s (%(other_code)s), "
                        "not for this plan's tambon %(mine)s (%(code)s)."
                    )
                    % {
                        "other": known.name_th,
                        "other_code": known.code,
                        "mine": self.plan.tambon.name_th,
                        "code": self.plan.tambon.code,
                    },
                    "other_tambon",
                )

    def _check_period(self, row, raw):
        if raw is None:
            return
        text = str(raw).translate(thai_calendar.THAI_DIGITS)
        match = re.fullmatch(r"\s*(\d{4})\s*[-–—]\s*(\d{4})\s*", text)
        expected = f"{self.plan.period_start_be}–{self.plan.period_end_be}"
        if not match:
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _("Write the plan period as first–last year (B.E.), for example %(period)s.") % {"period": expected},
                "bad_period",
            )
        elif (int(match[1]), int(match[2])) != (self.plan.period_start_be, self.plan.period_end_be):
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _("This file is for the plan period %(file)s, but this plan covers %(plan)s.")
                % {"file": f"{match[1]}–{match[2]}", "plan": expected},
                "other_period",
            )

    def _check_revision(self, row, raw):
        if raw is None:
            if self._plan_is_empty():
                self.expected_revision = self.plan.revision
                return
            self.error(
                SHEET_PROFILE,
                row,
                PROFILE_VALUE,
                _(
                    "This file has no revision number, so it is a blank template, but this plan already has content. "
                    "Download this plan's own file, change it and upload that, so nothing is overwritten by mistake."
                ),
                "template_over_content",
            )
            return
        try:
            self.expected_revision = parse_whole(raw, ORDINAL_RULE_BIG, label=PROFILE_ROWS[3].label)
        except ValidationError as error:
            self.error(SHEET_PROFILE, row, PROFILE_VALUE, error.messages[0], error.code or "invalid")

    def _plan_is_empty(self) -> bool:
        plan = self.plan
        if any(getattr(plan, name) not in (None, "") for name in services.PLAN_FIELDS):
            return False
        return not plan.problems.exists() and not plan.projects.exists()

    # Problems -----------------------------------------------------------------------------------
    def _parse_problems(self):
        ranked, seen = [], {}
        for row, cells in self._rows(SHEET_PROBLEMS, PROBLEM_COLUMNS):
            values = {key: self._convert(SHEET_PROBLEMS, row, col, raw) for key, (col, raw) in cells.items()}
            rank = values["rank"]
            if rank is not None:
                if rank in seen:
                    self.error(
                        SHEET_PROBLEMS,
                        row,
                        PROBLEM_COLUMNS[0].header,
                        _("Rank %(rank)s is used twice (also on row %(row)s).") % {"rank": rank, "row": seen[rank]},
                        "duplicate",
                    )
                seen.setdefault(rank, row)
            if rank is not None and values["title"]:
                ranked.append((rank, row, {"title": values["title"], "description": values["description"] or ""}))
        self.problems = [p for _rank, _row, p in sorted(ranked, key=lambda t: (t[0], t[1]))]

    # Projects -----------------------------------------------------------------------------------
    def _node(self, sheet, row, header, kind, code):
        if code is None:
            return None
        node = self.nodes.get((kind, code.upper()))
        if node is None:
            messages = {
                NodeKind.WORKSTREAM: _("“%(code)s” is not a workstream code; see the sheet “%(sheet)s”."),
                NodeKind.GOAL: _("“%(code)s” is not a goal code; see the sheet “%(sheet)s”."),
                NodeKind.PROGRAMME: _("“%(code)s” is not a programme code; see the sheet “%(sheet)s”."),
            }
            self.error(
                sheet, row, header, messages[kind] % {"code": short(code), "sheet": SHEET_REFERENCE}, "unknown_code"
            )
        return node

    def _parse_projects(self) -> dict[int, tuple[int, dict | None]]:
        """Return {project number: (row, data or None when the row has errors)}."""
        projects: dict[int, tuple[int, dict | None]] = {}
        headers = {c.key: c.header for c in PROJECT_COLUMNS}
        for row, cells in self._rows(SHEET_PROJECTS, PROJECT_COLUMNS):
            before = len(self.errors)
            values = {key: self._convert(SHEET_PROJECTS, row, col, raw) for key, (col, raw) in cells.items()}
            workstream = self._node(
                SHEET_PROJECTS, row, headers["workstream"], NodeKind.WORKSTREAM, values["workstream"]
            )
            goal = self._node(SHEET_PROJECTS, row, headers["goal"], NodeKind.GOAL, values["goal"])
            programme = self._node(SHEET_PROJECTS, row, headers["programme"], NodeKind.PROGRAMME, values["programme"])
            if workstream is not None:
                for key, problem in plan_link_errors(workstream, goal, programme).items():
                    self.error(SHEET_PROJECTS, row, headers[key], problem.message, problem.code)
            project_class = None
            if values["project_class"] is not None:
                project_class = CLASS_BY_KEY.get(choice_key(values["project_class"]))
                if project_class is None:
                    self.error(
                        SHEET_PROJECTS,
                        row,
                        headers["project_class"],
                        _("“%(value)s” is not a project class; write one of: %(choices)s.")
                        % {"value": short(values["project_class"]), "choices": ", ".join(CLASS_LABELS.values())},
                        "bad_class",
                    )
            start, end = values["start_date"], values["end_date"]
            if start and end and start > end:
                self.error(
                    SHEET_PROJECTS, row, headers["end_date"], _("The end date is before the start date."), "bad_dates"
                )
            for key, message in dates_outside_period(self.plan, start=start, end=end).items():
                self.error(SHEET_PROJECTS, row, headers[key], message, "date_outside_period")
            number = values["number"]
            if number is None:
                continue
            if number in projects:
                self.error(
                    SHEET_PROJECTS,
                    row,
                    headers["number"],
                    _("Project number %(number)s is used twice (also on row %(row)s).")
                    % {"number": number, "row": projects[number][0]},
                    "duplicate",
                )
                continue
            has_targets = headers["primary_target"] in self.tables[SHEET_PROJECTS].columns
            targets = self._targets(row, values, headers) if has_targets else None
            data = None
            if len(self.errors) == before:
                data = {name: values[name] if values[name] is not None else "" for name in services.PROJECT_FIELDS}
                if targets is not None:
                    data.update(targets)
                data.update(
                    workstream=workstream,
                    goal=goal,
                    programme=programme,
                    project_class=project_class,
                    start_date=start,
                    end_date=end,
                )
            projects[number] = (row, data)
        return projects

    def _targets(self, row, values, headers) -> dict:
        """Read the project's sub-plan targets (Y1) by official code, from those offered for the plan's first year."""
        if not hasattr(self, "y1_by_code"):
            offered = project_targets(fiscal_year=self.plan.period_start_be if self.plan else None)
            self.y1_by_code = {t.official_code: t for t in offered}
        found = {}
        for key in ("primary_target", "secondary_targets"):
            raw = values.get(key) or ""
            codes = [normal_official_code(c) for c in str(raw).replace(";", ",").split(",") if c.strip()]
            codes = [c.split()[0] if c.split() else c for c in codes]
            unknown = [c for c in codes if c not in self.y1_by_code]
            if unknown:
                self.error(
                    SHEET_PROJECTS,
                    row,
                    headers[key],
                    _("“%(code)s” is not the official code of a sub-plan target (Y1) entered for this plan's years.")
                    % {"code": short(", ".join(unknown))},
                    "unknown_target",
                )
            chosen = [self.y1_by_code[c] for c in codes if c in self.y1_by_code]
            found[key] = (chosen[0] if chosen else None) if key == "primary_target" else chosen
        return found

    def _project_ref(self, sheet, row, column: Column, raw, projects) -> int | None:
        number = self._convert(sheet, row, column, raw)
        if number is not None and number not in projects:
            self.error(
                sheet,
                row,
                column.header,
                _("There is no project number %(number)s on the sheet “%(sheet)s”.")
                % {"number": number, "sheet": SHEET_PROJECTS},
                "unknown_project",
            )
            return None
        return number

    def _parse_budget(self, projects) -> dict[int, list[services.BudgetLineInput]]:
        lines: dict[int, list[services.BudgetLineInput]] = {}
        seen: dict[tuple, int] = {}
        headers = {c.key: c for c in BUDGET_COLUMNS}
        plan = self.plan
        for row, cells in self._rows(SHEET_BUDGET, BUDGET_COLUMNS):
            before = len(self.errors)
            number = self._project_ref(SHEET_BUDGET, row, headers["project"], cells["project"][1], projects)
            year = self._convert(SHEET_BUDGET, row, headers["fiscal_year"], cells["fiscal_year"][1])
            if year is not None and year not in plan.fiscal_years:
                self.error(
                    SHEET_BUDGET,
                    row,
                    headers["fiscal_year"].header,
                    _("Fiscal year %(year)s is outside the plan period %(start)s–%(end)s (B.E.).")
                    % {"year": year, "start": plan.period_start_be, "end": plan.period_end_be},
                    "year_outside_period",
                )
            source = None
            raw_source = self._convert(SHEET_BUDGET, row, headers["source"], cells["source"][1])
            if raw_source is not None:
                source = SOURCE_BY_KEY.get(choice_key(raw_source))
                if source is None:
                    self.error(
                        SHEET_BUDGET,
                        row,
                        headers["source"].header,
                        _("“%(value)s” is not a source of funds; write one of: %(choices)s.")
                        % {"value": short(raw_source), "choices": ", ".join(SOURCE_LABELS.values())},
                        "bad_source",
                    )
            amount = self._convert(SHEET_BUDGET, row, headers["amount"], cells["amount"][1])
            if len(self.errors) != before:
                continue
            key = (number, year, source)
            if key in seen:
                self.error(
                    SHEET_BUDGET,
                    row,
                    headers["source"].header,
                    _("Project %(number)s already has %(source)s money for fiscal year %(year)s on row %(row)s.")
                    % {"number": number, "source": SOURCE_LABELS[source], "year": year, "row": seen[key]},
                    "duplicate",
                )
                continue
            seen[key] = row
            lines.setdefault(number, []).append(
                services.BudgetLineInput(fiscal_year=year, source=source, amount=amount)
            )
        return lines

    def _parse_indicators(self, projects) -> tuple[dict[int, list[services.IndicatorInput]], set[int]]:
        """Return the valid indicators by project number, and every project number an indicator row names."""
        indicators: dict[int, list[services.IndicatorInput]] = {}
        mentioned: set[int] = set()
        headers = {c.key: c for c in INDICATOR_COLUMNS}
        for row, cells in self._rows(SHEET_INDICATORS, INDICATOR_COLUMNS):
            before = len(self.errors)
            number = self._project_ref(SHEET_INDICATORS, row, headers["project"], cells["project"][1], projects)
            name = self._convert(SHEET_INDICATORS, row, headers["name"], cells["name"][1])
            unit = self._convert(SHEET_INDICATORS, row, headers["unit"], cells["unit"][1])
            baseline = self._convert(SHEET_INDICATORS, row, headers["baseline"], cells["baseline"][1], negative_ok=True)
            target = self._convert(SHEET_INDICATORS, row, headers["target_value"], cells["target_value"][1])
            year = self._convert(SHEET_INDICATORS, row, headers["target_year_be"], cells["target_year_be"][1])
            if number is not None:
                # Even a wrong row counts as the project's indicator: the project is not flagged twice.
                mentioned.add(number)
            if len(self.errors) != before or number is None:
                continue
            indicators.setdefault(number, []).append(
                services.IndicatorInput(
                    name=name, unit=unit, target_value=target, target_year_be=year, baseline=baseline
                )
            )
        return indicators, mentioned


_SHEET_ORDER = {name: i for i, name in enumerate([SHEET_PROFILE, *TABLE_SHEETS])}


def _column_order(sheet: str, header: str) -> int:
    columns = TABLE_SHEETS.get(sheet, PROFILE_COLUMNS)
    return next((i for i, c in enumerate(columns) if c.header == header), 99)
