from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from .filters import PlanNodeFilter
from .models import PlanNode
from .serializers import PlanNodeSerializer


class PlanNodeViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan hierarchy, from the national strategy down to each workstream programme."""

    queryset = PlanNode.objects.all()
    serializer_class = PlanNodeSerializer
    filterset_class = PlanNodeFilter
    lookup_field = "code"

    def get_queryset(self):
        return (
            PlanNode.objects.visible_to(self.request.user)
            .select_related("parent")
            .prefetch_related("aligns_to")
            .distinct()
        )


router = SimpleRouter()
router.register("plan-nodes", PlanNodeViewSet)
