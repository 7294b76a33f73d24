"""URLs of the import pages: upload, map and preview, progress of a background import."""

from django.urls import URLPattern, path

from resettle.needs import views_import, views_pledges

urlpatterns: list[URLPattern] = [
    path("import/", views_import.import_upload, name="import"),
    path("import/jobs/<uuid:job>/", views_import.import_job, name="import_job"),
    path("import/<slug:upload>/", views_import.import_map, name="import_map"),
]

# Pledges recorded through the web form (needs.views_pledges).
urlpatterns += [
    path("pledges/", views_pledges.pledge_list, name="pledge_list"),
    path("pledges/record/", views_pledges.pledge_record, name="pledge_record"),
]
