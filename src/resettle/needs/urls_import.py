"""URLs of the import pages: upload, map and preview, progress of a background import."""

from django.urls import URLPattern, path

from resettle.needs import views_import

urlpatterns: list[URLPattern] = [
    path("import/", views_import.import_upload, name="import"),
    path("import/jobs/<uuid:job>/", views_import.import_job, name="import_job"),
    path("import/<slug:upload>/", views_import.import_map, name="import_map"),
]
