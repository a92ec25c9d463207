"""Pages of inspection records (检查记录), under inspections/."""

from django.urls import URLPattern, path

from xiaoneng.inspections.records import attachment_views, field_views, party_views, views

urlpatterns: list[URLPattern] = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_start, name="inspection_start"),
    path("inspections/field/", field_views.field_app, name="field_app"),
    path(
        "inspections/field/manifest.webmanifest",
        field_views.field_manifest,
        name="field_manifest",
    ),
    path("inspections/field/sw.js", field_views.field_worker, name="field_worker"),
    path(
        "inspections/from-task/<int:task_pk>/",
        views.inspection_from_task,
        name="inspection_from_task",
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/sign/", views.inspection_sign, name="inspection_sign"),
    path("inspections/<int:pk>/amend/", views.inspection_amend, name="inspection_amend"),
    path(
        "inspections/<int:pk>/party-signature/",
        party_views.party_signature,
        name="inspection_party_signature",
    ),
    path(
        "inspections/<int:pk>/party-signature.png",
        party_views.party_signature_image,
        name="inspection_party_signature_image",
    ),
    path(
        "inspections/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_views.attachment_file,
        name="inspection_attachment",
    ),
    path(
        "inspections/<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_views.attachment_remove,
        name="inspection_attachment_remove",
    ),
]
