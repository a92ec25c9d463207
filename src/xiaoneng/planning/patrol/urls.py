"""Pages of patrol plans: plans, calendars, due lists, tasks."""

from django.urls import URLPattern, path

from xiaoneng.planning.patrol import views

urlpatterns: list[URLPattern] = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/generate/", views.plan_generate, name="plan_generate"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/calendar/", views.my_calendar, name="my_calendar"),
    path("plans/calendar/officer/<str:username>/", views.officer_calendar, name="officer_calendar"),
    path("plans/calendar/station/<str:code>/", views.station_calendar, name="station_calendar"),
    path("plans/due/", views.due_list, name="due_list"),
    path("plans/tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("plans/tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
]
