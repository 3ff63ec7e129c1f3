"""HTML pages for reports: the list with the request form, a report's page that follows its build, its
JSON status (polled by static/js/reports.js) and the file downloads. Every fetch goes through
Report.objects.visible_to(user): a report the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import permissions, selectors, services
from .forms import ReportRequestForm
from .models import Report, ReportStatus

PAGE_SIZE = 25
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _get_report(request, pk) -> Report:
    return get_object_or_404(selectors.reports_for(request.user), pk=pk)


def status_payload(report: Report) -> dict:
    """Say where a report's build stands, and where its files are once it is done."""
    files = {}
    if report.status == ReportStatus.DONE:
        files = {fmt: reverse("reports:download", args=[report.pk, fmt]) for fmt in CONTENT_TYPES}
    return {
        "id": report.pk,
        "status": report.status,
        "status_label": report.get_status_display(),
        "progress": report.progress,
        "reason": report.status_reason,
        "finished": report.is_finished,
        "files": files,
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    """List the reports the user may see and offer the form to ask for one."""
    may_ask = permissions.can_ask_for_reports(request.user)
    if request.method == "POST" and not may_ask:
        raise PermissionDenied(_("Your role reads reports; CODI staff and coordinators ask for them."))
    form = ReportRequestForm(request.POST or None, user=request.user, today=timezone.localdate()) if may_ask else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = services.request_report(
                kind=data["kind"],
                scope=data["scope"],
                fiscal_year=data["fiscal_year"],
                quarter=data["quarter"],
                language=data["language"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as denied:
            form.add_error("scope", str(denied))
        else:
            if created:
                messages.success(request, _("Your report is being built."))
            else:
                messages.info(request, _("This report already exists on the same data; here it is."))
            return redirect("reports:detail", pk=report.pk)
    page = Paginator(selectors.reports_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {"form": form, "page": page})


@login_required
@require_GET
def report_detail(request, pk):
    """Show a report: what it covers, the data it was built from, its build progress and its files."""
    report = _get_report(request, pk)
    return render(request, "reports/report_detail.html", {"report": report, "status": status_payload(report)})


@login_required
@require_GET
def report_status(request, pk):
    """Return the build status of a report as JSON (the report page polls it)."""
    report = _get_report(request, pk)
    return JsonResponse(status_payload(report), headers={"Cache-Control": "no-store"})


@login_required
@require_GET
def report_download(request, pk, fmt):
    """Send a finished report's PDF or Excel file."""
    report = _get_report(request, pk)
    if fmt not in CONTENT_TYPES or report.status != ReportStatus.DONE:
        raise Http404
    field = report.pdf_file if fmt == "pdf" else report.xlsx_file
    name = services.file_names(report)[fmt]
    return FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
