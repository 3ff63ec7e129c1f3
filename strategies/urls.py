from django.urls import path

from . import views

app_name = "strategies"
urlpatterns = [
    path("", views.plan_tree, name="tree"),
    path("new/<str:kind>/", views.plan_add, name="add_root"),
    path("chain/", views.chain_overview, name="chain"),
    path("chain/upload/", views.chain_upload, name="chain_upload"),
    path("chain/template.xlsx", views.chain_template, name="chain_template"),
    path("<code:code>/", views.plan_node_detail, name="node"),
    path("<code:code>/edit/", views.plan_node_edit, name="edit"),
    path("<code:code>/add/<str:kind>/", views.plan_node_add, name="add"),
    path("<code:code>/alignment/", views.plan_node_alignment, name="alignment"),
    path("<code:code>/move/", views.plan_node_move, name="move"),
    path("<code:code>/delete/", views.plan_node_delete, name="delete"),
    path("<code:code>/history/", views.plan_node_history, name="history"),
    path("<code:code>/roll-forward/", views.plan_roll_forward, name="roll_forward"),
    path("<code:code>/publish/", views.plan_publish, name="publish"),
]
