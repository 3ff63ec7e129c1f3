import importlib
import json

import pytest

from strategies.models import CHAIN_KINDS, NodeKind, PlanNode
from strategies.services import PLAN_HIERARCHY_FILE, load_plan_hierarchy

from .domain_checklist import COUNCIL_PROGRAMMES, SECTION_2_COUNTS, SECTION_2_ITEMS

pytestmark = pytest.mark.django_db


def test_every_section_2_item_is_loaded(reference_data):
    for code, _text in SECTION_2_ITEMS:
        assert PlanNode.objects.filter(code=code).exists(), code
    for parent, kind, count in SECTION_2_COUNTS:
        assert PlanNode.objects.filter(parent__code=parent, kind=kind).count() == count, (parent, kind)
    council = PlanNode.objects.filter(kind=NodeKind.PROGRAMME, code__startswith="WS-COUNCIL-P")
    assert council.count() == COUNCIL_PROGRAMMES
    assert council.filter(name_known=True).count() == 9  # the ones the seed names


def test_headline_targets(reference_data):
    targets = dict(PlanNode.objects.exclude(target_value=None).values_list("code", "target_value"))
    assert targets == {"WS-ECONOMY": 3500, "WS-WELFARE": 6000, "CODI-FY2563-P3": 100}
    assert PlanNode.objects.get(code="WS-ECONOMY").target_year_be == 2565


def test_codi_items_align_up_to_the_national_strategy(reference_data):
    issue = PlanNode.objects.get(code="NS-4-I4")
    assert issue.parent.code == "NS-4"
    for code in ("WS-COUNCIL", "WS-ECONOMY", "WS-WELFARE", "WS-HOUSING", "CODI-AP", "CODI-S"):
        assert issue in PlanNode.objects.get(code=code).aligns_to.all(), code
    served = set(PlanNode.objects.filter(served_by__code="CODI-AP").values_list("code", flat=True))
    assert {"MP-2561-15", "MP-2561-16", "MP-2561-17", "RP-09"} <= served
    assert PlanNode.objects.get(code="MP-2566").edition.startswith("2566")


def test_second_load_changes_nothing(reference_data):
    before = {n.code: (n.name_th, n.parent_id, n.updated_at) for n in PlanNode.objects.all()}
    history_before = PlanNode.history.count()
    report = load_plan_hierarchy()
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == len(json.loads(PLAN_HIERARCHY_FILE.read_text(encoding="utf-8")))
    assert {n.code: (n.name_th, n.parent_id, n.updated_at) for n in PlanNode.objects.all()} == before
    assert PlanNode.history.count() == history_before


def test_staff_edits_survive_a_reload_unless_update_is_asked(reference_data):
    node = PlanNode.objects.get(code="CODI-S-1")
    node.name_th = "ประเด็นยุทธศาสตร์ที่ 1 ที่เจ้าหน้าที่ตั้งชื่อ"
    node.save()
    load_plan_hierarchy()
    node.refresh_from_db()
    assert node.name_th.endswith("ที่เจ้าหน้าที่ตั้งชื่อ")
    report = load_plan_hierarchy(update=True)
    node.refresh_from_db()
    assert report.updated == 1 and node.name_th == "ประเด็นยุทธศาสตร์ที่ 1"


def test_the_loader_creates_missing_items(reference_data):
    PlanNode.objects.get(code="WS-HOUSING-G10").children.all().delete()
    PlanNode.objects.filter(code="WS-HOUSING-G10").delete()
    report = load_plan_hierarchy()
    assert report.created == 2
    assert PlanNode.objects.get(code="WS-HOUSING-G10").parent.code == "WS-HOUSING"


# --- Programmes the seed does not name ---------------------------------------------------------------
# The seed names the goals of the economy (7), welfare (5) and housing (10) workstreams but none of their
# programmes: each goal's one programme is a placeholder, like the council's unnamed programmes.
UNNAMED_PROGRAMMES = [
    *(f"WS-ECONOMY-G{n}-P1" for n in range(1, 8)),
    *(f"WS-WELFARE-G{n}-P1" for n in range(1, 6)),
    *(f"WS-HOUSING-G{n}-P1" for n in range(1, 11)),
]


