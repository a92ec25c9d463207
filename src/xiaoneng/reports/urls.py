"""Pages of reports: the period report (and, as they land, bulletins and assessment)."""

from django.urls import URLPattern, path

from xiaoneng.reports import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("reports/period/", views.period_report_page, name="period_report"),
    path(
        "reports/timeliness-bulletin/",
        views.timeliness_bulletin_page,
        name="timeliness_bulletin",
    ),
    path(
        "reports/timeliness-bulletin.xlsx",
        views.timeliness_bulletin_xlsx,
        name="timeliness_bulletin_xlsx",
    ),
]
