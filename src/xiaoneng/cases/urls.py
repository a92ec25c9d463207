"""Pages of cases, targets and period reports."""

from django.urls import include, path

app_name = "cases"
urlpatterns = [
    path("", include("xiaoneng.cases.routes.cases")),
    path("", include("xiaoneng.cases.routes.reports")),
]
