"""Pages of checklists (owned by its module; see inspections/urls.py)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
