"""URLs of the core app."""

from django.urls import path

from resettle.core import views

app_name = "core"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
