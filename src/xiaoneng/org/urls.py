from django.urls import path

from xiaoneng.org import calendar_views, views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<str:username>/", views.officer_detail, name="officer_detail"),
    path("grid-options/", views.grid_options, name="grid_options"),
    path("grids/<str:code>/", views.grid_detail, name="grid_detail"),
    path("calendar/", calendar_views.calendar_years, name="calendar"),
]
