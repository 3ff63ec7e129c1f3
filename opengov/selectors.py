"""Reads of open-government exports shared by the pages: which exports a person may list and where a build stands."""

from django.urls import reverse

from .models import EmenscrExport, ExportStatus

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def exports_for(user):
    """Return the eMENSCR exports the user may see, newest first."""
    return EmenscrExport.objects.visible_to(user).select_related("region", "province_group", "province", "requested_by")


def status_payload(export: EmenscrExport) -> dict:
    """Say where an export's build stands, and where its files are once it is done (the page polls this)."""
    files = {}
    if export.status == ExportStatus.DONE:
        files = {fmt: reverse("opengov:emenscr-download", args=[export.pk, fmt]) for fmt in FORMATS}
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": export.get_status_display(),
        "progress": export.progress,
        "reason": export.status_reason,
        "finished": export.is_finished,
        "files": files,
        "rows": export.row_count,
        "problems": export.problem_count,
    }
