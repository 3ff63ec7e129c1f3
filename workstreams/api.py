"""REST endpoints for tambon plans, their projects and province plans.

Reads go through visible_to(user), so what a user may not see is a 404 in details and absent from
lists. Writes validate the input's shape with a write serializer and hand it to exactly one service,
which checks permission, status and revision; the API never saves a model itself.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from areas.models import Subdistrict
from codi_plans.api import require

from . import permissions, selectors, services
from .filters import ProjectFilter, ProvincePlanFilter, TambonPlanFilter
from .models import Project, ProvincePlan, TambonPlan
from .serializers import (
    ErrorBodySerializer,
    PlanCommentSerializer,
    PlanReturnSerializer,
    ProblemsUpdateSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
    ProvincePlanSerializer,
    ProvincePlanUpdateSerializer,
    TambonPlanCreateSerializer,
    TambonPlanSerializer,
    TambonPlanUpdateSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorBodySerializer, description=_("Bad input: messages by field; nothing was saved")),
    403: OpenApiResponse(ErrorBodySerializer, description=_("Not allowed for this user, or a read-only role")),
    404: OpenApiResponse(ErrorBodySerializer, description=_("No such record in the user's area")),
}
CONFLICT = {
    409: OpenApiResponse(
        ErrorBodySerializer, description=_("Someone saved in between: the body says who, when and what changed")
    )
}
REVISION_PARAMETER = OpenApiParameter(
    "revision",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description=_("The plan's revision the deletion starts from; a stale one gets 409"),
)


class PlanAPIMixin:
    def respond(self, obj, status_code=status.HTTP_200_OK):
        """Serialize a freshly saved record the same way a read would (same annotations and prefetches)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


