"""Pages of three-level oversight (篇2): director spot checks under reviews/, division
supervision items under supervision/, the leader's view under oversight/."""

from django.urls import URLPattern, path

from xiaoneng.oversight import leader_views, views

app_name = "oversight"
urlpatterns: list[URLPattern] = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/draw/", views.review_draw, name="review_draw"),
    path("reviews/rounds/<int:pk>/", views.review_round, name="review_round"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/answer/", views.supervision_answer, name="supervision_answer"),
    path("supervision/<int:pk>/close/", views.supervision_close, name="supervision_close"),
    path("oversight/", leader_views.leader_view, name="leader_view"),
]
