"""URLs of the gap pages, dataset versions and exports."""

from django.urls import URLPattern, path, re_path

from resettle.needs import views, views_brief, views_charts

urlpatterns: list[URLPattern] = [
    path("gap/", views.gap_page, name="gap"),
    path("gap/trends/", views.gap_trends, name="gap_trends"),
    re_path(
        r"^gap/chart-(?P<name>bars|map|states)\.svg$",
        views_charts.gap_chart_svg,
        name="gap_chart",
    ),
    path("brief/", views_brief.brief_page, name="brief"),
    path("brief.pdf", views_brief.brief_pdf, name="brief_pdf"),
    path("versions/", views.VersionListView.as_view(), name="version_list"),
    path("versions/compare/", views.version_compare, name="version_compare"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    re_path(
        r"^export/(?P<table>needs|pledges|flows|gap)\.(?P<fmt>csv|xlsx|json|hxl)$",
        views.export,
        name="export",
    ),
]
