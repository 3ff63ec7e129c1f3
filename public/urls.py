"""Public pages under /open/, plus /sitemap.xml, /robots.txt and the CKAN action API (codi_plans/urls.py)."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path

from . import api, views
from .caching import public_page
from .sitemaps import SITEMAPS

app_name = "public"


@public_page
def sitemap(request, *, lang, year, explicit_year):
    """Django's sitemap, rendered without the request's context processors (they would read the session)."""
    response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
    xml = render_to_string(response.template_name, response.context_data)
    return HttpResponse(xml, content_type=response["Content-Type"])


urlpatterns = [
    path("open/", views.country, name="country"),
    path("open/region/<code:code>/", views.region, name="region"),
    path("open/province/<code:code>/", views.province, name="province"),
    path("open/tambon/<code:code>/", views.tambon, name="tambon"),
    path("open/project/<id:pk>/", views.project, name="project"),
    path("open/data/", views.data_index, name="data"),
    path("open/data/<slug:dataset_id>/", views.dataset_page, name="dataset"),
    path("open/data/<slug:dataset_id>.<str:fmt>", views.download, name="download"),
    path("open/catalog.jsonld", views.catalog_jsonld, name="catalog"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/3/action/package_list", api.PackageList.as_view(), name="ckan_package_list"),
    path("api/3/action/package_show", api.PackageShow.as_view(), name="ckan_package_show"),
    path(
        "api/3/action/current_package_list_with_resources",
        api.CurrentPackageListWithResources.as_view(),
        name="ckan_current_package_list_with_resources",
    ),
]
