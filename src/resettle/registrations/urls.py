"""URLs of the registrations app."""

from django.urls import URLPattern

app_name = "registrations"

urlpatterns: list[URLPattern] = []
