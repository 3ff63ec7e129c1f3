"""Content-Security-Policy: the header is on pages and on the API, and the pages people use (home, the indicator
dashboard's charts, Swagger UI, the admin) run under it in a real browser without a single violation."""

import re

import pytest
from django.db import connections

from accounts.tests.factories import PASSWORD, central_staff

pytestmark = pytest.mark.django_db

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "img-src": "'self' data:",
}


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {name: value.strip() for name, _, value in (d.strip().partition(" ") for d in header.split(";"))}


@pytest.mark.parametrize("url", ["/", "/indicators/", "/accounts/login/", "/api/docs/"])
def test_pages_carry_the_policy(client, reference_data, url):
    if url == "/indicators/":
        client.force_login(central_staff())
    response = client.get(url)
    assert response.status_code == 200
    found = policy(response)
    for name, value in DIRECTIVES.items():
        assert found[name] == value, name
    assert "'unsafe-inline'" not in found["script-src"] and "'unsafe-eval'" not in found["script-src"]


def test_the_api_carries_the_policy(client, reference_data):
    client.force_login(central_staff())
    response = client.get("/api/v1/tambon-plans/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert policy(response)["default-src"] == "'self'"
    assert client.get("/api/v1/no-such-thing/").headers["Content-Security-Policy"]


def test_swagger_ui_has_no_inline_script_and_loads_its_start_up_script_from_this_site(client, reference_data):
    body = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", body)
    assert scripts and all("src=" in attributes for attributes in scripts)
    start = re.search(r'<script src="([^"]*script=[^"]*)"', body).group(1).replace("&amp;", "&")
    response = client.get(start)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


# In the browser ------------------------------------------------------------------------------------------------


def watch_for_violations(page) -> list[str]:
    """Collect every CSP violation the browser reports, across page loads, as "directive blocked-uri" lines."""
    violations = []
    page.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.reportCspViolation(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"
    )
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_charts_swagger_ui_and_the_admin_work_under_the_policy(browser_page):
    try:
        _walk(browser_page)
    finally:
        # Playwright runs the test body in its own context, where Django opens a connection of its own.
        connections.close_all()


def _walk(page):
    from indicators.services import load_indicators

    load_indicators()
    staff = central_staff()
    violations = watch_for_violations(page)

    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.locator("article.workstream").count() == 4
    # Sarabun is the page's font: a font load the policy refused would leave the fallback.
    assert page.evaluate("async () => (await document.fonts.load('16px Sarabun', 'ตำบล')).length > 0")

    log_in(page, staff)
    page.goto("/indicators/")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.bar").count() > 0
    # The charts' look comes from the page's own <style> block, which the policy must let through.
    track = page.locator("svg.bar .track").first
    assert track.evaluate("el => getComputedStyle(el).fill") == "rgb(238, 241, 244)"
    # The period form submits itself on change (static/js/indicators.js), so the page's script ran.
    with page.expect_navigation():
        page.locator("form[data-autosubmit] select").first.select_option(index=1)

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=30000)
    assert page.locator(".opblock").count() > 50
    assert page.locator(".opblock-summary-path", has_text="/api/v1/tambon-plans/").count() > 0

    page.goto(f"/admin/accounts/user/{staff.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#user_form").count() == 1
    # The tambons field is a select2 autocomplete, built by the admin's scripts.
    assert page.locator(".select2-container").count() > 0
    page.goto("/admin/")
    assert page.locator("#content-main").count() == 1

    assert violations == []
