"""Pages of planning: each sub-domain keeps its routes in its own ``urls.py``."""

from django.urls import include, path

app_name = "planning"
urlpatterns = [
    path("", include("xiaoneng.planning.policy.urls")),
    path("", include("xiaoneng.planning.analysis.urls")),
    path("", include("xiaoneng.planning.patrol.urls")),
    path("", include("xiaoneng.planning.campaigns.urls")),
    path("", include("xiaoneng.planning.draws.urls")),
]
