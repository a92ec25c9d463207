"""Pages of notices and confiscations, included by ads/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.ads.notices import views

urlpatterns: list[URLPattern] = [
    path("ads/notices/", views.notice_list, name="notice_list"),
    path("ads/notices/new/", views.notice_create, name="notice_create"),
    path("ads/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("ads/notices/<int:pk>/outcome/", views.notice_outcome, name="notice_outcome"),
    path("ads/confiscations/", views.confiscation_list, name="confiscation_list"),
    path("ads/confiscations/new/", views.confiscation_create, name="confiscation_create"),
]
