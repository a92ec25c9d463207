"""Pages of timeliness.accountability, included by timeliness/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
