"""Pages for people: the dashboard with its drill-downs, results entry, the approval queue and bulk upload."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.four_eyes import APPROVE_RESULT, MESSAGES
from areas.models import Province, Subdistrict
from codi_plans.concurrency import EditConflict
from codi_plans.converters import IdConverter, is_code
from codi_plans.thai_calendar import current_fiscal_year
from codi_plans.uploads import evidence_response
from strategies.models import PlanNode
from strategies.selectors import codi_plans, latest_plan, plan_in_force

from . import permissions, selectors, services
from .charts import figure_bars, progress_bars
from .excel import COLUMNS, template_workbook
from .filters import ResultFilter
from .forms import (
    QUARTER_CHOICES,
    ChangeApprovedForm,
    ReasonForm,
    ResultEditForm,
    ResultEntryForm,
    TargetForm,
    UploadForm,
    fiscal_year_choices,
)
from .maps import progress_map
from .models import AREA_LEVELS, RESULT_WORKFLOW, AreaLevel, Indicator, Result, ResultStatus, Target, get_area

ROOT_PLAN = "CODI-AP"


def _period(request) -> tuple[int, int]:
    """Read the fiscal year and quarter selectors (B.E.); default to this year at its latest quarter with results."""
    fy, q = request.GET.get("fy"), request.GET.get("q")
    default_year, default_quarter = selectors.default_period() if not (fy and q) else (None, None)
    try:
        fiscal_year = int(fy or default_year)
    except ValueError:
        fiscal_year = default_year or current_fiscal_year()
    if fy and not q:
        # Another year than this one opens at its end; this year at its latest quarter with results.
        default_quarter = selectors.default_period()[1] if fiscal_year == current_fiscal_year() else 4
    try:
        quarter = int(q or default_quarter)
    except ValueError:
        quarter = 4
    if not 2500 <= fiscal_year <= 2700 or quarter not in (1, 2, 3, 4):
        raise Http404
    return fiscal_year, quarter


def _period_context(fiscal_year: int, quarter: int) -> dict:
    years = [y for y, _label in fiscal_year_choices()]
    return {
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "year_choices": years if fiscal_year in years else sorted([*years, fiscal_year], reverse=True),
        "quarter_choices": QUARTER_CHOICES,
        "no_target_text": selectors.no_target_text(fiscal_year),
    }


def _root_plan(request, fiscal_year: int):
    """Return the CODI plan the dashboard reads for the year and whether it is in force then.

    The plan in force; in a year no published plan covers, the last plan before it, for reference only.
    """
    plan = plan_in_force(fiscal_year)
    if plan is not None:
        return plan, True
    plan = latest_plan(fiscal_year) or codi_plans().filter(is_draft=False).last()
    if plan is None:
        plan = get_object_or_404(PlanNode.objects.visible_to(request.user), code=ROOT_PLAN)
    return plan, False


def _parse_area(key: str | None):
    """Turn 'province:50' into (level, area); '' or 'country' is the whole country. Unknown → 404."""
    if not key or key == "country":
        return AreaLevel.COUNTRY, None
    level, _sep, code = key.partition(":")
    if level not in AreaLevel.values or not code:
        raise Http404
    try:
        return level, get_area(level, code)
    except ValidationError:
        raise Http404 from None


def _area_chain(level: str, area) -> list[selectors.AreaRef]:
    """Return the areas from the country down to this one, for breadcrumbs."""
    chain = [selectors.COUNTRY]
    if area is None:
        return chain
    province = None
    if level == AreaLevel.REGION:
        return chain + [selectors.area_ref(level, area)]
    if level == AreaLevel.PROVINCE_GROUP:
        return chain + [selectors.area_ref(AreaLevel.REGION, area.region), selectors.area_ref(level, area)]
    if level == AreaLevel.PROVINCE:
        province = area
    elif level in (AreaLevel.DISTRICT, AreaLevel.TAMBON):
        province = area.province
    if province.region_id:
        chain.append(selectors.area_ref(AreaLevel.REGION, province.region))
    if province.group_id:
        chain.append(selectors.area_ref(AreaLevel.PROVINCE_GROUP, province.group))
    chain.append(selectors.area_ref(AreaLevel.PROVINCE, province))
    if level == AreaLevel.TAMBON:
        chain.append(selectors.area_ref(AreaLevel.DISTRICT, area.district))
    if level in (AreaLevel.DISTRICT, AreaLevel.TAMBON):
        chain.append(selectors.area_ref(level, area))
    return chain


def _indicator_url(indicator, fiscal_year, quarter, area_key="") -> str:
    params = {"fy": fiscal_year, "q": quarter}
    if area_key:
        params["area"] = area_key
    return reverse("indicators:indicator", args=[indicator.code]) + "?" + urlencode(params)


def _results_url(indicator, fiscal_year, area_ref) -> str:
    params = {"indicator": indicator.code, "status": ResultStatus.APPROVED}
    if not indicator.cumulative:
        params["fiscal_year"] = fiscal_year
    if area_ref.level != AreaLevel.COUNTRY:
        params[area_ref.level] = area_ref.code
    return reverse("indicators:results") + "?" + urlencode(params)


def _actions(user) -> dict:
    """Which result actions the pages offer the user: only those the user may take."""
    return {
        "can_report": permissions.can_report_results(user),
        "can_review": permissions.can_review_results(user),
    }


def _require_reporter(user) -> None:
    if not permissions.can_report_results(user):
        raise PermissionDenied(_("Your role reads results; it does not report them."))


# Dashboard and drill-downs ------------------------------------------------------------------------


@login_required
def dashboard(request):
    fiscal_year, quarter = _period(request)
    root, in_force = _root_plan(request, fiscal_year)
    progress = selectors.plan_progress(root, fiscal_year, quarter)
    groups = []
    for part in progress.children:
        groups.append(
            {
                "part": part,
                "bars": progress_bars(
                    part.items,
                    label=lambda item: item[0].name,
                    url=lambda item: _indicator_url(item[0], fiscal_year, quarter),
                    caption=lambda item: item[0].unit,
                ),
            }
        )
    indicators = [i for i, _figure in progress.items]
    chosen = None
    code = request.GET.get("indicator")
    if code:
        chosen = next((i for i in indicators if i.code == code), None)
    chosen = chosen or next((i for i in indicators if i.is_numeric), None)
    regions = province_map = None
    if chosen is not None:
        province_map = progress_map(chosen, fiscal_year, quarter, map_id="dashboard-map")
        regions = selectors.drilldown(chosen, fiscal_year, quarter)
        regions.bars = figure_bars(
            [(row.area, row) for row in regions.rows],
            label=lambda item: item[0].name,
            url=lambda item: _indicator_url(chosen, fiscal_year, quarter, item[0].key) if item[0].key else None,
            caption=lambda item: chosen.unit,
        )
    return render(
        request,
        "indicators/dashboard.html",
        {
            **_period_context(fiscal_year, quarter),
            "root": root,
            "in_force": in_force,
            "progress": progress,
            "groups": groups,
            "indicators": indicators,
            "chosen": chosen,
            "regions": regions,
            "province_map": province_map,
            "bands": selectors.band_thresholds(),
            "keep": [("indicator", chosen.code)] if chosen else [],
            **_actions(request.user),
        },
    )


@login_required
def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user).with_chain(), code=code)
    fiscal_year, quarter = _period(request)
    level, area = _parse_area(request.GET.get("area"))
    if AREA_LEVELS.index(level) > AREA_LEVELS.index(indicator.reporting_level):
        raise Http404
    data = selectors.drilldown(indicator, fiscal_year, quarter, level=level, area=area)
    rows = []
    for row in data.rows:
        if row.children_level:
            link = _indicator_url(indicator, fiscal_year, quarter, row.area.key)
        elif row.area.id is not None:
            link = _results_url(indicator, fiscal_year, row.area)
        else:
            link = None
        rows.append((row, link))
    bars = figure_bars(
        [(row.area, row) for row in data.rows],
        label=lambda item: item[0].name,
        url=lambda item: dict((r.area.key, link) for r, link in rows).get(item[0].key),
        caption=lambda item: indicator.unit,
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            **_period_context(fiscal_year, quarter),
            "indicator": indicator,
            "data": data,
            "rows": rows,
            "bars": bars if len(data.rows) <= 100 else None,
            "chain": _area_chain(level, area),
            "keep": [("area", request.GET["area"])] if request.GET.get("area") else [],
            "total_results_url": _results_url(indicator, fiscal_year, data.total.area),
            "targets": Target.objects.filter(indicator=indicator).count(),
        },
    )


@login_required
def plan_detail(request, code):
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    fiscal_year, quarter = _period(request)
    progress = selectors.plan_progress(node, fiscal_year, quarter)
    bars = progress_bars(
        progress.items,
        label=lambda item: item[0].name,
        url=lambda item: _indicator_url(item[0], fiscal_year, quarter),
        caption=lambda item: item[0].unit,
    )
    return render(
        request,
        "indicators/plan_detail.html",
        {**_period_context(fiscal_year, quarter), "node": node, "progress": progress, "bars": bars},
    )


# Results ------------------------------------------------------------------------------------------


@login_required
def results_list(request):
    queryset = Result.objects.visible_to(request.user).for_api().order_by("-updated_at", "-id")
    filterset = ResultFilter(request.GET or None, queryset=queryset, request=request)
    try:
        results = filterset.qs if filterset.is_bound else queryset
        if filterset.is_bound and not filterset.is_valid():
            results = queryset.none()
        page = Paginator(results, 50).get_page(request.GET.get("page"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        page = Paginator(queryset.none(), 50).get_page(1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/results_list.html",
        {
            "page": page,
            "filter": filterset,
            "query": query.urlencode(),
            "indicators": Indicator.objects.active(),
            "statuses": ResultStatus.choices,
            **_actions(request.user),
        },
    )


def _area_choices(user, indicator) -> list | None:
    """Offer the areas the user reports for, when they are few enough for a list."""
    level = indicator.reporting_level
    if level == AreaLevel.TAMBON:
        qs = Subdistrict.objects.in_scope_of(user).select_related("district")
    elif level == AreaLevel.PROVINCE:
        qs = Province.objects.in_scope_of(user)
    else:
        return None
    if user.is_national or qs.count() > 400:
        return None
    labels = {
        AreaLevel.TAMBON: lambda t: f"{t.code} {t.name} ({t.district.name})",
        AreaLevel.PROVINCE: lambda p: f"{p.code} {p.name}",
    }[level]
    return [(a.code, labels(a)) for a in qs.order_by("code")]


@login_required
def result_new(request):
    _require_reporter(request.user)
    indicators = Indicator.objects.active().with_chain()
    code = request.GET.get("indicator") or request.POST.get("indicator")
    if not code:
        return render(request, "indicators/result_choose.html", {"indicators": indicators})
    if not is_code(code):
        raise Http404
    indicator = get_object_or_404(indicators, code=code)
    choices = _area_choices(request.user, indicator)
    # "Report results" on a person's home names the tambon and the quarter it was for; the form starts there.
    initial = {name: request.GET[name] for name in ("area", "quarter") if request.GET.get(name)}
    form = ResultEntryForm(
        request.POST or None, request.FILES or None, area_choices=choices, indicator=indicator, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = get_area(indicator.reporting_level, data["area"])
            result = services.create_result(
                indicator=indicator,
                level=indicator.reporting_level,
                area=area,
                fiscal_year=data["fiscal_year"],
                quarter=data["quarter"],
                value=data.get("value"),
                note=data["note"],
                evidence=data.get("evidence"),
                submit=request.POST.get("action") == "submit",
                by=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(
                request, _("Result submitted for review.") if result.status == "submitted" else _("Draft saved.")
            )
            return redirect("indicators:result", pk=result.pk)
    return render(request, "indicators/result_form.html", {"form": form, "indicator": indicator})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _visible_result(request, pk):
    return get_object_or_404(Result.objects.visible_to(request.user).for_api(), pk=pk)


@login_required
def result_detail(request, pk):
    result = _visible_result(request, pk)
    user = request.user
    can_review = permissions.can_review_result(user, result)
    history = result.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    return render(
        request,
        "indicators/result_detail.html",
        {
            "result": result,
            "history": history,
            "moves": RESULT_WORKFLOW.history(result),
            "can_edit": permissions.can_edit_result(user, result),
            "can_review": can_review and result.status == ResultStatus.SUBMITTED,
            "can_approve": permissions.can_approve_result(user, result) and result.status == ResultStatus.SUBMITTED,
            "can_correct": permissions.can_approve_result(user, result) and result.status == ResultStatus.APPROVED,
            "can_withdraw": can_review and result.status == ResultStatus.APPROVED,
            "own_work_note": permissions.own_work_note(user, result)
            if result.status in (ResultStatus.SUBMITTED, ResultStatus.APPROVED)
            else None,
            "reason_form": ReasonForm(initial={"revision": result.revision}),
            "change_form": ChangeApprovedForm(
                initial={"revision": result.revision, "value": result.value, "note": result.note}
            ),
        },
    )


@login_required
def result_edit(request, pk):
    result = _visible_result(request, pk)
    if not permissions.can_edit_result(request.user, result):
        raise PermissionDenied
    initial = {"revision": result.revision, "value": result.value, "note": result.note}
    form = ResultEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = {"note": data["note"], "remove_evidence": data["remove_evidence"]}
            if result.indicator.is_numeric:
                changes["value"] = data["value"]
            if data.get("evidence"):
                changes["evidence"] = data["evidence"]
            result = services.update_result(
                result=result, by=request.user, expected_revision=data["revision"], **changes
            )
            if request.POST.get("action") == "submit":
                services.submit_result(result=result, by=request.user, expected_revision=result.revision)
        except EditConflict as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Result saved."))
            return redirect("indicators:result", pk=result.pk)
    return render(request, "indicators/result_edit.html", {"form": form, "result": result})


# Each move and who may make it, asked before the form is read (a refused user gets 403 whatever was typed).
MOVES = {
    "submit": lambda user, result: permissions.can_report_result(user, result.level, result.area),
    "approve": permissions.can_approve_result,
    "return": permissions.can_review_result,
    "withdraw": permissions.can_review_result,
    "change": permissions.can_approve_result,
}
# Moves whose refusal says why (no one approves their own result), before the generic refusal.
CHECKS = {"approve": permissions.check_approve_result, "change": permissions.check_approve_result}


@login_required
@require_POST
def result_move(request, pk, move):
    if move not in MOVES:
        raise Http404
    result = _visible_result(request, pk)
    if move in CHECKS:
        CHECKS[move](request.user, result)
    if not MOVES[move](request.user, result):
        raise PermissionDenied(_("You may not do this to this result."))
    post = request.POST
    revision = post.get("revision") or None
    try:
        if move == "submit":
            services.submit_result(result=result, by=request.user, expected_revision=revision)
            messages.success(request, _("Result submitted for review."))
        elif move == "approve":
            services.approve_result(result=result, by=request.user, expected_revision=revision)
            messages.success(request, _("Result approved: it now counts in the official figures."))
        elif move == "return":
            services.return_result(
                result=result, by=request.user, reason=post.get("reason", ""), expected_revision=revision
            )
            messages.success(request, _("Result returned for correction."))
        elif move == "withdraw":
            services.withdraw_result(
                result=result, by=request.user, reason=post.get("reason", ""), expected_revision=revision
            )
            messages.success(request, _("Result withdrawn from the official figures."))
        else:
            changes = {"note": post.get("note", "")}
            if result.indicator.is_numeric:
                changes["value"] = post.get("value")
            services.change_approved_result(
                result=result, by=request.user, expected_revision=revision, reason=post.get("reason", ""), **changes
            )
            messages.success(request, _("Approved result corrected."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if post.get("next") == "queue":
        return redirect("indicators:queue")
    return redirect("indicators:result", pk=result.pk)


@login_required
def evidence(request, pk):
    result = _visible_result(request, pk)
    if not result.evidence:
        raise Http404
    return evidence_response(result.evidence)


# Review -------------------------------------------------------------------------------------------


def _require_reviewer(user) -> None:
    if not permissions.can_review_results(user):
        raise PermissionDenied(_("The approval queue is for coordinators, regional staff and CODI staff."))


@login_required
def queue(request):
    user = request.user
    _require_reviewer(user)
    pending = (
        Result.objects.visible_to(user)
        .awaiting_review()
        .filter(Result.objects.in_area_q(user))
        .for_api()
        .order_by("submitted_at", "id")
    )
    pending = [r for r in pending[:500] if permissions.can_review_result(user, r)]
    for result in pending:
        result.own_work = not permissions.can_approve_result(user, result)
    return render(
        request,
        "indicators/queue.html",
        {
            "pending": pending,
            "reason_form": ReasonForm(),
            "own_work_in_queue": any(r.own_work for r in pending),
            "own_work_note": MESSAGES[APPROVE_RESULT],
        },
    )


@login_required
@require_POST
def queue_approve(request):
    _require_reviewer(request.user)
    # An id is at most 18 digits: anything longer cannot be a row and must not reach the database.
    ids = [int(i) for i in request.POST.getlist("result") if i.isascii() and i.isdigit() and len(i) <= 18]
    approved, failed = 0, []
    for result in Result.objects.visible_to(request.user).filter(pk__in=ids):
        try:
            services.approve_result(result=result, by=request.user)
            approved += 1
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"{result}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
    if approved:
        messages.success(request, _("%(n)s results approved.") % {"n": approved})
    for message in failed:
        messages.error(request, message)
    return redirect("indicators:queue")


# Bulk upload --------------------------------------------------------------------------------------


@login_required
def upload(request):
    _require_reporter(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        save = request.POST.get("action") == "save"
        try:
            report = services.import_results(
                upload=form.cleaned_data["file"],
                by=request.user,
                dry_run=not save,
                submit=form.cleaned_data["submit_for_review"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    _("Saved %(created)s new and %(updated)s changed results.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("indicators:results")
    return render(
        request,
        "indicators/upload.html",
        {"form": form, "report": report, "columns": COLUMNS, "indicators": Indicator.objects.active()},
    )


@login_required
def upload_template(request):
    code = request.GET.get("indicator", "")
    if not is_code(code):
        raise Http404
    indicator = get_object_or_404(Indicator.objects.active(), code=code)
    fiscal_year, quarter = _period(request)
    level = indicator.reporting_level
    if level == AreaLevel.TAMBON:
        areas = Subdistrict.objects.in_scope_of(request.user).order_by("code")
    elif level == AreaLevel.PROVINCE:
        areas = Province.objects.in_scope_of(request.user).order_by("code")
    else:
        areas = []
    content = template_workbook([(a.code, a.name_th) for a in areas], [indicator.code], fiscal_year, quarter)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="results-{indicator.code}-{fiscal_year}-Q{quarter}.xlsx"'
    return response


# Targets ------------------------------------------------------------------------------------------


@login_required
def targets(request, code):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), code=code)
    rows = (
        Target.objects.visible_to(request.user)
        .filter(indicator=indicator)
        .select_related("region", "province_group", "province", "district", "tambon", "updated_by")
        .order_by("fiscal_year", "quarter", "level", "id")
    )
    editing = None
    if request.GET.get("edit"):
        if not re.fullmatch(IdConverter.regex, request.GET["edit"]):
            raise Http404
        editing = get_object_or_404(rows, pk=int(request.GET["edit"]))
    initial = {}
    if editing is not None:
        initial = {
            "area_level": editing.level,
            "area_code": editing.area_code,
            "fiscal_year": editing.fiscal_year,
            "quarter": editing.quarter,
            "value": editing.value,
            "note": editing.note,
            "revision": editing.revision,
        }
    form = TargetForm(request.POST or None, initial=initial)
    can_set = permissions.can_set_targets(request.user)
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                area = get_area(data["area_level"], data["area_code"])
                services.set_target(
                    indicator=indicator,
                    level=data["area_level"],
                    area=area,
                    fiscal_year=data["fiscal_year"],
                    quarter=data["quarter"],
                    value=data["value"],
                    note=data["note"],
                    reason=data["reason"],
                    expected_revision=data["revision"],
                    by=request.user,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Target saved."))
                return redirect("indicators:targets", code=indicator.code)
    return render(
        request,
        "indicators/targets.html",
        {"indicator": indicator, "rows": rows, "form": form, "can_set": can_set, "editing": editing},
    )
