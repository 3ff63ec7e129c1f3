"""Pages for project progress: the rep's quarter page, the report form, the review queue, a report's detail with
its history, a project's progress over the quarters, evidence downloads and the Excel template and upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi_plans.concurrency import EditConflict
from codi_plans.uploads import evidence_response
from workstreams.models import CONSOLIDATED_STATUSES, Project

from . import excel, permissions, selectors, services
from .forms import AmendForm, ProgressForm, ReasonForm, UploadForm, initial_for
from .models import ProgressEvidence, ProgressStatus, ProjectProgress

PAGE_SIZE = 50


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _chosen_period(request) -> tuple[int, int, list]:
    """The quarter the page shows: one of the reportable quarters (running one by default)."""
    choices = selectors.reportable_quarters()
    fiscal_year, quarter = choices[0]
    wanted = (request.GET.get("fy", ""), request.GET.get("q", ""))
    for fy, q in choices:
        if wanted == (str(fy), str(q)):
            fiscal_year, quarter = fy, q
    return fiscal_year, quarter, choices


@login_required
def home(request):
    """The rep's (or coordinator's) projects due this quarter, each with its report's status."""
    user = request.user
    if not (permissions.can_report_progress(user) or permissions.can_review_progress(user)):
        raise PermissionDenied(_("Project progress is reported by community representatives and coordinators."))
    fiscal_year, quarter, choices = _chosen_period(request)
    projects = selectors.reportable_projects(user).filter(
        plan__period_start_be__lte=fiscal_year, plan__period_end_be__gte=fiscal_year
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    reports = {
        r.project_id: r
        for r in ProjectProgress.objects.filter(
            project__in=[p.pk for p in page.object_list], fiscal_year=fiscal_year, quarter=quarter
        )
    }
    rows = [(p, reports.get(p.pk)) for p in page.object_list]
    return render(
        request,
        "progress/home.html",
        {
            "fiscal_year": fiscal_year,
            "quarter": quarter,
            "choices": choices,
            "rows": rows,
            "page": page,
            "can_report": permissions.can_report_progress(user),
            "can_review": permissions.can_review_progress(user),
            "awaiting": selectors.review_queue(user).count() if permissions.can_review_progress(user) else 0,
            "period_query": f"fy={fiscal_year}&q={quarter}",
        },
    )


def _visible_project(request, pk) -> Project:
    return get_object_or_404(selectors.reportable_projects(request.user).prefetch_related("indicators"), pk=pk)


@login_required
def report_form(request, pk, fiscal_year, quarter):
    """Write (or correct) a project's report for a quarter; save as a draft or save and submit."""
    project = _visible_project(request, pk)
    if not permissions.can_report_project(request.user, project):
        raise PermissionDenied(_("You may not report progress for this project."))
    if not selectors.is_reportable(fiscal_year, quarter):
        raise Http404
    report = (
        ProjectProgress.objects.filter(project=project, fiscal_year=fiscal_year, quarter=quarter)
        .prefetch_related("actuals", "spending", "evidence")
        .first()
    )
    if report is not None and not report.is_editable:
        return redirect("progress:report", pk=report.pk)
    form = ProgressForm(request.POST or None, request.FILES or None, project=project, initial=initial_for(report))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.save_report(
                project=project,
                fiscal_year=fiscal_year,
                quarter=quarter,
                data=form.to_input(),
                by=request.user,
                expected_revision=form.cleaned_data.get("revision"),
                evidence=form.cleaned_data.get("evidence") or [],
                submit=request.POST.get("action") == "submit",
            )
        except EditConflict as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if report.status in (ProgressStatus.SUBMITTED, ProgressStatus.RESUBMITTED):
                messages.success(request, _("Progress report submitted for review."))
            else:
                messages.success(request, _("Progress report saved as a draft."))
            return redirect(f"{reverse('progress:home')}?fy={fiscal_year}&q={quarter}")
    return render(
        request,
        "progress/report_form.html",
        {"form": form, "project": project, "report": report, "fiscal_year": fiscal_year, "quarter": quarter},
    )


def _visible_report(request, pk) -> ProjectProgress:
    return get_object_or_404(
        selectors.reports_for(request.user).select_related("approved_by", "submitted_by", "created_by"), pk=pk
    )


@login_required
def report_detail(request, pk):
    report = _visible_report(request, pk)
    user = request.user
    awaiting = report.status in (ProgressStatus.SUBMITTED, ProgressStatus.RESUBMITTED)
    can_review = permissions.can_review_report(user, report)
    return render(
        request,
        "progress/report_detail.html",
        {
            "report": report,
            **selectors.report_detail(report),
            "can_edit": permissions.can_edit_report(user, report),
            "can_return": can_review and awaiting,
            "can_approve": awaiting and permissions.can_approve_report(user, report),
            "can_amend": report.is_approved and permissions.can_approve_report(user, report),
            "own_work_note": permissions.own_work_note(user, report) if awaiting or report.is_approved else None,
            "reason_form": ReasonForm(initial={"revision": report.revision}),
        },
    )


MOVES = {
    "submit": lambda user, report: permissions.can_report_project(user, report.project),
    "approve": permissions.can_review_report,
    "return": permissions.can_review_report,
}


@login_required
@require_POST
def report_move(request, pk, move):
    if move not in MOVES:
        raise Http404
    report = _visible_report(request, pk)
    if move == "approve":
        permissions.check_approve_report(request.user, report)
    if not MOVES[move](request.user, report):
        raise PermissionDenied(_("You may not do this to this progress report."))
    revision = request.POST.get("revision") or None
    try:
        if move == "submit":
            services.submit_report(report=report, by=request.user, expected_revision=revision)
            messages.success(request, _("Progress report submitted for review."))
        elif move == "approve":
            services.approve_report(report=report, by=request.user, expected_revision=revision)
            messages.success(request, _("Progress report approved: it now counts in the roll-ups."))
        else:
            services.return_report(
                report=report, by=request.user, reason=request.POST.get("reason", ""), expected_revision=revision
            )
            messages.success(request, _("Progress report returned with your reason."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == "queue":
        return redirect("progress:queue")
    return redirect("progress:report", pk=report.pk)


@login_required
def amend(request, pk):
    """Change an approved report, with a reason (reviewers other than its writer)."""
    report = _visible_report(request, pk)
    permissions.check_approve_report(request.user, report)
    if not report.is_approved:
        return redirect("progress:report", pk=report.pk)
    project = Project.objects.prefetch_related("indicators").get(pk=report.project_id)
    form = AmendForm(request.POST or None, project=project, initial=initial_for(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_report(
                report=report,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data.get("revision"),
                data=form.to_input(),
            )
        except EditConflict as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Approved report amended; the earlier values stay in its history."))
            return redirect("progress:report", pk=report.pk)
    return render(request, "progress/amend.html", {"form": form, "report": report, "project": project})


@login_required
def queue(request):
    user = request.user
    if not permissions.can_review_progress(user):
        raise PermissionDenied(_("The progress review queue is for coordinators, regional staff and CODI staff."))
    page = Paginator(selectors.review_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.own_work = not permissions.can_approve_report(user, report)
    return render(request, "progress/queue.html", {"page": page, "reason_form": ReasonForm()})


@login_required
def project_progress(request, pk):
    """A project's reports over the quarters, with its figure for each fiscal year (linked from the plan page)."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("plan__tambon__province", "programme"), pk=pk
    )
    reports = list(
        ProjectProgress.objects.visible_to(request.user).filter(project=project).order_by("-fiscal_year", "-quarter")
    )
    years = sorted({r.fiscal_year for r in reports}, reverse=True)
    figures = [(y, selectors.project_progress(Project.objects.filter(pk=project.pk), y)[project.pk]) for y in years]
    return render(
        request,
        "progress/project.html",
        {
            "project": project,
            "reports": reports,
            "figures": figures,
            "can_report": permissions.can_report_project(request.user, project)
            and project.plan.status in CONSOLIDATED_STATUSES,
            "period": selectors.current_period(),
        },
    )


@login_required
def evidence(request, pk):
    item = get_object_or_404(
        ProgressEvidence.objects.filter(report__in=ProjectProgress.objects.visible_to(request.user)), pk=pk
    )
    return evidence_response(item.file, attach_only_pdf=True)


# Excel ------------------------------------------------------------------------------------------------------


def _require_bulk(user) -> None:
    if not permissions.can_review_progress(user):
        raise PermissionDenied(_("The progress workbook is for coordinators, regional staff and CODI staff."))


@login_required
def excel_template(request):
    """A workbook listing the user's projects for a quarter, to fill in from paper forms."""
    _require_bulk(request.user)
    fiscal_year, quarter, _choices = _chosen_period(request)
    content = excel.template_workbook(request.user, fiscal_year, quarter)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="progress-{fiscal_year}-q{quarter}.xlsx"'
    return response


@login_required
def excel_upload(request):
    """Upload a filled-in workbook: every row is checked and all are saved, or none with each row's errors."""
    _require_bulk(request.user)
    fiscal_year, quarter, choices = _chosen_period(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_workbook(upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if result.errors:
                messages.error(request, _("Nothing was saved: correct the rows below and upload again."))
            else:
                messages.success(
                    request, _("%(n)s progress reports saved and submitted for review.") % {"n": result.saved}
                )
    return render(
        request,
        "progress/upload.html",
        {"form": form, "result": result, "fiscal_year": fiscal_year, "quarter": quarter, "choices": choices},
    )
