"""Hostile query values never cause a server error: every API list endpoint, every API detail route and the main
HTML pages get each value of a table (ids of 20 digits, fiscal years of 1e20, impossible UTC offsets, NUL bytes,
very long text, garbage cursors, odd page numbers) and must answer below 500; a bad id or code in the path is a 404.

The API endpoints come from the project's router; the query parameters of each come from the OpenAPI schema (so a
new filter is swept as soon as it is declared). The HTML pages' parameters are the fields of their own GET forms,
plus the ones the views read straight from the query string. Run it on PostgreSQL too: SQLite forgives values
(NUL bytes, UTC offsets beyond ±15:59) that PostgreSQL refuses with a DataError.
"""

import base64
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from codi_plans.tests.test_usable_links import PageParser

pytestmark = pytest.mark.django_db


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


HOSTILE = {
    "20 digits": "99999999999999999999",
    "2**63": "9223372036854775808",
    "minus 20 digits": "-99999999999999999999",
    "minus one": "-1",
    "zero": "0",
    "exponent": "1e20",
    "huge exponent": "1e400",
    "not a number": "NaN",
    "fraction": "2565.5",
    "UTC offset +17:13": "2026-01-01T00:00:00+17:13",
    "before year 1 in UTC": "0001-01-01T00:00:00+05:00",
    "after year 9999 in UTC": "9999-12-31T23:59:59-12:00",
    "year 99999": "99999-01-01",
    "NUL": "\x00",
    "NUL after digits": "50\x00",
    "very long": "9" * 5000,
    "quote": "' OR '1'='1",
    "percent": "%",
    "Thai digits": "๒๕๖๕",
    "garbage": "garbage",
    "cursor with a word as position": _cursor("p=abc"),
    "cursor with a 20-digit position": _cursor("p=99999999999999999999"),
}
# Values for an id or a code in the URL path: a 404 (or 400), never a 500 and never a page.
HOSTILE_IN_PATH = ["99999999999999999999", "-1", "0", "1.5", "%00", "x" * 300, "%25", "abc"]


@pytest.fixture
def staff(reference_data):
    """Central staff: the role that sees every row, so every filter reaches its query."""
    from accounts.tests.factories import central_staff

    return central_staff()


