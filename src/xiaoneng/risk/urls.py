"""Pages of the risk model (风险预测)."""

from django.urls import URLPattern, URLResolver, path

from xiaoneng.risk import views

app_name = "risk"
urlpatterns: list[URLPattern | URLResolver] = [
    path("risk/", views.home, name="home"),
    path("risk/entities/<str:uscc>/card/", views.entity_risk_card, name="entity_risk_card"),
    path("risk/train/", views.train, name="train"),
    path("risk/score/", views.score, name="score"),
    path("risk/drift/", views.check_drift, name="check_drift"),
    path("risk/evaluations/new/", views.evaluate, name="evaluate"),
    path("risk/evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
]
