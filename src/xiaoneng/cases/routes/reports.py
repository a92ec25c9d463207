"""Pages of reports (see cases/urls.py): the period report and the leader's view."""

from django.urls import URLPattern, path

from xiaoneng.cases import leader_views, report_views

urlpatterns: list[URLPattern] = [
    path("reports/period/", report_views.period_report_page, name="period_report"),
    path("oversight/", leader_views.leader_view, name="leader_view"),
]
