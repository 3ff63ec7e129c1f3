"""HTML pages: thin views that read through visible_to querysets and write through the services."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from areas.models import Province, ProvinceGroup
from areas.selectors import tambon_counts
from codi_plans.converters import is_code
from codi_plans.thai_calendar import MAX_BE_YEAR, MIN_BE_YEAR, current_fiscal_year
from indicators import maps as indicator_maps
from indicators import selectors as indicator_selectors
from progress import selectors as progress_selectors
from strategies.selectors import latest_plan, plan_in_force

from . import forms as f
from . import maps as budget_maps
from . import permissions, selectors, services
from .consolidation import consolidate
from .models import (
    REQUEST_WORKFLOW,
    BudgetRequest,
    DevelopmentIssue,
    MonitoringPhase,
    ProvincialDevelopmentPlan,
    RequestStatus,
)

CHART_ROWS = 25
TAMBON_ROWS = 100


def _year(request) -> int:
    """Return the fiscal year the page asks for; anything that is not a B.E. year the data may hold is this year."""
    try:
        year = int(request.GET.get("fiscal_year") or current_fiscal_year())
    except ValueError:
        return current_fiscal_year()
    return year if MIN_BE_YEAR <= year <= MAX_BE_YEAR else current_fiscal_year()


def _years(year: int) -> list[int]:
    """The year selector: every year with requests, this year and the next, and the year asked for."""
    years = selectors.year_choices()
    return years if year in years else sorted([*years, year], reverse=True)


def _code(request, name: str) -> str:
    """Return a code from the query string, or "" when it cannot be one (checked before any lookup)."""
    value = request.GET.get(name) or ""
    return value if is_code(value) else ""


def _fail(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _requests(user):
    return BudgetRequest.objects.visible_to(user).select_related("province", "workstream")


def _request_or_404(user, pk) -> BudgetRequest:
    return get_object_or_404(
        BudgetRequest.objects.visible_to(user)
        .with_pilot_flag()
        .with_overspending_flag()
        .select_related(
            "province__region",
            "province__group",
            "workstream",
            "programme",
            "national_target",
            "primary_target",
            "development_issue__plan",
            "created_by",
        ),
        pk=pk,
    )


# --- Budget requests --------------------------------------------------------------------------------


@login_required
def index(request):
    year = _year(request)
    qs = _requests(request.user).for_year(year).order_by("province__code", "rank", "id")
    status = request.GET.get("status") or ""
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    province = _code(request, "province")
    if province:
        qs = qs.filter(province__code=province)
    return render(
        request,
        "budgets/index.html",
        {
            "requests": qs.with_pilot_flag().with_overspending_flag(),
            "fiscal_year": year,
            "years": _years(year),
            "statuses": RequestStatus.choices,
            "status": status,
            "province": province,
            "provinces": Province.objects.in_scope_of(request.user).order_by("code"),
            "can_create": permissions.can_write_budget_requests(request.user),
        },
    )


def _content_forms(request, *, province, fiscal_year, instance=None):
    projects = selectors.eligible_projects(province=province, fiscal_year=fiscal_year, exclude_request=instance)
    issues = selectors.development_issues_for(province=province, fiscal_year=fiscal_year)
    data = request.POST if request.method == "POST" else None
    initial, indicators, lines = None, [], []
    if instance is not None:
        initial = {name: getattr(instance, name) for name in services.REQUEST_FIELDS}
        initial["projects"] = list(instance.projects.all())
        initial["revision"] = instance.revision
        indicators = [
            {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target_value": i.target_value}
            for i in instance.indicators.all()
        ]
        lines = [
            {"category": e.category, "description": e.description, "amount": e.amount}
            for e in instance.expense_lines.all()
        ]
    else:
        initial = {"host_agency": BudgetRequest._meta.get_field("host_agency").default}
    form = f.BudgetRequestForm(data, initial=initial, projects=projects, issues=issues, fiscal_year=fiscal_year)
    indicator_set = f.RequestIndicatorFormSet(data, initial=indicators, prefix="ind")
    expense_set = f.ExpenseFormSet(data, initial=lines, prefix="exp")
    return form, indicator_set, expense_set


def _save_content(request, form, indicator_set, expense_set, save):
    if not (form.is_valid() and indicator_set.is_valid() and expense_set.is_valid()):
        return None
    try:
        return save(
            form,
            data=form.service_data(),
            projects=list(form.cleaned_data["projects"]),
            indicators=[row.to_input() for row in indicator_set if row.cleaned_data],
            expense_lines=[line for line in (row.to_input() for row in expense_set if row.cleaned_data) if line],
        )
    except ValidationError as exc:
        f.apply_errors(form, exc)
        return None


def _request_form(request, *, province, fiscal_year, save, saved_message, instance=None):
    """Show a request's content form (new or existing) and save it through `save`; on success go to its page."""
    form, indicator_set, expense_set = _content_forms(
        request, province=province, fiscal_year=fiscal_year, instance=instance
    )
    if request.method == "POST":
        saved = _save_content(request, form, indicator_set, expense_set, save)
        if saved:
            messages.success(request, saved_message)
            return redirect("budgets:request", pk=saved.pk)
    context = {
        "form": form,
        "indicator_set": indicator_set,
        "expense_set": expense_set,
        "province": province,
        "fiscal_year": fiscal_year,
    }
    if instance is not None:
        context["object"] = instance
    return render(request, "budgets/request_form.html", context)


