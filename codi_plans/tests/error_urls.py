"""The project's URLs plus one page that refuses everybody, so the 403 page can be seen by an anonymous visitor
(every real page sends anonymous visitors to the login page instead). The error handlers are the project's own."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from codi_plans.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401 - the handlers are the point


def refuse(request):
    raise PermissionDenied


urlpatterns = [*urlpatterns, path("test-only/refused/", refuse)]
