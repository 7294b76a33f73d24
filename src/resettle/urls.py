"""Top-level URLs: pages per app, the API, admin, language switch, health."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from resettle.accounts import views_auth as accounts_auth
from resettle.api import api
from resettle.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("resettle.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", accounts_auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("account/", include("resettle.accounts.urls")),
    # Single sign-on's login and callback (404 unless configured; accounts/sso.py).
    path("accounts/", include("resettle.accounts.urls_sso")),
    path("directory/", include("resettle.directory.urls")),
    path("forums/", include("resettle.forums.urls")),
    path("needs/", include("resettle.needs.urls")),
    path("meetings/", include("resettle.meetings.urls")),
    path("registrations/", include("resettle.registrations.urls")),
    path("documents/", include("resettle.documents.urls")),
    path("records/", include("resettle.records.urls")),
    path("governance/", include("resettle.governance.urls")),
    path("commitments/", include("resettle.commitments.urls")),
    path("situations/", include("resettle.pscg.urls")),
    path("cases/", include("resettle.cases.urls")),
    path("allocation/", include("resettle.allocation.urls")),
    path("capacity/", include("resettle.capacity.urls")),
    path("library/", include("resettle.library.urls")),
    path("pipeline/", include("resettle.pipeline.urls")),
    path("rsf/", include("resettle.rsf.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 (page or JSON), any other error Django's 500 page.
handler500 = "resettle.core.outage.server_error"
# A URL under /api/ that no operation matches gets a JSON 404, like the API's own.
handler404 = "resettle.api.not_found"

if settings.DEBUG:  # pragma: no cover - only for runserver with DEBUG on
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
