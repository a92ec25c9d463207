"""Pages of timeliness.accountability, included by timeliness/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.timeliness.accountability import views

urlpatterns: list[URLPattern] = [
    path("accountability/", views.accountability_list, name="accountability_list"),
    path("accountability/new/", views.accountability_create, name="accountability_create"),
    path("accountability/<int:pk>/", views.accountability_detail, name="accountability_detail"),
    path(
        "accountability/<int:pk>/revoke/",
        views.accountability_revoke,
        name="accountability_revoke",
    ),
]
