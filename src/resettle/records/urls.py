"""URLs of the records app."""

from django.urls import path

from resettle.records import views, views_panel

app_name = "records"

urlpatterns = [
    path("action-points/", views.action_point_list, name="action_point_list"),
    path("action-points/export.csv", views.action_point_export, name="action_point_export"),
    path("action-points/<int:pk>/", views.action_point_detail, name="action_point_detail"),
    path(
        "action-points/<int:pk>/edit/",
        views.ActionPointEditView.as_view(),
        name="action_point_edit",
    ),
    path(
        "action-points/<int:pk>/status/",
        views_panel.action_point_status,
        name="action_point_status",
    ),
    path("decisions/<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision_edit"),
    path("decisions/<int:pk>/delete/", views_panel.decision_delete, name="decision_delete"),
    path("meetings/<int:pk>/", views_panel.meeting_records, name="meeting_records"),
    path("meetings/<int:pk>/decisions/", views_panel.decision_add, name="decision_add"),
    path(
        "meetings/<int:pk>/action-points/",
        views_panel.action_point_add,
        name="action_point_add",
    ),
    path("meetings/<int:pk>/minutes/", views_panel.minutes_save, name="minutes_save"),
]
