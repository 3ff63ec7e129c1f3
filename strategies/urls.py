from django.urls import path

from . import views

app_name = "strategies"
urlpatterns = [
    path("", views.plan_tree, name="tree"),
    path("<str:code>/", views.plan_node_detail, name="node"),
]
