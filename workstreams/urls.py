from django.urls import path

from . import views

app_name = "workstreams"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_start, name="start"),
    path("template.xlsx", views.plan_template, name="template"),
    path("review/", views.review_queue, name="review"),
    path("province/<str:code>/<int:start>/", views.province_plan, name="province"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/problems/", views.problems_edit, name="problems"),
    path("<int:pk>/projects/new/", views.project_edit, name="project_new"),
    path("<int:pk>/projects/<int:number>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/projects/<int:number>/delete/", views.project_delete, name="project_delete"),
    path("<int:pk>/export.xlsx", views.plan_export, name="export"),
    path("<int:pk>/import/", views.plan_import, name="import"),
    path("<int:pk>/compare/", views.plan_compare, name="compare"),
    path("<int:pk>/<str:action>/", views.plan_transition, name="transition"),
]