@login_required
def request_create(request):
    provinces = Province.objects.in_scope_of(request.user).order_by("code")
    start = f.RequestStartForm(
        request.GET or None,
        provinces=provinces,
        initial={"province": request.user.province, "fiscal_year": current_fiscal_year()},
    )
    if not start.is_valid():
        return render(request, "budgets/request_start.html", {"start": start})
    province, fiscal_year = start.cleaned_data["province"], start.cleaned_data["fiscal_year"]
    if not permissions.can_write_budget_request_for(request.user, province):
        raise PermissionDenied(_("You may not write budget requests for this province."))
    return _request_form(
        request,
        province=province,
        fiscal_year=fiscal_year,
        save=lambda form, **content: services.create_budget_request(
            by=request.user, province=province, fiscal_year=fiscal_year, **content
        ),
        saved_message=_("The draft request is saved."),
    )


@login_required
def request_edit(request, pk):
    obj = _request_or_404(request.user, pk)
    if not permissions.can_edit_budget_request(request.user, obj):
        raise PermissionDenied(_("You may not change this budget request."))
    return _request_form(
        request,
        province=obj.province,
        fiscal_year=obj.fiscal_year,
        instance=obj,
        save=lambda form, **content: services.update_budget_request(
            request=obj, by=request.user, expected_revision=form.cleaned_data.get("revision"), **content
        ),
        saved_message=_("The request is saved."),
    )


@login_required
def request_detail(request, pk):
    obj = _request_or_404(request.user, pk)
    user = request.user
    monitoring = list(obj.monitoring.select_related("recorded_by").order_by("phase", "quarter", "recorded_at"))
    context = {
        "object": obj,
        "projects": obj.projects.select_related("plan__tambon__district", "programme").order_by(
            "plan__tambon__code", "number"
        ),
        "indicators": obj.indicators.all(),
        "expense_lines": obj.expense_lines.all(),
        "transitions": REQUEST_WORKFLOW.history(obj),
        "monitoring": monitoring,
        "ex_ante": [m for m in monitoring if m.phase == MonitoringPhase.EX_ANTE],
        "ongoing": {m.quarter: m for m in monitoring if m.phase == MonitoringPhase.ONGOING},
        "ex_post": next((m for m in monitoring if m.phase == MonitoringPhase.EX_POST), None),
        "spending": selectors.spending_table(obj),
        "quarters": (1, 2, 3, 4),
        "can_edit": permissions.can_edit_budget_request(user, obj),
        "can_prioritise": permissions.can_prioritise_budget_request(user, obj),
        "can_decide": permissions.can_decide_budget_request(user, obj),
        "can_approve": permissions.can_approve_budget_request(user, obj),
        "can_return": permissions.can_return_budget_request(user, obj),
        "own_work_note": permissions.own_work_note(user, obj),
        "can_run": permissions.can_run_budget_request(user, obj),
        "prioritise_form": f.PrioritiseForm(
            initial={
                "rank": obj.rank or selectors.next_rank(obj),
                "priority_note": obj.priority_note,
                "redeployment_note": obj.redeployment_note,
            }
        ),
        "approve_form": f.ApproveForm(initial={"amount": obj.requested_amount}),
        "comment_form": f.CommentForm(),
        "reject_form": f.RejectForm(auto_id="reject_%s"),
        "return_form": f.ReturnForm(auto_id="return_%s"),
    }
    if obj.status == RequestStatus.DRAFT:
        context["ex_ante_preview"] = selectors.ex_ante_findings(obj)
    return render(request, "budgets/request_detail.html", context)


