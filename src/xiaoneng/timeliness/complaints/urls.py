"""Pages of timeliness.complaints, included by timeliness/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
