import re

import pytest
from django.urls import reverse

from strategies.models import PlanNode

from .domain_checklist import SECTION_2_ITEMS

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="/plans/([^/"]+)/"')


def test_plan_browser_reaches_every_section_2_item_by_following_links(client, reference_data):
    """Walk the browser from its first page, following links only, until every item is found."""
    seen, queue = set(), [reverse("strategies:tree")]
    pages = {}
    while queue:
        url = queue.pop()
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for code in LINK.findall(body):
            if code not in seen:
                seen.add(code)
                queue.append(reverse("strategies:node", args=[code]))
        if url != reverse("strategies:tree"):
            pages[url.rstrip("/").rsplit("/", 1)[-1]] = body
    # /plans/chain/ (the eMENSCR chain overview) is a page, not a plan item.
    assert seen - {"chain"} == set(PlanNode.objects.values_list("code", flat=True))
    for code, text in SECTION_2_ITEMS:
        assert text in pages[code], (code, text)


def test_workstream_goal_shows_the_whole_chain_up_to_the_national_strategy(client, reference_data):
    body = client.get(reverse("strategies:node", args=["WS-ECONOMY-G1"])).content.decode().split("<main")[1]
    chain = ["ยุทธศาสตร์ชาติ", "ด้านการสร้างโอกาสและความเสมอภาคทางสังคม", "แผนปฏิบัติการระยะ 3 ปี", "เศรษฐกิจฐานราก"]
    positions = [body.index(text) for text in chain]
    assert positions == sorted(positions)


def test_national_item_lists_the_codi_items_that_serve_it(client, reference_data):
    body = client.get(reverse("strategies:node", args=["MP-2561-16"])).content.decode()
    assert 'href="/plans/WS-ECONOMY/"' in body


def test_unknown_item_is_404(client, reference_data):
    assert client.get(reverse("strategies:node", args=["NOPE"])).status_code == 404


def test_plan_detail_query_count_is_small(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("strategies:node", args=["WS-COUNCIL"]))


def test_unnamed_programmes_show_as_placeholders_on_the_plan_tree_and_their_page(client, reference_data):
    body = client.get(reverse("strategies:tree")).content.decode()
    assert '<span class="name placeholder">แผนงานตามเป้าหมายที่ 1</span>' in body
    assert "ฟื้นฟูและพัฒนาพื้นที่เศรษฐกิจและทุนชุมชนเดิม<" not in body  # the name once invented from goal 1
    body = client.get(reverse("strategies:node", args=["WS-HOUSING-G10-P1"])).content.decode()
    assert '<h1 class="placeholder">แผนงานตามเป้าหมายที่ 10</h1>' in body


def test_the_api_gives_unnamed_programmes_as_placeholders(reference_data):
    from rest_framework.test import APIClient

    from accounts.tests.factories import api_client_user

    client = APIClient()
    client.force_authenticate(api_client_user())
    node = client.get("/api/v1/plan-nodes/WS-WELFARE-G3-P1/").json()
    assert (node["name_th"], node["name_known"]) == ("แผนงานตามเป้าหมายที่ 3", False)
    programmes = client.get("/api/v1/plan-nodes/", {"kind": "programme", "parent": "WS-ECONOMY-G7"}).json()
    assert [(n["code"], n["name_known"]) for n in programmes["results"]] == [("WS-ECONOMY-G7-P1", False)]


# --- Editing CODI's plans in the browser: views ------------------------------------------------------

from django.test import Client  # noqa: E402

from accounts.tests.factories import PASSWORD, budget_viewer, central_staff, community_rep, regional_staff  # noqa: E402
from strategies.services import set_alignment, update_plan_node  # noqa: E402

EDIT_URLS = [
    ("strategies:edit", ["WS-COUNCIL-P10"]),
    ("strategies:add", ["WS-COUNCIL", "goal"]),
    ("strategies:alignment", ["WS-COUNCIL-G1"]),
    ("strategies:move", ["WS-COUNCIL-P10"]),
    ("strategies:delete", ["WS-COUNCIL-P21"]),
    ("strategies:history", ["WS-COUNCIL-P10"]),
    ("strategies:add_root", ["codi_action_plan"]),
]


@pytest.fixture
def staff_client(client, reference_data):
    client.force_login(central_staff(first_name="สมชาย", last_name="ใจดี"))
    return client


