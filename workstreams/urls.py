from django.urls import path

from . import views

app_name = "workstreams"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_start, name="start"),
    path("template.xlsx", views.plan_template, name="template"),
    path("review/", views.review_queue, name="review"),
    path("province/<code:code>/", views.province_plan_in_force, name="province_in_force"),
    path("province/<code:code>/<year:start>/", views.province_plan, name="province"),
    path("<id:pk>/", views.plan_detail, name="detail"),
    path("<id:pk>/edit/", views.plan_edit, name="edit"),
    path("<id:pk>/problems/", views.problems_edit, name="problems"),
    path("<id:pk>/projects/new/", views.project_edit, name="project_new"),
    path("<id:pk>/projects/<id:number>/edit/", views.project_edit, name="project_edit"),
    path("<id:pk>/projects/<id:number>/delete/", views.project_delete, name="project_delete"),
    path("<id:pk>/export.xlsx", views.plan_export, name="export"),
    path("<id:pk>/import/", views.plan_import, name="import"),
    path("<id:pk>/compare/", views.plan_compare, name="compare"),
    path("<id:pk>/next/", views.plan_start_next, name="next"),
    path("<id:pk>/<str:action>/", views.plan_transition, name="transition"),
]