def _migration():
    return importlib.import_module("strategies.migrations.0003_mark_unnamed_programmes")


def test_the_22_programmes_the_seed_does_not_name_are_placeholders(reference_data):
    assert len(UNNAMED_PROGRAMMES) == 22
    programmes = PlanNode.objects.filter(kind=NodeKind.PROGRAMME).exclude(code__startswith="WS-COUNCIL")
    assert set(programmes.values_list("code", flat=True)) == set(UNNAMED_PROGRAMMES)
    invented = _migration().INVENTED_NAMES
    for node in programmes.select_related("parent"):
        assert not node.name_known, node.code
        assert node.name_th == f"แผนงานตามเป้าหมายที่ {node.parent.number}"
        assert node.name_th != invented[node.code]
    # Every named programme left is one the seed names: the council's nine examples.
    named = PlanNode.objects.filter(kind=NodeKind.PROGRAMME, name_known=True)
    assert sorted(named.values_list("code", flat=True)) == [f"WS-COUNCIL-P0{n}" for n in range(1, 10)]


def test_the_migration_marks_an_existing_database_once_and_keeps_staff_names(reference_data, django_user_model):
    from django.apps import apps

    migration = _migration()
    invented = migration.INVENTED_NAMES
    # A database loaded before the fix: the invented names, marked as known.
    for code in UNNAMED_PROGRAMMES:
        PlanNode.objects.filter(code=code).update(name_th=invented[code], name_en="invented", name_known=True)
    PlanNode.objects.filter(code="WS-WELFARE-G2-P1").update(name_th="ชื่อที่เจ้าหน้าที่ตั้ง")
    revision = PlanNode.objects.get(code="WS-ECONOMY-G1-P1").revision
    history_before = PlanNode.history.count()

    migration.mark_unnamed_programmes(apps, None)

    economy = PlanNode.objects.get(code="WS-ECONOMY-G1-P1")
    assert (economy.name_th, economy.name_known) == ("แผนงานตามเป้าหมายที่ 1", False)
    assert economy.name_en == "Programme for goal 1 (name not given in the seed)"
    assert economy.revision == revision + 1
    assert economy.history.latest().history_change_reason.startswith("programme name not given")
    renamed = PlanNode.objects.get(code="WS-WELFARE-G2-P1")
    assert (renamed.name_th, renamed.name_known) == ("ชื่อที่เจ้าหน้าที่ตั้ง", True)
    assert PlanNode.history.count() == history_before + 21
    # The migration leaves the items as a fresh load from the data file would.
    by_file = {r["code"]: r for r in json.loads(PLAN_HIERARCHY_FILE.read_text(encoding="utf-8"))}
    assert economy.description_th == by_file["WS-ECONOMY-G1-P1"]["description_th"]
    assert economy.name_en == by_file["WS-ECONOMY-G1-P1"]["name_en"]

    migration.mark_unnamed_programmes(apps, None)
    assert PlanNode.history.count() == history_before + 21


# --- Editing CODI's plans in the browser: services ---------------------------------------------------

from decimal import Decimal  # noqa: E402

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402

from accounts.tests.factories import (  # noqa: E402
    api_client_user,
    budget_viewer,
    central_staff,
    community_rep,
    provincial_coordinator,
    regional_staff,
)
from codi_plans.concurrency import EditConflict  # noqa: E402
from strategies import permissions  # noqa: E402
from strategies.models import NATIONAL_KINDS  # noqa: E402
from strategies.services import (  # noqa: E402
    create_plan_node,
    delete_plan_node,
    move_plan_node,
    set_alignment,
    update_plan_node,
)

from .factories import PlanNodeFactory, codi_tree  # noqa: E402

NON_STAFF = {
    "regional staff": lambda: regional_staff("north"),
    "provincial coordinator": lambda: provincial_coordinator("50"),
    "community rep": lambda: community_rep("500105"),
    "budget viewer": budget_viewer,
    "api client": api_client_user,
}


def node(code) -> PlanNode:
    return PlanNode.objects.get(code=code)


