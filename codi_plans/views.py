import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _


def health(request):
    """Report whether the database, Redis and Celery workers answer; 503 when one that is configured does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        from codi_plans.celery import app

        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
        try:
            replies = app.control.ping(timeout=1.0) or []
            checks["workers"] = len(replies)
        except Exception as exc:  # noqa: BLE001
            checks["workers"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured (tasks run eagerly)"
        checks["workers"] = "eager"
    healthy = checks["database"] == "ok" and not str(checks["redis"]).startswith("error")
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


# --- error pages: 403 and 404 inside the layout, 500 without touching the database ----------------------------------

log = logging.getLogger(__name__)


def _back_url(request) -> str:
    """Return the page the user came from when it is on this site, else an empty string."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return ""


def permission_denied(request, exception=None):
    """Say that the page is not the user's to open, why when the view said so, and where to go instead."""
    reason = str(exception) if exception is not None else ""
    return render(request, "403.html", {"reason": reason, "back_url": _back_url(request)}, status=403)


def page_not_found(request, exception=None):
    """Say that the page is not here (or outside the user's area, which looks the same) and where to go instead."""
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


# The last resort when even the 500 template fails (a missing static manifest entry, a broken template): plain
# HTML in the active language, no layout, nothing that can fail again.
FALLBACK_500 = """<!doctype html>
<html lang="%(lang)s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1>%(title)s</h1><p>%(text)s</p><p><a href="/">%(home)s</a></p></body></html>"""
FALLBACK_500_TEXTS = {
    "title": gettext_noop("Something went wrong on our side"),
    "text": gettext_noop(
        "Try again in a few minutes. If it keeps happening, tell CODI staff what you were doing and when."
    ),
    "home": gettext_noop("Home"),
}


def server_error(request, *args, **kwargs):
    """Answer an unexpected failure without the database, the user or the request's context processors.

    The database may be down and the request half-built, so the 500 page is rendered with a minimal context of plain
    strings; if rendering fails too, a static page is sent. API paths keep the API's JSON error body.
    """
    if request.path.startswith("/api/"):
        message = _("Something went wrong on our side. Try again in a few minutes.")
        body = {"error": {"status": 500, "code": "server_error", "message": message, "fields": {}}}
        return JsonResponse(body, status=500)
    # Only this site's own path, and only for a GET: "try again" must not resend a form or lead elsewhere.
    same_site = url_has_allowed_host_and_scheme(request.path, allowed_hosts=None)
    retry_url = request.path if request.method == "GET" and same_site else ""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"retry_url": retry_url}))
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("The 500 page could not be rendered; sending the static fallback")
    try:
        texts = {key: escape(_(text)) for key, text in FALLBACK_500_TEXTS.items()}
        lang = escape(get_language() or settings.LANGUAGE_CODE)
    except Exception:  # noqa: BLE001 - translations unavailable: the English texts
        texts, lang = dict(FALLBACK_500_TEXTS), "en"
    return HttpResponseServerError(FALLBACK_500 % {"lang": lang, **texts})
