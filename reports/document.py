"""Turn a report snapshot into a document: a title block, facts and sections of tables.

The PDF and the Excel file are both drawn from the same Document, so their figures cannot differ. Nothing
here reads the database: a document is a pure function of the snapshot (and the report's date), which
is what makes a rebuilt report byte-for-byte the same as the first build.
"""

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from codi_plans.thai_calendar import FISCAL_YEAR_START_MONTH, thai_date, to_be

from . import charts
from .wording import ORGANISATION, month_name, word

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")
# Fiscal-year month order: October first.
FISCAL_MONTHS = [(FISCAL_YEAR_START_MONTH - 1 + i) % 12 + 1 for i in range(12)]


def dec(value) -> Decimal:
    """Read a snapshot number (a string) back into a Decimal; missing is zero."""
    if value in (None, ""):
        return ZERO
    return Decimal(value)


def opt_dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part/whole in percent to the hundredth, or None when there is nothing to compare with."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Column:
    title: str
    kind: str = "text"  # text, int, money, quantity, percent
    width: int = 14  # Excel column width in characters
    group: str = ""  # a heading over several columns (e.g. "ไตรมาส 1")


@dataclass
class Row:
    cells: list
    style: str = ""  # "" (detail), "group", "project", "subtotal", "total"
    indent: int = 0


@dataclass
class Section:
    key: str
    title: str
    sheet: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # inline SVG drawings, PDF only
    in_pdf: bool = True
    in_excel: bool = True
    landscape: bool = False
    # When the detail is too long for a readable PDF, the PDF shows these instead (None: the same rows).
    pdf_rows: list[Row] | None = None
    pdf_notes: list[str] = field(default_factory=list)

    @property
    def rows_for_pdf(self) -> list[Row]:
        return self.rows if self.pdf_rows is None else self.pdf_rows


@dataclass
class Document:
    language: str
    kind: str
    form: str
    organisation: str
    title: str
    period: str
    scope: str
    as_of: str
    fingerprint: str
    facts: list[tuple[str, str]]
    sections: list[Section]


def fmt_money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


