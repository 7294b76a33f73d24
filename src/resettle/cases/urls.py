"""URLs of the cases app."""

from django.urls import path

from resettle.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("import/", views.case_import, name="case_import"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
]
