"""URLs of the forums app."""

from django.urls import path

from resettle.forums import views

app_name = "forums"

urlpatterns = [
    path("", views.ForumListView.as_view(), name="forum_list"),
    path("add/", views.ForumEditView.as_view(), name="forum_add"),
    path("<int:pk>/", views.ForumDetailView.as_view(), name="forum_detail"),
    path("<int:pk>/edit/", views.ForumEditView.as_view(), name="forum_edit"),
    path("<int:pk>/terms/", views.terms_document, name="forum_terms"),
    path("memberships/", views.MembershipListView.as_view(), name="membership_list"),
    path("memberships/add/", views.MembershipEditView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/", views.MembershipDetailView.as_view(), name="membership_detail"),
    path("memberships/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("cycles/", views.CycleListView.as_view(), name="cycle_list"),
    path("cycles/add/", views.CycleEditView.as_view(), name="cycle_add"),
    path("cycles/rotation/", views.rotation, name="rotation"),
    path("cycles/<int:pk>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", views.CycleEditView.as_view(), name="cycle_edit"),
]
