"""IATI 2.03 activity file (`iati-activities`, version 2.03) of CODI's programmes and tambon projects.

What goes in: the programmes of the CODI plan in force for the fiscal year (published plan items, hierarchy 1) and the
tambon projects of accepted or endorsed tambon plans covering that year (hierarchy 2), with their budgets, locations
and results. Only approved figures: programme results are the indicators app's official national figures (approved
results only); project actuals come from approved progress reports; budgets of programmes are the approved amounts
of approved budget requests. Nothing under review, no evidence files, no personal names (a project's responsible body
is left out because it may name a person). The choices of codes are documented in the README ("IATI 2.03 export").

The schema files (opengov/data/iati/, with their SOURCE.md) validate the output in the tests and in
`manage.py write_iati --validate`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db.models import Sum
from django.utils import timezone
from lxml import etree

from budgets.models import COMMITTED_STATUSES, BudgetRequest
from codi_plans.thai_calendar import BE_OFFSET, current_fiscal_year, fiscal_year_range
from indicators.models import Direction, Indicator, Measure
from indicators.selectors import country_figures
from progress.models import ActivityStatus, IndicatorActual, ProgressStatus, ProjectProgress
from strategies.models import NodeKind
from strategies.selectors import plan_in_force
from workstreams.models import CONSOLIDATED_STATUSES, Project, ProjectBudget, ProjectIndicator, workstream_of

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "iati"
SCHEMA_FILE = SCHEMA_DIR / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSION = "2.03"

# Assumption: CODI has no IATI organisation identifier yet; "TH-CODI" stands for it until CODI registers one.
ORG_REF = "TH-CODI"
ORG_TYPE = "15"  # OrganisationType 15: Other Public Sector (a public organisation, องค์การมหาชน)
ORG_NAME_TH = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
ORG_NAME_EN = "Community Organizations Development Institute (Public Organization)"
CURRENCY = "THB"
COUNTRY = "TH"
# DAC 5-digit purpose codes (vocabulary 1) per workstream, matched on the workstream's code (rolled-forward copies
# keep the stem: WS-ECONOMY-2569).
SECTORS = {
    "WS-COUNCIL": "15150",  # Democratic participation and civil society
    "WS-ECONOMY": "32130",  # Small and medium-sized enterprises (SME) development
    "WS-WELFARE": "16010",  # Social protection
    "WS-HOUSING": "16040",  # Low-cost housing
}
MULTISECTOR = "43010"  # Multisector aid, for a programme of no known workstream
ACTIVITY_STATUS = {  # IATI ActivityStatus from a project's latest approved quarter
    ActivityStatus.NOT_STARTED: "1",  # Pipeline/identification
    ActivityStatus.UNDER_WAY: "2",  # Implementation
    ActivityStatus.DONE: "3",  # Finalisation
    ActivityStatus.STOPPED: "6",  # Suspended
}
MEASURES = {Measure.PERCENT: "2", Measure.NARRATIVE: "5"}  # the rest count units: "1"


def _ce(day: dt.date) -> str:
    return day.isoformat()


def _year_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def _value(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _el(parent, tag: str, text: str | None = None, **attrs):
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _narratives(parent, tag: str, th: str, en: str = "", **attrs):
    """An element with a Thai narrative (xml:lang="th") and an English one where there is English."""
    node = _el(parent, tag, **attrs)
    _el(node, "narrative", th or en or "-").set(XML_LANG, "th")
    if en:
        _el(node, "narrative", en).set(XML_LANG, "en")
    return node


def _reporting_org(activity):
    org = _el(activity, "reporting-org", ref=ORG_REF, type=ORG_TYPE)
    _el(org, "narrative", ORG_NAME_TH).set(XML_LANG, "th")
    _el(org, "narrative", ORG_NAME_EN).set(XML_LANG, "en")


def _codi_participating(activity, role: str):
    org = _el(activity, "participating-org", ref=ORG_REF, type=ORG_TYPE, role=role)
    _el(org, "narrative", ORG_NAME_TH).set(XML_LANG, "th")
    _el(org, "narrative", ORG_NAME_EN).set(XML_LANG, "en")


def _sector(activity, workstream):
    stem = next((s for s in SECTORS if workstream is not None and workstream.code.startswith(s)), None)
    sector = _el(activity, "sector", vocabulary="1", code=SECTORS.get(stem, MULTISECTOR), percentage="100")
    if workstream is not None:
        _el(sector, "narrative", workstream.name_th).set(XML_LANG, "th")


def _budget(activity, fiscal_year: int, amount: Decimal):
    first, last = fiscal_year_range(fiscal_year)
    budget = _el(activity, "budget", type="1", status="1")  # original, indicative
    _el(budget, "period-start", iso_date=_ce(first))
    _el(budget, "period-end", iso_date=_ce(last))
    _el(budget, "value", _value(amount), currency=CURRENCY, value_date=_ce(first))


def _period(indicator_el, fiscal_year: int, target: Decimal | None, actual: Decimal | None, measure: str):
    first, last = fiscal_year_range(fiscal_year)
    period = _el(indicator_el, "period")
    _el(period, "period-start", iso_date=_ce(first))
    _el(period, "period-end", iso_date=_ce(last))
    qualitative = measure == "5"
    if target is not None:
        _el(period, "target", **({} if qualitative else {"value": _value(target)}))
    if actual is not None:
        _el(period, "actual", **({} if qualitative else {"value": _value(actual)}))


# Programmes ----------------------------------------------------------------------------------------------------


def programmes(fiscal_year: int):
    """The programmes of the published CODI plan in force for the year (none when no plan is in force)."""
    plan = plan_in_force(fiscal_year)
    if plan is None:
        return []
    from strategies.selectors import plan_items

    return list(
        plan_items(NodeKind.PROGRAMME, fiscal_year=fiscal_year).select_related("parent__parent").order_by("code")
    )


def _programme_indicators(nodes) -> dict[int, list[tuple[Indicator, bool]]]:
    """{programme id: [(indicator, own)]}: its own indicators, then its goal's and workstream's (not its own: their
    results are marked aggregation-status false, as they also count for the programme's siblings)."""
    ancestors = {}
    for node in nodes:
        chain = [node.pk]
        parent = node.parent
        while parent is not None and parent.kind in (NodeKind.GOAL, NodeKind.WORKSTREAM):
            chain.append(parent.pk)
            parent = parent.parent
        ancestors[node.pk] = chain
    wanted = {pk for chain in ancestors.values() for pk in chain}
    by_node = defaultdict(list)
    for indicator in Indicator.objects.active().filter(plan_node_id__in=wanted, project__isnull=True):
        by_node[indicator.plan_node_id].append(indicator)
    return {
        pk: [(i, node_id == pk) for node_id in chain for i in by_node.get(node_id, [])]
        for pk, chain in ancestors.items()
    }


def _programme_budgets(nodes) -> dict[int, dict[int, Decimal]]:
    out = defaultdict(dict)
    for programme_id, year, total in (
        BudgetRequest.objects.filter(programme__in=nodes, status__in=COMMITTED_STATUSES)
        .order_by()
        .values_list("programme_id", "fiscal_year")
        .annotate(total=Sum("approved_amount"))
    ):
        out[programme_id][year] = total
    return out


def _programme_activity(root, node, plan, indicators, budgets, figures, years, today):
    activity = _el(root, "iati-activity", default_currency=CURRENCY, hierarchy="1")
    activity.set(XML_LANG, "th")
    _el(activity, "iati-identifier", f"{ORG_REF}-{node.code}")
    _reporting_org(activity)
    _narratives(activity, "title", node.name_th, node.name_en)
    _narratives(
        activity,
        "description",
        node.description_th or f"แผนงานภายใต้{plan.name_th}",
        node.description_en,
        type="1",
    )
    _codi_participating(activity, "1")
    _codi_participating(activity, "4")
    first, _unused = fiscal_year_range(plan.period_start_be)
    _unused, last = fiscal_year_range(plan.period_end_be)
    _el(activity, "activity-status", code="2" if first <= today <= last else "4")
    _el(activity, "activity-date", type="1", iso_date=_ce(first))
    _el(activity, "activity-date", type="3", iso_date=_ce(last))
    _el(activity, "recipient-country", code=COUNTRY, percentage="100")
    _sector(activity, workstream_of(node))
    for year, amount in sorted(budgets.get(node.pk, {}).items()):
        _budget(activity, year, amount)
    for indicator, own in indicators.get(node.pk, []):
        result = _el(activity, "result", type="2", aggregation_status="1" if own else "0")
        _narratives(result, "title", indicator.name_th, indicator.name_en)
        measure = MEASURES.get(indicator.measure, "1")
        attrs = {"measure": measure}
        if measure != "5":
            attrs["ascending"] = "1" if indicator.direction == Direction.HIGHER else "0"
        ind = _el(result, "indicator", **attrs)
        _narratives(ind, "title", indicator.name_th, indicator.name_en)
        if indicator.definition_th or indicator.definition_en:
            _narratives(ind, "description", indicator.definition_th, indicator.definition_en)
        if indicator.baseline_year and indicator.baseline_value is not None and measure != "5":
            _el(ind, "baseline", year=_year_ce(indicator.baseline_year), value=_value(indicator.baseline_value))
        for year in years:
            figure = figures[year].get(indicator.pk)
            if figure is not None and (figure.target is not None or figure.actual is not None):
                _period(ind, year, figure.target, figure.actual, measure)


# Projects ------------------------------------------------------------------------------------------------------


def projects(fiscal_year: int):
    """Tambon projects of accepted or endorsed plans covering the fiscal year, with what their activity needs."""
    return (
        Project.objects.filter(
            plan__status__in=CONSOLIDATED_STATUSES,
            plan__period_start_be__lte=fiscal_year,
            plan__period_end_be__gte=fiscal_year,
        )
        .select_related("plan__tambon__district", "plan__tambon__province", "workstream", "programme")
        .order_by("plan__tambon__code", "plan__period_start_be", "number")
    )


def project_identifier(project) -> str:
    return f"{ORG_REF}-{project.plan.tambon.code}-{project.plan.period_start_be}-{project.number}"


def _project_activity(root, project, data, programme_ids, today):
    plan = project.plan
    tambon = plan.tambon
    activity = _el(root, "iati-activity", default_currency=CURRENCY, hierarchy="2")
    activity.set(XML_LANG, "th")
    _el(activity, "iati-identifier", project_identifier(project))
    _reporting_org(activity)
    _narratives(activity, "title", project.name)
    _narratives(activity, "description", project.objectives or project.rationale or project.name, type="1")
    _codi_participating(activity, "1")
    implementer = _el(activity, "participating-org", role="4")
    _el(implementer, "narrative", f"องค์กรชุมชน{tambon.full_name_th}").set(XML_LANG, "th")
    _el(implementer, "narrative", f"Community organisations of {tambon.name_en or tambon.name_th}").set(XML_LANG, "en")
    latest = data["status"].get(project.pk)
    first, _unused = fiscal_year_range(plan.period_start_be)
    _unused, last = fiscal_year_range(plan.period_end_be)
    start, end = project.start_date or first, project.end_date or last
    code = ACTIVITY_STATUS.get(latest) if latest else ("1" if start > today else "2")
    _el(activity, "activity-status", code=code)
    _el(activity, "activity-date", type="1", iso_date=_ce(start))
    _el(activity, "activity-date", type="3", iso_date=_ce(end))
    _el(activity, "recipient-country", code=COUNTRY, percentage="100")
    location = _el(activity, "location", ref=f"TH-DOPA-{tambon.code}")
    _el(location, "location-reach", code="1")  # the activity happens here
    names = [tambon.full_name_th, tambon.district.full_name_th, f"จังหวัด{tambon.province.name_th}"]
    english = ", ".join(n for n in (tambon.name_en, tambon.district.name_en, tambon.province.name_en) if n)
    _narratives(location, "name", " ".join(names), english)
    _narratives(
        location,
        "description",
        f"รหัสตำบล (กรมการปกครอง) {tambon.code}",
        f"Tambon, DOPA code {tambon.code}",
    )
    _el(location, "location-class", code="1")  # administrative region
    _el(location, "feature-designation", code="ADM3")
    _sector(activity, project.workstream)
    for year, amount in sorted(data["budgets"].get(project.pk, {}).items()):
        _budget(activity, year, amount)
    if project.programme_id in programme_ids:
        _el(activity, "related-activity", ref=f"{ORG_REF}-{project.programme.code}", type="1")  # parent
    for indicator in data["indicators"].get(project.pk, []):
        result = _el(activity, "result", type="1", aggregation_status="1")  # output
        _narratives(result, "title", indicator.name)
        ind = _el(result, "indicator", measure="1", ascending="1")
        _narratives(ind, "title", f"{indicator.name} ({indicator.unit})")
        if indicator.baseline is not None:
            _el(ind, "baseline", year=_year_ce(plan.period_start_be), value=_value(indicator.baseline))
        actuals = data["actuals"].get(indicator.pk, {})
        for year in sorted({indicator.target_year_be, *actuals}):
            target = indicator.target_value if year == indicator.target_year_be else None
            _period(ind, year, target, actuals.get(year), "1")


def _project_data(qs) -> dict:
    ids = qs.values("pk")
    budgets = defaultdict(lambda: defaultdict(Decimal))
    for project_id, year, amount in ProjectBudget.objects.filter(project__in=ids).values_list(
        "project_id", "fiscal_year", "amount"
    ):
        budgets[project_id][year] += amount
    indicators = defaultdict(list)
    for indicator in ProjectIndicator.objects.filter(project__in=ids).order_by("id"):
        indicators[indicator.project_id].append(indicator)
    # Latest approved actual of each indicator in each fiscal year.
    latest = {}
    for indicator_id, year, quarter, value in IndicatorActual.objects.filter(
        report__status=ProgressStatus.APPROVED, report__project__in=ids
    ).values_list("indicator_id", "report__fiscal_year", "report__quarter", "value"):
        key = (indicator_id, year)
        if key not in latest or quarter > latest[key][0]:
            latest[key] = (quarter, value)
    actuals = defaultdict(dict)
    for (indicator_id, year), (_quarter, value) in latest.items():
        actuals[indicator_id][year] = value
    status = {}
    newest = {}
    for project_id, year, quarter, activity in (
        ProjectProgress.objects.approved()
        .filter(project__in=ids)
        .values_list("project_id", "fiscal_year", "quarter", "activity_status")
    ):
        if project_id not in newest or (year, quarter) > newest[project_id]:
            newest[project_id] = (year, quarter)
            status[project_id] = activity
    return {"budgets": budgets, "indicators": indicators, "actuals": actuals, "status": status}


# The file ------------------------------------------------------------------------------------------------------


def build_activities(fiscal_year: int | None = None, *, now: dt.datetime | None = None) -> etree._Element:
    """Return the <iati-activities> element for the fiscal year (default: the current one)."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    now = now or timezone.now()
    today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    root = etree.Element("iati-activities")
    root.set("version", VERSION)
    root.set("generated-datetime", now.replace(microsecond=0).isoformat())
    plan = plan_in_force(year)
    nodes = programmes(year)
    if plan is not None and nodes:
        indicators = _programme_indicators(nodes)
        budgets = _programme_budgets(nodes)
        years = list(range(plan.period_start_be, min(plan.period_end_be, year) + 1))
        all_indicators = {i.pk: i for pairs in indicators.values() for i, _own in pairs}.values()
        figures = {y: country_figures(list(all_indicators), y) for y in years}
        for node in nodes:
            _programme_activity(root, node, plan, indicators, budgets, figures, years, today)
    qs = projects(year)
    data = _project_data(qs)
    programme_ids = {n.pk for n in nodes}
    for project in qs:
        _project_activity(root, project, data, programme_ids, today)
    return root


def activities_xml(fiscal_year: int | None = None, *, now: dt.datetime | None = None) -> bytes:
    """Return the IATI activity file as UTF-8 bytes with an XML declaration."""
    return etree.tostring(
        build_activities(fiscal_year, now=now), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


_schema = None


def schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema, loaded once from opengov/data/iati/."""
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))
    return _schema


def validation_errors(xml: bytes) -> list[str]:
    """Return the schema's complaints about an activity file (empty when it is valid)."""
    checker = schema()
    if checker.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
