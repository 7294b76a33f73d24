"""URLs of the gap pages, dataset versions and exports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
