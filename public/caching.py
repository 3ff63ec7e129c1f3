"""Public pages are the same for everybody: cached by URL, by shared caches too, and validated with ETags.

A public page never reads the session or the user, puts no CSRF token in the page and shows nothing per user, so
the response carries `Cache-Control: public, max-age=300` and no `Vary: Cookie`. Its language and fiscal year come
from the URL (`?lang=en`, `?year=2568`), never from a cookie, so a cache keyed by URL is right. On the server the
rendered page is kept in Django's cache (settings.CACHES: Redis in production, local memory otherwise) under a key
made of the host, the path, the language and the year only: other query parameters cannot make new cache entries.
Every answer has an ETag (a hash of the page) and a Last-Modified (when it was rendered); a client that sends
If-None-Match or If-Modified-Since gets 304 Not Modified.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .selectors import default_year, parse_year

CACHE_SECONDS = 300
KEY_VERSION = "public-v1"
LANGUAGES = ("th", "en")


def page_language(request) -> str:
    """The page language from the URL: ?lang=en for English, Thai otherwise."""
    return "en" if request.GET.get("lang") == "en" else "th"


def cache_key(request, lang: str, year: int | None) -> str:
    raw = f"{request.get_host()}|{request.path}|{lang}|{year or ''}"
    return f"{KEY_VERSION}:{hashlib.sha256(raw.encode()).hexdigest()}"


def public_page(view):
    """Serve a view's page from the cache for CACHE_SECONDS, with public caching headers and conditional GET.

    The view is called as view(request, *args, lang=..., year=..., explicit_year=..., **kwargs) inside the page
    language; only 200 answers are cached. GET and HEAD only.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        lang = page_language(request)
        explicit_year = parse_year(request.GET.get("year"))
        key = cache_key(request, lang, explicit_year)
        cached = cache.get(key)
        if cached is None:
            with translation.override(lang):
                response = view(
                    request,
                    *args,
                    lang=lang,
                    year=explicit_year or default_year(),
                    explicit_year=explicit_year,
                    **kwargs,
                )
                if hasattr(response, "render"):
                    response.render()
            if response.status_code != 200:
                return response
            cached = (response.content, response["Content-Type"], int(time.time()))
            cache.set(key, cached, CACHE_SECONDS)
        content, content_type, rendered_at = cached
        response = HttpResponse(content, content_type=content_type)
        etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
        response["ETag"] = etag
        response["Last-Modified"] = http_date(rendered_at)
        response["Content-Language"] = lang
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return get_conditional_response(request, etag=etag, last_modified=rendered_at, response=response)

    return wrapper
