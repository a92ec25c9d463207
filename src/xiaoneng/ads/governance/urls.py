"""Pages of the ad ladders and joint meetings (篇1), under /ads/governance/."""

from django.urls import URLPattern, URLResolver, path

from xiaoneng.ads.governance import meeting_views, views

app_name = "ad_governance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ads/governance/reviewers/", views.reviewer_list, name="reviewer_list"),
    path("ads/governance/reviewers/new/", views.reviewer_create, name="reviewer_create"),
    path("ads/governance/reviewers/<int:pk>/", views.reviewer_ladder, name="reviewer_ladder"),
    path("ads/governance/reviewers/<int:pk>/events/", views.reviewer_event, name="reviewer_event"),
    path(
        "ads/governance/reviewers/<int:pk>/decide/", views.reviewer_decide, name="reviewer_decide"
    ),
    path("ads/governance/parties/", views.party_list, name="party_list"),
    path("ads/governance/parties/<int:pk>/", views.party_ladder, name="party_ladder"),
    path("ads/governance/parties/<int:pk>/events/", views.party_event, name="party_event"),
    path("ads/governance/parties/<int:pk>/decide/", views.party_decide, name="party_decide"),
    path("ads/governance/meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("ads/governance/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("ads/governance/meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path(
        "ads/governance/meetings/<int:pk>/follow-ups/",
        meeting_views.meeting_follow_up,
        name="meeting_follow_up",
    ),
    path(
        "ads/governance/meetings/<int:pk>/leads/", meeting_views.meeting_lead, name="meeting_lead"
    ),
    path(
        "ads/governance/follow-ups/<int:pk>/done/",
        meeting_views.follow_up_done,
        name="follow_up_done",
    ),
]
