from django.urls import path

from xiaoneng.planning.analysis import views as analysis_views
from xiaoneng.planning.draws import views as draw_views
from xiaoneng.planning.patrol import views as plan_views
from xiaoneng.planning.policy import views

app_name = "planning"
urlpatterns = [
    path("policy/", views.policy_detail, name="policy"),
    path("policy/new/", views.policy_create, name="policy_create"),
    path("policy/v<int:version>/", views.policy_detail, name="policy_version"),
    path("coverage/", analysis_views.coverage, name="coverage"),
    path("coverage/entities/", analysis_views.coverage_entities, name="coverage_entities"),
    path("coverage/export/", analysis_views.coverage_export, name="coverage_export"),
    path("coverage/rules/", analysis_views.responsibility_table, name="responsibility"),
    path("coverage/rules/<int:pk>/", analysis_views.rule_edit, name="rule_edit"),
    path("coverage/rules/<int:pk>/delete/", analysis_views.rule_delete, name="rule_delete"),
    path("staffing/", analysis_views.staffing, name="staffing"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/generate/", plan_views.plan_generate, name="plan_generate"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/calendar/", plan_views.my_calendar, name="my_calendar"),
    path(
        "plans/calendar/officer/<str:username>/",
        plan_views.officer_calendar,
        name="officer_calendar",
    ),
    path(
        "plans/calendar/station/<str:code>/", plan_views.station_calendar, name="station_calendar"
    ),
    path("plans/due/", plan_views.due_list, name="due_list"),
    path("plans/tasks/<int:pk>/", plan_views.task_detail, name="task_detail"),
    path("plans/tasks/<int:pk>/cancel/", plan_views.task_cancel, name="task_cancel"),
    path("campaigns/", plan_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", plan_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", plan_views.campaign_detail, name="campaign_detail"),
    path("draws/", draw_views.draw_list, name="draw_list"),
    path("draws/new/", draw_views.draw_create, name="draw_create"),
    path("draws/conflicts/", draw_views.conflict_list, name="conflict_list"),
    path("draws/<int:pk>/", draw_views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/commit/", draw_views.draw_commit, name="draw_commit"),
    path("draws/<int:pk>/run/", draw_views.draw_run, name="draw_run"),
    path("draws/<int:pk>/publish/", draw_views.draw_publish, name="draw_publish"),
    path("draws/<int:pk>/verify/", draw_views.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/snapshots/<str:part>/", draw_views.draw_snapshot, name="draw_snapshot"),
]
