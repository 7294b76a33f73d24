"""URLs of the core app."""

from django.urls import path

from resettle.core import csp_reports, views

app_name = "core"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("csp-report/", csp_reports.csp_report, name="csp_report"),
]
