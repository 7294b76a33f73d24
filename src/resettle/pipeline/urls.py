"""URLs of the case pipeline (mounted under pipeline/)."""

from django.urls import path

from resettle.pipeline import views, views_board, views_personal, views_travel

app_name = "pipeline"

urlpatterns = [
    path("", views_board.board, name="board"),
    path("missions/<int:pk>/board/", views_board.mission_board, name="mission_board"),
    path("states/<str:iso3>/board/", views_board.state_board, name="state_board"),
    path("cases/", views.casefile_list, name="casefile_list"),
    path("cases/add/", views.casefile_add, name="casefile_add"),
    path("cases/<int:pk>/", views.casefile_detail, name="casefile_detail"),
    path("cases/<int:pk>/move/", views.casefile_move, name="casefile_move"),
    path("cases/<int:pk>/members/add/", views_personal.member_add, name="member_add"),
    path("cases/<int:pk>/personal/", views_personal.personal_data, name="personal_data"),
    path("cases/<int:pk>/medical/", views_personal.medical, name="medical"),
    path("cases/<int:pk>/medical/add/", views_personal.medical_add, name="medical_add"),
    path("cases/<int:pk>/export/", views_personal.export_members, name="export_members"),
    path("cases/<int:pk>/travel/add/", views_travel.travel_add, name="travel_add"),
    path("confirm-password/", views_personal.confirm_password, name="reauth"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/import-departures/", views.departures_import, name="departures_import"),
    path("orientation/", views_travel.session_list, name="session_list"),
    path("orientation/add/", views_travel.session_add, name="session_add"),
    path("orientation/<int:pk>/", views_travel.session_detail, name="session_detail"),
    path(
        "orientation/<int:pk>/attendance/",
        views_travel.session_attendance,
        name="session_attendance",
    ),
]
