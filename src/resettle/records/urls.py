"""URLs of the records app."""

from django.urls import URLPattern

app_name = "records"

urlpatterns: list[URLPattern] = []
