"""Pages of timeliness.callbacks, included by timeliness/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
