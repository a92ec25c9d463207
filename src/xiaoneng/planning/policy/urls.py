"""Pages of the supervision policy, under policy/."""

from django.urls import URLPattern, path

from xiaoneng.planning.policy import views

urlpatterns: list[URLPattern] = [
    path("policy/", views.policy_detail, name="policy"),
    path("policy/new/", views.policy_create, name="policy_create"),
    path("policy/v<int:version>/", views.policy_detail, name="policy_version"),
]
