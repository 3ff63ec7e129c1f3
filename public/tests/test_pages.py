"""Public pages: what they show (hand-computed totals), what they never show, and how they are cached."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from public import selectors

from .conftest import SECRETS, YEAR

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_province_totals_count_only_public_records(world):
    area = selectors.find_area("province", "50")
    total = selectors.area_summary(area, YEAR)["total"]
    # accepted 500105 (2 projects) + endorsed tambon (1 project); the submitted and returned plans are left out.
    assert total["plans"] == 2
    assert total["projects"] == 3
    # 2568 lines: 50,000 + 10,000 + 20,000 (accepted) + 5,000 (endorsed); the 2569 line and 999,999s are not counted.
    assert total["planned"] == Decimal("85000")
    assert total["by_source"]["codi"] == Decimal("55000")
    assert total["by_source"]["community"] == Decimal("10000")
    assert total["by_source"]["local_government"] == Decimal("20000")
    # Only the approved request; the forwarded and draft ones are not.
    assert (total["requests"], total["approved"], total["spent"]) == (1, Decimal("80000"), Decimal("30000"))
    # The tambon's approved Q1 result and the province's own; submitted and returned ones are not.
    assert total["results"] == 2


def test_country_groups_by_region_and_leaves_out_bangkoks_draft(world):
    summary = selectors.area_summary(selectors.find_area("country"), YEAR)
    assert summary["total"]["planned"] == Decimal("85000")
    rows = {r["code"]: r for r in selectors.child_rows(selectors.find_area("country"), summary)}
    assert rows["north"]["plans"] == 2 and rows["north"]["approved"] == Decimal("80000")
    assert rows["central"]["plans"] == 0 and rows["central"]["planned"] == 0


def test_tambon_page_shows_the_plan_its_projects_and_masked_contacts(client, world):
    response = client.get(f"/open/tambon/500105/?year={YEAR}")
    assert response.status_code == 200
    html = text_of(response)
    assert "กลุ่มออมทรัพย์" in html and "ตลาดชุมชน" in html
    assert "60,000.00" in html  # project 1's 2568 lines: 50,000 + 10,000
    assert "90,000.00" in html  # project 1, all years: + 30,000 in 2569
    assert "[โทรศัพท์ถูกซ่อน/phone hidden]" in html  # the vision's phone number
    assert "หนี้สินครัวเรือน" in html
    assert "12" in html and "20" in html  # approved Q1 result and the year's target
    for secret in SECRETS:
        assert secret not in html, secret


def test_project_page_masks_names_and_contacts_and_hides_private_plans(client, world):
    p1 = world["projects"][0]
    html = text_of(client.get(f"/open/project/{p1.pk}/"))
    assert "[ชื่อบุคคลถูกซ่อน/name hidden]" in html and "[อีเมลถูกซ่อน/e-mail hidden]" in html
    for secret in SECRETS:
        assert secret not in html, secret
    for project in world["hidden"].values():
        assert client.get(f"/open/project/{project.pk}/").status_code == 404


def test_unknown_areas_are_404(client, world):
    for url in ("/open/region/nowhere/", "/open/province/99/", "/open/tambon/999999/", "/open/data/nothing/"):
        assert client.get(url).status_code == 404, url


def test_pages_are_public_cacheable_and_set_no_cookie(client, world):
    response = client.get("/open/province/50/")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=300" in cache_control
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert response["ETag"] and response["Last-Modified"]
    assert "csrfmiddlewaretoken" not in text_of(response)
    again = client.get("/open/province/50/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_signed_in_visitors_get_the_same_page(client, world):
    from accounts.tests.factories import central_staff

    anonymous = client.get(f"/open/province/50/?year={YEAR}")
    client.force_login(central_staff())
    signed_in = client.get(f"/open/province/50/?year={YEAR}")
    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "")


def test_language_comes_from_the_url_and_the_cache_keeps_both(client, world):
    thai = client.get(f"/open/?year={YEAR}")
    english = client.get(f"/open/?year={YEAR}&lang=en")
    assert '<html lang="th">' in text_of(thai) and '<html lang="en">' in text_of(english)
    assert "By region" in text_of(english) and "By region" not in text_of(thai)
    assert english["Content-Language"] == "en"
    # A cookie asking for English does not change the Thai URL's page (it is cached by URL).
    client.cookies["django_language"] = "en"
    assert client.get(f"/open/?year={YEAR}").content == thai.content


def test_the_server_cache_serves_repeat_requests_without_queries(client, world, django_assert_max_num_queries):
    cache.clear()
    client.get("/open/province/50/")
    with django_assert_max_num_queries(0):
        assert client.get("/open/province/50/").status_code == 200


@pytest.mark.parametrize("url", ["/open/", "/open/region/north/", "/open/province/50/", "/open/tambon/500105/"])
def test_each_page_reads_a_bounded_number_of_queries(client, world, url, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(20):
        assert client.get(f"{url}?year={YEAR}").status_code == 200


def test_query_count_does_not_grow_with_the_number_of_tambons(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workstreams.tests.factories import ProjectBudgetFactory, ProjectFactory, TambonPlanFactory

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/open/province/50/?year={YEAR}")
        return len(ctx)

    before = count()
    from areas.models import Subdistrict

    for tambon in Subdistrict.objects.filter(province__code="50").order_by("-code")[:5]:
        plan = TambonPlanFactory(tambon=tambon, status="accepted", period_start_be=YEAR, period_end_be=YEAR + 2)
        ProjectBudgetFactory(project=ProjectFactory(plan=plan, number=1), fiscal_year=YEAR, amount=Decimal("1"))
    assert count() == before


def test_post_is_refused(client, world):
    assert client.post("/open/").status_code == 405


def test_year_chooser_defaults_to_the_current_fiscal_year(client, world):
    from codi_plans.thai_calendar import current_fiscal_year

    html = text_of(client.get("/open/"))
    assert re.search(rf'<option value="{current_fiscal_year()}"\s+selected>', html)


def test_items_of_a_draft_codi_plan_are_not_named(client, world):
    """A project linked to a rolled-forward plan's draft items shows neither their names nor their codes."""
    from strategies.models import PlanNode
    from workstreams.tests.factories import ProjectFactory

    workstream = PlanNode.objects.create(
        code="WS-DRAFT-X", kind="workstream", name_th="DRAFT-NODE-SECRET", is_draft=True
    )
    goal = PlanNode.objects.create(
        code="WS-DRAFT-X-G1", kind="goal", name_th="DRAFT-GOAL", parent=workstream, is_draft=True
    )
    programme = PlanNode.objects.create(
        code="WS-DRAFT-X-P1", kind="programme", name_th="DRAFT-PROGRAMME-SECRET", parent=goal, is_draft=True
    )
    project = ProjectFactory(plan=world["accepted"], number=3, workstream=workstream, goal=goal, programme=programme)
    pages = [f"/open/tambon/500105/?year={YEAR}", f"/open/project/{project.pk}/", "/open/data/projects.csv"]
    for url in pages:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8-sig")
        assert response.status_code == 200
        for secret in ("DRAFT-NODE-SECRET", "DRAFT-PROGRAMME-SECRET", "WS-DRAFT-X"):
            assert secret not in text, (url, secret)
