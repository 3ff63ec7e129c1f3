import json

import pytest

from strategies.models import NodeKind, PlanNode
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
