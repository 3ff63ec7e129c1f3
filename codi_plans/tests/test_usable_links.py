"""Every link, button and form a page shows is one the person looking at it can use.

For each role of the permission matrix (codi_plans/tests/permission_matrix.py) the test opens the main pages of
every section, in the matrix's world (one object inside the community representative's area and one outside, for
every kind of data, plus a few objects in the states where workflow buttons appear), and then:

- requests every internal `<a href>` with GET: it must not answer 403 or 405, must not send the user to a login
  page (anonymous visitors get no links to pages that need an account) and must not fail with a 5xx;
- submits every `<form method="get">` with the values the page put in it: same rules;
- submits every `<form method="post">` once per submit button, with the values the page put in it, exactly as a
  browser would, inside a savepoint that is rolled back afterwards (so nothing it does survives) and from a
  throwaway client (so a logout button does not sign the crawler out). It must not answer 403 or 405 and must not
  send the user to a login page.

Why POST the form rather than GET its page or ask a permission predicate: a GET of the page proves only that the
role may *read* the page (the ceilings page is open to everyone, setting a ceiling is not), and a table mapping
URLs to predicates would be a second copy of the rules that drifts from the views. Submitting the form asks the
view itself. That is only honest if every view checks permission before it reads the input, so that a refused
role gets 403 whatever it typed: the views do (as the API does), and the permission matrix's empty-body POST rows
pin that order down for every URL.

Pages a role may not open (403, 404, login) are skipped: their links are not shown to that role.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction

from codi_plans.tests import permission_matrix as pm
from codi_plans.tests.test_permission_matrix import _build_world, client_for, url_for
from nationaldata.dataset import ensure_reference_data

pytestmark = pytest.mark.django_db

# (url name, scope of pm.ROUTES): the main pages of every section.
START_PAGES = [
    ("home", "-"),
    ("strategies:tree", "-"),
    ("strategies:node", "-"),
    ("areas:index", "-"),
    ("areas:mine", "-"),
    ("areas:province", "inside"),
    ("workstreams:list", "-"),
    ("workstreams:detail", "inside"),
    ("workstreams:detail", "outside"),
    ("workstreams:review", "-"),
    ("workstreams:province", "inside"),
    ("indicators:dashboard", "-"),
    ("indicators:indicator", "-"),
    ("indicators:targets", "-"),
    ("indicators:plan", "-"),
    ("indicators:results", "-"),
    ("indicators:result", "inside"),
    ("indicators:queue", "-"),
    ("indicators:upload", "-"),
    ("budgets:index", "-"),
    ("budgets:request", "inside"),
    ("budgets:request", "outside"),
    ("budgets:consolidation", "-"),
    ("budgets:ceilings", "-"),
    ("budgets:plans", "-"),
    ("budgets:plan", "inside"),
    ("reports:list", "-"),
    ("reports:detail", "inside"),
    ("mywork:home", "-"),
    ("progress:home", "-"),
    ("progress:queue", "-"),
    ("progress:project", "inside"),
    ("progress:report", "inside"),
    ("progress:excel_upload", "-"),
]
# Extra objects, in the states where workflow buttons show (the matrix world's are drafts).
EXTRA_PAGES = {
    "workstreams:detail": ["plan_submitted", "plan_accepted"],
    "budgets:request": ["request_forwarded", "request_approved"],
    "indicators:result": ["result_approved"],
}
SKIPPED_PREFIXES = ("/static/", "/media/")


class PageParser(HTMLParser):
    """Collect the links and the forms (with the values a browser would send) of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self._form["buttons"].append(_button(a))
            elif kind in ("checkbox", "radio"):
                if "checked" in a and a.get("name"):
                    self._form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("button", "reset", "file") and a.get("name"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._form["buttons"].append(_button(a))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or ([self._select["first"]] if self._select["first"] is not None else [])
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def _button(attrs) -> dict:
    return {
        "name": attrs.get("name"),
        "value": attrs.get("value", ""),
        "action": attrs.get("formaction"),
        "method": (attrs.get("formmethod") or "").lower() or None,
    }


def _internal(base: str, href: str) -> str | None:
    """Return the path and query of an internal link, or None for anchors, other sites and static files."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _refusal(response) -> str | None:
    """Say why a response means "you cannot use this", or None when the user got through."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (403, 405):
        return str(status)
    if status in (301, 302, 303) and "/login/" in response.get("Location", ""):
        return "sent to the login page"
    return None


# --- the world ---------------------------------------------------------------------------------------------------


def _extra_objects(world) -> dict:
    from decimal import Decimal

    from areas.models import Province, Subdistrict
    from budgets.models import RequestStatus
    from budgets.tests.factories import BudgetRequestFactory
    from indicators.models import Indicator, ResultStatus
    from indicators.tests.factories import ResultFactory
    from workstreams.models import PlanStatus
    from workstreams.tests.factories import ProjectFactory, TambonPlanFactory

    tambon = Subdistrict.objects.get(code="500105")
    chiang_mai = Province.objects.get(code="50")
    submitted = TambonPlanFactory(tambon=tambon, period_start_be=2566, period_end_be=2568, status=PlanStatus.SUBMITTED)
    accepted = TambonPlanFactory(tambon=tambon, period_start_be=2569, period_end_be=2571, status=PlanStatus.ACCEPTED)
    for plan in (submitted, accepted):
        ProjectFactory(plan=plan, number=1)
    indicator = Indicator.objects.get(code=world["objects"]["indicator"])
    return {
        "plan_submitted": submitted.pk,
        "plan_accepted": accepted.pk,
        "request_forwarded": BudgetRequestFactory(
            province=chiang_mai, status=RequestStatus.FORWARDED, requested_amount=Decimal("50000")
        ).pk,
        "request_approved": BudgetRequestFactory(
            province=chiang_mai,
            status=RequestStatus.APPROVED,
            requested_amount=Decimal("50000"),
            approved_amount=Decimal("50000"),
        ).pk,
        "result_approved": ResultFactory(
            indicator=indicator, tambon_code="500105", status=ResultStatus.APPROVED, value=Decimal("3"), quarter=2
        ).pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's world plus a few objects in other states, rolled back when the module is done."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_reference_data()
            built = _build_world()
            built["objects"].update(_extra_objects(built))
            yield built
            transaction.set_rollback(True)


def _start_urls(objects, role) -> list[str]:
    from django.urls import reverse

    urls = [url_for(name, scope, objects, role) for name, scope in START_PAGES]
    urls.append(reverse("indicators:result_new"))  # the chooser of "report a result", before an indicator is picked
    for name, keys in EXTRA_PAGES.items():
        urls += [reverse(name, kwargs={"pk": objects[key]}) for key in keys]
    return urls


def _post(role, world, url, data):
    """Submit a form from a throwaway client, inside a savepoint that is rolled back."""
    client = client_for(role, world)
    try:
        with transaction.atomic():
            response = client.post(url, data)
            raise _Rollback(response)
    except _Rollback as done:
        return done.response


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


@pytest.mark.parametrize("role", pm.ROLES)
def test_pages_show_only_links_and_forms_the_role_can_use(world, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    client = client_for(role, world)
    seen: set = set()
    problems: list[str] = []
    opened = 0
    for page_url in _start_urls(world["objects"], role):
        page = client.get(page_url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        opened += 1
        parser = PageParser()
        parser.feed(page.content.decode())
        for href in parser.links:
            target = _internal(page_url, href)
            if target is None or ("GET", target) in seen:
                continue
            seen.add(("GET", target))
            why = _refusal(client.get(target))
            if why:
                problems.append(f"{page_url}: link {target} → {why}")
        for form in parser.forms:
            for button in form["buttons"] or [{"name": None, "value": "", "action": None, "method": None}]:
                method = button["method"] or form["method"]
                target = _internal(page_url, button["action"] or form["action"] or page_url)
                if target is None:
                    continue
                fields = list(form["fields"])
                if button["name"]:
                    fields.append((button["name"], button["value"]))
                names = tuple(sorted({name for name, _value in fields} - {"csrfmiddlewaretoken", "next"}))
                key = (method, urlsplit(target).path, names, button["name"], button["value"])
                if key in seen:
                    continue
                seen.add(key)
                if method == "get":
                    query = urlencode(fields)
                    url = urlsplit(target).path + (f"?{query}" if query else "")
                    why = _refusal(client.get(url))
                else:
                    data: dict = {}
                    for name, value in fields:
                        data.setdefault(name, []).append(value)
                    why = _refusal(_post(role, world, target, data))
                if why:
                    label = f"{button['name']}={button['value']}" if button["name"] else "submit"
                    problems.append(f"{page_url}: {method.upper()} form {target} [{label}] → {why}")
    assert opened, f"{role} could open none of the main pages"
    assert not problems, f"{role} is shown things it cannot use:\n" + "\n".join(problems)
