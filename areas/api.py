"""Read-only geography for REST clients: public reference data, so every signed-in user reads all of it."""

from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from .filters import DistrictFilter, ProvinceFilter, SubdistrictFilter
from .models import District, Province, ProvinceGroup, Region, Subdistrict
from .serializers import (
    DistrictSerializer,
    ProvinceGroupSerializer,
    ProvinceSerializer,
    RegionSerializer,
    SubdistrictSerializer,
)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None


class ProvinceGroupViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ProvinceGroup.objects.select_related("region")
    serializer_class = ProvinceGroupSerializer
    pagination_class = None


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Province.objects.select_related("region", "group")
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilter
    pagination_class = None


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.select_related("province")
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter


class SubdistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Subdistrict.objects.select_related("district", "province")
    serializer_class = SubdistrictSerializer
    filterset_class = SubdistrictFilter


router = SimpleRouter()
router.register("regions", RegionViewSet)
router.register("province-groups", ProvinceGroupViewSet)
router.register("provinces", ProvinceViewSet)
router.register("districts", DistrictViewSet)
router.register("subdistricts", SubdistrictViewSet)