def _write_input(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


@extend_schema_view(
    list=extend_schema(summary=_("List the tambon plans in your area")),
    retrieve=extend_schema(summary=_("Read a tambon plan"), responses={200: TambonPlanSerializer, **ERRORS}),
)
class TambonPlanViewSet(PlanAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tambon plans (แผนพัฒนาตำบล): profile, problems, project counts, and their review workflow."""

    queryset = TambonPlan.objects.none()
    serializer_class = TambonPlanSerializer
    filterset_class = TambonPlanFilter

    def get_queryset(self):
        return selectors.with_totals(
            TambonPlan.objects.visible_to(self.request.user)
            .select_related("tambon__district", "tambon__province", "created_by", "updated_by")
            .prefetch_related("problems"),
            budget_name="budget_total",
        )

    @extend_schema(
        summary=_("Start a draft plan for a tambon and plan period"),
        request=TambonPlanCreateSerializer,
        responses={201: TambonPlanSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        raw = request.data.get("tambon") if isinstance(request.data, dict) else None
        # DOPA codes are digits; anything else (even a NUL character) is left to the body validation.
        tambon = Subdistrict.objects.filter(code=raw).first() if isinstance(raw, str) and raw.isdecimal() else None
        require(
            permissions.can_write_plan_for_tambon(request.user, tambon)
            if tambon is not None
            else permissions.can_start_tambon_plan(request.user),
            _("You may not write a plan for this tambon."),
        )
        data = dict(_write_input(TambonPlanCreateSerializer, request).validated_data)
        plan = services.create_tambon_plan(by=request.user, **data)
        return self.respond(plan, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a draft or returned plan's profile, community capital and vision"),
        request=TambonPlanUpdateSerializer,
        responses={200: TambonPlanSerializer, **ERRORS, **CONFLICT},
    )
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        require(
            permissions.can_write_plan_for_tambon(request.user, plan.tambon),
            _("You may not change this tambon's plan."),
        )
        data = dict(_write_input(TambonPlanUpdateSerializer, request).validated_data)
        revision = data.pop("revision")
        plan = services.update_tambon_plan(plan=plan, by=request.user, expected_revision=revision, **data)
        return self.respond(plan)

    @extend_schema(
        summary=_("Replace the plan's ranked problems"),
        request=ProblemsUpdateSerializer,
        responses={200: TambonPlanSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["put"])
    def problems(self, request, pk=None):
        plan = self.get_object()
        require(
            permissions.can_write_plan_for_tambon(request.user, plan.tambon),
            _("You may not change this tambon's plan."),
        )
        data = _write_input(ProblemsUpdateSerializer, request).validated_data
        plan = services.set_problems(
            plan=plan, by=request.user, expected_revision=data["revision"], problems=data["problems"]
        )
        return self.respond(plan)

    @extend_schema(
        summary=_("Submit a draft, or resubmit a returned plan"),
        request=PlanCommentSerializer,
        responses={200: TambonPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self.get_object()
        require(
            permissions.can_write_plan_for_tambon(request.user, plan.tambon),
            _("You may not submit this tambon's plan."),
        )
        comment = _write_input(PlanCommentSerializer, request).validated_data["comment"]
        return self.respond(services.submit_tambon_plan(plan=plan, by=request.user, comment=comment))

    @extend_schema(
        summary=_("Return a submitted plan to its writers with a reason"),
        request=PlanReturnSerializer,
        responses={200: TambonPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        plan = self.get_object()
        require(permissions.can_review_tambon_plan(request.user, plan), _("You may not review this tambon's plan."))
        reason = _write_input(PlanReturnSerializer, request).validated_data["reason"]
        return self.respond(services.return_tambon_plan(plan=plan, by=request.user, reason=reason))

    @extend_schema(
        summary=_("Accept a submitted plan into the province plan"),
        request=PlanCommentSerializer,
        responses={200: TambonPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        plan = self.get_object()
        permissions.check_accept_tambon_plan(request.user, plan)
        comment = _write_input(PlanCommentSerializer, request).validated_data["comment"]
        return self.respond(services.accept_tambon_plan(plan=plan, by=request.user, comment=comment))

    @extend_schema(
        summary=_("Endorse an accepted plan for the region or CODI"),
        request=PlanCommentSerializer,
        responses={200: TambonPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        plan = self.get_object()
        permissions.check_endorse_tambon_plan(request.user, plan)
        comment = _write_input(PlanCommentSerializer, request).validated_data["comment"]
        return self.respond(services.endorse_tambon_plan(plan=plan, by=request.user, comment=comment))


@extend_schema_view(
    list=extend_schema(summary=_("List the tambon projects in your area")),
    retrieve=extend_schema(summary=_("Read a project"), responses={200: ProjectSerializer, **ERRORS}),
)
class ProjectViewSet(PlanAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tambon projects with their budget by fiscal year and source, indicators and plan-tree chain."""

    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .with_chain()
            .select_related("primary_target")
            .prefetch_related("budget_lines", "indicators", "secondary_targets")
        )

    @extend_schema(
        summary=_("Add a project, with its budget lines and indicators, to a draft or returned plan"),
        request=ProjectWriteSerializer,
        responses={201: ProjectSerializer, **ERRORS, **CONFLICT},
    )
    def create(self, request):
        raw = request.data.get("plan") if isinstance(request.data, dict) else None
        if isinstance(raw, str) and raw.isdecimal() and len(raw) < 10:
            raw = int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31:
            # The plan named in the body: 404 when not visible, 403 when the user may not write it.
            plan = get_object_or_404(TambonPlan.objects.visible_to(request.user).select_related("tambon"), pk=raw)
            allowed = permissions.can_write_plan_for_tambon(request.user, plan.tambon)
        else:
            allowed = permissions.can_start_tambon_plan(request.user)
        require(allowed, _("You may not change this tambon's plan."))
        serializer = _write_input(ProjectWriteSerializer, request)
        plan_id = serializer.validated_data.get("plan")
        if plan_id is None:
            raise serializers.ValidationError({"plan": [_("Say which tambon plan the project belongs to.")]})
        plan = get_object_or_404(TambonPlan.objects.visible_to(request.user), pk=plan_id)
        project = services.save_project(plan=plan, by=request.user, **serializer.service_arguments())
        return self.respond(project, status.HTTP_201_CREATED)

    def _save(self, request, partial: bool):
        project = self.get_object()
        require(
            permissions.can_write_plan_for_tambon(request.user, project.plan.tambon),
            _("You may not change this tambon's plan."),
        )
        serializer = _write_input(ProjectWriteSerializer, request, partial=partial)
        data = serializer.validated_data
        if "revision" not in data:
            raise serializers.ValidationError({"revision": [_("Send the revision the change starts from.")]})
        if data.get("plan", project.plan_id) != project.plan_id:
            raise serializers.ValidationError({"plan": [_("A project cannot move to another plan.")]})
        project = services.save_project(
            plan=project.plan, by=request.user, project=project, **serializer.service_arguments(project)
        )
        return self.respond(project)

    @extend_schema(
        summary=_("Replace a project, its budget lines and indicators"),
        request=ProjectWriteSerializer,
        responses={200: ProjectSerializer, **ERRORS, **CONFLICT},
    )
    def update(self, request, pk=None):
        return self._save(request, partial=False)

    @extend_schema(
        summary=_("Change some of a project's fields; budget lines or indicators sent replace the old ones"),
        request=ProjectWriteSerializer,
        responses={200: ProjectSerializer, **ERRORS, **CONFLICT},
    )
    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)

    @extend_schema(
        summary=_("Remove a project from a draft or returned plan"),
        parameters=[REVISION_PARAMETER],
        responses={204: None, **ERRORS, **CONFLICT},
    )
    def destroy(self, request, pk=None):
        project = self.get_object()
        require(
            permissions.can_write_plan_for_tambon(request.user, project.plan.tambon),
            _("You may not change this tambon's plan."),
        )
        try:
            revision = serializers.IntegerField().run_validation(request.query_params.get("revision"))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"revision": error.detail}) from error
        services.delete_project(project=project, by=request.user, expected_revision=revision)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("List the province plans in your area, with totals from accepted tambon plans")),
    retrieve=extend_schema(
        summary=_("Read a province plan and its totals"), responses={200: ProvincePlanSerializer, **ERRORS}
    ),
)
class ProvincePlanViewSet(PlanAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Province plans: the province's own narrative and priorities, and totals computed from its tambon plans."""

    queryset = ProvincePlan.objects.none()
    serializer_class = ProvincePlanSerializer
    filterset_class = ProvincePlanFilter

    def get_queryset(self):
        return ProvincePlan.objects.visible_to(self.request.user).select_related("province", "updated_by")

    def get_serializer(self, instance=None, *args, **kwargs):
        context = kwargs.pop("context", None) or self.get_serializer_context()
        if instance is not None:
            context["totals"] = selectors.province_plan_totals(instance if kwargs.get("many") else [instance])
        return self.get_serializer_class()(instance, *args, context=context, **kwargs)

    def _save(self, request, partial: bool):
        plan = self.get_object()
        require(permissions.can_edit_province_plan(request.user, plan), _("You may not change this province's plan."))
        data = _write_input(ProvincePlanUpdateSerializer, request, partial=partial).validated_data
        if "revision" not in data:
            raise serializers.ValidationError({"revision": [_("Send the revision the change starts from.")]})
        plan = services.update_province_plan(
            plan=plan,
            by=request.user,
            expected_revision=data["revision"],
            narrative=data.get("narrative", plan.narrative),
            priorities=data.get("priorities", plan.priorities),
        )
        return self.respond(plan)

    @extend_schema(
        summary=_("Change the province's narrative and priorities"),
        request=ProvincePlanUpdateSerializer,
        responses={200: ProvincePlanSerializer, **ERRORS, **CONFLICT},
    )
    def update(self, request, pk=None):
        return self._save(request, partial=False)

    @extend_schema(
        summary=_("Change the province's narrative or priorities"),
        request=ProvincePlanUpdateSerializer,
        responses={200: ProvincePlanSerializer, **ERRORS, **CONFLICT},
    )
    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)


router = SimpleRouter()
router.register("tambon-plans", TambonPlanViewSet)
router.register("projects", ProjectViewSet)
router.register("province-plans", ProvincePlanViewSet)
