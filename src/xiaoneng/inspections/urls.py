"""Pages of inspections: each part of the module keeps its routes in ``routes/``."""

from django.urls import include, path

app_name = "inspections"
urlpatterns = [
    path("", include("xiaoneng.inspections.routes.checklists")),
    path("", include("xiaoneng.inspections.routes.records")),
    path("", include("xiaoneng.inspections.routes.oversight")),
    path("", include("xiaoneng.inspections.routes.followup")),
    path("", include("xiaoneng.inspections.routes.sampling")),
]
