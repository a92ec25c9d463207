"""Pages of oversight: trace flags under trace/, director spot checks under reviews/, division
supervision items under supervision/ (see inspections/urls.py)."""

from django.urls import URLPattern, path

from xiaoneng.inspections import oversight_views as views

urlpatterns: list[URLPattern] = [
    path("trace/", views.trace_flag_list, name="trace_flag_list"),
    path("trace/<int:pk>/", views.trace_flag_detail, name="trace_flag_detail"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/draw/", views.review_draw, name="review_draw"),
    path("reviews/rounds/<int:pk>/", views.review_round, name="review_round"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/answer/", views.supervision_answer, name="supervision_answer"),
    path("supervision/<int:pk>/close/", views.supervision_close, name="supervision_close"),
]
