from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from areas.api import DistrictViewSet, ProvinceGroupViewSet, ProvinceViewSet, RegionViewSet, SubdistrictViewSet
from strategies.api import PlanNodeViewSet

from . import views

api = DefaultRouter()
api.register("regions", RegionViewSet)
api.register("province-groups", ProvinceGroupViewSet)
api.register("provinces", ProvinceViewSet)
api.register("districts", DistrictViewSet)
api.register("subdistricts", SubdistrictViewSet)
api.register("plan-nodes", PlanNodeViewSet)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("plans/", include("strategies.urls")),
    path("areas/", include("areas.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
