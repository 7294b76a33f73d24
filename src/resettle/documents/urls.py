"""URLs of the documents app."""

from django.urls import path

from resettle.documents import views, views_meeting

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("add/", views.DocumentAddView.as_view(), name="document_add"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("<int:pk>/upload/", views.upload_version, name="version_upload"),
    path("<int:pk>/delete/", views.delete_document, name="document_delete"),
    path("<int:pk>/download/", views.download, name="download"),
    path(
        "meetings/<int:meeting_pk>/datasets/",
        views_meeting.attach_dataset,
        name="attach_dataset",
    ),
    path("presented/<int:pk>/detach/", views_meeting.detach_dataset, name="detach_dataset"),
]
