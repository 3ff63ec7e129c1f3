from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/status.json", views.report_status, name="status"),
    path("<id:pk>/<str:fmt>/", views.report_download, name="download"),
]
