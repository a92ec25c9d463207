"""Pages of timeliness.permits, included by timeliness/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.timeliness.permits import views

urlpatterns: list[URLPattern] = [
    path("services/cases/", views.service_case_list, name="service_case_list"),
    path("services/cases/new/", views.service_case_create, name="service_case_create"),
    path("services/cases/<int:pk>/", views.service_case_detail, name="service_case_detail"),
    path(
        "services/cases/<int:pk>/<slug:action>/",
        views.service_case_action,
        name="service_case_action",
    ),
    path("services/items/", views.service_item_list, name="service_item_list"),
    path("services/items/new/", views.service_item_create, name="service_item_create"),
    path("services/items/<int:pk>/edit/", views.service_item_edit, name="service_item_edit"),
]
