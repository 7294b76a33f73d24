"""URLs of the commitments app."""

from django.urls import path

from resettle.commitments import views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("export/<str:fmt>/", views.commitment_export, name="commitment_export"),
    path("mine/", views.my_commitments, name="my_commitments"),
    path("add/", views.CommitmentEditView.as_view(), name="commitment_add"),
    path("<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path("<int:pk>/edit/", views.CommitmentEditView.as_view(), name="commitment_edit"),
    path("<int:pk>/updates/add/", views.add_progress_update, name="update_add"),
]
