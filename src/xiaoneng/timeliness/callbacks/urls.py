"""Pages of timeliness.callbacks, included by timeliness/urls.py."""

from django.urls import URLPattern, path

from xiaoneng.timeliness.callbacks import problem_views, round_views, satisfaction_views, views

urlpatterns: list[URLPattern] = [
    path("callbacks/", views.callback_list, name="callback_list"),
    path("callbacks/rounds/", round_views.callback_rounds, name="callback_rounds"),
    path("callbacks/rounds/draw/", round_views.callback_round_draw, name="callback_round_draw"),
    path("callbacks/rounds/<int:pk>/", round_views.callback_round, name="callback_round"),
    path("callbacks/rules/", round_views.callback_rules, name="callback_rules"),
    path("callbacks/rules/save/", round_views.callback_rule_save, name="callback_rule_save"),
    path(
        "callbacks/problems/",
        problem_views.callback_problem_list,
        name="callback_problem_list",
    ),
    path(
        "callbacks/problems/<int:pk>/",
        problem_views.callback_problem_detail,
        name="callback_problem_detail",
    ),
    path(
        "callbacks/problems/<int:pk>/rectify/",
        problem_views.callback_problem_rectify,
        name="callback_problem_rectify",
    ),
    path(
        "callbacks/problems/<int:pk>/feedback/",
        problem_views.callback_problem_feedback,
        name="callback_problem_feedback",
    ),
    path("callbacks/satisfaction/", satisfaction_views.satisfaction, name="satisfaction"),
    path(
        "callbacks/satisfaction.xlsx",
        satisfaction_views.satisfaction_xlsx,
        name="satisfaction_xlsx",
    ),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback_detail"),
    path("callbacks/<int:pk>/answer/", views.callback_answer, name="callback_answer"),
    path(
        "callbacks/<int:pk>/unreachable/",
        views.callback_unreachable,
        name="callback_unreachable",
    ),
    path("callbacks/<int:pk>/problems/", views.callback_raise, name="callback_raise"),
]
