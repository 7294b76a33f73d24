"""URLs of the allocation app."""

from django.urls import path

from resettle.allocation import views_lines, views_results, views_runs

app_name = "allocation"

urlpatterns = [
    path("", views_runs.run_list, name="run_list"),
    path("runs/start/", views_runs.run_start, name="run_start"),
    path("runs/<int:pk>/", views_results.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views_runs.run_progress, name="run_progress"),
    path("runs/<int:pk>/confirm/", views_runs.run_confirm, name="run_confirm"),
    path("runs/<int:pk>/scenario/", views_runs.scenario_add, name="scenario_add"),
    path("runs/<int:pk>/compare/", views_results.run_compare, name="run_compare"),
    path("runs/<int:pk>/unplaced/", views_results.run_unplaced, name="run_unplaced"),
    path(
        "runs/<int:pk>/export/<str:table>.<str:fmt>",
        views_results.run_export,
        name="run_export",
    ),
    path("runs/<int:pk>/cases/<int:case>/", views_results.explanation, name="explanation"),
    path("lines/", views_lines.LineListView.as_view(), name="line_list"),
    path("lines/add/", views_lines.LineEditView.as_view(), name="line_add"),
    path("lines/import/", views_lines.line_import, name="line_import"),
    path("lines/<int:pk>/", views_lines.LineDetailView.as_view(), name="line_detail"),
    path("lines/<int:pk>/edit/", views_lines.LineEditView.as_view(), name="line_edit"),
    path("lines/<int:pk>/delete/", views_lines.line_delete, name="line_delete"),
]
