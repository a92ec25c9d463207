"""Pages of advertising supervision (篇1); each sub-domain's routes in its own urls.py."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "ads"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("xiaoneng.ads.operators.urls")),
    path("", include("xiaoneng.ads.filings.urls")),
    path("", include("xiaoneng.ads.monitoring.urls")),
    path("", include("xiaoneng.ads.notices.urls")),
    path("", include("xiaoneng.ads.stats.urls")),
]
