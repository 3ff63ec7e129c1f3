from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("project/<id:pk>/", views.project_progress, name="project"),
    path("project/<id:pk>/<year:fiscal_year>/<quarter:quarter>/", views.report_form, name="report_form"),
    path("reports/<id:pk>/", views.report_detail, name="report"),
    path("reports/<id:pk>/amend/", views.amend, name="amend"),
    path("reports/<id:pk>/<str:move>/", views.report_move, name="move"),
    path("evidence/<id:pk>/", views.evidence, name="evidence"),
    path("excel/template.xlsx", views.excel_template, name="excel_template"),
    path("excel/upload/", views.excel_upload, name="excel_upload"),
]
