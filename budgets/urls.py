from django.urls import path

from . import views, views_fairness

app_name = "budgets"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<id:pk>/", views.request_detail, name="request"),
    path("requests/<id:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<id:pk>/spending-plan/", views.spending_plan, name="spending_plan"),
    path("requests/<id:pk>/actuals/<quarter:quarter>/", views.actuals, name="actuals"),
    path("requests/<id:pk>/monitoring/<quarter:quarter>/", views.monitoring, name="monitoring"),
    path("requests/<id:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("requests/<id:pk>/<slug:move>/", views.request_move, name="request_move"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path("ceilings/", views.ceilings, name="ceilings"),
    path("fairness/", views_fairness.fairness, name="fairness"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<id:pk>/issues/new/", views.issue_edit, name="issue_create"),
    path("plans/<id:pk>/issues/<id:issue_pk>/edit/", views.issue_edit, name="issue_edit"),
]
