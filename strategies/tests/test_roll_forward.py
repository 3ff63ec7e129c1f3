"""Rolling CODI's action plan forward into a draft for a later period, and publishing it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator
from strategies import selectors
from strategies.models import CHAIN_KINDS, NodeKind, PlanNode
from strategies.services import (
    copy_code,
    create_plan_node,
    descendant_ids,
    move_plan_node,
    publish_plan,
    roll_forward_plan,
    update_plan_node,
)

pytestmark = pytest.mark.django_db


def seed_plan() -> PlanNode:
    return PlanNode.objects.get(code="CODI-AP")


def tree_snapshot(plan: PlanNode) -> dict:
    """Every row of a plan's tree and every alignment link, as plain values, to compare before and after."""
    ids = {plan.pk} | descendant_ids(plan)
    rows = sorted(PlanNode.objects.filter(pk__in=ids).values(), key=lambda r: r["id"])
    links = sorted(
        PlanNode.aligns_to.through.objects.filter(from_plannode_id__in=ids).values_list(
            "from_plannode_id", "to_plannode_id"
        )
    )
    return {"rows": rows, "links": links}


def test_roll_forward_copies_the_structure_as_a_draft_with_derived_codes():
    staff = central_staff()
    old = seed_plan()
    new = roll_forward_plan(plan=old, period_start_be=2569, period_end_be=2571, by=staff)
    assert new.code == "CODI-AP-2569"
    assert (new.period_start_be, new.period_end_be) == (2569, 2571)
    assert new.is_draft and new.copied_from == old
    assert "2569 - 2571" in new.name_th and "2563" not in new.name_th
    copies = PlanNode.objects.filter(pk__in=descendant_ids(new))
    assert all(node.is_draft for node in copies)
    economy = PlanNode.objects.get(code="WS-ECONOMY-2569")
    assert economy.parent == new and economy.copied_from.code == "WS-ECONOMY"
    # Workstreams, goals and programmes are all there; the annual plan of 2563 stays behind.
    old_kinds = PlanNode.objects.filter(pk__in=descendant_ids(old)).exclude(
        kind__in=["codi_annual_plan", "annual_programme"]
    )
    assert copies.count() == old_kinds.count()
    assert not copies.filter(kind=NodeKind.CODI_ANNUAL_PLAN).exists()
    assert {n.copied_from_id for n in copies} == {n.pk for n in old_kinds}
    assert all(len(n.code) <= 40 for n in copies)


def test_roll_forward_keeps_the_alignment_to_the_same_national_items():
    old = seed_plan()
    new = roll_forward_plan(plan=old, period_start_be=2569, period_end_be=2571, by=central_staff())
    assert set(new.aligns_to.all()) == set(old.aligns_to.all()) != set()
    for copy in PlanNode.objects.filter(pk__in=descendant_ids(new)).select_related("copied_from"):
        assert set(copy.aligns_to.all()) == set(copy.copied_from.aligns_to.all())


def test_roll_forward_records_history_with_the_user():
    staff = central_staff()
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    record = new.history.earliest()
    assert record.history_user == staff and record.history_change_reason == "rolled forward"


def test_published_plans_are_never_rewritten_by_roll_forward_and_publish():
    staff = central_staff()
    old = seed_plan()
    before = tree_snapshot(old)
    new = roll_forward_plan(plan=old, period_start_be=2569, period_end_be=2571, by=staff)
    economy = PlanNode.objects.get(code="WS-ECONOMY-2569")
    update_plan_node(node=economy, by=staff, expected_revision=economy.revision, name_th="เศรษฐกิจชุมชนรอบใหม่")
    publish_plan(plan=new, by=staff)
    assert tree_snapshot(old) == before


def test_drafts_are_invisible_to_everyone_but_central_staff():
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=central_staff())
    for user in (community_rep("500105"), provincial_coordinator("50")):
        visible = PlanNode.objects.visible_to(user)
        assert not visible.filter(pk__in={new.pk} | descendant_ids(new)).exists()
    assert selectors.plan_in_force(2570) is None


def test_publishing_makes_the_whole_tree_public_and_in_force():
    staff = central_staff()
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    publish_plan(plan=new, by=staff)
    assert not PlanNode.objects.filter(pk__in={new.pk} | descendant_ids(new), is_draft=True).exists()
    assert selectors.plan_in_force(2570) == new
    assert new.history.latest().history_change_reason == "published"
    assert PlanNode.objects.visible_to(community_rep("500105")).filter(code="WS-ECONOMY-2569").exists()
    with pytest.raises(ValidationError):
        publish_plan(plan=new, by=staff)


