"""Pages of the training records (篇8), under /training/."""

from django.urls import URLPattern, URLResolver, path

from xiaoneng.org.training import views

app_name = "training"
urlpatterns: list[URLPattern | URLResolver] = [
    path("training/", views.session_list, name="session_list"),
    path("training/new/", views.session_create, name="session_create"),
    path("training/<int:pk>/", views.session_detail, name="session_detail"),
    path("training/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("training/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
]
