"""Pages of the open-government exports: the eMENSCR export (ask, follow the build, read the validation list,
download) and the public IATI activity file. Every export is fetched through EmenscrExport.objects.visible_to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from . import iati, permissions, selectors, services
from .emenscr import COLUMNS
from .forms import EmenscrExportForm

PAGE_SIZE = 25


def _get_export(request, pk):
    return get_object_or_404(selectors.exports_for(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def emenscr_list(request):
    """Offer the export form and list the exports the user may see."""
    if not permissions.can_export_emenscr(request.user):
        raise PermissionDenied(_("CODI staff and coordinators export projects for eMENSCR."))
    form = EmenscrExportForm(request.POST or None, user=request.user, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            export, created = services.request_emenscr_export(
                scope=form.cleaned_data["scope"], fiscal_year=form.cleaned_data["fiscal_year"], by=request.user
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as denied:
            form.add_error("scope", str(denied))
        else:
            if created:
                messages.success(request, _("Your export is being built."))
            else:
                messages.info(request, _("This export is already being built; here it is."))
            return redirect("opengov:emenscr-detail", pk=export.pk)
    page = Paginator(selectors.exports_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opengov/emenscr_list.html", {"form": form, "page": page, "columns": COLUMNS})


@login_required
@require_GET
def emenscr_detail(request, pk):
    """Show an export: its build, its files and the projects that could not be exported and why."""
    export = _get_export(request, pk)
    return render(
        request, "opengov/emenscr_detail.html", {"export": export, "status": selectors.status_payload(export)}
    )


@login_required
@require_GET
def emenscr_status(request, pk):
    """Return the build status of an export as JSON (the export page polls it)."""
    export = _get_export(request, pk)
    return JsonResponse(selectors.status_payload(export), headers={"Cache-Control": "no-store"})


@login_required
@require_GET
def emenscr_download(request, pk, fmt):
    """Send a finished export's workbook or CSV."""
    export = _get_export(request, pk)
    if fmt not in selectors.FORMATS or export.status != "done":
        raise Http404
    field = export.xlsx_file if fmt == "xlsx" else export.csv_file
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{export.file_stem}.{fmt}",
        content_type=selectors.FORMATS[fmt],
    )


@require_GET
@cache_control(public=True, max_age=3600)
def iati_activities(request):
    """The IATI 2.03 activity file of CODI's programmes and tambon projects: public, approved data only."""
    return HttpResponse(iati.activities_xml(), content_type="application/xml; charset=utf-8")
