"""URLs of the capacity-building app."""

from django.urls import path

from resettle.capacity import views, views_grow, views_training

app_name = "capacity"

urlpatterns = [
    path("", views.index, name="index"),
    path("states/", views.state_list, name="state_list"),
    path("states/<str:iso3>/", views.state_detail, name="state_detail"),
    path("states/<str:iso3>/apply-stage/", views.apply_stage, name="apply_stage"),
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/add/", views.AssessmentEditView.as_view(), name="assessment_add"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.AssessmentEditView.as_view(), name="assessment_edit"),
    path("assistance/", views.AssistanceListView.as_view(), name="assistance_list"),
    path("assistance/add/", views.AssistanceEditView.as_view(), name="assistance_add"),
    path("assistance/<int:pk>/", views.AssistanceDetailView.as_view(), name="assistance_detail"),
    path("assistance/<int:pk>/edit/", views.AssistanceEditView.as_view(), name="assistance_edit"),
    path("training/", views_training.ModuleListView.as_view(), name="module_list"),
    path("training/add/", views_training.ModuleEditView.as_view(), name="module_add"),
    path("training/<int:pk>/", views_training.ModuleDetailView.as_view(), name="module_detail"),
    path("training/<int:pk>/edit/", views_training.ModuleEditView.as_view(), name="module_edit"),
    path("training/versions/add/", views_training.VersionEditView.as_view(), name="version_add"),
    path(
        "training/versions/<int:pk>/edit/",
        views_training.VersionEditView.as_view(),
        name="version_edit",
    ),
    path(
        "training/versions/<int:pk>/document/",
        views_training.version_document,
        name="version_document",
    ),
    path("training/gains/", views_training.gains, name="gains"),
    path("training/deliveries/", views_training.DeliveryListView.as_view(), name="delivery_list"),
    path(
        "training/deliveries/add/", views_training.DeliveryEditView.as_view(), name="delivery_add"
    ),
    path(
        "training/deliveries/<int:pk>/",
        views_training.DeliveryDetailView.as_view(),
        name="delivery_detail",
    ),
    path(
        "training/deliveries/<int:pk>/edit/",
        views_training.DeliveryEditView.as_view(),
        name="delivery_edit",
    ),
    path(
        "training/deliveries/<int:pk>/results/add/",
        views_training.add_result,
        name="result_add",
    ),
    path("grow/", views_grow.grow, name="grow"),
    path("grow/supporters/add/", views_grow.SupporterEditView.as_view(), name="supporter_add"),
    path(
        "grow/supporters/<int:pk>/",
        views_grow.SupporterDetailView.as_view(),
        name="supporter_detail",
    ),
    path(
        "grow/supporters/<int:pk>/edit/",
        views_grow.SupporterEditView.as_view(),
        name="supporter_edit",
    ),
]