def _api_client(user) -> APIClient:
    # A server error comes back as a 500 response (as in production), so one sweep reports every failure.
    return APIClient(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def _page_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _sends_no_server_error(client, url, params=None) -> int:
    """Send one GET inside a savepoint (a database error must not poison the rest) and return its status."""
    cache.clear()  # throttles would turn later requests into 429s
    with transaction.atomic():
        response = client.get(url, params or {})
    return response.status_code


# --- API ------------------------------------------------------------------------------------------------------


# Routes nested under a plan item (/api/v1/plan-items/<code>/served-by/) are read for a real one; their schema path
# keeps the {code} placeholder.
NESTED_CODE = "WS-ECONOMY-G1-P1"
SCHEMA_PATHS: dict[str, str] = {}


def _api_routes():
    """Return (list urls, detail url prefixes) from the project's router: every viewset and list-level action. A
    route nested under a plan item gives its lists for a real item and, as a "detail prefix", the part before the
    code, so hostile codes are tried there too."""
    from codi_plans.urls import api

    lists, details = [], []
    for prefix, viewset, basename in api.registry:
        nested = "(?P<code>" in prefix
        kwargs = {"code": NESTED_CODE} if nested else {}
        names = [f"{basename}-list"]
        names += [f"{basename}-{a.url_name}" for a in viewset.get_extra_actions() if not a.detail]
        for name in names:
            url = reverse(name, kwargs=kwargs)
            lists.append(url)
            if nested:
                SCHEMA_PATHS[url] = url.replace(NESTED_CODE, "{code}")
        if nested:
            details.append(f"/api/v1/{prefix.split('(?P<code>')[0]}")
        elif hasattr(viewset, "retrieve"):
            details.append(f"/api/v1/{prefix}/")
    return lists, details


def _query_parameters(url: str) -> list[str]:
    """Return the query parameters the OpenAPI schema declares for GET on this path."""
    from drf_spectacular.generators import SchemaGenerator

    if not hasattr(_query_parameters, "schema"):
        _query_parameters.schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = _query_parameters.schema["paths"][SCHEMA_PATHS.get(url, url)]["get"]
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


def test_every_api_list_endpoint_survives_hostile_query_values(staff):
    client = _api_client(staff)
    lists, _details = _api_routes()
    assert len(lists) >= 18  # the router really was read
    failures, swept = [], 0
    for url in lists:
        for name in _query_parameters(url) or ["page"]:
            for label, value in HOSTILE.items():
                status = _sends_no_server_error(client, url, {name: value})
                swept += 1
                if status >= 500:
                    failures.append(f"GET {url}?{name}=<{label}> → {status}")
    assert swept > 1000
    assert not failures, "\n".join(failures)


def test_well_formed_but_out_of_range_values_are_400_not_an_empty_answer(staff):
    client = _api_client(staff)
    cases = [
        ("/api/v1/plan-nodes/", {"updated_since": "2026-01-01T00:00:00+17:13"}, "updated_since"),
        ("/api/v1/plan-nodes/", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ("/api/v1/plan-nodes/", {"updated_since": "99999-01-01"}, "updated_since"),
        ("/api/v1/projects/", {"plan": "99999999999999999999"}, "plan"),
        ("/api/v1/projects/", {"plan": "1e20"}, "plan"),
        ("/api/v1/tambon-plans/", {"period_start_be": "1e20"}, "period_start_be"),
        ("/api/v1/budget-requests/", {"fiscal_year": "1e20"}, "fiscal_year"),
        ("/api/v1/budget-requests/", {"fiscal_year": "99999999999999999999"}, "fiscal_year"),
        ("/api/v1/reports/", {"quarter": "5"}, "quarter"),
        ("/api/v1/provinces/", {"group": "99999999999999999999"}, "group"),
        ("/api/v1/results/", {"fiscal_year": "2565.5"}, "fiscal_year"),
        ("/api/v1/budget-consolidation/", {"fiscal_year": "99999999999999999999"}, "fiscal_year"),
        ("/api/v1/budget-consolidation/", {"province": "5\x000"}, "province"),
        ("/api/v1/indicators/plan-progress/", {"fiscal_year": "99999999"}, "fiscal_year"),
        ("/api/v1/districts/", {"province": "\x00"}, "province"),
    ]
    for url, params, field in cases:
        response = client.get(url, params)
        assert response.status_code == 400, (url, params, response.status_code)
        assert field in response.json()["error"]["fields"], (url, params, response.json())
    # A UTC offset within the real range is fine.
    assert client.get("/api/v1/plan-nodes/", {"updated_since": "2026-01-01T00:00:00+14:00"}).status_code == 200
    # Pages and cursors that do not exist are 404s (DRF's choice), never a 500.
    for params in ({"page": "-1"}, {"page": "99999999999999999999"}, {"page": "1e400"}):
        assert client.get("/api/v1/tambon-plans/", params).status_code == 404
    for cursor in ("garbage", _cursor("p=abc"), _cursor("p=99999999999999999999"), _cursor("o=-5")):
        assert client.get("/api/v1/results/", {"cursor": cursor}).status_code == 404


def test_hostile_ids_and_codes_in_api_paths_are_404s(staff):
    client = _api_client(staff)
    _lists, details = _api_routes()
    failures = []
    for prefix in details:
        for value in HOSTILE_IN_PATH:
            url = f"{prefix}{value}/"
            status = _sends_no_server_error(client, url)
            if status not in (400, 404):
                failures.append(f"GET {url[:80]} → {status}")
    assert not failures, "\n".join(failures)
    response = client.get("/api/v1/tambon-plans/99999999999999999999/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# --- HTML pages -------------------------------------------------------------------------------------------------

# The main list pages, and the query parameters their views read straight from the query string (the fields of
# their GET forms are found on the page itself).
HTML_PAGES = {
    "home": [],
    "strategies:tree": [],
    "areas:index": [],
    "workstreams:list": ["page"],
    "workstreams:review": ["page", "province", "district", "status", "workstream"],
    "indicators:dashboard": ["fy", "q", "indicator"],
    "indicators:results": ["page", "indicator", "fiscal_year", "province", "updated_since", "province_group"],
    "indicators:queue": [],
    "indicators:result_new": ["indicator"],
    "budgets:index": ["fiscal_year", "province", "status"],
    "budgets:consolidation": ["fiscal_year", "province"],
    "budgets:ceilings": ["fiscal_year"],
    "budgets:plans": ["province"],
    "budgets:plan_create": ["province", "group"],
    "budgets:request_create": ["province", "fiscal_year"],
    "reports:list": ["page"],
    "public:country": ["year", "lang"],
    "public:data": ["lang"],
}
HTML_PAGES_WITH_ARGS = {
    ("indicators:indicator", "ECON-TAMBONS-UPGRADED"): ["fy", "q", "area"],
    ("indicators:targets", "ECON-TAMBONS-UPGRADED"): ["edit"],
    ("indicators:plan", "CODI-AP"): ["fy", "q"],
    ("public:province", "50"): ["year", "lang"],
    ("public:tambon", "500105"): ["year", "lang"],
    ("public:download", "projects", "csv"): ["year"],
}


def _page_parameters(client, url: str, extra: list[str]) -> set[str]:
    response = client.get(url)
    names = set(extra)
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        parser = PageParser()
        parser.feed(response.content.decode())
        names |= {name for form in parser.forms if form["method"] == "get" for name, _value in form["fields"]}
    return names


def test_main_html_pages_survive_hostile_query_values(staff):
    from indicators import services as indicator_services

    indicator_services.load_indicators()
    client = _page_client(staff)
    pages = [(reverse(name), extra) for name, extra in HTML_PAGES.items()]
    pages += [(reverse(name, args=args), extra) for (name, *args), extra in HTML_PAGES_WITH_ARGS.items()]
    failures, swept = [], 0
    for url, extra in pages:
        for name in sorted(_page_parameters(client, url, extra)):
            for label, value in HOSTILE.items():
                status = _sends_no_server_error(client, url, {name: value})
                swept += 1
                if status >= 500:
                    failures.append(f"GET {url}?{name}=<{label}> → {status}")
    assert swept > 500
    assert not failures, "\n".join(failures)


def test_hostile_ids_and_codes_in_page_paths_are_404s(staff):
    client = _page_client(staff)
    patterns = [
        "/tambon-plans/{}/",
        "/tambon-plans/{}/edit/",
        "/tambon-plans/province/50/{}/",
        "/tambon-plans/province/{}/2563/",
        "/budgets/requests/{}/",
        "/budgets/requests/1/actuals/{}/",
        "/budgets/plans/{}/",
        "/indicators/results/{}/",
        "/indicators/indicator/{}/",
        "/reports/{}/",
        "/plans/{}/",
        "/areas/province/{}/",
        "/areas/district/{}/",
        "/open/region/{}/",
        "/open/province/{}/",
        "/open/tambon/{}/",
        "/open/project/{}/",
        "/open/data/{}/",
    ]
    failures = []
    for pattern in patterns:
        for value in HOSTILE_IN_PATH:
            url = pattern.format(value)
            status = _sends_no_server_error(client, url)
            if status != 404:
                failures.append(f"GET {url[:80]} → {status}")
    assert not failures, "\n".join(failures)


def test_a_20_digit_id_in_a_page_path_never_reaches_a_view(client, staff):
    from django.urls import Resolver404, resolve

    client.force_login(staff)
    with pytest.raises(Resolver404):
        resolve("/tambon-plans/99999999999999999999/")
    assert resolve("/tambon-plans/999999999999999999/").kwargs == {"pk": 999999999999999999}  # 18 digits still match
    body = client.get("/tambon-plans/99999999999999999999/").content.decode()
    assert 'class="site-header"' in body  # the site's 404 page


def test_query_strings_with_the_same_parameter_twice_or_odd_encodings(staff):
    client = _page_client(staff)
    for query in (
        "fiscal_year=2565&fiscal_year=1e20",
        "province=%FF%FE",
        "province=" + quote("\ud800", errors="surrogatepass"),
    ):
        assert _sends_no_server_error(client, f"{reverse('budgets:index')}?{query}") < 500
    params = urlencode({"updated_since": "2026-01-01T00:00:00+17:13", "page": "-5"})
    assert _sends_no_server_error(client, f"{reverse('indicators:results')}?{params}") < 500
