import logging

from django.http import JsonResponse
from django.shortcuts import render

from .concurrency import BUSY_MESSAGE, is_database_busy

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class ThaiFirstMiddleware:
    """Ignore the browser's Accept-Language so pages open in Thai; the language switch (a cookie) still wins.

    Many staff and community phones are set to English; CODI's working language is Thai. API clients are programs
    whose authors ask for a language on purpose, so under /api/ an Accept-Language header is honoured (error
    messages in English with `Accept-Language: en`); without one the API answers in Thai too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """Answer a save that gave up waiting for the database lock with a clear 409, not a server error.

    On SQLite (DJANGO_SQLITE_TIMEOUT) a write waits for another write's lock only so long. Nothing was saved, so
    the person can simply try again; pages say so, and JSON URLs outside DRF give the API's error body (DRF views
    get it from codi_plans.api.exception_handler).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("%s %s gave up waiting for the database lock: %s", request.method, request.path, exception)
        message = str(BUSY_MESSAGE)
        if request.path.startswith("/api/"):
            body = {"error": {"status": 409, "code": "busy", "message": message, "fields": {}}}
            return JsonResponse(body, status=409)
        return render(request, "database_busy.html", {"message": message}, status=409)