def test_publishing_refuses_a_period_another_published_plan_has():
    staff = central_staff()
    first = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    publish_plan(plan=first, by=staff)
    # A second draft for the same period can only come from the editor (roll forward refuses it).
    PlanNode.objects.filter(pk=first.pk).update(period_start_be=2570)
    second = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    PlanNode.objects.filter(pk=first.pk).update(period_start_be=2569)
    with pytest.raises(ValidationError) as error:
        publish_plan(plan=second, by=staff)
    assert error.value.code == "period_taken"


@pytest.mark.parametrize("user", [lambda: community_rep("500105"), lambda: provincial_coordinator("50")])
def test_only_central_staff_roll_forward_and_publish(user):
    person = user()
    with pytest.raises(PermissionDenied):
        roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=person)
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=central_staff())
    with pytest.raises(PermissionDenied):
        publish_plan(plan=new, by=person)
    assert PlanNode.objects.get(pk=new.pk).is_draft


def test_read_only_staff_and_drafts_cannot_be_rolled_forward():
    staff = central_staff()
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    with pytest.raises(PermissionDenied):
        roll_forward_plan(plan=new, period_start_be=2572, period_end_be=2574, by=staff)
    economy = PlanNode.objects.get(code="WS-ECONOMY")
    with pytest.raises(PermissionDenied):
        roll_forward_plan(plan=economy, period_start_be=2569, period_end_be=2571, by=staff)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (2563, 2565, "period_start_be"),  # same start as the source
        (2560, 2562, "period_start_be"),  # before it
        (2571, 2569, "period_end_be"),  # reversed
        (2026, 2028, "period_start_be"),  # C.E., not B.E.
        ("", 2571, "period_start_be"),  # missing
        (25690, 2571, "period_start_be"),  # not a 4-digit year
    ],
)
def test_bad_periods_are_refused_with_a_reason(first, last, field):
    with pytest.raises(ValidationError) as error:
        roll_forward_plan(plan=seed_plan(), period_start_be=first, period_end_be=last, by=central_staff())
    assert field in error.value.message_dict
    assert not PlanNode.objects.filter(code="CODI-AP-2569").exists()


def test_thai_digits_are_read_as_years():
    new = roll_forward_plan(plan=seed_plan(), period_start_be="๒๕๖๙", period_end_be="๒๕๗๑", by=central_staff())
    assert (new.period_start_be, new.period_end_be) == (2569, 2571)


def test_rolling_the_same_period_twice_is_refused():
    staff = central_staff()
    roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    count = PlanNode.objects.count()
    with pytest.raises(ValidationError) as error:
        roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    assert "period_start_be" in error.value.message_dict
    assert PlanNode.objects.count() == count


def test_a_plan_rolled_forward_again_gets_codes_from_its_lineage():
    staff = central_staff()
    second = roll_forward_plan(plan=seed_plan(), period_start_be=2566, period_end_be=2568, by=staff)
    publish_plan(plan=second, by=staff)
    third = roll_forward_plan(plan=second, period_start_be=2569, period_end_be=2571, by=staff)
    assert third.code == "CODI-AP-2569"
    assert PlanNode.objects.get(code="WS-ECONOMY-2569").copied_from.code == "WS-ECONOMY-2566"