def _may_submit(user, obj) -> bool:
    return permissions.can_write_budget_request_for(user, obj.province)


# Each move: its form, its service, what to tell the user, and who may make it (asked before the form is read,
# so a refused user gets 403 whatever was typed; the service checks again, with the row locked).
MOVES = {
    "submit": (
        f.CommentForm,
        services.submit_budget_request,
        gettext_lazy("The request is submitted to the province."),
        _may_submit,
    ),
    "return": (
        f.ReturnForm,
        services.return_budget_request,
        gettext_lazy("The request is returned to draft."),
        permissions.can_return_budget_request,
    ),
    "prioritise": (
        f.PrioritiseForm,
        services.prioritise_budget_request,
        gettext_lazy("The request is ranked."),
        permissions.can_prioritise_budget_request,
    ),
    "forward": (
        f.CommentForm,
        services.forward_budget_request,
        gettext_lazy("The request is forwarded to CODI."),
        permissions.can_prioritise_budget_request,
    ),
    "approve": (
        f.ApproveForm,
        services.approve_budget_request,
        gettext_lazy("The request is approved."),
        permissions.can_approve_budget_request,
    ),
    "reject": (
        f.RejectForm,
        services.reject_budget_request,
        gettext_lazy("The request is rejected."),
        permissions.can_decide_budget_request,
    ),
    "start": (
        f.CommentForm,
        services.start_execution,
        gettext_lazy("Execution has started."),
        permissions.can_run_budget_request,
    ),
    "close": (
        f.CommentForm,
        services.close_budget_request,
        gettext_lazy("The request is closed."),
        permissions.can_run_budget_request,
    ),
}


# Moves whose refusal says why (no one decides on their own work), before the generic refusal below.
CHECKS = {
    "prioritise": permissions.check_prioritise_budget_request,
    "forward": permissions.check_prioritise_budget_request,
    "approve": permissions.check_approve_budget_request,
}


@login_required
@require_POST
def request_move(request, pk, move):
    if move not in MOVES:
        raise Http404
    obj = _request_or_404(request.user, pk)
    form_class, service, done, allowed = MOVES[move]
    if move in CHECKS:
        CHECKS[move](request.user, obj)
    if not allowed(request.user, obj):
        raise PermissionDenied(_("You may not do this to this budget request."))
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("budgets:request", pk=obj.pk)
    try:
        service(request=obj, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, done)
    return redirect("budgets:request", pk=obj.pk)


