"""Pages of timeliness.clocks, included by timeliness/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.timeliness.clocks import views

urlpatterns: list[URLPattern] = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/policy/", views.warning_policy, name="warning_policy"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/handle/", views.warning_handle, name="warning_handle"),
    path("warnings/<int:pk>/clear/", views.warning_clear, name="warning_clear"),
]
