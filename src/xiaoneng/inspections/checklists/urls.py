"""Pages of checklists (篇8), under checklists/ (see inspections/checklists/views.py)."""

from django.urls import URLPattern, path

from xiaoneng.inspections.checklists import views

urlpatterns: list[URLPattern] = [
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/import/", views.checklist_import, name="checklist_import"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/export/", views.checklist_export, name="checklist_export"),
    path("checklists/<slug:code>/history/", views.checklist_history, name="checklist_history"),
]