def test_copy_codes_stay_unique_and_within_forty_characters():
    taken = {"WS-ECONOMY-2569"}
    assert copy_code("WS-ECONOMY", 2569, taken) == "WS-ECONOMY-2569-2"
    long = copy_code("X" * 40, 2569, set())
    assert len(long) == 40 and long.endswith("-2569")


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_staff_roll_forward_and_publish_in_the_browser_pages(client):
    staff = central_staff()
    client.force_login(staff)
    page = client.get(reverse("strategies:node", args=["CODI-AP"])).content.decode()
    assert 'data-action="roll-forward"' in page
    form = client.get(reverse("strategies:roll_forward", args=["CODI-AP"])).content.decode()
    assert 'value="2570"' in form and 'value="2572"' in form  # the year after, or this year: as long as the old plan
    response = client.post(
        reverse("strategies:roll_forward", args=["CODI-AP"]), {"period_start_be": "2569", "period_end_be": "2571"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("strategies:node", args=["CODI-AP-2569"])
    draft_page = client.get(reverse("strategies:node", args=["CODI-AP-2569"])).content.decode()
    assert 'data-action="publish"' in draft_page and 'data-plan-state="draft"' in draft_page
    assert 'data-action="roll-forward"' not in draft_page
    response = client.post(reverse("strategies:publish", args=["CODI-AP-2569"]))
    assert response.status_code == 302
    browser = client.get(reverse("strategies:tree")).content.decode()
    assert 'data-plan="CODI-AP-2569"' in browser and 'data-plan-state="in_force"' in browser
    assert 'data-plan-state="past"' in browser


def test_a_bad_period_is_shown_on_the_form(client):
    client.force_login(central_staff())
    response = client.post(
        reverse("strategies:roll_forward", args=["CODI-AP"]), {"period_start_be": "2563", "period_end_be": "2565"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_start_be"]
    assert not PlanNode.objects.filter(code="CODI-AP-2569").exists()


def test_others_see_no_drafts_and_no_cycle_buttons(client):
    roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=central_staff())
    client.force_login(community_rep("500105"))
    browser = client.get(reverse("strategies:tree")).content.decode()
    assert "CODI-AP-2569" not in browser and 'data-plan="CODI-AP"' in browser
    assert client.get(reverse("strategies:node", args=["CODI-AP-2569"])).status_code == 404
    assert client.get(reverse("strategies:publish", args=["CODI-AP-2569"])).status_code == 404
    assert client.get(reverse("strategies:roll_forward", args=["CODI-AP"])).status_code == 403
    assert 'data-action="roll-forward"' not in client.get(reverse("strategies:node", args=["CODI-AP"])).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("strategies:roll_forward", args=["CODI-AP"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_items_added_to_a_draft_are_drafts_and_cannot_move_into_a_published_plan():
    staff = central_staff()
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    economy = PlanNode.objects.get(code="WS-ECONOMY-2569")
    goal = create_plan_node(parent=economy, kind=NodeKind.GOAL, by=staff, name_th="เป้าหมายใหม่")
    assert goal.is_draft
    with pytest.raises(ValidationError):
        move_plan_node(
            node=goal, new_parent=PlanNode.objects.get(code="WS-ECONOMY"), by=staff, expected_revision=goal.revision
        )
    publish_plan(plan=new, by=staff)
    assert not PlanNode.objects.get(pk=goal.pk).is_draft


def test_pickers_for_a_year_read_the_plan_then_in_force_and_never_drafts():
    staff = central_staff()
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=staff)
    codes = lambda year: set(selectors.plan_items(NodeKind.WORKSTREAM, fiscal_year=year).values_list("code", flat=True))  # noqa: E731
    old = {"WS-COUNCIL", "WS-ECONOMY", "WS-WELFARE", "WS-HOUSING"}
    assert codes(2570) == old  # the draft is never offered; the last published plan is, for reference
    publish_plan(plan=new, by=staff)
    assert codes(2570) == {f"{code}-2569" for code in old}
    assert codes(2564) == old  # a past year keeps the plan in force then
    goals = selectors.plan_items(NodeKind.GOAL, NodeKind.PROGRAMME, fiscal_year=2564)
    assert goals.exists() and not goals.filter(code__endswith="-2569").exists()


def test_roll_forward_leaves_the_national_chain_alone_and_keeps_links_to_it():
    """The eMENSCR chain (Z, Y2, sub-plans, Y1) is national: a new CODI plan links to the same targets, never copies."""
    from .factories import demo_chain

    chain = demo_chain("MP-2561-16")
    economy = PlanNode.objects.get(code="WS-ECONOMY-G1-P1")
    economy.aligns_to.add(chain["y1"])
    national = set(PlanNode.objects.filter(kind__in=CHAIN_KINDS).values_list("pk", flat=True))
    new = roll_forward_plan(plan=seed_plan(), period_start_be=2569, period_end_be=2571, by=central_staff())
    assert set(PlanNode.objects.filter(kind__in=CHAIN_KINDS).values_list("pk", flat=True)) == national
    copy = PlanNode.objects.get(copied_from=economy, pk__in=descendant_ids(new))
    assert chain["y1"] in copy.aligns_to.all()
