"""Pages of ad operators and their annual qualification checks, included by ads/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.ads.operators import views

urlpatterns: list[URLPattern] = [
    path("ads/operators/", views.operator_list, name="operator_list"),
    path("ads/operators/new/", views.operator_create, name="operator_create"),
    path("ads/operators/<int:pk>/", views.operator_detail, name="operator_detail"),
    path("ads/operators/<int:pk>/<slug:action>/", views.operator_action, name="operator_action"),
    path("ads/checks/", views.check_list, name="check_list"),
]