class Builder:
    """Build the Document of one report from its snapshot."""

    def __init__(self, snapshot: dict, *, as_of: dt.date, fingerprint: str, language: str, pdf_detail_limit: int):
        self.s = snapshot
        self.lang = language
        self.as_of = as_of
        self.fingerprint = fingerprint
        self.kind = snapshot["kind"]
        self.year = snapshot["fiscal_year"]
        self.quarter = snapshot.get("quarter") or 4
        self.requests = snapshot["requests"]
        self.programmes = OrderedDict((p["id"], p) for p in snapshot["programmes"])
        self.provinces = snapshot["provinces"]
        self.detailed_pdf = len(self.requests) <= pdf_detail_limit

    # Words and names ------------------------------------------------------------------------------

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def name(self, item: dict, stem: str = "name") -> str:
        if self.lang == "en" and item.get(f"{stem}_en"):
            return item[f"{stem}_en"]
        return item.get(f"{stem}_th", "")

    def programme_name(self, programme_id) -> str:
        if programme_id is None:
            return self.w("no_programme")
        return self.name(self.programmes[programme_id])

    def province_name(self, code: str) -> str:
        return self.name(self.provinces[code])

    def quarter_label(self, q: int) -> str:
        return f"{self.w('col.q')} {q}" if self.lang == "en" else f"ไตรมาส {q}"

    # Grouping ---------------------------------------------------------------------------------------

    def by_programme(self) -> "OrderedDict[int | None, list[dict]]":
        """Group the requests by programme in the snapshot's programme order, requests keeping their order."""
        groups: OrderedDict = OrderedDict((pid, []) for pid in self.programmes)
        groups[None] = []
        for request in self.requests:
            groups[request["programme"]].append(request)
        return OrderedDict((k, v) for k, v in groups.items() if v)

    @staticmethod
    def quarters(activity: dict, side: str, what: str) -> list[Decimal]:
        return [dec(v) for v in activity[side][what]]

    def request_quarters(self, request: dict, side: str, what: str = "amt") -> list[Decimal]:
        totals = [ZERO] * 4
        for activity in request["activities"]:
            for i, value in enumerate(self.quarters(activity, side, what)):
                totals[i] += value
        return totals

    @staticmethod
    def add(a: list, b: list) -> list[Decimal]:
        """Add two rows of figures; an empty figure (a percentage with nothing to compare) counts as zero."""
        return [(x or ZERO) + (y or ZERO) for x, y in zip(a, b, strict=True)]

    def area_label(self, level: str, name: str) -> str:
        """Name an area the way a Thai document does: "จังหวัดเชียงใหม่", but "กรุงเทพมหานคร" and "ภาคเหนือ" as they are."""
        if level in ("region", "province_group") or name.startswith("กรุงเทพ"):
            return name
        if self.lang == "en":
            return f"{name} Province" if level == "province" else f"{self.w(level)}: {name}"
        return f"{self.w(level)}{name}"

    def project_label(self, request: dict) -> str:
        return f"{request['title']} ({self.area_label('province', self.province_name(request['province']))})"

    # Document ---------------------------------------------------------------------------------------

    def build(self) -> Document:
        sections = {
            "plan": self.plan_sections,
            "progress": self.progress_sections,
            "evaluation": self.evaluation_sections,
        }[self.kind]()
        if self.kind == "progress":
            period = f"{self.w('quarter')} {self.quarter} {self.w('fiscal_year')} {self.year}"
        else:
            period = f"{self.w('fiscal_year')} {self.year}"
        return Document(
            language=self.lang,
            kind=self.kind,
            form=self.w(f"form.{self.kind}"),
            organisation=ORGANISATION["en" if self.lang == "en" else "th"],
            title=self.w(f"title.{self.kind}"),
            period=period,
            scope=self.scope_line(),
            as_of=self.date(self.as_of),
            fingerprint=self.fingerprint,
            facts=self.facts(),
            sections=sections,
        )

    def date(self, day: dt.date) -> str:
        if self.lang == "en":
            return f"{day.day} {month_name(day.month, 'en')} {day.year} (B.E. {to_be(day.year)})"
        return thai_date(day, abbreviated=False)

    def scope_line(self) -> str:
        scope = self.s["scope"]
        if scope["level"] == "country":
            return self.w("whole_country")
        return self.area_label(scope["level"], self.name(scope))

    def totals(self) -> dict:
        approved = sum((dec(r["approved"]) for r in self.requests), ZERO)
        plan = [ZERO] * 4
        actual = [ZERO] * 4
        for request in self.requests:
            plan = self.add(plan, self.request_quarters(request, "plan"))
            actual = self.add(actual, self.request_quarters(request, "actual"))
        return {"approved": approved, "plan": plan, "actual": actual}

    def facts(self) -> list[tuple[str, str]]:
        t = self.totals()
        baht = self.w("baht")
        facts = [
            (self.w("fact.projects"), f"{len(self.requests):,}"),
            (self.w("fact.approved"), f"{fmt_money(t['approved'])} {baht}"),
            (self.w("fact.planned"), f"{fmt_money(sum(t['plan'], ZERO))} {baht}"),
        ]
        if self.kind == "progress":
            q = self.quarter
            facts += [
                (self.w("fact.planned_cum"), f"{fmt_money(sum(t['plan'][:q], ZERO))} {baht}"),
                (self.w("fact.spent_cum"), f"{fmt_money(sum(t['actual'][:q], ZERO))} {baht}"),
            ]
        elif self.kind == "evaluation":
            facts.append((self.w("fact.spent"), f"{fmt_money(sum(t['actual'], ZERO))} {baht}"))
        return facts

    # Shared sections ----------------------------------------------------------------------------------

    def indicator_section(self, *, with_progress: bool) -> Section:
        cols = [
            Column(self.w("col.no"), "int", 5),
            Column(self.w("col.indicator"), "text", 60),
            Column(self.w("col.unit"), "text", 12),
        ]
        rows = []
        if with_progress:
            cols += [
                Column(self.w("col.target_year"), "quantity", 14),
                Column(self.w("col.expected"), "quantity", 14),
                Column(self.w("col.actual"), "quantity", 14),
                Column(self.w("col.progress"), "percent", 12),
                Column(self.w("col.band"), "text", 14),
            ]
            for n, ind in enumerate(self.s["indicators"], 1):
                if ind.get("band"):
                    band = self.w(f"band.{ind['band']}")
                else:
                    band = self.w(f"reason.{ind['reason']}") if ind.get("reason") else ""
                rows.append(
                    Row(
                        [
                            n,
                            self.name(ind),
                            self.name(ind, "unit"),
                            opt_dec(ind.get("target_year")),
                            opt_dec(ind.get("expected")),
                            opt_dec(ind.get("actual")),
                            opt_dec(ind.get("progress")),
                            band,
                        ]
                    )
                )
        else:
            cols += [Column(self.quarter_label(q), "quantity", 11, group=self.w("col.target")) for q in range(1, 5)]
            cols.append(Column(self.w("col.target_year"), "quantity", 14))
            for n, ind in enumerate(self.s["indicators"], 1):
                quarters = [opt_dec(v) for v in ind.get("target_quarters") or [None] * 4]
                rows.append(
                    Row([n, self.name(ind), self.name(ind, "unit"), *quarters, opt_dec(ind.get("target_year"))])
                )
        section = Section(
            "indicators", self.w("section.indicators"), self.w("sheet.indicators"), cols, rows, landscape=True
        )
        if not rows:
            section.notes.append(self.w("nothing"))
        if with_progress and rows:
            items = [(self.name(ind), opt_dec(ind.get("progress")), ind.get("band")) for ind in self.s["indicators"]]
            section.charts = charts.progress_bars(items, title=self.w("section.chart"), language=self.lang)
        return section

    def text_section(self, key: str, columns: list[tuple[str, str]], picks) -> Section:
        """A table of text per project (targets, problems, outcomes): one row per request with something to say."""
        cols = [
            Column(self.w("col.no"), "int", 5),
            Column(self.w("col.project"), "text", 40),
            Column(self.w("col.province"), "text", 16),
        ] + [Column(self.w(title), "text", 40) for title, _ in columns]
        rows = []
        for request in self.requests:
            texts = [picks(request, name) for _, name in columns]
            if any(texts):
                rows.append(Row([len(rows) + 1, request["title"], self.province_name(request["province"]), *texts]))
        section = Section(key, self.w(f"section.{key}"), self.w(f"sheet.{key}"), cols, rows, landscape=True)
        if not rows:
            section.notes.append(self.w("nothing"))
        elif not self.detailed_pdf:
            section.pdf_rows = []
            section.pdf_notes.append(self.w("text_in_excel"))
        return section

    def money_tree(self, key: str, columns: list[Column], values) -> Section:
        """Programme → project → activity rows of money; `values(activity)` gives one activity's numbers.

        Programme and project rows carry the sums of their activities; the last row is the grand total.
        For a PDF of a large scope the rows are programme → province sums instead.
        """
        cols = [Column(self.w("col.no"), "text", 8), Column(self.w("col.item"), "text", 60), *columns]
        width = len(columns)
        rows, pdf_rows = [], []
        grand = [ZERO] * width
        for p_index, (programme_id, requests) in enumerate(self.by_programme().items(), 1):
            programme_row = Row([str(p_index), self.programme_name(programme_id), *([ZERO] * width)], "group")
            rows.append(programme_row)
            pdf_rows.append(programme_row)
            programme_total = [ZERO] * width
            by_province: OrderedDict = OrderedDict()
            for r_index, request in enumerate(requests, 1):
                request_total = [ZERO] * width
                activity_rows = []
                for activity in request["activities"]:
                    numbers = values(activity)
                    request_total = self.add(request_total, numbers)
                    activity_rows.append(
                        Row([f"{p_index}.{r_index}.{activity['number']}", activity["name"], *numbers], indent=2)
                    )
                rows.append(Row([f"{p_index}.{r_index}", self.project_label(request), *request_total], "project", 1))
                rows.extend(activity_rows)
                programme_total = self.add(programme_total, request_total)
                province = by_province.setdefault(request["province"], [ZERO] * width)
                by_province[request["province"]] = self.add(province, request_total)
            programme_row.cells[2:] = programme_total
            for code, numbers in by_province.items():
                pdf_rows.append(Row(["", self.area_label("province", self.province_name(code)), *numbers], indent=1))
            grand = self.add(grand, programme_total)
        total = Row(["", self.w("total"), *grand], "total")
        rows.append(total)
        pdf_rows.append(total)
        section = Section(key, self.w(f"section.{key}"), self.w(f"sheet.{key}"), cols, rows, landscape=True)
        if not self.detailed_pdf:
            section.pdf_rows = pdf_rows
            section.pdf_notes.append(self.w("detail_in_excel"))
        return section

    def quantity_tree(self, key: str, columns: list[Column], values) -> Section:
        """Programme → project → activity rows of quantities (outputs are counted in their own units).

        Quantities of different units do not add up, so only activities carry numbers; for a PDF of a large
        scope the rows are programme → unit sums.
        """
        cols = [
            Column(self.w("col.no"), "text", 8),
            Column(self.w("col.item"), "text", 60),
            Column(self.w("col.unit"), "text", 12),
            *columns,
        ]
        width = len(columns)
        rows, pdf_rows = [], []
        for p_index, (programme_id, requests) in enumerate(self.by_programme().items(), 1):
            heading = Row([str(p_index), self.programme_name(programme_id), "", *([None] * width)], "group")
            rows.append(heading)
            pdf_rows.append(heading)
            by_unit: OrderedDict = OrderedDict()
            for r_index, request in enumerate(requests, 1):
                rows.append(
                    Row([f"{p_index}.{r_index}", self.project_label(request), "", *([None] * width)], "project", 1)
                )
                for activity in request["activities"]:
                    numbers = values(activity)
                    rows.append(
                        Row(
                            [f"{p_index}.{r_index}.{activity['number']}", activity["name"], activity["unit"], *numbers],
                            indent=2,
                        )
                    )
                    by_unit[activity["unit"]] = self.add(by_unit.get(activity["unit"], [ZERO] * width), numbers)
            for unit, numbers in sorted(by_unit.items()):
                pdf_rows.append(Row(["", self.w("subtotal"), unit, *numbers], indent=1))
        section = Section(key, self.w(f"section.{key}"), self.w(f"sheet.{key}"), cols, rows, landscape=True)
        if not self.detailed_pdf:
            section.pdf_rows = pdf_rows
            section.pdf_notes.append(self.w("detail_in_excel"))
        return section

    # Before: the work and spending plan (แบบ สงป. 301) ---------------------------------------------------

    def plan_sections(self) -> list[Section]:
        quarter_cols = [Column(self.quarter_label(q), "money", 15) for q in range(1, 5)]
        summary = self.programme_summary(
            [
                Column(self.w("col.projects"), "int", 10),
                Column(self.w("col.approved"), "money", 18),
                *quarter_cols,
                Column(self.w("col.planned_total"), "money", 18),
            ],
            lambda requests: [
                len(requests),
                sum((dec(r["approved"]) for r in requests), ZERO),
                *self.sum_quarters(requests, "plan"),
                sum(self.sum_quarters(requests, "plan"), ZERO),
            ],
        )
        cumulative = []
        running = ZERO
        for value in self.totals()["plan"]:
            running += value
            cumulative.append(running)
        summary.charts = charts.quarter_bars(
            [(self.quarter_label(q), cumulative[q - 1]) for q in range(1, 5)],
            ceiling=self.totals()["approved"],
            title=self.w("section.chart_plan"),
            language=self.lang,
        )
        work_plan = self.quantity_tree(
            "work_plan",
            [Column(self.quarter_label(q), "quantity", 11) for q in range(1, 5)]
            + [Column(self.w("col.planned_total"), "quantity", 12)],
            lambda a: [*self.quarters(a, "plan", "qty"), sum(self.quarters(a, "plan", "qty"), ZERO)],
        )
        spending_plan = self.money_tree(
            "spending_plan",
            [Column(self.quarter_label(q), "money", 15) for q in range(1, 5)]
            + [Column(self.w("col.planned_total"), "money", 17)],
            lambda a: [*self.quarters(a, "plan", "amt"), sum(self.quarters(a, "plan", "amt"), ZERO)],
        )
        monthly = self.money_tree(
            "monthly_plan",
            [Column(month_name(m, self.lang), "money", 13) for m in FISCAL_MONTHS]
            + [Column(self.w("col.planned_total"), "money", 16)],
            self.monthly_plan,
        )
        monthly.in_pdf = False
        targets = self.text_section(
            "targets",
            [("col.targets", "targets"), ("col.indicator", "indicators"), ("col.expected_benefits", "benefits")],
            self.target_text,
        )
        return [summary, work_plan, spending_plan, monthly, self.indicator_section(with_progress=False), targets]

    def monthly_plan(self, activity: dict) -> list[Decimal]:
        """Planned money per month, October first; a quarter planned as a whole is shown on its first month."""
        months = {int(m): dec(v[1]) for m, v in activity["plan"].get("months", {}).items()}
        values = []
        for m in FISCAL_MONTHS:
            values.append(months.get(m, ZERO))
        quarter_amounts = self.quarters(activity, "plan", "amt")
        for q in range(4):
            in_months = sum(values[3 * q : 3 * q + 3], ZERO)
            values[3 * q] += quarter_amounts[q] - in_months
        return [*values, sum(values, ZERO)]

    def target_text(self, request: dict, what: str) -> str:
        if what == "targets":
            return request.get("targets", "")
        if what == "benefits":
            return request.get("expected_benefits", "")
        lines = []
        for ind in request.get("indicators", []):
            lines.append(f"{ind['name']}: {fmt_money(dec(ind['target']))} {ind['unit']}")
        return "\n".join(lines)

    def sum_quarters(self, requests: list[dict], side: str) -> list[Decimal]:
        total = [ZERO] * 4
        for request in requests:
            total = self.add(total, self.request_quarters(request, side))
        return total

    def programme_summary(self, columns: list[Column], values) -> Section:
        cols = [Column(self.w("col.no"), "int", 5), Column(self.w("col.programme"), "text", 50), *columns]
        rows = []
        for n, (programme_id, requests) in enumerate(self.by_programme().items(), 1):
            rows.append(Row([n, self.programme_name(programme_id), *values(requests)]))
        rows.append(Row(["", self.w("total"), *values(self.requests)], "total"))
        return Section("summary", self.w("section.summary"), self.w("sheet.summary"), cols, rows, landscape=True)

    # During: the quarterly progress report (สงป. 302) --------------------------------------------------

    def progress_sections(self) -> list[Section]:
        q = self.quarter

        def money_figures(requests):
            plan, actual = self.sum_quarters(requests, "plan"), self.sum_quarters(requests, "actual")
            approved = sum((dec(r["approved"]) for r in requests), ZERO)
            plan_cum, actual_cum = sum(plan[:q], ZERO), sum(actual[:q], ZERO)
            return [
                len(requests),
                approved,
                plan[q - 1],
                actual[q - 1],
                plan_cum,
                actual_cum,
                percent(actual_cum, plan_cum),
                percent(actual_cum, approved),
            ]

        summary = self.programme_summary(
            [
                Column(self.w("col.projects"), "int", 10),
                Column(self.w("col.approved"), "money", 18),
                Column(self.w("col.plan_quarter"), "money", 16),
                Column(self.w("col.actual_quarter"), "money", 16),
                Column(self.w("col.plan_cum"), "money", 16),
                Column(self.w("col.actual_cum"), "money", 16),
                Column(self.w("col.percent_plan"), "percent", 11),
                Column(self.w("col.percent_approved"), "percent", 11),
            ],
            money_figures,
        )
        items = []
        for programme_id, requests in self.by_programme().items():
            figures = money_figures(requests)
            items.append((self.programme_name(programme_id), figures[6], band_for(figures[6])))
        summary.charts = charts.progress_bars(items, title=self.w("col.percent_plan"), language=self.lang)

        def activity_figures(activity, what):
            plan, actual = self.quarters(activity, "plan", what), self.quarters(activity, "actual", what)
            plan_cum, actual_cum = sum(plan[:q], ZERO), sum(actual[:q], ZERO)
            return [plan[q - 1], actual[q - 1], plan_cum, actual_cum, percent(actual_cum, plan_cum)]

        def cols(kind):
            return [
                Column(self.w("col.plan_quarter"), kind, 14),
                Column(self.w("col.actual_quarter"), kind, 14),
                Column(self.w("col.plan_cum"), kind, 14),
                Column(self.w("col.actual_cum"), kind, 14),
                Column(self.w("col.percent_plan"), "percent", 11),
            ]

        outputs = self.quantity_tree("outputs", cols("quantity"), lambda a: activity_figures(a, "qty"))
        spending = self.money_tree("spending", cols("money"), lambda a: activity_figures(a, "amt"))
        fix_percent(outputs, -1, -3, -2)
        fix_percent(spending, -1, -3, -2)
        problems = self.text_section(
            "problems",
            [
                ("col.progress_text", "progress"),
                ("col.problems", "problems"),
                ("col.obstacles", "obstacles"),
                ("col.remedies", "remedies"),
            ],
            lambda r, what: (r.get("monitoring") or {}).get(what, ""),
        )
        return [summary, outputs, spending, self.indicator_section(with_progress=True), problems]

    # After: the annual evaluation ------------------------------------------------------------------------

    def evaluation_sections(self) -> list[Section]:
        def figures(requests):
            approved = sum((dec(r["approved"]) for r in requests), ZERO)
            plan = sum(self.sum_quarters(requests, "plan"), ZERO)
            spent = sum(self.sum_quarters(requests, "actual"), ZERO)
            return [len(requests), approved, plan, spent, percent(spent, approved)]

        summary = self.programme_summary(
            [
                Column(self.w("col.projects"), "int", 10),
                Column(self.w("col.approved"), "money", 18),
                Column(self.w("col.planned_total"), "money", 18),
                Column(self.w("col.spent"), "money", 18),
                Column(self.w("col.percent_approved"), "percent", 12),
            ],
            figures,
        )
        items = []
        for programme_id, requests in self.by_programme().items():
            pct = figures(requests)[4]
            items.append((self.programme_name(programme_id), pct, band_for(pct)))
        summary.charts = charts.progress_bars(items, title=self.w("col.percent_approved"), language=self.lang)

        cols = [
            Column(self.w("col.no"), "text", 8),
            Column(self.w("col.item"), "text", 60),
            Column(self.w("col.unit"), "text", 12),
            Column(self.w("col.target"), "quantity", 14),
            Column(self.w("col.achieved"), "quantity", 14),
            Column(self.w("col.achievement"), "percent", 12),
        ]
        rows = []
        for p_index, (programme_id, requests) in enumerate(self.by_programme().items(), 1):
            rows.append(Row([str(p_index), self.programme_name(programme_id), "", None, None, None], "group"))
            for r_index, request in enumerate(requests, 1):
                rows.append(
                    Row([f"{p_index}.{r_index}", self.project_label(request), "", None, None, None], "project", 1)
                )
                for i_index, ind in enumerate(request.get("indicators", []), 1):
                    target, achieved = dec(ind["target"]), opt_dec(ind.get("achieved"))
                    rows.append(
                        Row(
                            [
                                f"{p_index}.{r_index}.{i_index}",
                                ind["name"],
                                ind["unit"],
                                target,
                                achieved,
                                None if achieved is None else percent(achieved, target),
                            ],
                            indent=2,
                        )
                    )
        achievements = Section(
            "achievements", self.w("section.achievements"), self.w("sheet.achievements"), cols, rows, landscape=True
        )
        if not self.detailed_pdf:
            achievements.pdf_rows = []
            achievements.pdf_notes.append(self.w("text_in_excel"))
        outcomes = self.text_section(
            "outcomes",
            [
                ("col.outcome", "progress"),
                ("col.problems", "problems"),
                ("col.obstacles", "obstacles"),
                ("col.lessons", "remedies"),
            ],
            lambda r, what: (r.get("monitoring") or {}).get(what, ""),
        )
        sections = [summary, self.indicator_section(with_progress=True), achievements, outcomes]
        if self.s.get("fairness"):
            sections.append(self.fairness_section(self.s["fairness"]))
        return sections

    def fairness_section(self, fairness: dict) -> Section:
        """Fair distribution: per-region budget per head, per household and per tambon, the spread measures, the
        provinces far from the national rate (budgets/fairness.py defines every figure)."""
        cols = [
            Column(self.w("col.area"), "text", 28),
            Column(self.w("col.population"), "int", 14),
            Column(self.w("col.households"), "int", 14),
            Column(self.w("col.tambons"), "int", 10),
            Column(self.w("col.requested"), "money", 18),
            Column(self.w("col.approved"), "money", 18),
            Column(self.w("col.spent"), "money", 18),
            Column(self.w("col.per_head"), "money", 14),
            Column(self.w("col.per_household"), "money", 14),
            Column(self.w("col.per_tambon"), "money", 16),
        ]

        def cells(r, name):
            return [
                name,
                r["population"],
                r["households"],
                r["tambons"],
                dec(r["requested"]),
                dec(r["approved"]),
                dec(r["spent"]),
                opt_dec(r["approved_per_head"]),
                opt_dec(r["approved_per_household"]),
                opt_dec(r["approved_per_tambon"]),
            ]

        rows = [Row(cells(r, self.name(r))) for r in fairness["regions"]]
        rows.append(Row(cells(fairness["total"], self.w("total")), "total"))
        m = fairness["measures"]
        none = "—"
        notes = [
            self.w("fair.rule"),
            f"{self.w('fair.rate')}: {fairness['national_rate'] or none} {self.w('fair.baht_per_head')}",
            f"{self.w('fair.gini_provinces')}: {m['gini_provinces'] or none}",
            f"{self.w('fair.gini_tambons')}: {m['gini_tambons'] or none}",
            f"{self.w('fair.decile_ratio')}: {m['decile_ratio'] or none} (k = {m['decile_k']})",
            f"{self.w('fair.unattributed')}: {fmt_money(dec(fairness['approved_without_tambon']))} {self.w('baht')}",
            f"{self.w('fair.unfunded')}: {fairness['unfunded_tambons']:,}",
        ]
        per_head = self.w("fair.baht_per_head")
        flagged = [
            f"{self.name(p)} ({p['approved_per_head']} {per_head}, {self.w('fair.flag.' + p['flag'])})"
            for p in fairness["flagged"]
        ]
        notes.append(f"{self.w('fair.flagged')}: {', '.join(flagged) if flagged else none}")
        section = Section(
            "fairness", self.w("section.fairness"), self.w("sheet.fairness"), cols, rows, notes=notes, landscape=True
        )
        section.charts = charts.lorenz_curve(
            [(dec(x), dec(y)) for x, y in fairness.get("lorenz", [])],
            title=self.w("fair.lorenz"),
            x_label=self.w("fair.lorenz_x"),
            y_label=self.w("fair.lorenz_y"),
        )
        return section


def band_for(value: Decimal | None) -> str | None:
    """Band a spending percentage the way indicator progress is banded (on track from 90, at risk from 70)."""
    if value is None:
        return None
    if value >= 90:
        return "on_track"
    if value >= 70:
        return "at_risk"
    return "off_track"


def fix_percent(section: Section, pct: int, plan: int, actual: int) -> None:
    """Recompute the percentage of summed rows from their sums (a sum of percentages means nothing)."""
    for rows in (section.rows, section.pdf_rows or []):
        for row in rows:
            if row.style in ("group", "project", "total", "subtotal") or row.indent == 1:
                p, a = row.cells[plan], row.cells[actual]
                if isinstance(p, Decimal) and isinstance(a, Decimal):
                    row.cells[pct] = percent(a, p)


def build_document(snapshot: dict, *, as_of: dt.date, fingerprint: str, language: str, pdf_detail_limit: int):
    """Return the Document of a report snapshot."""
    return Builder(
        snapshot, as_of=as_of, fingerprint=fingerprint, language=language, pdf_detail_limit=pdf_detail_limit
    ).build()
