"""Benchmark: the national quarterly progress report (แบบ สงป. 302) over 7,436 tambons, as Excel and PDF.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set by
`build_national_dataset` when missing). The national data set has no budget year in execution, so inside one
transaction that is rolled back at the end (the shared database keeps exactly the national data set) it adds,
deterministically from a fixed seed with bulk_create, an approved budget request in execution for every tambon of
the country in FY2569 (7,436; a --scale fraction of them), and for the first 1,000 tambons in FY2568, each with 3
activities planned by quarter (4 plan lines each), actuals for quarters 1 and 2, an indicator and, for every other
request, a quarter-2 monitoring record; plus 10 plan indicators with national and provincial targets and approved
results for every tambon in quarters 1 and 2. Then, for the national Q2 report of each year, times:
- the snapshot (every query the report sends; their number must not grow with the number of tambons),
- the document, the Excel file and the PDF, separately,
- the whole build as the Celery task runs it (services.build_report: snapshot → files → done).
Prints a Markdown table and keeps it in bench/results/national_report.md.

    .venv/bin/python bench/national_report.py               # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/national_report.py --scale 0.02 --repeats 1   # a quick check on a small data set
"""

import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

SEED = 2569
YEARS = {2568: 1000, 2569: 7436}  # fiscal year → tambons with a request (the first N by DOPA code)
QUARTER = 2
INDICATORS = 10
ACTIVITIES = (("ประชุมเชิงปฏิบัติการจัดทำแผน", "ครั้ง"), ("อบรมพัฒนาอาชีพและแปรรูปผลผลิต", "คน"), ("สนับสนุนกองทุนหมุนเวียน", "กองทุน"))
GOALS = "WS-ECONOMY-G1 WS-ECONOMY-G2 WS-WELFARE-G1 WS-WELFARE-G2 WS-HOUSING-G1".split()
# Timed runs are capped: one national PDF takes a minute or two.
MAX_REPEATS = 3
AS_OF = dt.datetime(2026, 1, 20)
NOTE = (
    "Best of {repeats} run(s) per phase, in seconds; sizes in MB (Excel / PDF). A PDF lists requests one by one "
    "up to REPORTS_PDF_DETAIL_LIMIT ({limit:,}) requests and sums them by programme and province above it; the "
    "Excel file always lists every request and activity. The last line raises the limit to show what a PDF "
    "listing 1,000 requests one by one costs. 'Ask' is the web request (snapshot, fingerprint, stored snapshot); "
    "'whole build' is the Celery task (snapshot read back, both files written, report filed)."
)
BIG_PROVINCE = "30"  # Nakhon Ratchasima, the province with the most tambons


