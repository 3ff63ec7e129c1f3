from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicator/<code:code>/", views.indicator_detail, name="indicator"),
    path("indicator/<code:code>/targets/", views.targets, name="targets"),
    path("plan/<code:code>/", views.plan_detail, name="plan"),
    path("results/", views.results_list, name="results"),
    path("results/new/", views.result_new, name="result_new"),
    path("results/upload/", views.upload, name="upload"),
    path("results/upload/template.xlsx", views.upload_template, name="upload_template"),
    path("results/<id:pk>/", views.result_detail, name="result"),
    path("results/<id:pk>/edit/", views.result_edit, name="result_edit"),
    path("results/<id:pk>/evidence/", views.evidence, name="evidence"),
    path("results/<id:pk>/<str:move>/", views.result_move, name="result_move"),
    path("queue/", views.queue, name="queue"),
    path("queue/approve/", views.queue_approve, name="queue_approve"),
]
