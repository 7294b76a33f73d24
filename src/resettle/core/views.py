"""Home page, per-role dashboard and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.models import AuditEntry
from resettle.directory.models import Country, Organisation, Person, StateProfile
from resettle.forums.models import ConsultationCycle, Forum, ForumKind, Membership


def home(request: HttpRequest) -> HttpResponse:
    """The public landing page: what the platform holds, and the consultations."""
    user = request.user if isinstance(request.user, User) else None
    forums = Forum.objects.visible_to(user)
    latest_cycle = (
        ConsultationCycle.objects.visible_to(user)
        .select_related("state", "government_cochair", "ngo_cochair", "forum")
        .order_by("-start_year")
        .first()
    )
    return render(
        request,
        "core/home.html",
        {
            "counts": {
                "forums": forums.count(),
                "organisations": Organisation.objects.count(),
                "states": StateProfile.objects.count(),
                "countries": Country.objects.count(),
            },
            "consultations": forums.filter(kind=ForumKind.CONSULTATION),
            "latest_cycle": latest_cycle,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the signed-in user's attention, by role."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it; narrows the type
    days = settings.MANDATE_WARNING_DAYS
    visible = Membership.objects.visible_to(user).select_related("forum", "organisation", "person")
    org = user.organisation
    my_forums = Forum.objects.visible_to(user)
    if org is not None and not user.is_platform_admin:
        # The forums it chairs or runs the secretariat of, or sits in now.
        sits_in = Membership.objects.current().filter(organisation=org).values("forum")
        my_forums = my_forums.filter(
            Q(pk__in=sits_in) | Q(chairs=org) | Q(secretariat=org)
        ).distinct()
    context = {
        "role": Role(user.role) if user.role in Role.values else None,
        "organisation": org,
        "ending_soon": visible.ending_within(days).order_by("end_date"),
        "warning_days": days,
        "my_forums": my_forums[:20],
        # One filter rather than a union: SQLite refuses ORDER BY (the model's
        # default ordering) inside the parts of a compound statement.
        "my_cycles": ConsultationCycle.objects.visible_to(user)
        .filter(Q(government_cochair=org) | Q(ngo_cochair=org))
        .select_related("forum")
        if org
        else ConsultationCycle.objects.none(),
        "people": Person.objects.filter(organisation=org) if org else Person.objects.none(),
        "recent": AuditEntry.objects.select_related("actor")[:10]
        if user.is_platform_admin
        else AuditEntry.objects.filter(actor=user)[:10],
        "profile": StateProfile.objects.filter(country=org.country).first()
        if org is not None and org.country_id and user.role == Role.STATE
        else None,
    }
    return render(request, "core/dashboard.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database engine and migration state; 503 if either is wrong."""
    engine = connection.vendor
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except (DatabaseError, InterfaceError) as exc:  # a database down or unreachable
        return JsonResponse(
            {"status": "error", "database": engine, "error": exc.__class__.__name__}, status=503
        )
    body = {
        "status": "ok" if not pending else "migrations pending",
        "database": engine,
        "migrations": {"applied": not pending, "pending": len(pending)},
    }
    return JsonResponse(body, status=200 if not pending else 503)
