"""Pages of 电子监察 (篇9): clocks and warnings, service cases, complaints and reports,
callbacks, accountability; each sub-domain's routes in its own urls.py."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "timeliness"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("xiaoneng.timeliness.clocks.urls")),
    path("", include("xiaoneng.timeliness.permits.urls")),
    path("", include("xiaoneng.timeliness.complaints.urls")),
    path("", include("xiaoneng.timeliness.callbacks.urls")),
    path("", include("xiaoneng.timeliness.accountability.urls")),
]
