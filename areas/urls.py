from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.area_index, name="index"),
    path("mine/", views.my_area, name="mine"),
    path("province/<code:code>/", views.province_detail, name="province"),
    path("province/<code:code>/region/", views.province_region, name="province_region"),
    path("district/<code:code>/", views.district_detail, name="district"),
    path("population/", views.population, name="population"),
    path("population/template.xlsx", views.population_template, name="population_template"),
]
