import factory

from strategies.models import NodeKind, PlanNode


class PlanNodeFactory(factory.django.DjangoModelFactory):
    """A plan item; by default a CODI programme with no parent (pass parent= to hang it in a tree)."""

    class Meta:
        model = PlanNode

    code = factory.Sequence(lambda n: f"T-{n}")
    kind = NodeKind.PROGRAMME
    number = factory.Sequence(lambda n: n + 1)
    name_th = factory.Sequence(lambda n: f"แผนงานทดสอบ {n}")


def codi_tree():
    """Build a small CODI plan: action plan → workstream → goal → programme, plus an annual plan."""
    plan = PlanNodeFactory(code="T-AP", kind=NodeKind.CODI_ACTION_PLAN, number=None, name_th="แผนปฏิบัติการทดสอบ")
    workstream = PlanNodeFactory(code="T-WS", kind=NodeKind.WORKSTREAM, parent=plan, number=1, name_th="ประเด็นทดสอบ")
    goal = PlanNodeFactory(code="T-WS-G1", kind=NodeKind.GOAL, parent=workstream, number=1, name_th="เป้าหมายทดสอบ")
    programme = PlanNodeFactory(code="T-WS-G1-P1", kind=NodeKind.PROGRAMME, parent=goal, number=1)
    annual = PlanNodeFactory(code="T-FY", kind=NodeKind.CODI_ANNUAL_PLAN, parent=plan, number=None, name_th="แผนประจำปี")
    return {"plan": plan, "workstream": workstream, "goal": goal, "programme": programme, "annual": annual}


def demo_chain(master_plan: str = "MP-2561-16", strategy: str = "NS-4"):
    """TEST DATA, not NESDC's text: one Z under a strategy, one Y2 and one sub-plan with two Y1 under a master plan.

    Codes follow the shapes the product checks (Z 0401; Y2 160001; sub-plan 1601; Y1 160101, 160102).
    """
    master = PlanNode.objects.get(code=master_plan)
    parent_strategy = PlanNode.objects.get(code=strategy)
    mm, ss = f"{master.number:02d}", f"{parent_strategy.number:02d}"
    z = PlanNode.objects.filter(code=f"{strategy}-Z1").first() or PlanNode.objects.create(
        code=f"{strategy}-Z1",
        kind=NodeKind.STRATEGY_TARGET,
        parent=parent_strategy,
        number=1,
        official_code=f"{ss}01",
        name_th="เป้าหมายยุทธศาสตร์ทดสอบ",
    )
    y2 = PlanNode.objects.create(
        code=f"{master_plan}-Y1",
        kind=NodeKind.MASTER_PLAN_TARGET,
        parent=master,
        number=1,
        official_code=f"{mm}0001",
        name_th="เป้าหมายแผนแม่บทระดับประเด็นทดสอบ",
    )
    y2.aligns_to.set([z])
    sub_plan = PlanNode.objects.create(
        code=f"{master_plan}-S1",
        kind=NodeKind.SUB_PLAN,
        parent=master,
        number=1,
        official_code=f"{mm}01",
        name_th="แผนย่อยทดสอบ",
    )
    y1 = PlanNode.objects.create(
        code=f"{master_plan}-S1-T1",
        kind=NodeKind.SUB_PLAN_TARGET,
        parent=sub_plan,
        number=1,
        official_code=f"{mm}0101",
        name_th="เป้าหมายแผนย่อยทดสอบ 1",
    )
    y1b = PlanNode.objects.create(
        code=f"{master_plan}-S1-T2",
        kind=NodeKind.SUB_PLAN_TARGET,
        parent=sub_plan,
        number=2,
        official_code=f"{mm}0102",
        name_th="เป้าหมายแผนย่อยทดสอบ 2",
    )
    return {"z": z, "y2": y2, "sub_plan": sub_plan, "y1": y1, "y1b": y1b, "master_plan": master}
