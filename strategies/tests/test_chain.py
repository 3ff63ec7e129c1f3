"""The eMENSCR chain: official codes, the chain selector, the workbook loader, the pages."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import central_staff, community_rep
from strategies import selectors
from strategies.chain_workbook import HEADER_ROW, load_chain_workbook, template_workbook
from strategies.models import NodeKind, PlanNode
from strategies.services import create_plan_node, delete_plan_node, set_alignment, update_plan_node

from .factories import demo_chain

pytestmark = pytest.mark.django_db


def node(code):
    return PlanNode.objects.get(code=code)


@pytest.fixture
def staff(reference_data):
    return central_staff()


# --- Official codes ---------------------------------------------------------------------------------------------


def test_staff_add_a_sub_plan_and_its_target_with_thai_digits(staff):
    sub_plan = create_plan_node(
        parent=node("MP-2566-16"), kind=NodeKind.SUB_PLAN, by=staff, name_th="แผนย่อย ก", official_code="๑๖๐๑"
    )
    assert (sub_plan.code, sub_plan.official_code, sub_plan.number) == ("MP-2566-16-S1", "1601", 1)
    target = create_plan_node(
        parent=sub_plan, kind=NodeKind.SUB_PLAN_TARGET, by=staff, name_th="เป้าหมาย ก", official_code="16-01-01"
    )
    assert (target.code, target.official_code) == ("MP-2566-16-S1-T1", "160101")
    assert target.plan_level == 2 and target.is_national
    assert target.history.first().history_user == staff


@pytest.mark.parametrize(
    ("kind", "parent", "code", "fragment"),
    [
        (NodeKind.SUB_PLAN_TARGET, "sub", "16010", "ไม่ใช่"),  # five digits
        (NodeKind.SUB_PLAN_TARGET, "sub", "170101", "ต้องขึ้นต้นด้วย 1601"),  # another sub-plan's prefix
        (NodeKind.SUB_PLAN_TARGET, "sub", "160100", "00"),  # target 00
        (NodeKind.SUB_PLAN_TARGET, "sub", "", "รหัสทางการ"),  # missing
        (NodeKind.MASTER_PLAN_TARGET, "MP-2566-16", "160101", "ไม่ใช่"),  # a Y1's shape
        (NodeKind.MASTER_PLAN_TARGET, "MP-2566-16", "150001", "ต้องขึ้นต้นด้วย 16"),
        (NodeKind.STRATEGY_TARGET, "NS-4", "0301", "ต้องขึ้นต้นด้วย 04"),
        (NodeKind.SUB_PLAN, "MP-2566-16", "16A1", "ไม่ใช่"),
    ],
)
def test_a_wrong_official_code_is_refused_with_a_clear_message(staff, kind, parent, code, fragment):
    sub = create_plan_node(
        parent=node("MP-2566-16"), kind=NodeKind.SUB_PLAN, by=staff, name_th="แผนย่อย", official_code="1601"
    )
    holder = sub if parent == "sub" else node(parent)
    before = PlanNode.objects.count()
    with pytest.raises(ValidationError) as error:
        create_plan_node(parent=holder, kind=kind, by=staff, name_th="ผิด", official_code=code)
    assert fragment in " ".join(error.value.message_dict["official_code"])
    assert PlanNode.objects.count() == before


def test_codes_are_unique_in_an_edition_but_may_repeat_in_the_revised_one(staff):
    demo_chain("MP-2561-16")
    with pytest.raises(ValidationError, match="1601"):
        create_plan_node(
            parent=node("MP-2561-16"), kind=NodeKind.SUB_PLAN, by=staff, name_th="ซ้ำ", official_code="1601"
        )
    # The 2566 edition of master plan 16 may reuse the code for its own (revised) sub-plan.
    again = create_plan_node(
        parent=node("MP-2566-16"), kind=NodeKind.SUB_PLAN, by=staff, name_th="ฉบับแก้ไข", official_code="1601"
    )
    assert again.official_code == "1601"


def test_codi_items_have_no_official_code(staff):
    programme = node("WS-COUNCIL-P10")
    with pytest.raises(ValidationError):
        update_plan_node(node=programme, by=staff, expected_revision=programme.revision, official_code="160101")


def test_only_central_staff_add_chain_items(reference_data):
    rep = community_rep("500101")
    with pytest.raises(PermissionDenied):
        create_plan_node(
            parent=node("MP-2566-16"), kind=NodeKind.SUB_PLAN, by=rep, name_th="ไม่ได้", official_code="1601"
        )


def test_a_y2_serves_z_targets_only_and_a_y1_its_own_master_plans_y2(staff):
    chain = demo_chain()
    y2 = chain["y2"]
    with pytest.raises(ValidationError, match="Z"):
        set_alignment(node=y2, targets=[node("MP-2561-15")], by=staff, expected_revision=y2.revision)
    other = demo_chain("MP-2561-17")["y2"]
    y1 = chain["y1"]
    with pytest.raises(ValidationError):
        set_alignment(node=y1, targets=[other], by=staff, expected_revision=y1.revision)
    set_alignment(node=y1, targets=[y2], by=staff, expected_revision=y1.revision)
    assert list(node(y1.code).aligns_to.all()) == [y2]


# --- The chain selector ----------------------------------------------------------------------------------------


def test_chain_for_targets_climbs_to_the_strategy_in_constant_queries(reference_data, django_assert_num_queries):
    economy = demo_chain("MP-2561-16")
    equality = demo_chain("MP-2561-17", strategy="NS-4")
    ids = [economy["y1"].pk, economy["y1b"].pk, equality["y1"].pk, node("MP-2561-16").pk]
    with django_assert_num_queries(4):
        chains = selectors.chain_for_targets(ids)
    assert set(chains) == {economy["y1"].pk, economy["y1b"].pk, equality["y1"].pk}  # not the master plan
    first = chains[economy["y1"].pk]
    assert first.sub_plan.official_code == "1601"
    assert first.master_plan.code == "MP-2561-16"
    assert [y.official_code for y in first.y2] == ["160001"]
    assert [z.official_code for z in first.z] == ["0401"]
    assert first.strategy.code == "NS-4"
    assert first.missing == []
    assert chains[equality["y1"].pk].master_plan.code == "MP-2561-17"


def test_a_chain_says_what_is_missing(staff):
    sub = create_plan_node(
        parent=node("MP-2566-15"), kind=NodeKind.SUB_PLAN, by=staff, name_th="แผนย่อย", official_code="1501"
    )
    y1 = create_plan_node(parent=sub, kind=NodeKind.SUB_PLAN_TARGET, by=staff, name_th="Y1", official_code="150101")
    chain = selectors.target_chain(y1)
    assert chain.y2 == () and chain.z == () and chain.strategy is None
    assert len(chain.missing) == 1


# --- The workbook -------------------------------------------------------------------------------------------------


def workbook(rows, header=HEADER_ROW):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("chain.xlsx", buffer.getvalue())


GOOD_ROWS = [
    ["Y1", "MP-2566-16", "๑๖๐๑๐๑", "เป้าหมายแผนย่อย ก", "", "160001"],  # before its sub-plan: order does not matter
    ["Z", "NS-4", "0401", "เป้าหมายยุทธศาสตร์ ก", "Target A", ""],
    ["Y2", "MP-2566-16", "160001", "เป้าหมายระดับประเด็น ก", "", "0401"],
    ["แผนย่อย", "MP-2566-16", "1601", "แผนย่อย ก", "", ""],
    ["Y1", "MP-2566-16", "160102", "เป้าหมายแผนย่อย ข", "Target B", ""],
]


def test_the_workbook_loads_all_rows_and_a_second_load_changes_nothing(staff):
    report = load_chain_workbook(file=workbook(GOOD_ROWS), by=staff)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    y1 = PlanNode.objects.get(official_code="160101")
    assert y1.parent.official_code == "1601" and y1.parent.parent.code == "MP-2566-16"
    chain = selectors.target_chain(y1)
    assert [y.official_code for y in chain.y2] == ["160001"]
    assert [z.official_code for z in chain.z] == ["0401"]
    again = load_chain_workbook(file=workbook(GOOD_ROWS), by=staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_one_bad_row_and_nothing_is_saved_with_errors_by_row(staff):
    rows = [*GOOD_ROWS, ["Y1", "MP-2566-16", "170101", "ผิดแผนย่อย", "", ""], ["X", "NS-4", "1", "ผิด", "", ""]]
    rows.append(["Y2", "MP-2566-16", "160002", "", "", "9999"])
    before = PlanNode.objects.count()
    report = load_chain_workbook(file=workbook(rows), by=staff)
    assert not report.ok
    assert {e.row for e in report.errors} == {7, 8, 9}
    assert PlanNode.objects.count() == before
    assert report.created == 0


def test_the_template_holds_what_is_entered_and_loads_back_unchanged(staff):
    load_chain_workbook(file=workbook(GOOD_ROWS), by=staff)
    PlanNode.objects.filter(official_code="160102").update(name_th='=HYPERLINK("http://x")')
    data = template_workbook()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER_ROW
    assert len(rows) == 6
    cells = {row[2].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert cells["160102"].data_type == "s"  # a name that looks like a formula is written as text
    report = load_chain_workbook(file=SimpleUploadedFile("t.xlsx", data), by=staff)
    assert report.ok and report.unchanged == 5


def test_the_management_command_loads_a_workbook(reference_data, tmp_path):
    path = tmp_path / "chain.xlsx"
    path.write_bytes(workbook(GOOD_ROWS).read())
    call_command("load_emenscr_chain", str(path))
    assert PlanNode.objects.filter(kind=NodeKind.SUB_PLAN_TARGET).count() == 2


# --- Pages --------------------------------------------------------------------------------------------------------


def test_a_master_plan_page_shows_its_chain_or_says_it_is_not_yet_entered(client, reference_data):
    page = client.get(reverse("strategies:node", args=["MP-2561-16"])).content.decode()
    assert "ยังไม่ได้บันทึก" in page
    demo_chain("MP-2561-16")
    page = client.get(reverse("strategies:node", args=["MP-2561-16"])).content.decode()
    for code in ("160001", "1601", "160101", "160102", "0401"):
        assert code in page


def test_a_y1_page_shows_its_chain_with_codes(client, reference_data):
    chain = demo_chain()
    page = client.get(reverse("strategies:node", args=[chain["y1"].code])).content.decode()
    page = page[page.index("emenscr-chain") :]
    assert page.index("0401") < page.index("160001") < page.index("1601") < page.index("160101")


def test_the_chain_page_lists_what_is_missing(client, reference_data):
    demo_chain("MP-2561-16")
    page = client.get(reverse("strategies:chain")).content.decode()
    assert "MP-2561-16" in page and "MP-2561-15" in page
    assert page.count("ยังไม่ได้บันทึก") >= 40  # the other master plans of both editions


def test_staff_upload_the_workbook_in_the_browser(client, staff):
    client.force_login(staff)
    assert client.get(reverse("strategies:chain_template")).status_code == 200
    response = client.post(reverse("strategies:chain_upload"), {"file": workbook(GOOD_ROWS)})
    assert response.status_code == 302
    assert PlanNode.objects.filter(kind=NodeKind.SUB_PLAN_TARGET).count() == 2
    bad = client.post(reverse("strategies:chain_upload"), {"file": workbook([["Y1", "MP-2566-16", "1", "", "", ""]])})
    assert bad.status_code == 200 and "แถว" in bad.content.decode()


def test_a_target_used_by_a_project_cannot_be_deleted(staff):
    chain = demo_chain()
    from workstreams.tests.factories import ProjectFactory

    project = ProjectFactory(primary_target=chain["y1"])
    y1 = chain["y1"]
    with pytest.raises(ValidationError):
        delete_plan_node(node=y1, by=staff, expected_revision=y1.revision)
    project.secondary_targets.add(chain["y1b"])
    y1b = chain["y1b"]
    with pytest.raises(ValidationError):
        delete_plan_node(node=y1b, by=staff, expected_revision=y1b.revision)
