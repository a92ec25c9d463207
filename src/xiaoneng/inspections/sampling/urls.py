"""Pages of the supervision spot checks (监督抽查, 篇4), under ``sampling/``."""

from django.urls import URLPattern, path

from xiaoneng.inspections.sampling import followup_views, views

urlpatterns: list[URLPattern] = [
    path("sampling/", views.plan_list, name="sampling_plans"),
    path("sampling/plans/new/", views.plan_create, name="sampling_plan_create"),
    path("sampling/plans/<int:pk>/", views.plan_detail, name="sampling_plan_detail"),
    path("sampling/samples/<int:pk>/result/", views.sample_result, name="sampling_sample_result"),
    path("sampling/follow-ups/", followup_views.follow_up_list, name="sampling_follow_ups"),
    path(
        "sampling/follow-ups/<int:pk>/", followup_views.follow_up_detail, name="sampling_follow_up"
    ),
    path(
        "sampling/follow-ups/<int:pk>/rectify/",
        followup_views.follow_up_rectify,
        name="sampling_follow_up_rectify",
    ),
    path(
        "sampling/follow-ups/<int:pk>/reinspect/",
        followup_views.follow_up_reinspect,
        name="sampling_follow_up_reinspect",
    ),
    path(
        "sampling/follow-ups/<int:pk>/close/",
        followup_views.follow_up_close,
        name="sampling_follow_up_close",
    ),
    path("sampling/rates/", views.rates, name="sampling_rates"),
]
