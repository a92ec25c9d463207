"""Pages of three-level oversight (篇2): director spot checks under reviews/, division
supervision items under supervision/, the leader's view under oversight/."""

from django.urls import URLPattern, path

from xiaoneng.oversight.leader import views as leader_views
from xiaoneng.oversight.reviews import views as review_views
from xiaoneng.oversight.supervision import views as supervision_views

app_name = "oversight"
urlpatterns: list[URLPattern] = [
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/draw/", review_views.review_draw, name="review_draw"),
    path("reviews/rounds/<int:pk>/", review_views.review_round, name="review_round"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("supervision/", supervision_views.supervision_list, name="supervision_list"),
    path("supervision/new/", supervision_views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", supervision_views.supervision_detail, name="supervision_detail"),
    path(
        "supervision/<int:pk>/answer/",
        supervision_views.supervision_answer,
        name="supervision_answer",
    ),
    path(
        "supervision/<int:pk>/close/", supervision_views.supervision_close, name="supervision_close"
    ),
    path("oversight/", leader_views.leader_view, name="leader_view"),
]
