from django.urls import path

from xiaoneng.planning import views

app_name = "planning"
urlpatterns = [
    path("policy/", views.policy_detail, name="policy"),
    path("policy/new/", views.policy_create, name="policy_create"),
    path("policy/v<int:version>/", views.policy_detail, name="policy_version"),
]
