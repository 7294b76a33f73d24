"""URLs of the knowledge library."""

from django.urls import path

from resettle.library import views

app_name = "library"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("add/", views.item_add, name="item_add"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/download/", views.download, name="download"),
]
