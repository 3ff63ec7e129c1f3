"""A representative writes a tambon plan with three projects on a 360 px touch phone; the test counts the steps.

Every tap and every field filled (select, fill, check) is one step; the page loads those taps cause are not.
Measured on the forms as they were before issue 12: 95 steps (log in 3, start 2, profile 7, problems 4,
three projects 26 each, submit 1).
"""

import re

import pytest

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from codi_plans.thai_calendar import fiscal_year_range
from strategies.models import PlanNode
from workstreams.models import PlanStatus, TambonPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}

PROFILE = {
    "households": "1240",
    "population": "4105",
    "main_occupations": "ทำนา ปลูกลำไย รับจ้าง",
    "average_household_income": "185000.50",
    "capital_people": "ปราชญ์ชาวบ้าน 12 คน",
    "vision": "ช้างคลานน่าอยู่ ชุมชนพึ่งตนเอง",
}
PROBLEMS = ["น้ำท่วมซ้ำซาก", "หนี้นอกระบบ"]
# (class, workstream, goal, programme, name, [(year index, source, amount)], (indicator, unit, target))
PROJECTS = [
    (
        "self",
        "WS-ECONOMY",
        "WS-ECONOMY-G1",
        "WS-ECONOMY-G1-P1",
        "กลุ่มออมทรัพย์และแปรรูปลำไย",
        [(0, "codi", "15000.50"), (1, "codi", "12000"), (2, "community", "2500")],
        ("ครัวเรือนที่เข้าร่วม", "ครัวเรือน", "120"),
    ),
    (
        "support",
        "WS-HOUSING",
        "WS-HOUSING-G1",
        "WS-HOUSING-G1-P1",
        "ซ่อมบ้านผู้มีรายได้น้อย",
        [(0, "codi", "30000.25"), (1, "codi", "20000"), (2, "local_government", "5000")],
        ("บ้านที่ซ่อมแล้ว", "หลัง", "25"),
    ),
    (
        "joint",
        "WS-WELFARE",
        "WS-WELFARE-G1",
        "WS-WELFARE-G1-P1",
        "กองทุนสวัสดิการชุมชน",
        [(0, "codi", "10000"), (1, "codi", "10000"), (2, "community", "6000")],
        ("สมาชิกกองทุน", "คน", "300"),
    ),
]


class Steps:
    """Drive the page as a thumb would, counting each tap and each field filled."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector, navigates=False):
        self.count += 1
        target = self.page.locator(selector).first
        if navigates:
            with self.page.expect_navigation():
                target.tap()
        else:
            target.tap()

    def fill(self, selector, value):
        self.count += 1
        self.page.fill(selector, value)

    def select(self, selector, value):
        self.count += 1
        self.page.select_option(selector, value)

    def check(self, selector):
        self.count += 1
        self.page.check(selector)


@pytest.fixture
def phone(browser_page, live_server):
    """A touch phone 360 x 740 px."""
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def node_id(code):
    return str(PlanNode.objects.get(code=code).pk)


def test_a_rep_writes_a_plan_with_three_projects_on_a_phone(phone):
    rep = users.community_rep("500105", username="rep-phone", first_name="สมศรี")
    steps = Steps(phone)

    phone.goto("/accounts/login/?next=/tambon-plans/")
    steps.fill("input[name=username]", rep.username)
    steps.fill("input[name=password]", PASSWORD)
    steps.tap("form.stack button[type=submit]", navigates=True)
    phone.wait_for_url(re.compile(r"/tambon-plans/$"))

    steps.select("select[name=tambon]", phone.locator("select[name=tambon] option").nth(1).get_attribute("value"))
    steps.tap("#start button[type=submit]", navigates=True)
    phone.wait_for_url(re.compile(r"/tambon-plans/\d+/edit/$"))
    plan = TambonPlan.objects.get(tambon__code="500105")
    years = list(plan.fiscal_years)
    first_day, _unused = fiscal_year_range(years[0])
    _unused, last_day = fiscal_year_range(years[-1])

    for name, value in PROFILE.items():
        selector = "textarea" if name in ("main_occupations", "capital_people", "vision") else "input"
        steps.fill(f"{selector}[name={name}]", value)
    steps.tap("#profile-form button[type=submit]", navigates=True)

    steps.tap("#edit-problems", navigates=True)
    for i, title in enumerate(PROBLEMS):
        steps.fill(f"input[name=problems-{i}-title]", title)
    steps.tap("#problems-form button[type=submit]", navigates=True)

    for klass, workstream, goal, programme, name, budget, indicator in PROJECTS:
        steps.tap("#add-project", navigates=True)
        steps.check(f"input[name=project_class][value={klass}]")
        steps.select("select[name=workstream]", node_id(workstream))
        steps.select("select[name=goal]", node_id(goal))
        steps.select("select[name=programme]", node_id(programme))
        steps.fill("input[name=name]", name)
        steps.fill("textarea[name=rationale]", f"เหตุผลของ{name}")
        steps.fill("textarea[name=objectives]", "เพื่อให้ชุมชนพึ่งตนเองได้")
        steps.fill("input[name=start_date]", first_day.isoformat())
        steps.fill("input[name=end_date]", last_day.isoformat())
        steps.fill("input[name=responsible_body]", "สภาองค์กรชุมชนตำบลช้างคลาน")
        for i, (year, source, amount) in enumerate(budget):
            if not phone.locator(f"select[name=budget-{i}-fiscal_year]").count():
                steps.tap("#budget-formset [data-add-row]")
            steps.select(f"select[name=budget-{i}-fiscal_year]", str(years[year]))
            steps.select(f"select[name=budget-{i}-source]", source)
            steps.fill(f"input[name=budget-{i}-amount]", amount)
        steps.fill("input[name=indicators-0-name]", indicator[0])
        steps.fill("input[name=indicators-0-unit]", indicator[1])
        steps.fill("input[name=indicators-0-target_value]", indicator[2])
        steps.select("select[name=indicators-0-target_year_be]", str(years[-1]))
        steps.tap("#project-form button[type=submit]", navigates=True)

    steps.tap("#submit-form button[type=submit]", navigates=True)
    phone.wait_for_url(f"**/tambon-plans/{plan.pk}/")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert [p.title for p in plan.problems.order_by("rank")] == PROBLEMS
    assert plan.projects.count() == 3
    assert plan.projects.get(number=2).budget_lines.count() == 3
    print(f"steps to write and submit a plan with three projects at 360 px: {steps.count}")
    assert steps.count == 95
