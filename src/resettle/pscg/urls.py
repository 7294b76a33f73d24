"""URLs of the pscg app."""

from django.urls import URLPattern

app_name = "pscg"

urlpatterns: list[URLPattern] = []
