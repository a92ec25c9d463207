"""The statistics page of advertising supervision, included by ads/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.ads.stats import views

urlpatterns: list[URLPattern] = [
    path("ads/stats/", views.ad_stats, name="ad_stats"),
    path("ads/stats/xlsx/", views.ad_stats_xlsx, name="ad_stats_xlsx"),
]
