"""URLs of the commitments app."""

from django.urls import URLPattern

app_name = "commitments"

urlpatterns: list[URLPattern] = []
