"""Pages of cases and targets: paths under cases/ and targets/."""

from django.urls import path

from xiaoneng.cases import action_views, views
from xiaoneng.cases.targets import views as target_views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/extend/", action_views.case_extend, name="case_extend"),
    path(
        "cases/<int:pk>/collections/new/", action_views.collection_create, name="collection_create"
    ),
    path("cases/<int:pk>/goods/new/", action_views.goods_create, name="goods_create"),
    path("cases/<int:pk>/<slug:action>/", action_views.case_action, name="case_action"),
    path("targets/", target_views.target_list, name="target_list"),
    path("targets/set/", target_views.target_set, name="target_set"),
]
