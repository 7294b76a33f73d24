"""URLs of the meetings app."""

from django.urls import path

from resettle.meetings import views, views_agenda

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/agenda/", views_agenda.agenda_editor, name="agenda_editor"),
    path("<int:pk>/agenda/sessions/add/", views_agenda.session_add, name="session_add"),
    path("<int:pk>/agenda/reorder/", views_agenda.session_reorder, name="session_reorder"),
    path("<int:pk>/planning/add/", views_agenda.planning_add, name="planning_add"),
    path("sessions/<int:pk>/edit/", views_agenda.session_edit, name="session_edit"),
    path("sessions/<int:pk>/move/", views_agenda.session_move, name="session_move"),
    path("sessions/<int:pk>/delete/", views_agenda.session_delete, name="session_delete"),
    path("sessions/<int:pk>/speakers/add/", views_agenda.speaker_add, name="speaker_add"),
    path("speakers/<int:pk>/remove/", views_agenda.speaker_remove, name="speaker_remove"),
    path("planning/<int:pk>/remove/", views_agenda.planning_remove, name="planning_remove"),
]
