from django.urls import path

from xiaoneng.registry import views
from xiaoneng.registry.credit import views as credit_views

app_name = "registry"
urlpatterns = [
    path("map/", views.grid_map, name="map"),
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/unclaimed/", views.unclaimed, name="unclaimed"),
    path("entities/outside-grids/", views.outside_grids, name="outside_grids"),
    path("entities/points.json", views.entity_points, name="entity_points"),
    path("entities/<str:uscc>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:uscc>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/<str:uscc>/claim/", views.entity_claim, name="entity_claim"),
    path("entities/<str:uscc>/credit-grade/", views.entity_grade, name="entity_grade"),
    path("entities/<str:uscc>/risk-class/", views.entity_risk_class, name="entity_risk_class"),
    path("entities/<str:uscc>/grid/", views.entity_place, name="entity_place"),
    path("entities/<str:uscc>/archive/", views.entity_archive, name="entity_archive"),
    path("transfer/", views.transfer, name="transfer"),
    path("transfer/export/<str:kind>/", views.export, name="export"),
    path("credit/", credit_views.credit_list, name="credit_list"),
    path("credit/<int:pk>/decide/", credit_views.credit_decide, name="credit_decide"),
]
