"""Pages of the resource ledger, under /ledger/."""

from django.urls import URLPattern, path

from xiaoneng.reports.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern] = [
    path("ledger/", views.entry_list, name="entry_list"),
    path("ledger/new/", views.entry_create, name="entry_create"),
    path("ledger/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("ledger/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("ledger/quotas/", views.quota_list, name="quota_list"),
    path("ledger/efficiency/", views.efficiency_page, name="efficiency"),
]
