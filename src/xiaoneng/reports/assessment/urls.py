"""Pages of 效能考核."""

from django.urls import URLPattern, path

from xiaoneng.reports.assessment import views

app_name = "assessment"
urlpatterns: list[URLPattern] = [
    path("assessment/", views.assessment_page, name="ranking"),
    path("assessment/compute/", views.compute_page, name="compute"),
    path("assessment/results/<int:result_id>/", views.result_page, name="result"),
    path(
        "assessment/results/<int:result_id>/<slug:code>/",
        views.records_page,
        name="records",
    ),
    path("assessment/schemes/", views.scheme_list, name="schemes"),
    path("assessment/bulletin/", views.bulletin_page, name="bulletin"),
    path("assessment/cockpit/", views.cockpit_page, name="cockpit"),
    path("assessment/cockpit/today/", views.cockpit_today, name="cockpit_today"),
    path("assessment/schemes/new/", views.scheme_new, name="scheme_new"),
]
