"""URLs of the registrations app."""

from django.urls import path

from resettle.registrations import views, views_ics, views_organise

app_name = "registrations"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine.ics", views_ics.mine_ics, name="mine_ics"),
    path("feed/reset/", views.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", views_ics.feed, name="feed"),
    path("meeting/<int:pk>/register/", views.register, name="register"),
    path("meeting/<int:pk>/", views_organise.meeting_registrations, name="meeting_registrations"),
    path("meeting/<int:pk>/attendance/", views_organise.attendance, name="attendance"),
    path("meeting/<int:pk>/invitations/", views_organise.invitations, name="invitations"),
    path("invitation/<str:token>/", views.invitation_landing, name="invitation"),
    path("<int:pk>/", views.registration_detail, name="registration_detail"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendance/", views.toggle_attendance, name="toggle_attendance"),
]
