"""CODI's four workstreams with their 3-year goals and programmes, as views on the plan tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from strategies.models import NodeKind, PlanNode, PlanNodeQuerySet


class KindManager(models.Manager.from_queryset(PlanNodeQuerySet)):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Workstream(PlanNode):
    """One of CODI's four workstreams (ประเด็นงาน): council, grassroots economy, welfare, housing."""

    objects = KindManager(NodeKind.WORKSTREAM)

    class Meta:
        proxy = True
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")


class Goal(PlanNode):
    """A workstream's 3-year goal (for the councils: one of its four strategies)."""

    objects = KindManager(NodeKind.GOAL)

    class Meta:
        proxy = True
        verbose_name = _("goal")
        verbose_name_plural = _("goals")


class Programme(PlanNode):
    """A programme (แผนงาน) under a workstream goal."""

    objects = KindManager(NodeKind.PROGRAMME)

    class Meta:
        proxy = True
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
