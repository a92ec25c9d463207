"""Pages of pre-publication filings, included by ads/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.ads.filings import views

urlpatterns: list[URLPattern] = [
    path("ads/filings/", views.filing_list, name="filing_list"),
    path("ads/filings/new/", views.filing_create, name="filing_create"),
    path("ads/filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("ads/filings/<int:pk>/<slug:action>/", views.filing_action, name="filing_action"),
]
