"""URLs of the import pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
