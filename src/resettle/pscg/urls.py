"""URLs of the pscg app (under situations/)."""

from django.urls import path

from resettle.pscg import views, views_records

app_name = "pscg"

urlpatterns = [
    path("", views.situation_list, name="situation_list"),
    path("<int:pk>/", views.situation_detail, name="situation_detail"),
    path("<int:pk>/hosts/<str:iso3>/", views.host_country, name="host_country"),
    path("targets/add/", views_records.TargetEditView.as_view(), name="target_add"),
    path("targets/<int:pk>/edit/", views_records.TargetEditView.as_view(), name="target_edit"),
    path(
        "targets/<int:pk>/delete/", views_records.TargetDeleteView.as_view(), name="target_delete"
    ),
    path("practices/", views_records.PracticeListView.as_view(), name="practice_list"),
    path("practices/add/", views_records.PracticeEditView.as_view(), name="practice_add"),
    path("practices/<int:pk>/", views_records.PracticeDetailView.as_view(), name="practice_detail"),
    path(
        "practices/<int:pk>/edit/", views_records.PracticeEditView.as_view(), name="practice_edit"
    ),
    path(
        "practices/<int:pk>/delete/",
        views_records.PracticeDeleteView.as_view(),
        name="practice_delete",
    ),
    path("updates/", views_records.UpdateListView.as_view(), name="update_list"),
    path("updates/add/", views_records.UpdateEditView.as_view(), name="update_add"),
    path("updates/<int:pk>/", views_records.UpdateDetailView.as_view(), name="update_detail"),
    path("updates/<int:pk>/edit/", views_records.UpdateEditView.as_view(), name="update_edit"),
    path(
        "updates/<int:pk>/delete/", views_records.UpdateDeleteView.as_view(), name="update_delete"
    ),
]
