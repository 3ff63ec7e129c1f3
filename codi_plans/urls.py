from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import areas.api
import budgets.api
import budgets.views
import coverage.api
import indicators.api
import progress.api
import reports.api
import strategies.api
import strategies.views
import workstreams.api

from . import views

# Bounded lookups: an id of 1 to 18 digits (always below 2**63-1), a code of up to 40 characters (the code columns'
# size). A longer or stranger value matches no route, so it is the API's JSON 404 before any query.
ID_LOOKUP = "[0-9]{1,18}"
CODE_LOOKUP = "[^/.]{1,40}"


class BoundedRouter(DefaultRouter):
    """The API root: every viewset's lookup is bounded, unless the viewset declares its own lookup_value_regex."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        default = ID_LOOKUP if lookup_field in ("pk", "id") else CODE_LOOKUP
        value = getattr(viewset, "lookup_value_regex", None) or default
        return self._base_pattern.format(
            lookup_prefix=lookup_prefix, lookup_url_kwarg=lookup_url_kwarg, lookup_value=value
        )


# Each app registers its viewsets on its own router; the API root gathers them under /api/v1/.
api = BoundedRouter()
APP_APIS = (
    areas.api,
    strategies.api,
    workstreams.api,
    indicators.api,
    progress.api,
    budgets.api,
    coverage.api,
    reports.api,
)
for app_api in APP_APIS:
    api.registry.extend(app_api.router.registry)

# A malformed API URL (say /api/v1/projects/0.5/) gets the API's JSON error body, not an HTML page.
handler404 = "codi_plans.api.not_found"
# Error pages in the site's layout and the user's language; the 500 page needs neither the database nor the user.
handler403 = "codi_plans.views.permission_denied"
handler500 = "codi_plans.views.server_error"

urlpatterns = [
    path("", strategies.views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    # /plans/<code>/served-by/ and /coverage/ (the coverage app sits above strategies, so it is mounted first)
    path("", include("coverage.urls")),
    path("plans/", include("strategies.urls")),
    path("areas/", include("areas.urls")),
    path("tambon-plans/", include("workstreams.urls")),
    path("indicators/", include("indicators.urls")),
    path("progress/", include("progress.urls")),
    path("budgets/", include("budgets.urls")),
    path("map/", budgets.views.national_map, name="map"),
    path("reports/", include("reports.urls")),
    path("my-work/", include("mywork.urls")),
    path("exports/", include("opengov.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads Swagger UI's start-up script from ?script rather than inline, as the CSP requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Public pages and open data (/open/…), /sitemap.xml, /robots.txt and the CKAN action API (/api/3/action/…).
    path("", include("public.urls")),
]
