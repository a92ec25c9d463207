"""Pages of monitored ads, included by ads/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.ads.monitoring import views

urlpatterns: list[URLPattern] = [
    path("ads/monitoring/", views.monitored_list, name="monitored_list"),
    path("ads/monitoring/new/", views.monitored_create, name="monitored_create"),
    path("ads/monitoring/import/", views.monitored_import, name="monitored_import"),
    path("ads/monitoring/<int:pk>/", views.monitored_detail, name="monitored_detail"),
    path("ads/monitoring/<int:pk>/<slug:action>/", views.monitored_action, name="monitored_action"),
]
