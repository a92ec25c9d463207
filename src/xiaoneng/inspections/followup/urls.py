"""Pages of follow-up: findings, rectification orders, exit supervision, unlicensed operators
(see inspections/urls.py)."""

from django.urls import URLPattern, path

from xiaoneng.inspections.followup import exit_views, views

urlpatterns: list[URLPattern] = [
    path("findings/", views.finding_list, name="finding_list"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/new/", views.rectification_create, name="rectification_create"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/rectified/",
        views.rectification_rectified,
        name="rectification_rectified",
    ),
    path("exits/", exit_views.exit_list, name="exit_list"),
    path("exits/entities/", exit_views.exit_entities, name="exit_entities"),
    path("exits/new/", exit_views.exit_create, name="exit_create"),
    path("exits/<int:pk>/", exit_views.exit_detail, name="exit_detail"),
    path("exits/<int:pk>/close/", exit_views.exit_close, name="exit_close"),
    path("unlicensed/", exit_views.unlicensed_list, name="unlicensed_list"),
    path("unlicensed/new/", exit_views.unlicensed_create, name="unlicensed_create"),
    path("unlicensed/<int:pk>/", exit_views.unlicensed_detail, name="unlicensed_detail"),
    *[
        path(
            f"unlicensed/<int:pk>/{action}/",
            exit_views.unlicensed_action,
            {"action": action},
            name=f"unlicensed_{action}",
        )
        for action in ("guide", "licensed", "ceased")
    ],
]
