"""Pages of coverage (篇3) and staffing (篇5) analysis."""

from django.urls import URLPattern, path

from xiaoneng.planning.analysis import views

urlpatterns: list[URLPattern] = [
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/entities/", views.coverage_entities, name="coverage_entities"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
    path("coverage/rules/", views.responsibility_table, name="responsibility"),
    path("coverage/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("coverage/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("staffing/", views.staffing, name="staffing"),
]