@login_required
def spending_plan(request, pk):
    obj = _request_or_404(request.user, pk)
    if not permissions.can_run_budget_request(request.user, obj):
        raise PermissionDenied(_("You may not enter this request's spending plan."))
    activities = list(obj.activities.prefetch_related("plan_lines"))
    by_month = request.GET.get("by") == "month" or (
        "by" not in request.GET and any(li.month for a in activities for li in a.plan_lines.all())
    )
    periods = f.month_periods() if by_month else f.quarter_periods()
    initial = []
    for act in activities:
        row = {"name": act.name, "unit": act.unit, "category": act.category}
        for line in act.plan_lines.all():
            key = f"m{line.month}" if line.month and by_month else f"q{line.quarter}"
            row[f"{key}_qty"] = (Decimal(row.get(f"{key}_qty") or 0) + line.planned_quantity).normalize()
            row[f"{key}_amount"] = Decimal(row.get(f"{key}_amount") or 0) + line.planned_amount
        initial.append(row)
    data = request.POST if request.method == "POST" else None
    formset = f.ActivityFormSet(data, initial=initial, prefix="act", form_kwargs={"periods": periods})
    revision = f.RevisionForm(data, initial={"revision": obj.revision})
    if request.method == "POST" and formset.is_valid() and revision.is_valid():
        try:
            services.save_spending_plan(
                request=obj,
                by=request.user,
                expected_revision=revision.cleaned_data["revision"],
                activities=[row.to_input() for row in formset if row.cleaned_data],
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The spending plan is saved."))
            return redirect("budgets:request", pk=obj.pk)
    return render(
        request,
        "budgets/spending_plan_form.html",
        {"object": obj, "formset": formset, "revision": revision, "periods": periods, "by_month": by_month},
    )


@login_required
def actuals(request, pk, quarter):
    obj = _request_or_404(request.user, pk)
    if quarter not in (1, 2, 3, 4):
        raise Http404
    if not permissions.can_run_budget_request(request.user, obj):
        raise PermissionDenied(_("You may not record this request's actuals."))
    table = selectors.spending_table(obj)
    initial = []
    for row in table["rows"]:
        q = row["quarter_row"] = row["quarters"][quarter - 1]
        row["cum_before"] = q["cum_actual"] - q["actual"]
        initial.append(
            {
                "activity": row["activity"].number,
                "quantity": q["actual_qty"] if q["recorded"] else "",
                "amount": q["actual"] if q["recorded"] else "",
                "explanation": "\n".join(q["explanations"]),
            }
        )
    data = request.POST if request.method == "POST" else None
    formset = f.ActualFormSet(data, initial=initial, prefix="act")
    revision = f.RevisionForm(data, initial={"revision": obj.revision})
    if request.method == "POST" and formset.is_valid() and revision.is_valid():
        rows = [
            services.ActualInput(
                r.cleaned_data["activity"],
                r.cleaned_data.get("quantity") or "0",
                r.cleaned_data.get("amount") or "0",
                explanation=r.cleaned_data.get("explanation", ""),
            )
            for r in formset
            if r.cleaned_data.get("quantity") or r.cleaned_data.get("amount")
        ]
        try:
            services.record_actuals(
                request=obj,
                by=request.user,
                expected_revision=revision.cleaned_data["revision"],
                quarter=quarter,
                rows=rows,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The actuals of quarter %(q)s are recorded.") % {"q": quarter})
            return redirect("budgets:request", pk=obj.pk)
    return render(
        request,
        "budgets/actuals_form.html",
        {
            "object": obj,
            "quarter": quarter,
            "rows": list(zip(table["rows"], formset, strict=True)),
            "formset": formset,
            "revision": revision,
        },
    )


@login_required
def monitoring(request, pk, quarter):
    obj = _request_or_404(request.user, pk)
    if quarter not in (1, 2, 3, 4):
        raise Http404
    if not permissions.can_run_budget_request(request.user, obj):
        raise PermissionDenied(_("You may not report on this request."))
    existing = obj.monitoring.filter(phase=MonitoringPhase.ONGOING, quarter=quarter).first()
    initial = {k: getattr(existing, k) for k in ("progress", "problems", "obstacles", "remedies")} if existing else None
    form = f.MonitoringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_quarterly_monitoring(request=obj, by=request.user, quarter=quarter, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("The report of quarter %(q)s is saved.") % {"q": quarter})
            return redirect("budgets:request", pk=obj.pk)
    summary = selectors.spending_summary(obj, through_quarter=quarter)
    return render(
        request, "budgets/monitoring_form.html", {"object": obj, "quarter": quarter, "form": form, "summary": summary}
    )


@login_required
def evaluation(request, pk):
    obj = _request_or_404(request.user, pk)
    if not permissions.can_run_budget_request(request.user, obj):
        raise PermissionDenied(_("You may not evaluate this request."))
    existing = obj.monitoring.filter(phase=MonitoringPhase.EX_POST).first()
    initial = {k: getattr(existing, k) for k in ("progress", "problems", "obstacles", "remedies")} if existing else None
    form = f.EvaluationForm(request.POST or None, initial=initial, indicators=list(obj.indicators.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_ex_post_evaluation(
                request=obj,
                by=request.user,
                achievements=form.achievements(),
                **{k: form.cleaned_data[k] for k in ("progress", "problems", "obstacles", "remedies")},
            )
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("The ex-post evaluation is saved."))
            return redirect("budgets:request", pk=obj.pk)
    return render(request, "budgets/evaluation_form.html", {"object": obj, "form": form})


# --- Consolidation ------------------------------------------------------------------------------------


def _bars(rows):
    """Scale each row's requested, approved, spent and ceiling to a percentage of the largest figure."""
    top = max(
        [max(r.requested, r.approved, r.spent, r.ceiling or 0) for r in rows] + [Decimal(0)],
    )
    if not top:
        return []

    def pct(value):
        return float(round((value or 0) * 100 / top, 2))

    return [
        {
            "row": r,
            "requested": pct(r.requested),
            "approved": pct(r.approved),
            "spent": pct(r.spent),
            "ceiling": pct(r.ceiling) if r.ceiling is not None else None,
        }
        for r in rows
    ]


@login_required
def consolidation(request):
    year = _year(request)
    province = _code(request, "province") or None
    result = consolidate(user=request.user, fiscal_year=year, province_code=province)
    dimensions = []
    for dim in result["dimensions"]:
        rows = dim.rows
        truncated = False
        if dim.key == "tambon" and len(rows) > TAMBON_ROWS:
            rows = sorted(rows, key=lambda r: -r.requested)[:TAMBON_ROWS]
            truncated = True
        chart_rows = sorted(rows, key=lambda r: -max(r.requested, r.ceiling or 0))[:CHART_ROWS]
        dimensions.append({"dim": dim, "rows": rows, "truncated": truncated, "bars": _bars(chart_rows)})
    return render(
        request,
        "budgets/consolidation.html",
        {
            "result": result,
            "totals": result["totals"],
            "dimensions": dimensions,
            "fiscal_year": year,
            "years": _years(year),
            "province": province or "",
            "provinces": Province.objects.in_scope_of(request.user).order_by("code"),
            "tambon_limit": TAMBON_ROWS,
            "map": budget_maps.budget_map(user=request.user, fiscal_year=year, map_id="consolidation-map"),
        },
    )


# --- Ceilings -------------------------------------------------------------------------------------------


@login_required
def ceilings(request):
    year = _year(request)
    provinces = Province.objects.order_by("code")
    form = f.CeilingForm(request.POST or None, provinces=provinces)
    if request.method == "POST":
        if not permissions.can_set_ceiling(request.user):
            raise PermissionDenied(_("Only CODI central staff set ceilings."))
        if form.is_valid():
            try:
                services.set_ceiling(by=request.user, fiscal_year=year, **form.cleaned_data)
            except ValidationError as exc:
                f.apply_errors(form, exc)
            else:
                messages.success(request, _("The ceiling is saved."))
                return redirect(f"{reverse('budgets:ceilings')}?fiscal_year={year}")
    rows = selectors.ceilings_with_headroom(user=request.user, fiscal_year=year)
    return render(
        request,
        "budgets/ceilings.html",
        {
            "rows": rows,
            "form": form,
            "fiscal_year": year,
            "years": _years(year),
            "can_set": permissions.can_set_ceiling(request.user),
        },
    )


# --- Provincial development plans ----------------------------------------------------------------------


def _plan_or_404(user, pk) -> ProvincialDevelopmentPlan:
    return get_object_or_404(
        ProvincialDevelopmentPlan.objects.visible_to(user).select_related("province", "province_group"), pk=pk
    )


@login_required
def plan_list(request):
    plans = (
        ProvincialDevelopmentPlan.objects.visible_to(request.user)
        .select_related("province__region", "province_group__region")
        .order_by("province_group__number", "province__code", "-period_start_be")
    )
    q = _code(request, "province")
    if q:
        plans = plans.filter(Q(province__code=q) | Q(province_group__provinces__code=q))
    own = request.user.province
    may_create = own is not None and permissions.can_create_development_plan_for(request.user, province=own)
    return render(
        request,
        "budgets/plan_list.html",
        {
            "plans": plans,
            "province": q,
            "provinces": Province.objects.order_by("code"),
            "new_plan_province": own if may_create else None,
        },
    )


@login_required
def plan_detail(request, pk):
    plan = _plan_or_404(request.user, pk)
    issues = plan.issues.prefetch_related("indicators", "aligns_to").select_related("group_issue__plan")
    return render(
        request,
        "budgets/plan_detail.html",
        {
            "plan": plan,
            "target_indicators": plan.indicators.filter(issue__isnull=True),
            "issues": issues,
            "can_edit": permissions.can_edit_development_plan(request.user, plan),
        },
    )


def _indicator_inputs(formset):
    return [row.to_input() for row in formset if row.cleaned_data]


@login_required
def plan_create(request):
    province = Province.objects.filter(code=_code(request, "province")).first()
    group = None
    if province is None and _code(request, "group").isdecimal():
        group = ProvinceGroup.objects.filter(number=int(_code(request, "group"))).first()
    if province is None and group is None:
        province = request.user.province
    if province is None and group is None:
        raise Http404
    if not permissions.can_create_development_plan_for(request.user, province=province, province_group=group):
        raise PermissionDenied(_("You may not write a development plan for this area."))
    area = province or group
    form = f.DevelopmentPlanForm(
        request.POST or None,
        initial={
            "name": _("Development plan of %(area)s") % {"area": area},
            "period_start_be": 2566,
            "period_end_be": 2570,
        },
    )
    indicator_set = f.IndicatorFormSet(request.POST or None, prefix="ind")
    saved = _save_plan_form(
        request,
        form,
        indicator_set,
        lambda **fields: services.create_development_plan(
            by=request.user, province=province, province_group=group, **fields
        ),
    )
    if saved:
        return redirect("budgets:plan", pk=saved.pk)
    return render(request, "budgets/plan_form.html", {"form": form, "indicator_set": indicator_set, "area": area})


def _save_plan_form(request, form, indicator_set, save):
    """Save a development plan's form through `save` (its fields and indicators); return the plan, or None."""
    if not (request.method == "POST" and form.is_valid() and indicator_set.is_valid()):
        return None
    fields = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
    try:
        plan = save(indicators=_indicator_inputs(indicator_set), **fields)
    except ValidationError as exc:
        f.apply_errors(form, exc)
        return None
    messages.success(request, _("The development plan is saved."))
    return plan


@login_required
def plan_edit(request, pk):
    plan = _plan_or_404(request.user, pk)
    if not permissions.can_edit_development_plan(request.user, plan):
        raise PermissionDenied(_("You may not change this development plan."))
    initial = {name: getattr(plan, name) for name in services.DEVELOPMENT_PLAN_FIELDS} | {"revision": plan.revision}
    indicators = [
        {
            "name": i.name,
            "unit": i.unit,
            "baseline": i.baseline,
            "target_value": i.target_value,
            "target_year_be": i.target_year_be,
        }
        for i in plan.indicators.filter(issue__isnull=True)
    ]
    form = f.DevelopmentPlanForm(request.POST or None, initial=initial)
    indicator_set = f.IndicatorFormSet(request.POST or None, initial=indicators, prefix="ind")
    saved = _save_plan_form(
        request,
        form,
        indicator_set,
        lambda **fields: services.update_development_plan(
            plan=plan, by=request.user, expected_revision=form.cleaned_data["revision"], **fields
        ),
    )
    if saved:
        return redirect("budgets:plan", pk=saved.pk)
    return render(
        request,
        "budgets/plan_form.html",
        {"form": form, "indicator_set": indicator_set, "area": plan.area, "plan": plan},
    )


@login_required
def issue_edit(request, pk, issue_pk=None):
    plan = _plan_or_404(request.user, pk)
    if not permissions.can_edit_development_plan(request.user, plan):
        raise PermissionDenied(_("You may not change this development plan."))
    issue = get_object_or_404(plan.issues, pk=issue_pk) if issue_pk else None
    group_issues = DevelopmentIssue.objects.none()
    if plan.province_id and plan.province.group_id:
        group_issues = DevelopmentIssue.objects.filter(plan__province_group_id=plan.province.group_id).select_related(
            "plan"
        )
    initial = {"revision": plan.revision}
    indicators = []
    if issue is not None:
        initial |= {
            "number": issue.number,
            "title": issue.title,
            "objectives": issue.objectives,
            "targets": issue.targets,
            "strategies": issue.strategies,
            "group_issue": issue.group_issue,
            "aligns_to": list(issue.aligns_to.all()),
        }
        indicators = [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline,
                "target_value": i.target_value,
                "target_year_be": i.target_year_be,
            }
            for i in issue.indicators.all()
        ]
    form = f.DevelopmentIssueForm(request.POST or None, initial=initial, group_issues=group_issues)
    indicator_set = f.IndicatorFormSet(request.POST or None, initial=indicators, prefix="ind")
    if request.method == "POST" and form.is_valid() and indicator_set.is_valid():
        data = {k: form.cleaned_data[k] for k in ("number", "title", "objectives", "targets", "strategies")}
        data["group_issue"] = form.cleaned_data["group_issue"]
        try:
            services.save_development_issue(
                plan=plan,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                data=data,
                indicators=_indicator_inputs(indicator_set),
                aligns_to=list(form.cleaned_data["aligns_to"]),
                issue=issue,
            )
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("The development issue is saved."))
            return redirect("budgets:plan", pk=plan.pk)
    return render(
        request,
        "budgets/issue_form.html",
        {"form": form, "indicator_set": indicator_set, "plan": plan, "issue": issue},
    )


# --- The map of Thailand ----------------------------------------------------------------------------------


@login_required
def national_map(request):
    """A map of the 77 provinces shaded by the figure the person chooses: a headline indicator's progress, the
    approved budget per tambon, or the reporting rate, for a fiscal year (and quarter). Everyone who reads the
    indicator dashboard reads it; budget figures stop at the person's area, like the consolidation."""
    years = sorted(
        set(indicator_selectors.year_choices())
        | set(selectors.year_choices())
        | set(progress_selectors.report_years()),
        reverse=True,
    )
    try:
        asked_year = int(request.GET.get("fiscal_year") or 0)
    except ValueError:
        asked_year = 0
    fiscal_year = asked_year if asked_year in years else current_fiscal_year()
    root = plan_in_force(fiscal_year) or latest_plan(fiscal_year)
    indicators = indicator_selectors.headline_indicators(root, request.user) if root else []
    form = f.MapForm(request.GET, years=years, indicators=indicators)
    form.is_valid()  # a wrong value is reported beside the form and its default is shown instead
    chosen = form.cleaned_data
    figure = chosen.get("figure") or f.MapForm.PROGRESS
    quarter = chosen.get("quarter")
    if not quarter:
        quarter = indicator_selectors.default_period()[1] if fiscal_year == current_fiscal_year() else 4
    indicator = next(
        (i for i in indicators if i.code == chosen.get("indicator")), indicators[0] if indicators else None
    )

    names, outside = budget_maps.provinces_for(request.user)
    if figure == f.MapForm.PROGRESS:
        shown = indicator_maps.progress_map(indicator, fiscal_year, quarter) if indicator else None
    elif figure == f.MapForm.PROJECTS:
        shown = budget_maps.project_progress_map(
            user=request.user, fiscal_year=fiscal_year, names=names, outside=outside
        )
    elif figure == f.MapForm.BUDGET:
        shown = budget_maps.budget_map(
            user=request.user, fiscal_year=fiscal_year, tambons=tambon_counts(), outside=outside, names=names
        )
    else:
        shown = indicator_maps.reporting_map(fiscal_year, quarter, tambon_counts(), names=names)
    return render(
        request,
        "budgets/map.html",
        {
            "form": form,
            "map": shown,
            "figure": figure,
            "figures": f.MapForm.FIGURES,
            "fiscal_year": fiscal_year,
            "years": years,
            "quarter": quarter,
            "quarters": f.MapForm.QUARTERS,
            "indicator": indicator,
            "indicators": indicators,
            "root": root,
            "wrong": [error for errors in form.errors.values() for error in errors],
        },
    )
