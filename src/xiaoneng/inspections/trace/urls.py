"""Pages of trace flags, under trace/ (see inspections/urls.py)."""

from django.urls import URLPattern, path

from xiaoneng.inspections.trace import views

urlpatterns: list[URLPattern] = [
    path("trace/", views.trace_flag_list, name="trace_flag_list"),
    path("trace/<int:pk>/", views.trace_flag_detail, name="trace_flag_detail"),
]
