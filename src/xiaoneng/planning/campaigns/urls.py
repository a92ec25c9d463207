"""Pages of campaigns (专项整治), under campaigns/."""

from django.urls import URLPattern, path

from xiaoneng.planning.campaigns import views

urlpatterns: list[URLPattern] = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
]
