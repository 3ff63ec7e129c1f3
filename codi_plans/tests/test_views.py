import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_plan_hierarchy_in_thai_with_the_headline_targets(client, reference_data):
    # A browser set to English still gets Thai: Thai is the default until the user switches.
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="th">' in body
    for text in ("สภาองค์กรชุมชน", "เศรษฐกิจฐานราก", "สวัสดิการชุมชน", "การพัฒนาที่อยู่อาศัย", "ยุทธศาสตร์ชาติ"):
        assert text in body
    for target in ("3,500", "6,000", "100"):
        assert f'<span class="value">{target}</span>' in body


def test_language_switch_changes_the_page_to_english(client, reference_data):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Grassroots Economy" in body


def test_home_runs_a_fixed_number_of_queries(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(reverse("home"))


def test_health_reports_the_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_pages_are_served_with_local_assets_only(client, reference_data):
    body = client.get(reverse("home")).content.decode()
    assert "https://" not in body.split("<body>")[0]  # nothing in <head> comes from another host
    css = client.get("/static/css/app.css")
    assert css.status_code == 200
    font = client.get("/static/fonts/sarabun/Sarabun-Regular.ttf")
    assert font.status_code == 200


def test_admin_is_a_staff_back_office(client, reference_data):
    from accounts.tests.factories import central_staff, community_rep

    client.force_login(community_rep())
    assert client.get("/admin/").status_code == 302
    client.force_login(central_staff())
    assert client.get("/admin/strategies/plannode/").status_code == 200


def test_the_menu_shows_each_role_only_what_it_can_open(client, reference_data):
    from accounts.tests.factories import budget_viewer, central_staff, community_rep, provincial_coordinator

    def menu(user=None):
        if user is not None:
            client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        return html.split('class="main-nav"')[1].split("</nav>")[0]

    anonymous = menu()
    assert reverse("strategies:tree") in anonymous and reverse("areas:index") in anonymous
    assert reverse("indicators:dashboard") not in anonymous  # the dashboard needs an account
    review, admin = reverse("workstreams:review"), reverse("admin:index")
    for user, sees_review, sees_admin in (
        (community_rep("500105"), False, False),
        (budget_viewer(), False, False),
        (provincial_coordinator("50"), True, False),
        (central_staff(), True, True),
    ):
        html = menu(user)
        assert reverse("indicators:dashboard") in html and reverse("budgets:index") in html
        assert (review in html) == sees_review and (admin in html) == sees_admin, user.role
