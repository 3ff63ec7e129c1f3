"""CKAN-compatible read-only action API (/api/3/action/...), so a CKAN harvester such as data.go.th's can read the
catalogue. Anonymous, no authentication classes (nothing reads a session or token), CKAN's response envelope
{"help", "success", "result"} and CKAN's error envelope {"help", "success": false, "error": {"__type", "message"}}
(404 Not Found Error, 409 Validation Error, as CKAN answers)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .catalog import ckan_package
from .datasets import DATASETS

MAX_LIMIT = 1000


def _envelope(name: str):
    return inline_serializer(
        name=name,
        fields={
            "help": serializers.CharField(),
            "success": serializers.BooleanField(),
            "result": serializers.JSONField(),
        },
    )


CKAN_ERROR = inline_serializer(
    name="CkanError",
    fields={
        "help": serializers.CharField(),
        "success": serializers.BooleanField(),
        "error": inline_serializer(
            name="CkanErrorDetail",
            fields={"__type": serializers.CharField(), "message": serializers.CharField()},
        ),
    },
)
ERRORS = {
    404: OpenApiResponse(CKAN_ERROR, description="No dataset with this id (CKAN's Not Found Error)"),
    409: OpenApiResponse(CKAN_ERROR, description="A parameter is missing or malformed (CKAN's Validation Error)"),
}


class CkanView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    action_name = ""

    def help_url(self, request) -> str:
        return request.build_absolute_uri(f"/api/3/action/help_show?name={self.action_name}")

    def ok(self, request, result) -> Response:
        response = Response({"help": self.help_url(request), "success": True, "result": result})
        response["Cache-Control"] = "public, max-age=300"
        return response

    def error(self, request, status: int, message: str) -> Response:
        kind = "Not Found Error" if status == 404 else "Validation Error"
        return Response(
            {"help": self.help_url(request), "success": False, "error": {"__type": kind, "message": message}},
            status=status,
        )


class PackageList(CkanView):
    action_name = "package_list"

    @extend_schema(
        summary="CKAN package_list: the ids of the open datasets",
        responses={200: _envelope("CkanPackageList")},
        tags=["open data (CKAN)"],
    )
    def get(self, request):
        return self.ok(request, list(DATASETS))


class PackageShow(CkanView):
    action_name = "package_show"

    @extend_schema(
        summary="CKAN package_show: one dataset with its resources (CSV and JSON downloads)",
        parameters=[OpenApiParameter("id", str, required=True, description="A dataset id from package_list")],
        responses={200: _envelope("CkanPackageShow"), **ERRORS},
        tags=["open data (CKAN)"],
    )
    def get(self, request):
        dataset_id = request.query_params.get("id", "")
        if not dataset_id:
            return self.error(request, 409, "Missing value: id")
        dataset = DATASETS.get(dataset_id.removeprefix("codi-"))
        if dataset is None:
            return self.error(request, 404, "Not found")
        return self.ok(request, ckan_package(request, dataset))


class CurrentPackageListWithResources(CkanView):
    action_name = "current_package_list_with_resources"

    @extend_schema(
        summary="CKAN current_package_list_with_resources: every dataset with its resources",
        parameters=[
            OpenApiParameter("limit", int, description=f"At most this many datasets (up to {MAX_LIMIT})"),
            OpenApiParameter("offset", int, description="Skip this many datasets"),
        ],
        responses={200: _envelope("CkanPackageListWithResources"), 409: ERRORS[409]},
        tags=["open data (CKAN)"],
    )
    def get(self, request):
        try:
            limit = int(request.query_params.get("limit", MAX_LIMIT))
            offset = int(request.query_params.get("offset", 0))
        except ValueError:
            return self.error(request, 409, "limit and offset must be whole numbers")
        if not (0 <= limit <= MAX_LIMIT and 0 <= offset <= 10**6):
            return self.error(request, 409, f"limit must be 0 to {MAX_LIMIT} and offset 0 or more")
        datasets = list(DATASETS.values())[offset : offset + limit]
        return self.ok(request, [ckan_package(request, d) for d in datasets])
