"""`resettle bench load [--users 50] [--seconds 120] [--workers 4] [--think 2]`: the web
under load, through gunicorn on loopback, against the same server's floor.

On the current database (PostgreSQL in `make bench`; a SQLite file works too), it
loads the demo dataset if its accounts are missing (as `resettle demo --once`),
collects the static files, and starts gunicorn with `--workers` sync workers and
production settings (RESETTLE_ENV=production, DEBUG off, whitenoise's compressed
manifest storage) on a free loopback port, over plain HTTP (RESETTLE_HTTPS=0).

`--users` virtual users (core/httpload.py) then start, ten a second: 40% browse
anonymously, the others sign in once through the login form as the demo State,
NGO and refugee accounts (the staff accounts need a second factor in
production). Each user in turn picks a kind of request by weight and a request of
that kind, fetches it, and thinks for a time drawn uniformly from 0.5 to 1.5
times `--think` seconds:

- dashboards: the home page and the gap (anonymous); the signed-in dashboard,
  the gap and the user's own commitments (signed in);
- lists: forums, cycles, meetings, organisations, commitments, library, priority
  situations, recommendations, documents, action points, pledges...;
- detail pages of records the user may see (`visible_to`), a few of each model;
- API GETs of the open data and of the user's records (with the session).

Each user asks in English, French or Arabic. Every request is fetched once
before the run (warming caches as in service): a page a role may not see
(403/404, or a redirect to the login page) is left out of that role's mix and
logged; a server error stops the benchmark. The measuring window opens once
every user is browsing (logins are timed apart) and lasts `--seconds`.

Baseline, in the same run: the same users and think times fetching a static
file through the same gunicorn and whitenoise (the server's floor), for a
quarter of `--seconds`.

Limits (issue 8): p95 at most 300 ms, p99 at most 800 ms, no errors.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse

from resettle.core.httpload import (
    REQUEST_TIMEOUT_S,
    Answer,
    Browser,
    Record,
    Target,
    VirtualUser,
    run_users,
    summary,
)
from resettle.core.liveserver import HOST, PROBE_PATH, database_url, production_server, tail

P95_LIMIT_MS = 300.0
P99_LIMIT_MS = 800.0
DEFAULT_USERS = 50
DEFAULT_SECONDS = 120.0
DEFAULT_WORKERS = 4
DEFAULT_THINK_S = 2.0
SPAWN_PER_S = 10.0

ANONYMOUS_SHARE = 0.4
SIGNED_IN = ("state", "ngo", "refugee")  # demo accounts that sign in with a password alone
LANGUAGES = ("en", "en", "en", "fr", "ar")
WEIGHTS = {"dashboard": 0.2, "list": 0.3, "detail": 0.3, "api": 0.2}
BASELINE_PATH = PROBE_PATH  # a static file, through gunicorn and whitenoise

DASHBOARDS = {
    "anonymous": ["home", "needs:gap"],
    "signed_in": ["core:dashboard", "needs:gap", "commitments:my_commitments"],
}
LISTS = [
    "forums:forum_list",
    "forums:cycle_list",
    "forums:membership_list",
    "meetings:meeting_list",
    "directory:organisation_list",
    "directory:country_list",
    "commitments:commitment_list",
    "library:item_list",
    "pscg:situation_list",
    "pscg:practice_list",
    "governance:recommendation_list",
    "governance:rag_advice_list",
    "documents:document_list",
    "records:action_point_list",
    "needs:pledge_list",
    "needs:version_list",
    "capacity:state_list",
    "registrations:mine",
]
# Models whose detail pages are browsed: a few records of each that the user may see.
DETAIL_MODELS = [
    "forums.Forum",
    "forums.ConsultationCycle",
    "forums.Membership",
    "meetings.Meeting",
    "commitments.Commitment",
    "library.LibraryItem",
    "governance.Recommendation",
    "records.ActionPoint",
    "directory.Organisation",
    "directory.StateProfile",
    "needs.DatasetVersion",
    "pscg.PracticeExchange",
    "documents.Document",
]
DETAILS_PER_MODEL = 3
API = [
    "/api/v1/forums",
    "/api/v1/organisations",
    "/api/v1/cycles",
    "/api/v1/meetings",
    "/api/v1/commitments",
    "/api/v1/situations",
    "/api/v1/governance/recommendations",
    "/api/v1/documents",
    "/api/v1/dataset-versions?current=true",
    "/api/v1/gap",
    "/api/v1/library/search?q=integration",
]


# ---- the mix ------------------------------------------------------------------------------


def _reverse_all(names: list[str]) -> list[str]:
    paths = []
    for name in names:
        with contextlib.suppress(NoReverseMatch):  # an app not installed here
            paths.append(reverse(name))
    return paths


def _details(user: Any, rnd: random.Random) -> list[str]:
    paths = []
    for label in DETAIL_MODELS:
        model = apps.get_model(label)
        manager = model._default_manager
        qs = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        pks = sorted(qs.values_list("pk", flat=True).distinct())
        for pk in rnd.sample(pks, min(DETAILS_PER_MODEL, len(pks))):
            paths.append(manager.get(pk=pk).get_absolute_url())
    situations = apps.get_model("needs.PrioritySituation")._default_manager
    for pk in sorted(situations.values_list("pk", flat=True))[:DETAILS_PER_MODEL]:
        paths.append(reverse("pscg:situation_detail", args=[pk]))
    return paths


def build_mix(seed: int) -> dict[str, dict[str, list[str]]]:
    """Paths by kind for each role of the mix ("anonymous" and the signed-in accounts)."""
    from resettle.accounts.models import User  # noqa: PLC0415 - after the app registry

    rnd = random.Random(seed)  # noqa: S311 - a load mix, not secrets
    mix: dict[str, dict[str, list[str]]] = {}
    for role in ("anonymous", *SIGNED_IN):
        user = None if role == "anonymous" else User.objects.get(username=role)
        mix[role] = {
            "dashboard": _reverse_all(DASHBOARDS["anonymous" if user is None else "signed_in"]),
            "list": _reverse_all(LISTS),
            "detail": _details(user, rnd),
            "api": list(API),
        }
    return mix


def ensure_demo(log: Callable[[str], Any]) -> None:
    """Load the demo dataset unless its accounts are there (`resettle demo --once`)."""
    from resettle.demo.services import demo_users_exist, do_load_demo  # noqa: PLC0415

    if demo_users_exist():
        return
    if settings.PRODUCTION:
        raise RuntimeError("bench load needs the demo accounts, never loaded in production")
    log("loading the demo dataset\n")
    with transaction.atomic():
        do_load_demo(actor=None)


# ---- the run --------------------------------------------------------------------------------


def _warm_up(
    port: int, mix: dict[str, dict[str, list[str]]], log: Callable[[str], Any]
) -> dict[str, dict[str, list[Target]]]:
    """Fetch every path once per role (the roles side by side); the targets that
    answered 200."""
    with ThreadPoolExecutor(max_workers=len(mix)) as pool:
        futures = {
            role: pool.submit(_warm_up_role, port, role, kinds) for role, kinds in mix.items()
        }
    kept = {}
    for role, future in futures.items():
        kept[role], left_out = future.result()
        if left_out:
            log(f"not in the {role} mix: {', '.join(left_out)}\n")
        log(f"{role}: {sum(len(t) for t in kept[role].values())} paths\n")
    return kept


def _warm_up_role(
    port: int, role: str, kinds: dict[str, list[str]]
) -> tuple[dict[str, list[Target]], list[str]]:
    from resettle.demo.data import DEMO_PASSWORD  # noqa: PLC0415

    browser = Browser(HOST, port)
    if role != "anonymous":
        browser.log_in(role, DEMO_PASSWORD)
    kept: dict[str, list[Target]] = {}
    left_out = []
    for kind, paths in kinds.items():
        kept[kind] = []
        for path in dict.fromkeys(paths):
            answer = browser.get(path)
            if answer.status == 200:
                kept[kind].append(Target(path, kind))
            elif answer.status in {302, 403, 404}:
                left_out.append(f"{path} ({answer.status})")
            else:
                raise RuntimeError(f"warm-up: {path} answered {answer.status} to {role}")
        if not kept[kind]:
            raise RuntimeError(f"warm-up: {role} can fetch no {kind} path of the mix")
    return kept, left_out


def _users(
    port: int, targets: dict[str, dict[str, list[Target]]], count: int, seed: int
) -> list[VirtualUser]:
    from resettle.demo.data import DEMO_PASSWORD  # noqa: PLC0415

    rnd = random.Random(seed)  # noqa: S311 - a load mix, not secrets
    users = []
    anonymous = round(count * ANONYMOUS_SHARE)
    for i in range(count):
        role = "anonymous" if i < anonymous else SIGNED_IN[i % len(SIGNED_IN)]
        browser = Browser(HOST, port, language=rnd.choice(LANGUAGES))

        def sign_in(b: Browser, role: str = role) -> Answer:
            return b.log_in(role, DEMO_PASSWORD)

        users.append(
            VirtualUser(
                name=f"{role}-{i}",
                browser=browser,
                targets=targets[role],
                weights=WEIGHTS,
                sign_in=None if role == "anonymous" else sign_in,
            )
        )
    rnd.shuffle(users)  # anonymous and signed-in users start interleaved
    return users


def _report(record: Record, seconds: float) -> dict[str, Any]:
    out = summary(record.all_samples(), record.error_count())
    out["requests_per_s"] = round(out["requests"] / seconds, 1) if seconds else 0.0
    return out


def run(options: dict[str, Any], log: Callable[[str], Any]) -> dict[str, Any]:
    """Run the load benchmark; the JSON record."""
    users = int(options.get("users") or DEFAULT_USERS)
    seconds = float(options.get("seconds") or DEFAULT_SECONDS)
    workers = int(options.get("workers") or DEFAULT_WORKERS)
    think_mean = options.get("think")
    think_mean = DEFAULT_THINK_S if think_mean is None else float(think_mean)
    think = (0.5 * think_mean, 1.5 * think_mean)
    seed = int(options.get("seed") or 20261129)
    baseline_s = max(3.0, seconds / 4)

    database = database_url()
    ensure_demo(log)
    mix = build_mix(seed)
    load_before = os.getloadavg()
    with production_server(database, workers=workers, log=log) as (port, logfile):
        targets = _warm_up(port, mix, log)
        log(f"load: {users} users, think {think[0]:g}-{think[1]:g} s\n")
        main = run_users(
            _users(port, targets, users, seed),
            seconds=seconds,
            think=think,
            spawn_per_s=SPAWN_PER_S,
            seed=seed,
            log=log,
        )
        log(f"baseline: the same users fetching {BASELINE_PATH}\n")
        floor = {"baseline": [Target(BASELINE_PATH, "baseline")]}
        baseline = run_users(
            [
                VirtualUser(f"baseline-{i}", Browser(HOST, port), floor, {"baseline": 1.0})
                for i in range(users)
            ],
            seconds=baseline_s,
            think=think,
            spawn_per_s=SPAWN_PER_S,
            seed=seed,
        )
        server_errors = tail(logfile) if main.error_count() else ""
    load_after = os.getloadavg()

    result = _report(main, seconds)
    by_kind = {
        kind: summary(samples, main.errors.get(kind, 0)) for kind, samples in main.samples.items()
    }
    checks = {
        "p95_within_limit": result["p95_ms"] <= P95_LIMIT_MS,
        "p99_within_limit": result["p99_ms"] <= P99_LIMIT_MS,
        "no_errors": result["errors"] == 0,
    }
    verdict = "pass" if all(checks.values()) else "fail"
    log(
        f"load: {result['requests']} requests, {result['errors']} errors, p50 "
        f"{result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms "
        f"({verdict}); baseline p95 {summary(baseline.all_samples(), 0)['p95_ms']} ms\n"
    )
    return {
        "users": users,
        "seconds": seconds,
        **result,
        "workers": workers,
        "think_s": list(think),
        "database": connection.vendor,
        "by_kind": by_kind,
        "logins": {
            "count": len(main.logins),
            "p50_ms": summary(main.logins, 0)["p50_ms"],
            "max_ms": summary(main.logins, 0)["max_ms"],
        },
        "baseline": {"path": BASELINE_PATH, "seconds": baseline_s, **_report(baseline, baseline_s)},
        "error_samples": main.error_samples,
        "server_log_tail": server_errors,
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_before": [round(x, 2) for x in load_before],
            "load_avg_after": [round(x, 2) for x in load_after],
        },
        "request_timeout_s": REQUEST_TIMEOUT_S,
        "limits": {"p95_ms": P95_LIMIT_MS, "p99_ms": P99_LIMIT_MS, "errors": 0},
        "checks": checks,
        "verdict": verdict,
    }