def last_history(code):
    return node(code).history.order_by("-history_date", "-history_id").first()


@pytest.fixture
def staff(reference_data):
    return central_staff(first_name="สมชาย", last_name="ใจดี")


@pytest.fixture(params=sorted(NON_STAFF))
def non_staff(request, reference_data):
    return NON_STAFF[request.param]()


# Permissions


def test_central_staff_may_edit_every_codi_level_kind(staff):
    for kind in permissions.EDITABLE_KINDS:
        assert permissions.can_edit_plan_node(staff, PlanNode(kind=kind)), kind


def test_national_items_are_read_only_even_for_central_staff(staff):
    # The eMENSCR chain's items (Z, Y2, sub-plans, Y1) are the exception: the seed lacks them, staff enter them.
    for kind in set(NATIONAL_KINDS) - set(CHAIN_KINDS):
        assert not permissions.can_edit_plan_node(staff, PlanNode(kind=kind)), kind
        assert not permissions.can_add_plan_node(staff, PlanNode(kind=kind), NodeKind.PROGRAMME), kind


def test_nobody_but_central_staff_may_edit_the_plan(non_staff):
    programme = node("WS-COUNCIL-P10")
    assert not permissions.can_edit_plan_node(non_staff, programme)
    assert not permissions.can_add_plan_node(non_staff, node("WS-COUNCIL"), NodeKind.GOAL)
    assert not permissions.can_view_plan_node_history(non_staff, programme)


def test_anonymous_and_inactive_users_may_not_edit(reference_data):
    programme = node("WS-COUNCIL-P10")
    assert not permissions.can_edit_plan_node(AnonymousUser(), programme)
    assert not permissions.can_edit_plan_node(central_staff(is_active=False), programme)


def test_a_superuser_counts_as_central_staff(reference_data):
    from accounts.tests.factories import UserFactory

    assert permissions.can_edit_plan_node(UserFactory(role="", is_superuser=True), node("WS-COUNCIL-P10"))


# update_plan_node


def test_staff_renames_a_placeholder_programme_and_history_names_them(staff):
    programme = node("WS-COUNCIL-P10")
    assert (programme.name_known, programme.revision) == (False, 1)
    update_plan_node(
        node=programme, by=staff, expected_revision=1, name_th="แผนงานพัฒนาสภาองค์กรชุมชนเมือง", name_known=True
    )
    programme.refresh_from_db()
    assert programme.name_th == "แผนงานพัฒนาสภาองค์กรชุมชนเมือง"
    assert programme.name_known and programme.revision == 2
    record = last_history("WS-COUNCIL-P10")
    assert record.history_user == staff and record.revision == 2 and record.history_change_reason == "edited"
    changed = {c.field for c in record.diff_against(record.prev_record).changes}
    assert {"name_th", "name_known"} <= changed


def test_staff_edits_every_editable_text_field(staff):
    values = {
        "number": 3,
        "name_th": "ชื่อใหม่",
        "name_en": "New name",
        "name_known": True,
        "vision_th": "วิสัยทัศน์",
        "vision_en": "Vision",
        "description_th": "แนวทาง",
        "description_en": "Approach",
        "period_start_be": 2566,
        "period_end_be": 2570,
        "edition": "ฉบับปรับปรุง",
        "target_value": Decimal("4000.00"),
        "target_unit_th": "ตำบล",
        "target_unit_en": "tambons",
        "target_year_be": 2570,
    }
    update_plan_node(node=node("WS-ECONOMY"), by=staff, expected_revision=1, **values)
    saved = node("WS-ECONOMY")
    assert {name: getattr(saved, name) for name in values} == values


@pytest.mark.parametrize("field", ["code", "kind", "parent", "source_th", "revision"])
def test_update_refuses_fields_that_are_not_editable(staff, field):
    with pytest.raises(ValidationError, match="แก้ไขช่องต่อไปนี้ไม่ได้: "):
        update_plan_node(node=node("WS-COUNCIL-P10"), by=staff, expected_revision=1, **{field: "X"})
    assert node("WS-COUNCIL-P10").revision == 1


