"""URLs of the rsf app."""

from django.urls import path

from resettle.rsf import views, views_schedule, views_staff

app_name = "rsf"

urlpatterns = [
    path("", views.MissionListView.as_view(), name="mission_list"),
    path("add/", views.MissionEditView.as_view(), name="mission_add"),
    path("<int:pk>/", views.mission_detail, name="mission_detail"),
    path("<int:pk>/edit/", views.MissionEditView.as_view(), name="mission_edit"),
    path("<int:pk>/cases/", views.mission_cases, name="mission_cases"),
    path("<int:pk>/cases/<int:case>/edit/", views.mission_case_edit, name="mission_case_edit"),
    path("<int:pk>/interpreters/", views.mission_interpreters, name="mission_interpreters"),
    path(
        "<int:pk>/interpreters/<int:row>/remove/",
        views.mission_interpreter_remove,
        name="mission_interpreter_remove",
    ),
    path("<int:pk>/caseworkers/", views_staff.mission_caseworkers, name="mission_caseworkers"),
    path(
        "<int:pk>/caseworkers/<int:row>/remove/",
        views_staff.mission_caseworker_remove,
        name="mission_caseworker_remove",
    ),
    path("<int:pk>/schedule/", views_schedule.schedule_start, name="schedule_start"),
    path("<int:pk>/timetable/", views_schedule.timetable, name="timetable"),
    path("<int:pk>/timetable.pdf", views_schedule.timetable_pdf, name="timetable_pdf"),
    path("<int:pk>/rooms/<int:room>/calendar.ics", views_schedule.room_ics, name="room_ics"),
    path(
        "<int:pk>/interpreters/<int:interpreter>/calendar.ics",
        views_schedule.interpreter_ics,
        name="interpreter_ics",
    ),
    path("<int:pk>/no-show/", views_schedule.no_show, name="no_show"),
    path("<int:pk>/interpreter-lost/", views_schedule.interpreter_lost, name="interpreter_lost"),
    path("<int:pk>/reschedule/", views_schedule.reschedule, name="reschedule"),
    path("<int:pk>/logistics/", views_schedule.logistics, name="logistics"),
    path("runs/<int:pk>/", views_schedule.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views_schedule.run_progress, name="run_progress"),
    path("rooms/", views.room_list, name="room_list"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/closures/", views_staff.room_closures, name="room_closures"),
    path("rooms/closures/<int:pk>/reopen/", views_staff.room_reopen, name="room_reopen"),
    path("interpreters/", views.interpreter_list, name="interpreter_list"),
    path("interpreters/<int:pk>/edit/", views.interpreter_edit, name="interpreter_edit"),
]
