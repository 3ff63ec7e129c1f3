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
