"""Pages of the keyword feature library (关键词特征库)."""

from django.urls import URLPattern, URLResolver, path

from xiaoneng.keywords import version_views, views

app_name = "keywords"
urlpatterns: list[URLPattern | URLResolver] = [
    path("keywords/", views.rule_list, name="rule_list"),
    path("keywords/rules/new/", views.rule_create, name="rule_create"),
    path("keywords/rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("keywords/rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("keywords/rules/<int:pk>/active/", views.rule_active, name="rule_active"),
    path("keywords/scan/", views.trial, name="trial"),
    path("keywords/versions/", version_views.version_list, name="version_list"),
    path("keywords/versions/<int:number>/", version_views.version_detail, name="version_detail"),
    path(
        "keywords/versions/<int:number>/yaml/", version_views.version_export, name="version_export"
    ),
    path("keywords/export/", version_views.current_export, name="export"),
    path("keywords/import/", version_views.library_import, name="import"),
]
