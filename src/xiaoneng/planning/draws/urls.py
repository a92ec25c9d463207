"""Pages of double-random draws (双随机), under draws/."""

from django.urls import URLPattern, path

from xiaoneng.planning.draws import views

urlpatterns: list[URLPattern] = [
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_create, name="draw_create"),
    path("draws/conflicts/", views.conflict_list, name="conflict_list"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/commit/", views.draw_commit, name="draw_commit"),
    path("draws/<int:pk>/run/", views.draw_run, name="draw_run"),
    path("draws/<int:pk>/publish/", views.draw_publish, name="draw_publish"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/snapshots/<str:part>/", views.draw_snapshot, name="draw_snapshot"),
]
