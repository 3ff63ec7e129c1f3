from django.urls import path

from . import views

app_name = "coverage"
# Mounted at the site's root before strategies' urls (codi_plans/urls.py), so /plans/<code>/served-by/ is ours.
urlpatterns = [
    path("plans/<code:code>/served-by/", views.served_by, name="served_by"),
    path("coverage/", views.coverage, name="index"),
]
