from django.urls import path

from . import views

app_name = "opengov"
urlpatterns = [
    path("emenscr/", views.emenscr_list, name="emenscr"),
    path("emenscr/<id:pk>/", views.emenscr_detail, name="emenscr-detail"),
    path("emenscr/<id:pk>/status.json", views.emenscr_status, name="emenscr-status"),
    path("emenscr/<id:pk>/<str:fmt>/", views.emenscr_download, name="emenscr-download"),
    path("iati/activities.xml", views.iati_activities, name="iati-activities"),
]