@pytest.mark.parametrize(
    "values, field",
    [
        ({"period_start_be": 2566, "period_end_be": 2563}, "period_end_be"),
        ({"target_value": Decimal("-1")}, "target_value"),
        ({"name_th": "   "}, "name_th"),
        ({"target_value": Decimal("1e15")}, "target_value"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_changes_nothing(staff, values, field):
    with pytest.raises(ValidationError) as error:
        update_plan_node(node=node("WS-ECONOMY"), by=staff, expected_revision=1, **values)
    assert field in error.value.message_dict
    saved = node("WS-ECONOMY")
    assert saved.revision == 1 and saved.name_th == "เศรษฐกิจฐานราก" and saved.target_value == 3500


def test_non_staff_cannot_update_and_nothing_changes(non_staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        update_plan_node(node=node("WS-COUNCIL-P10"), by=non_staff, expected_revision=1, name_th="ไม่ควรบันทึก")
    assert node("WS-COUNCIL-P10").name_th == "แผนงานที่ 10"


def test_staff_cannot_update_a_national_item(staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        update_plan_node(node=node("MP-2561-16"), by=staff, expected_revision=1, name_th="แก้ไข")
    assert node("MP-2561-16").name_th == "เศรษฐกิจฐานราก"


def test_a_stale_save_raises_a_conflict_saying_who_changed_what(staff, reference_data):
    other = central_staff(first_name="สมหญิง", last_name="รักงาน")
    update_plan_node(node=node("WS-COUNCIL-P10"), by=other, expected_revision=1, name_th="ชื่อของสมหญิง")
    with pytest.raises(EditConflict) as conflict:
        update_plan_node(node=node("WS-COUNCIL-P10"), by=staff, expected_revision=1, name_th="ชื่อของสมชาย")
    assert conflict.value.changed_by == other and conflict.value.changed_at is not None
    assert conflict.value.current_revision == 2
    label = str(PlanNode._meta.get_field("name_th").verbose_name)
    assert {"field": label, "old": "แผนงานที่ 10", "new": "ชื่อของสมหญิง"} in conflict.value.changes
    assert node("WS-COUNCIL-P10").name_th == "ชื่อของสมหญิง"


def test_a_save_without_a_revision_is_refused(staff):
    with pytest.raises(ValidationError, match="ไม่พบฉบับที่คุณกำลังแก้ไข"):
        update_plan_node(node=node("WS-COUNCIL-P10"), by=staff, expected_revision=None, name_th="x")


def test_saving_unchanged_values_keeps_the_revision_and_writes_no_history(staff):
    programme = node("WS-COUNCIL-P10")
    before = programme.history.count()
    update_plan_node(node=programme, by=staff, expected_revision=1, name_th=programme.name_th)
    assert node("WS-COUNCIL-P10").revision == 1 and programme.history.count() == before


# create_plan_node


@pytest.mark.parametrize(
    "parent, kind, fields, code, number",
    [
        ("WS-ECONOMY", NodeKind.GOAL, {}, "WS-ECONOMY-G8", 8),
        ("WS-COUNCIL", NodeKind.PROGRAMME, {}, "WS-COUNCIL-P22", 22),
        ("WS-ECONOMY-G1", NodeKind.PROGRAMME, {}, "WS-ECONOMY-G1-P2", 2),
        ("CODI-AP", NodeKind.WORKSTREAM, {}, "CODI-AP-W5", 5),
        ("CODI-AP", NodeKind.CODI_ANNUAL_PLAN, {"period_start_be": 2564, "period_end_be": 2564}, "CODI-AP-FY2564", 1),
        ("CODI-FY2563", NodeKind.ANNUAL_PROGRAMME, {}, "CODI-FY2563-P8", 8),
        ("CODI-S", NodeKind.CODI_STRATEGIC_ISSUE, {}, "CODI-S-5", 5),
        ("WS-HOUSING", NodeKind.GOAL, {"number": 12}, "WS-HOUSING-G12", 12),
    ],
)
def test_staff_adds_allowed_children_with_codes_made_from_the_parents(staff, parent, kind, fields, code, number):
    created = create_plan_node(parent=node(parent), kind=kind, by=staff, name_th="รายการใหม่", **fields)
    assert (created.code, created.number, created.parent.code, created.revision) == (code, number, parent, 1)
    record = created.history.get()
    assert record.history_type == "+" and record.history_user == staff


@pytest.mark.parametrize(
    "parent, kind",
    [
        ("WS-ECONOMY", NodeKind.WORKSTREAM),
        ("WS-ECONOMY-G1", NodeKind.GOAL),
        ("WS-ECONOMY-G1-P1", NodeKind.PROGRAMME),
        ("CODI-AP", NodeKind.GOAL),
        ("CODI-FY2563", NodeKind.PROGRAMME),
        ("CODI-S", NodeKind.WORKSTREAM),
        ("WS-ECONOMY", NodeKind.MASTER_PLAN),
    ],
)
def test_kinds_that_do_not_belong_under_a_parent_are_refused(staff, parent, kind):
    count = PlanNode.objects.count()
    with pytest.raises(ValidationError, match="เพิ่มรายการประเภท"):
        create_plan_node(parent=node(parent), kind=kind, by=staff, name_th="ผิดที่")
    assert PlanNode.objects.count() == count


def test_nothing_can_be_added_under_a_national_item(staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์เพิ่มรายการที่นี่"):
        create_plan_node(parent=node("RP-09"), kind=NodeKind.PROGRAMME, by=staff, name_th="ผิดที่")
    # A master plan holds only its chain items (issue targets and sub-plans).
    with pytest.raises(ValidationError):
        create_plan_node(parent=node("MP-2561-16"), kind=NodeKind.PROGRAMME, by=staff, name_th="ผิดที่")


def test_non_staff_cannot_add_items(non_staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์เพิ่มรายการที่นี่"):
        create_plan_node(parent=node("WS-ECONOMY"), kind=NodeKind.GOAL, by=non_staff, name_th="ไม่ควรเพิ่ม")
    assert not PlanNode.objects.filter(code="WS-ECONOMY-G8").exists()


def test_staff_starts_a_new_action_plan(staff):
    plan = create_plan_node(
        parent=None,
        kind=NodeKind.CODI_ACTION_PLAN,
        by=staff,
        name_th="แผนปฏิบัติการ",
        period_start_be=2566,
        period_end_be=2570,
    )
    assert (plan.code, plan.parent, plan.number) == ("CODI-AP2566", None, None)
    again = create_plan_node(parent=None, kind=NodeKind.CODI_ACTION_PLAN, by=staff, name_th="ซ้ำ", period_start_be=2566)
    assert again.code == "CODI-AP2566-2"


def test_only_codi_strategies_and_action_plans_stand_alone(staff):
    with pytest.raises(ValidationError, match="เพิ่มรายการประเภท"):
        create_plan_node(parent=None, kind=NodeKind.GOAL, by=staff, name_th="ลอย")


def test_a_taken_code_is_skipped(staff):
    PlanNodeFactory(code="WS-ECONOMY-G8", kind=NodeKind.GOAL, parent=node("WS-HOUSING"))
    created = create_plan_node(parent=node("WS-ECONOMY"), kind=NodeKind.GOAL, by=staff, name_th="เป้าหมายใหม่")
    assert created.code == "WS-ECONOMY-G9"


def test_a_new_item_needs_a_thai_name(staff):
    with pytest.raises(ValidationError, match="กรุณาระบุชื่อภาษาไทยของรายการ") as error:
        create_plan_node(parent=node("WS-ECONOMY"), kind=NodeKind.GOAL, by=staff, name_th="")
    assert "name_th" in error.value.message_dict
    assert not PlanNode.objects.filter(parent__code="WS-ECONOMY", number=8).exists()


# move_plan_node


def test_staff_moves_a_council_programme_under_a_goal_and_it_keeps_its_code(staff):
    move_plan_node(node=node("WS-COUNCIL-P10"), new_parent=node("WS-COUNCIL-G2"), by=staff, expected_revision=1)
    moved = node("WS-COUNCIL-P10")
    assert moved.parent.code == "WS-COUNCIL-G2" and moved.revision == 2
    record = last_history("WS-COUNCIL-P10")
    assert record.history_user == staff and record.history_change_reason == "moved"
    delta = record.diff_against(record.prev_record, excluded_fields=["revision", "updated_at"])
    assert [c.field for c in delta.changes] == ["parent"]


@pytest.mark.parametrize(
    "code, new_parent", [("WS-ECONOMY", "WS-ECONOMY-G1"), ("WS-ECONOMY-G1", "WS-ECONOMY-G1"), ("CODI-AP", "WS-ECONOMY")]
)
def test_an_item_cannot_move_inside_itself(staff, code, new_parent):
    with pytest.raises(ValidationError, match="ย้ายรายการไปไว้ภายใต้ตัวเองไม่ได้") as error:
        move_plan_node(node=node(code), new_parent=node(new_parent), by=staff, expected_revision=1)
    assert error.value.error_dict["new_parent"][0].code == "cycle"
    assert node(code).revision == 1


@pytest.mark.parametrize(
    "code, new_parent",
    [
        ("WS-ECONOMY-G1", "WS-WELFARE-G1"),
        ("WS-ECONOMY-G1-P1", "CODI-FY2563"),
        ("WS-ECONOMY", "CODI-S"),
        ("WS-ECONOMY", "NS-4"),
        ("CODI-FY2563-P1", "WS-HOUSING"),
    ],
)
def test_an_item_cannot_move_under_a_parent_of_the_wrong_kind(staff, code, new_parent):
    parent_before = node(code).parent_id
    with pytest.raises(ValidationError, match="'new_parent'") as error:
        move_plan_node(node=node(code), new_parent=node(new_parent), by=staff, expected_revision=1)
    assert error.value.error_dict["new_parent"][0].code == "kind"
    assert node(code).parent_id == parent_before


def test_a_stale_move_raises_a_conflict(staff):
    update_plan_node(node=node("WS-COUNCIL-P10"), by=staff, expected_revision=1, name_th="ชื่อใหม่")
    with pytest.raises(EditConflict):
        move_plan_node(node=node("WS-COUNCIL-P10"), new_parent=node("WS-COUNCIL-G1"), by=staff, expected_revision=1)
    assert node("WS-COUNCIL-P10").parent.code == "WS-COUNCIL"


def test_non_staff_cannot_move(non_staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        move_plan_node(node=node("WS-COUNCIL-P10"), new_parent=node("WS-COUNCIL-G1"), by=non_staff, expected_revision=1)


def test_an_item_tambon_projects_use_cannot_move_to_another_workstream(staff):
    from workstreams.tests.factories import ProjectFactory

    ProjectFactory()  # uses WS-ECONOMY, WS-ECONOMY-G1 and WS-ECONOMY-G1-P1
    for code, new_parent in [("WS-ECONOMY-G1-P1", "WS-WELFARE-G1"), ("WS-ECONOMY-G1", "WS-WELFARE")]:
        with pytest.raises(ValidationError, match="มีโครงการระดับตำบลใช้รายการนี้หรือรายการที่อยู่ภายใต้") as error:
            move_plan_node(node=node(code), new_parent=node(new_parent), by=staff, expected_revision=1)
        assert error.value.error_dict["new_parent"][0].code == "in_use"
    # Within its own workstream it may still move, and unused items move anywhere.
    move_plan_node(node=node("WS-ECONOMY-G1-P1"), new_parent=node("WS-ECONOMY-G2"), by=staff, expected_revision=1)
    move_plan_node(node=node("WS-ECONOMY-G3-P1"), new_parent=node("WS-WELFARE-G1"), by=staff, expected_revision=1)


def test_a_workstream_moves_to_another_action_plan_with_its_goals(staff):
    plan = create_plan_node(
        parent=None, kind=NodeKind.CODI_ACTION_PLAN, by=staff, name_th="แผนใหม่", period_start_be=2566
    )
    move_plan_node(node=node("WS-HOUSING"), new_parent=plan, by=staff, expected_revision=1)
    assert node("WS-HOUSING-G1-P1").ancestors()[0] == plan


# set_alignment


def test_staff_links_a_goal_to_a_master_plan_and_history_keeps_the_links(staff):
    goal = node("WS-COUNCIL-G1")
    before = goal.history.count()
    set_alignment(node=goal, targets=[node("MP-2566-15"), node("RP-09-1")], by=staff, expected_revision=1)
    goal = node("WS-COUNCIL-G1")
    assert set(goal.aligns_to.values_list("code", flat=True)) == {"MP-2566-15", "RP-09-1"}
    assert goal.revision == 2 and goal.history.count() == before + 1
    record = last_history("WS-COUNCIL-G1")
    assert record.history_user == staff and record.history_change_reason == "alignment changed"
    assert {row.to_plannode.code for row in record.aligns_to.all()} == {"MP-2566-15", "RP-09-1"}
    (change,) = [c for c in record.diff_against(record.prev_record).changes if c.field == "aligns_to"]
    assert {row["to_plannode"] for row in change.new} == {node("MP-2566-15").pk, node("RP-09-1").pk}
    # Removing a link is history too.
    set_alignment(node=goal, targets=[node("RP-09-1")], by=staff, expected_revision=2)
    assert list(node("WS-COUNCIL-G1").aligns_to.values_list("code", flat=True)) == ["RP-09-1"]
    assert {row.to_plannode.code for row in last_history("WS-COUNCIL-G1").prev_record.aligns_to.all()} == {
        "MP-2566-15",
        "RP-09-1",
    }


@pytest.mark.parametrize("target", ["WS-ECONOMY", "CODI-AP", "WS-COUNCIL-G2"])
def test_codi_items_cannot_be_alignment_targets(staff, target):
    with pytest.raises(ValidationError, match="รายการของ พอช") as error:
        set_alignment(node=node("WS-COUNCIL-G1"), targets=[node(target)], by=staff, expected_revision=1)
    assert error.value.error_dict["targets"][0].code == "not_national"
    assert not node("WS-COUNCIL-G1").aligns_to.exists()


def test_every_national_kind_is_a_valid_target(staff):
    # The seed has no chain items (Z, Y2, sub-plans, Y1); every kind it has is a valid target.
    targets = [n for n in (PlanNode.objects.filter(kind=kind).first() for kind in NATIONAL_KINDS) if n is not None]
    set_alignment(node=node("WS-COUNCIL-G1"), targets=targets, by=staff, expected_revision=1)
    assert node("WS-COUNCIL-G1").aligns_to.count() == len(targets) == len(NATIONAL_KINDS) - len(CHAIN_KINDS)


def test_a_stale_alignment_raises_a_conflict_that_shows_the_other_links(staff, reference_data):
    other = central_staff(username="other-staff")
    set_alignment(node=node("WS-ECONOMY"), targets=[node("MP-2566-16")], by=other, expected_revision=1)
    with pytest.raises(EditConflict) as conflict:
        set_alignment(node=node("WS-ECONOMY"), targets=[], by=staff, expected_revision=1)
    assert conflict.value.changed_by == other
    assert [c["field"] for c in conflict.value.changes] == [str(PlanNode._meta.get_field("aligns_to").verbose_name)]
    assert list(node("WS-ECONOMY").aligns_to.values_list("code", flat=True)) == ["MP-2566-16"]


def test_unchanged_alignment_writes_nothing(staff):
    workstream = node("WS-ECONOMY")
    current = list(workstream.aligns_to.all())
    before = workstream.history.count()
    set_alignment(node=workstream, targets=current, by=staff, expected_revision=1)
    assert node("WS-ECONOMY").revision == 1 and workstream.history.count() == before


def test_national_items_and_non_staff_cannot_set_alignment(staff, non_staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        set_alignment(node=node("MP-2561-16"), targets=[node("NS-4")], by=staff, expected_revision=1)
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        set_alignment(node=node("WS-COUNCIL-G1"), targets=[node("NS-4")], by=non_staff, expected_revision=1)


# delete_plan_node


def test_staff_deletes_an_empty_item_and_history_keeps_who(staff):
    created = create_plan_node(parent=node("WS-ECONOMY"), kind=NodeKind.GOAL, by=staff, name_th="ชั่วคราว")
    set_alignment(node=created, targets=[node("NS-4-I4")], by=staff, expected_revision=1)
    delete_plan_node(node=created, by=staff, expected_revision=2)
    assert not PlanNode.objects.filter(code="WS-ECONOMY-G8").exists()
    record = PlanNode.history.filter(code="WS-ECONOMY-G8").order_by("-history_date", "-history_id").first()
    assert record.history_type == "-" and record.history_user == staff
    assert node("NS-4-I4").served_by.filter(code="WS-ECONOMY-G8").count() == 0


def test_an_item_with_children_cannot_be_deleted(staff):
    with pytest.raises(ValidationError, match="รายการนี้ยังมีรายการย่อย") as error:
        delete_plan_node(node=node("WS-ECONOMY-G1"), by=staff, expected_revision=1)
    assert error.value.code == "has_children"
    assert PlanNode.objects.filter(code="WS-ECONOMY-G1").exists()


def test_an_item_tambon_projects_use_cannot_be_deleted(staff):
    from workstreams.tests.factories import ProjectFactory

    goal = create_plan_node(parent=node("WS-ECONOMY"), kind=NodeKind.GOAL, by=staff, name_th="เป้าหมายที่มีโครงการ")
    first = ProjectFactory(goal=goal)
    ProjectFactory(goal=goal, plan=first.plan)
    for target in (node("WS-ECONOMY-G1-P1"), goal):
        with pytest.raises(ValidationError, match="มีโครงการระดับตำบล") as error:
            delete_plan_node(node=target, by=staff, expected_revision=1)
        assert error.value.code == "in_use"
        assert PlanNode.objects.filter(pk=target.pk).exists()
    assert "2" in error.value.messages[0]


def test_a_stale_delete_raises_a_conflict(staff):
    update_plan_node(node=node("WS-COUNCIL-P21"), by=staff, expected_revision=1, name_th="ยังใช้อยู่")
    with pytest.raises(EditConflict):
        delete_plan_node(node=node("WS-COUNCIL-P21"), by=staff, expected_revision=1)
    assert PlanNode.objects.filter(code="WS-COUNCIL-P21").exists()


def test_non_staff_and_national_items_cannot_be_deleted(staff, non_staff):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        delete_plan_node(node=node("WS-COUNCIL-P21"), by=non_staff, expected_revision=1)
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขรายการแผนนี้"):
        delete_plan_node(node=node("HMP-5"), by=staff, expected_revision=1)
    assert PlanNode.objects.filter(code__in=["WS-COUNCIL-P21", "HMP-5"]).count() == 2


def test_services_work_on_a_small_tree_without_reference_data(db):
    tree = codi_tree()
    staff = central_staff()
    goal = create_plan_node(parent=tree["workstream"], kind=NodeKind.GOAL, by=staff, name_th="เป้าหมายสอง")
    assert goal.code == "T-WS-G2"
    move_plan_node(node=tree["programme"], new_parent=goal, by=staff, expected_revision=1)
    delete_plan_node(node=tree["goal"], by=staff, expected_revision=1)
    assert not PlanNode.objects.filter(code="T-WS-G1").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_revision_never_both_land(reference_data):
    """Two staff press Save at once on PostgreSQL: the row lock makes one wait, and it gets the conflict."""
    import threading

    from django.db import connection

    staff = [central_staff(username="first-saver"), central_staff(username="second-saver")]
    barrier, outcomes = threading.Barrier(2), {}

    def save(user):
        try:
            barrier.wait()
            update_plan_node(
                node=node("WS-COUNCIL-P12"), by=user, expected_revision=1, name_th=f"ชื่อโดย {user.username}"
            )
            outcomes[user.username] = "saved"
        except EditConflict as conflict:
            outcomes[user.username] = conflict.changed_by.username
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()).count("saved") == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser = next(name for name in outcomes if name != winner)
    assert outcomes[loser] == winner
    saved = node("WS-COUNCIL-P12")
    assert saved.name_th == f"ชื่อโดย {winner}" and saved.revision == 2