def edit_form(code, **changes):
    node = PlanNode.objects.get(code=code)
    data = {
        "number": node.number or "",
        "name_th": node.name_th,
        "name_en": node.name_en,
        "vision_th": node.vision_th,
        "vision_en": node.vision_en,
        "description_th": node.description_th,
        "description_en": node.description_en,
        "period_start_be": node.period_start_be or "",
        "period_end_be": node.period_end_be or "",
        "edition": node.edition,
        "target_value": node.target_value if node.target_value is not None else "",
        "target_unit_th": node.target_unit_th,
        "target_unit_en": node.target_unit_en,
        "target_year_be": node.target_year_be or "",
        "revision": node.revision,
    }
    if node.name_known:
        data["name_known"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("name, args", EDIT_URLS)
def test_anonymous_users_are_sent_to_log_in(client, reference_data, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("make_user", [lambda: regional_staff("north"), lambda: community_rep("500105"), budget_viewer])
@pytest.mark.parametrize("name, args", EDIT_URLS)
def test_non_staff_get_403_on_every_edit_view(client, reference_data, make_user, name, args):
    client.force_login(make_user())
    assert client.get(reverse(name, args=args)).status_code == 403
    # The history page is read-only: a POST is refused as a method before anything else.
    expected = 405 if name == "strategies:history" else 403
    assert client.post(reverse(name, args=args), {"revision": 1, "name_th": "x"}).status_code == expected
    assert PlanNode.objects.get(code="WS-COUNCIL-P10").name_th == "แผนงานที่ 10"


@pytest.mark.parametrize("name, args", [(n, ["NOPE", *a[1:]]) for n, a in EDIT_URLS if n != "strategies:add_root"])
def test_unknown_item_is_404_on_every_edit_view(staff_client, name, args):
    assert staff_client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(
    "name, args",
    [("strategies:edit", ["MP-2561-16"]), ("strategies:alignment", ["NS-4"]), ("strategies:add", ["HMP", "goal"])],
)
def test_national_items_are_read_only_for_staff_too(staff_client, name, args):
    assert staff_client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("args", [["WS-ECONOMY", "workstream"], ["WS-ECONOMY", "nonsense"]])
def test_a_kind_that_does_not_belong_under_the_item_is_404(staff_client, args):
    assert staff_client.get(reverse("strategies:add", args=args)).status_code == 404


def test_staff_see_edit_actions_and_others_do_not(client, staff_client, reference_data):
    body = staff_client.get(reverse("strategies:node", args=["WS-COUNCIL"])).content.decode()
    for action in ("edit", "add-goal", "add-programme", "alignment", "move", "delete", "history"):
        assert f'data-action="{action}"' in body, action
    national = staff_client.get(reverse("strategies:node", args=["MP-2561-16"])).content.decode()
    assert 'data-action="history"' in national and 'data-action="edit"' not in national
    anonymous = Client().get(reverse("strategies:node", args=["WS-COUNCIL"])).content.decode()
    assert "data-action=" not in anonymous
    assert 'data-action="add-codi_action_plan"' in staff_client.get(reverse("strategies:tree")).content.decode()


def test_staff_rename_a_placeholder(staff_client):
    url = reverse("strategies:edit", args=["WS-COUNCIL-P10"])
    assert 'name="revision" value="1"' in staff_client.get(url).content.decode()
    response = staff_client.post(url, edit_form("WS-COUNCIL-P10", name_th="แผนงานสื่อสารสาธารณะ", name_known="on"))
    assert response.status_code == 302 and response.url == reverse("strategies:node", args=["WS-COUNCIL-P10"])
    node = PlanNode.objects.get(code="WS-COUNCIL-P10")
    assert (node.name_th, node.name_known, node.revision) == ("แผนงานสื่อสารสาธารณะ", True, 2)


def test_a_validation_error_keeps_what_was_typed(staff_client):
    url = reverse("strategies:edit", args=["WS-ECONOMY"])
    form = edit_form("WS-ECONOMY", name_th="ชื่อที่พิมพ์ไว้", period_start_be=2566, period_end_be=2560)
    body = staff_client.post(url, form).content.decode()
    assert "ชื่อที่พิมพ์ไว้" in body and 'class="errorlist' in body
    assert PlanNode.objects.get(code="WS-ECONOMY").name_th == "เศรษฐกิจฐานราก"


def test_a_stale_save_shows_who_changed_what_and_keeps_the_typed_values(staff_client, reference_data):
    url = reverse("strategies:edit", args=["WS-COUNCIL-P10"])
    stale = edit_form("WS-COUNCIL-P10", name_th="ชื่อที่ฉันพิมพ์", vision_th="วิสัยทัศน์ที่ฉันพิมพ์")
    other = central_staff(first_name="สมหญิง", last_name="รักงาน")
    node = PlanNode.objects.get(code="WS-COUNCIL-P10")
    update_plan_node(node=node, by=other, expected_revision=1, name_th="ชื่อของสมหญิง")
    response = staff_client.post(url, stale)
    assert response.status_code == 200
    body = response.content.decode()
    conflict = body.split('id="conflict"')[1].split("</section>")[0]
    assert "สมหญิง รักงาน" in conflict and "ชื่อของสมหญิง" in conflict and "แผนงานที่ 10" in conflict
    assert "ชื่อที่ฉันพิมพ์" in body and "วิสัยทัศน์ที่ฉันพิมพ์" in body
    assert 'name="revision" value="2"' in body
    assert PlanNode.objects.get(code="WS-COUNCIL-P10").name_th == "ชื่อของสมหญิง"
    # Having seen theirs, a second save is deliberate and goes through.
    assert staff_client.post(url, {**stale, "revision": 2}).status_code == 302
    assert PlanNode.objects.get(code="WS-COUNCIL-P10").name_th == "ชื่อที่ฉันพิมพ์"


def test_every_post_needs_the_csrf_token(reference_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(central_staff())
    response = client.post(reverse("strategies:edit", args=["WS-COUNCIL-P10"]), edit_form("WS-COUNCIL-P10"))
    assert response.status_code == 403
    body = client.get(reverse("strategies:alignment", args=["WS-COUNCIL-G1"])).content.decode()
    assert 'name="csrfmiddlewaretoken"' in body


def test_alignment_form_groups_national_items_by_plan_and_saves(staff_client):
    url = reverse("strategies:alignment", args=["WS-ECONOMY"])
    body = staff_client.get(url).content.decode()
    groups = re.findall(r'<details class="checks" data-group="([^"]+)"( open)?', body)
    assert groups == [("NS", " open"), ("MP-2561", " open"), ("MP-2566", ""), ("RP", " open"), ("HMP", "")]
    assert 'value="MP-2561-16" id="align-MP-2561-16" checked' in body
    assert 'value="WS-COUNCIL"' not in body
    response = staff_client.post(url, {"targets": ["MP-2566-16", "RP-09-3"], "revision": 1})
    assert response.status_code == 302
    node = PlanNode.objects.get(code="WS-ECONOMY")
    assert set(node.aligns_to.values_list("code", flat=True)) == {"MP-2566-16", "RP-09-3"}
    detail = staff_client.get(reverse("strategies:node", args=["WS-ECONOMY"])).content.decode()
    assert 'href="/plans/MP-2566-16/"' in detail


def test_a_stale_alignment_names_the_other_links(staff_client, reference_data):
    other = central_staff(first_name="สมหญิง")
    set_alignment(
        node=PlanNode.objects.get(code="WS-COUNCIL-G1"),
        targets=[PlanNode.objects.get(code="MP-2566-15")],
        by=other,
        expected_revision=1,
    )
    url = reverse("strategies:alignment", args=["WS-COUNCIL-G1"])
    body = staff_client.post(url, {"targets": ["RP-09-1"], "revision": 1}).content.decode()
    conflict = body.split('id="conflict"')[1].split("</section>")[0]
    assert "สมหญิง" in conflict and "พลังทางสังคม" in conflict
    assert 'value="RP-09-1" id="align-RP-09-1" checked' in body


def test_staff_add_a_goal_then_move_and_delete_it(staff_client):
    url = reverse("strategies:add", args=["WS-ECONOMY", "goal"])
    response = staff_client.post(url, {"name_th": "เป้าหมายใหม่", "name_known": "on"})
    assert response.status_code == 302 and response.url == reverse("strategies:node", args=["WS-ECONOMY-G8"])
    programme = staff_client.post(
        reverse("strategies:add", args=["WS-ECONOMY-G8", "programme"]), {"name_th": "แผนงานใหม่"}
    )
    assert programme.url == reverse("strategies:node", args=["WS-ECONOMY-G8-P1"])
    move = staff_client.post(
        reverse("strategies:move", args=["WS-ECONOMY-G8-P1"]), {"new_parent": "WS-ECONOMY-G2", "revision": 1}
    )
    assert move.status_code == 302
    assert PlanNode.objects.get(code="WS-ECONOMY-G8-P1").parent.code == "WS-ECONOMY-G2"
    delete = staff_client.post(reverse("strategies:delete", args=["WS-ECONOMY-G8"]), {"revision": 1})
    assert delete.url == reverse("strategies:node", args=["WS-ECONOMY"])
    assert not PlanNode.objects.filter(code="WS-ECONOMY-G8").exists()


def test_moving_into_itself_is_not_offered_and_refused(staff_client):
    url = reverse("strategies:move", args=["WS-ECONOMY-G1"])
    body = staff_client.get(url).content.decode()
    assert 'value="WS-WELFARE"' in body and 'value="WS-ECONOMY-G1"' not in body
    assert staff_client.post(url, {"new_parent": "WS-ECONOMY-G1", "revision": 1}).status_code == 200
    assert PlanNode.objects.get(code="WS-ECONOMY-G1").parent.code == "WS-ECONOMY"


def test_deleting_an_item_that_holds_others_is_refused_with_a_reason(staff_client):
    url = reverse("strategies:delete", args=["WS-ECONOMY-G1"])
    assert "disabled" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"revision": 1})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert PlanNode.objects.filter(code="WS-ECONOMY-G1").exists()


def test_history_shows_who_when_what_and_alignment_changes(staff_client, reference_data):
    staff_client.post(
        reverse("strategies:edit", args=["WS-COUNCIL-G1"]),
        edit_form("WS-COUNCIL-G1", name_en="Support community organisations"),
    )
    staff_client.post(
        reverse("strategies:alignment", args=["WS-COUNCIL-G1"]), {"targets": ["MP-2566-15"], "revision": 2}
    )
    body = staff_client.get(reverse("strategies:history", args=["WS-COUNCIL-G1"])).content.decode()
    entries = body.split('class="history-entry"')[1:]
    assert "พลังทางสังคม" in entries[0].split('class="aligned"')[1] and "สมชาย ใจดี" in entries[0]
    assert "Support community organisations" in entries[1] and "สมชาย ใจดี" in entries[1]
    assert str(PlanNode._meta.get_field("name_en").verbose_name) in entries[1]
    assert "2569" in entries[0] or "25" in entries[0].split('class="when"')[1][:40]  # B.E. date


def test_history_query_count_does_not_grow_with_the_number_of_changes(
    staff_client, reference_data, django_assert_max_num_queries
):
    staff = central_staff()
    url = reverse("strategies:history", args=["WS-ECONOMY"])
    with django_assert_max_num_queries(10) as few:
        staff_client.get(url)
    for revision in range(1, 11):
        node = PlanNode.objects.get(code="WS-ECONOMY")
        update_plan_node(node=node, by=staff, expected_revision=revision, name_en=f"Grassroots economy {revision}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_renames_a_placeholder_and_aligns_a_goal_in_the_browser(browser_page):
    page = browser_page
    central_staff(username="plan-editor", first_name="สมชาย", last_name="ใจดี")
    page.goto(reverse("login") + "?next=" + reverse("strategies:node", args=["WS-COUNCIL-P10"]))
    page.fill("input[name=username]", "plan-editor")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-P10/")
    assert page.locator("h1.placeholder").count() == 1

    # Rename the placeholder programme on a phone-sized screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator("a[data-action=edit]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-P10/edit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_name_th", "แผนงานสื่อสารสาธารณะของสภาองค์กรชุมชน")
    page.check("#id_name_known")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-P10/")
    assert page.locator("main h1").inner_text() == "แผนงานสื่อสารสาธารณะของสภาองค์กรชุมชน"
    assert page.locator("h1.placeholder").count() == 0

    page.locator("a[data-action=history]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-P10/history/")
    latest = page.locator(".history-entry").first
    assert "สมชาย ใจดี" in latest.inner_text()
    assert "แผนงานที่ 10" in latest.locator(".change-old").all_inner_texts()
    assert "แผนงานสื่อสารสาธารณะของสภาองค์กรชุมชน" in latest.locator(".change-new").all_inner_texts()

    # Link a council goal to the revised master plan on social power (2566 edition).
    page.goto(reverse("strategies:node", args=["WS-COUNCIL-G1"]))
    page.locator("a[data-action=alignment]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-G1/alignment/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("details[data-group=MP-2566] > summary").click()
    page.check("#align-MP-2566-15")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-G1/")
    assert page.locator(f'main a[href="{reverse("strategies:node", args=["MP-2566-15"])}"]').count() >= 1

    page.locator("a[data-action=history]").click()
    page.wait_for_url("**/plans/WS-COUNCIL-G1/history/")
    latest = page.locator(".history-entry").first
    assert "สมชาย ใจดี" in latest.inner_text()
    assert "พลังทางสังคม" in latest.locator(".aligned").inner_text()


def test_the_admin_shows_plan_items_read_only_so_every_change_goes_through_the_services(client, reference_data):
    staff = central_staff()
    client.force_login(staff)
    node = PlanNode.objects.get(code="WS-COUNCIL-P13")
    url = f"/admin/strategies/plannode/{node.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and f'href="/plans/{node.code}/"' in page.content.decode()
    assert client.post(url, {"name_th": "แก้ในระบบหลังบ้าน", "kind": node.kind, "code": node.code}).status_code == 403
    assert client.get(f"/admin/strategies/plannode/{node.pk}/delete/").status_code == 403
    node.refresh_from_db()
    assert node.name_th != "แก้ในระบบหลังบ้าน" and node.revision == 1