def build_years(scale: float):
    """Add the report's budget years to the database (inside the caller's transaction); return central staff."""
    from accounts.models import User
    from areas.models import Subdistrict
    from budgets.models import (
        BudgetRequest,
        MonitoringPhase,
        MonitoringRecord,
        RequestIndicator,
        RequestStatus,
        SpendingActivity,
        SpendingActual,
        SpendingPlanLine,
    )
    from indicators.models import Aggregation, AreaLevel, Indicator, Measure, PlanLevel, Result, ResultStatus, Target
    from nationaldata.dataset import LOAD_USERS
    from strategies.models import NodeKind, PlanNode
    from workstreams.models import workstream_of

    staff = User.objects.get(username=LOAD_USERS["central"])
    started = time.perf_counter()
    rng = random.Random(SEED)
    tambons = list(Subdistrict.objects.order_by("code").values_list("id", "name_th", "district_id", "province_id"))
    programmes = list(PlanNode.objects.filter(kind=NodeKind.PROGRAMME).select_related("parent__parent").order_by("id"))
    workstream = {p.id: workstream_of(p).id for p in programmes}
    indicators = []
    for n in range(1, INDICATORS + 1):
        indicator, _ = Indicator.objects.get_or_create(
            code=f"BENCH-RPT-{n:02d}",
            defaults={
                "number": 900 + n,
                "name_th": f"ตัวชี้วัดระดับประเด็นงานที่ {n}: ตำบลที่ดำเนินการตามแผนสำเร็จ",
                "name_en": f"Bench indicator {n}",
                "unit_th": "ตำบล",
                "unit_en": "tambons",
                "measure": Measure.COUNT,
                "aggregation": Aggregation.SUM,
                "level": PlanLevel.WORKSTREAM_GOAL,
                "plan_node": PlanNode.objects.get(code=GOALS[n % len(GOALS)]),
                "reporting_level": AreaLevel.TAMBON,
            },
        )
        indicators.append(indicator)
    for fiscal_year, count in YEARS.items():
        chosen = tambons[: max(1, round(count * scale))]
        requests = []
        for i, (_tambon_id, name, _district, province_id) in enumerate(chosen):
            programme = programmes[i % len(programmes)]
            amount = Decimal(rng.randrange(60, 300) * 1000)
            requests.append(
                BudgetRequest(
                    fiscal_year=fiscal_year,
                    province_id=province_id,
                    title=f"ยกระดับเศรษฐกิจฐานรากและคุณภาพชีวิตตำบล{name}",
                    requesting_body=f"สภาองค์กรชุมชนตำบล{name}",
                    workstream_id=workstream[programme.id],
                    programme_id=programme.id,
                    targets="ครัวเรือนเป้าหมาย 100 ครัวเรือน",
                    expected_benefits="ครัวเรือนมีรายได้เพิ่มขึ้นและหนี้สินลดลง",
                    requested_amount=amount,
                    approved_amount=amount,
                    spent_amount=Decimal(0),
                    status=RequestStatus.IN_EXECUTION,
                    created_by=staff,
                    updated_by=staff,
                )
            )
        requests = BudgetRequest.objects.bulk_create(requests, batch_size=2000)
        activities = []
        for request in requests:
            for number, (activity, unit) in enumerate(ACTIVITIES, start=1):
                activities.append(
                    SpendingActivity(request=request, number=number, name=activity, unit=unit, category="operating")
                )
        activities = SpendingActivity.objects.bulk_create(activities, batch_size=5000)
        lines, actuals = [], []
        for activity in activities:
            quarter_amount = (activity.request.approved_amount / 12).quantize(Decimal("0.01"))
            for quarter in (1, 2, 3, 4):
                lines.append(
                    SpendingPlanLine(
                        activity=activity,
                        quarter=quarter,
                        planned_quantity=Decimal(rng.randint(1, 5)),
                        planned_amount=quarter_amount,
                    )
                )
            for quarter in (1, 2):
                actuals.append(
                    SpendingActual(
                        activity=activity,
                        quarter=quarter,
                        actual_quantity=Decimal(rng.randint(0, 5)),
                        actual_amount=(quarter_amount * Decimal(rng.randint(60, 105)) / 100).quantize(Decimal("0.01")),
                        recorded_by=staff,
                    )
                )
        SpendingPlanLine.objects.bulk_create(lines, batch_size=10000)
        SpendingActual.objects.bulk_create(actuals, batch_size=10000)
        RequestIndicator.objects.bulk_create(
            [
                RequestIndicator(request=r, name="ครัวเรือนที่มีรายได้เพิ่มขึ้น", unit="ครัวเรือน", target_value=100)
                for r in requests
            ],
            batch_size=5000,
        )
        MonitoringRecord.objects.bulk_create(
            [
                MonitoringRecord(
                    request=r,
                    phase=MonitoringPhase.ONGOING,
                    quarter=QUARTER,
                    progress="ดำเนินกิจกรรมตามแผนร้อยละ 80",
                    problems="ฝนตกหนักช่วงกลางไตรมาส",
                    obstacles="ผู้เข้าร่วมบางส่วนติดภารกิจ",
                    remedies="ปรับตารางกิจกรรมและจัดซ้ำในวันหยุด",
                    recorded_by=staff,
                )
                for r in requests[::2]
            ],
            batch_size=5000,
        )
        targets, results = [], []
        provinces = sorted({t[3] for t in chosen})
        for indicator in indicators:
            country = Target(indicator=indicator, fiscal_year=fiscal_year, value=Decimal(len(chosen) // 2))
            country.set_area(AreaLevel.COUNTRY, None)
            targets.append(country)
            for province_id in provinces:
                target = Target(indicator=indicator, fiscal_year=fiscal_year, value=Decimal(rng.randint(10, 90)))
                target.level, target.province_id = AreaLevel.PROVINCE, province_id
                targets.append(target)
            for tambon_id, _name, district_id, province_id in chosen:
                for quarter in (1, QUARTER):
                    results.append(
                        Result(
                            indicator=indicator,
                            fiscal_year=fiscal_year,
                            quarter=quarter,
                            level=AreaLevel.TAMBON,
                            tambon_id=tambon_id,
                            district_id=district_id,
                            province_id=province_id,
                            value=Decimal(rng.randint(0, 1)),
                            status=ResultStatus.APPROVED,
                            created_by=staff,
                            updated_by=staff,
                        )
                    )
        Target.objects.bulk_create(targets, batch_size=5000)
        Result.objects.bulk_create(results, batch_size=10000)
        print(
            f"FY{fiscal_year}: {len(requests):,} requests, {len(activities):,} activities, {len(lines):,} plan "
            f"lines, {len(actuals):,} actuals, {len(results):,} approved results"
        )
    print(f"Built the data set in {time.perf_counter() - started:.1f} s")
    return staff


def measure(staff, fiscal_year: int, repeats: int, *, scope_key: str = "country", detail_limit: int | None = None):
    """Time one Q2 report: snapshot, document, Excel, PDF, then the whole build as the Celery task runs it."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from codi_plans.celery import app
    from reports import services, snapshot
    from reports.document import build_document
    from reports.excel import render_xlsx
    from reports.models import Report, ReportKind
    from reports.pdf import render_pdf
    from reports.scopes import scope_from_key

    kind, scope = ReportKind.PROGRESS, scope_from_key(scope_key)
    limit = settings.REPORTS_PDF_DETAIL_LIMIT if detail_limit is None else detail_limit
    runs = {"snapshot": [], "document": [], "excel": [], "pdf": []}
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            content, _summary = snapshot.collect(
                kind=kind, scope=scope, fiscal_year=fiscal_year, quarter=QUARTER, user=staff
            )
            runs["snapshot"].append(time.perf_counter() - started)
        started = time.perf_counter()
        document = build_document(
            content, as_of=AS_OF.date(), fingerprint="0" * 64, language="th", pdf_detail_limit=limit
        )
        runs["document"].append(time.perf_counter() - started)
        started = time.perf_counter()
        xlsx = render_xlsx(document, created=AS_OF)
        runs["excel"].append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf = render_pdf(document)
        runs["pdf"].append(time.perf_counter() - started)
        print(
            f"FY{fiscal_year} {scope_key}: snapshot {runs['snapshot'][-1]:.1f} s ({len(queries)} queries), document "
            f"{runs['document'][-1]:.1f} s, Excel {runs['excel'][-1]:.1f} s, PDF {runs['pdf'][-1]:.1f} s",
            flush=True,
        )
    result = {
        "label": f"FY{fiscal_year} {scope}" + (f", PDF detail limit {limit:,}" if detail_limit is not None else ""),
        "requests": len(content["requests"]),
        "activities": sum(len(r["activities"]) for r in content["requests"]),
        "queries": len(queries),
        "pdf_detail": len(content["requests"]) <= limit,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "xlsx_size": len(xlsx),
        "pdf_size": len(pdf),
        **{phase: min(times) for phase, times in runs.items()},
        "ask": None,
        "build": None,
    }
    if detail_limit is None:
        # The whole path, as a person asks and the task builds: snapshot → stored → claimed → files → done.
        Report.objects.filter(fiscal_year=fiscal_year, scope_key=scope.key).delete()
        app.conf.task_always_eager = False  # queue the build (nobody consumes it): the timing below runs it
        started = time.perf_counter()
        report, _created = services.request_report(
            kind=kind, scope=scope, fiscal_year=fiscal_year, quarter=QUARTER, by=staff
        )
        result["ask"] = time.perf_counter() - started
        started = time.perf_counter()
        built = services.build_report(report_id=report.pk)
        result["build"] = time.perf_counter() - started
        assert built is not None and built.status == "done", "the build did not finish"
        result["file"] = built.pdf_file.path
    return result


def main():
    from django.utils import translation

    os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="codi-bench-report-"))
    args = common.parse_args(__doc__.splitlines()[0], repeats=1)
    repeats = max(1, min(args.repeats, MAX_REPEATS))
    if args.sqlite:
        print("Skipped: this benchmark runs on PostgreSQL only (its goals are for production's database).")
        return
    url = common.setup(args)
    from django.conf import settings
    from django.db import transaction

    with transaction.atomic():
        staff = build_years(args.scale)
        common.analyze()  # PostgreSQL's ANALYZE sees this transaction's own rows
        machine = common.machine()
        translation.activate("th")
        small = measure(staff, 2568, repeats)
        national = measure(staff, 2569, repeats)
        province = measure(staff, 2569, repeats, scope_key=f"province:{BIG_PROVINCE}")
        detailed = measure(staff, 2568, 1, detail_limit=1000)
        transaction.set_rollback(True)  # the shared database keeps exactly the national data set
    rows = []
    for r in (small, national, province, detailed):
        rows.append(
            [
                r["label"],
                f"{r['requests']:,}",
                f"{r['activities']:,}",
                r["queries"],
                f"{r['snapshot']:.1f}",
                f"{r['document']:.1f}",
                f"{r['excel']:.1f}",
                f"{r['pdf']:.1f}",
                f"{r['pages']:,} ({'each request' if r['pdf_detail'] else 'by province'})",
                f"{r['xlsx_size'] / 1e6:.1f} / {r['pdf_size'] / 1e6:.1f}",
                "" if r["ask"] is None else f"{r['ask']:.1f}",
                "" if r["build"] is None else f"{r['build']:.1f}",
            ]
        )
    goals = [
        f"- Excel under 60 s: **{national['excel']:.1f} s** {'✓' if national['excel'] < 60 else '✗'}",
        f"- PDF under 180 s: **{national['pdf']:.1f} s** {'✓' if national['pdf'] < 180 else '✗'}",
        f"- SQL queries do not grow with the number of tambons: **{small['queries']}** for "
        f"{small['requests']:,} tambons, **{national['queries']}** for {national['requests']:,} "
        f"{'✓' if small['queries'] == national['queries'] else '✗'}",
    ]
    text = "\n".join(
        [
            "# National quarterly progress report (แบบ สงป. 302), quarter 2",
            "",
            f"Database: {url}. {machine}.",
            NOTE.format(repeats=repeats, limit=settings.REPORTS_PDF_DETAIL_LIMIT),
            "",
            common.markdown_table(
                [
                    "report",
                    "requests (tambons)",
                    "activities",
                    "SQL queries",
                    "snapshot s",
                    "document s",
                    "Excel s",
                    "PDF s",
                    "PDF pages",
                    "MB xlsx / pdf",
                    "ask s",
                    "whole build s",
                ],
                rows,
            ),
            "",
            "Goals (national, 7,436 tambons):",
            *goals,
        ]
    )
    common.write_results("national_report", text)
    print(f"National PDF: {national['file']}")


if __name__ == "__main__":
    main()
