"""Pages of timeliness.complaints, included by timeliness/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.timeliness.complaints import views

urlpatterns: list[URLPattern] = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/stats/", views.complaint_stats, name="complaint_stats"),
    path("complaints/stats/xlsx/", views.complaint_stats_xlsx, name="complaint_stats_xlsx"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/<slug:action>/", views.complaint_action, name="complaint_action"),
]
