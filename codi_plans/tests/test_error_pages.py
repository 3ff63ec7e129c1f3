"""The 403, 404 and 500 pages, as production serves them (DEBUG off): in the site's layout, in Thai unless the user
chose English, saying what happened and where to go next. The 500 page is also checked with the database down, with
a context processor that fails and with a broken 500 template."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import central_staff, community_rep

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def _client(language=None, user=None, **kwargs) -> Client:
    from django.conf import settings

    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _refuse_queries(execute, sql, params, many, context):
    raise OperationalError("the database is down (test)")


def broken_context_processor(request):
    """A context processor that fails, as one would when a request is half-built."""
    raise RuntimeError("broken request context (test)")


# --- 404 -------------------------------------------------------------------------------------------------------


def test_404_is_in_thai_inside_the_layout_even_for_an_english_browser(production, reference_data):
    response = _client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="th">' in body and 'class="site-header"' in body
    assert f'href="{reverse("home")}"' in body and "หน้าแรก" in body  # home link, in Thai
    assert f'href="{reverse("login")}?next=/no-such-page/"' in body  # anonymous: log in may reveal the record


def test_404_in_english_when_the_user_chose_english(production, reference_data):
    body = _client("en").get("/no-such-page/").content.decode()
    assert '<html lang="en">' in body
    assert "Error 404" in body and "This page is not here" in body
    assert "Records outside your working area are not shown" in body
    assert ">Home</a>" in body


def test_a_record_outside_the_users_area_is_the_same_404_page(production, reference_data):
    from areas.models import Subdistrict
    from workstreams.tests.factories import TambonPlanFactory

    bangkok_plan = TambonPlanFactory(tambon=Subdistrict.objects.filter(province__code="10").first())
    client = _client("en", community_rep("500105"))
    response = client.get(reverse("workstreams:detail", args=[bangkok_plan.pk]))
    body = response.content.decode()
    assert response.status_code == 404 and "This page is not here" in body
    assert "No TambonPlan matches" not in body  # the exception's developer text is not shown
    assert "?next=" not in body.split("</header>")[1]  # signed in: no log-in link in the page


def test_404_offers_the_previous_page_only_when_it_is_on_this_site(production, reference_data):
    client = _client("en")
    inside = client.get("/no-such-page/", HTTP_REFERER="http://testserver/plans/").content.decode()
    outside = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert 'href="http://testserver/plans/">Back to the previous page' in inside
    assert "evil.example" not in outside and "Back to the previous page" not in outside


def test_api_404_keeps_the_json_error_body(production, reference_data):
    response = _client().get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


# --- 403 -------------------------------------------------------------------------------------------------------


def test_403_says_why_in_thai_with_the_views_reason(production, reference_data):
    response = _client(user=community_rep("500105")).get(reverse("workstreams:review"))
    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="th">' in body and 'class="site-header"' in body
    assert "รายการรอพิจารณาใช้ได้เฉพาะผู้ประสานงานจังหวัดและเจ้าหน้าที่ พอช." in body  # the view's reason, in Thai
    assert "หน้าแรก" in body


def test_403_in_english_for_a_signed_in_user(production, reference_data):
    response = _client("en", community_rep("500105")).get(
        reverse("workstreams:review"), HTTP_REFERER="http://testserver/tambon-plans/"
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "Error 403" in body and "You may not open this page" in body
    assert "The review queue is for coordinators and CODI staff." in body
    assert "ask CODI staff to check your account" in body
    assert 'href="http://testserver/tambon-plans/">Back to the previous page' in body


@pytest.mark.urls("codi_plans.tests.error_urls")
def test_403_offers_anonymous_visitors_the_login_page(production, reference_data):
    for language, words in (("th", "เข้าสู่ระบบ"), ("en", "You are not logged in")):
        response = _client(language).get("/test-only/refused/")
        body = response.content.decode()
        assert response.status_code == 403 and f'<html lang="{language}">' in body
        assert words in body
        assert f'class="button" href="{reverse("login")}?next=/test-only/refused/"' in body


def test_an_expired_form_gets_a_readable_403(production, reference_data):
    client = _client("en", enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "th"})
    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en">' in body and "The form has expired" in body and "Nothing was saved" in body


# --- 500 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"), [("th", ('<html lang="th">', "หน้าแรก")), ("en", ('<html lang="en">', ">Home</a>"))]
)
def test_500_page_renders_with_the_database_down(production, reference_data, language, words):
    client = _client(language, central_staff())
    with connection.execute_wrapper(_refuse_queries):
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 500
    assert 'class="site-header"' in body and all(word in body for word in words)
    if language == "en":
        assert "Something went wrong on our side" in body and "What you just sent may not have been saved" in body
    else:
        assert "ระบบขัดข้อง" in body and "อาจยังไม่ถูกบันทึก" in body
    try_again = "Try again" if language == "en" else "ลองอีกครั้ง"
    assert f'href="{reverse("home")}">{try_again}' in body  # a GET may be tried again


def test_500_page_renders_when_the_request_context_is_broken(production, reference_data):
    production.TEMPLATES = [
        {
            **production.TEMPLATES[0],
            "OPTIONS": {
                **production.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *production.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "codi_plans.tests.test_error_pages.broken_context_processor",
                ],
            },
        }
    ]
    response = _client("en").get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_500_falls_back_to_static_html_when_the_template_fails(production, reference_data, tmp_path):
    (tmp_path / "500.html").write_text('{% extends "no-such-layout.html" %}')
    production.TEMPLATES = [{**production.TEMPLATES[0], "DIRS": [tmp_path, *production.TEMPLATES[0]["DIRS"]]}]
    client = _client("en")
    with connection.execute_wrapper(_refuse_queries):
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in body and "Something went wrong on our side" in body and 'href="/"' in body
    assert "site-header" not in body


def test_api_500_keeps_the_json_error_body(production, reference_data):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=central_staff()).key
    client = _client(HTTP_AUTHORIZATION=f"Token {token}")
    with connection.execute_wrapper(_refuse_queries):
        response = client.get("/api/v1/regions/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"
