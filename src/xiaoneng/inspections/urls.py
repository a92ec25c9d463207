"""Pages of inspections: each sub-domain keeps its routes in its own ``urls.py``."""

from django.urls import include, path

app_name = "inspections"
urlpatterns = [
    path("", include("xiaoneng.inspections.checklists.urls")),
    path("", include("xiaoneng.inspections.records.urls")),
    path("", include("xiaoneng.inspections.trace.urls")),
    path("", include("xiaoneng.inspections.followup.urls")),
    path("", include("xiaoneng.inspections.sampling.urls")),
]
