"""The web keeps answering while the database is away, and recovers by itself.

A real server (gunicorn, two workers, production settings, core/loadbench.py)
runs on the test database; the database is then taken away from it and given
back, nothing restarted in between:

- PostgreSQL: the server reaches it through a TCP proxy (proxy.py) that is cut
  (every connection dropped, the port closed: a stopped PostgreSQL) and
  restored (a restarted one). The machine's PostgreSQL itself is never touched.
- SQLite: the folder of the database file is renamed away and back.

While it is away every request gets 503 with Retry-After, a page in the
visitor's language or JSON for the API, never a stack trace; the health check
says 503; a signed-in visitor stays signed in. Once it is back the very next
requests get 200.

On PostgreSQL, a database that takes connections but never answers them (a
server lost behind a network fault) fails a request within seconds
(connect_timeout), well before gunicorn would kill the worker.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections

from resettle.accounts.models import User
from resettle.core.httpload import Answer, Browser
from resettle.core.liveserver import HOST, production_server
from resettle.forums.models import Forum

from .proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Outage-test-pass-2031!"
ROUNDS = 4  # requests of each kind while away and after: both workers answer some
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@dataclass
class Outage:
    """The server's DATABASE_URL, and how to take its database away and give it back."""

    database_url: str
    cut: Callable[[], None]
    restore: Callable[[], None]
    hang: Callable[[], None] | None = None  # PostgreSQL: connections taken, never answered


@pytest.fixture
def outage(shared_db: str) -> Iterator[Outage]:
    conn = connections["default"]
    if conn.vendor == "postgresql":
        s = conn.settings_dict
        proxy = TcpProxy(s["HOST"] or HOST, int(s["PORT"] or 5432))
        parts = urlsplit(shared_db)
        auth = parts.netloc.rpartition("@")[0]
        netloc = f"{auth}@{HOST}:{proxy.port}" if auth else f"{HOST}:{proxy.port}"
        try:
            yield Outage(
                parts._replace(netloc=netloc).geturl(), proxy.cut, proxy.restore, proxy.hang
            )
        finally:
            proxy.cut()
        return
    folder = Path(conn.settings_dict["NAME"]).parent
    away = folder.with_name("db-away")
    try:
        yield Outage(shared_db, lambda: folder.rename(away), lambda: away.rename(folder))
    finally:
        if away.exists():
            away.rename(folder)


def _assert_clean_503(answer: Answer, *, json_body: bool) -> None:
    assert answer.status == 503, answer.text[:500]
    assert answer.headers.get("retry-after") == "30"
    for leak in ("Traceback", "OperationalError", "InterfaceError", "psycopg", "sqlite3"):
        assert leak not in answer.text, answer.text[:2000]
    if json_body:
        assert answer.headers["content-type"].startswith("application/json")
        assert "temporarily unavailable" in json.loads(answer.body)["detail"]
    else:
        assert answer.headers["content-type"].startswith("text/html")
        assert "Temporarily unavailable" in answer.text or 'lang="ar"' in answer.text


def test_web_answers_503_while_the_database_is_away_and_recovers(
    outage: Outage, ngo_user: User, public_forum: Forum
) -> None:
    ngo_user.set_password(PASSWORD)
    ngo_user.save(update_fields=["password"])

    with production_server(outage.database_url, workers=2) as (port, logfile):
        visitor = Browser(HOST, port)
        arabic = Browser(HOST, port, language="ar")
        member = Browser(HOST, port)
        member.log_in(ngo_user.username, PASSWORD)

        def round_trip() -> dict[str, Answer]:
            return {
                "home": visitor.get("/"),
                "arabic": arabic.get("/"),
                "forum": visitor.get(public_forum.get_absolute_url()),
                "api": visitor.get("/api/v1/forums"),
                "dashboard": member.get("/dashboard/"),
                "health": visitor.get("/healthz"),
            }

        before = round_trip()
        assert {name: a.status for name, a in before.items()} == dict.fromkeys(before, 200)

        outage.cut()
        for _ in range(ROUNDS):
            during = round_trip()
            for name in ("home", "arabic", "forum", "dashboard"):
                _assert_clean_503(during[name], json_body=False)
            _assert_clean_503(during["api"], json_body=True)
            assert 'lang="ar" dir="rtl"' in during["arabic"].text
            assert during["health"].status == 503
            assert json.loads(during["health"].body)["status"] == "error"

        outage.restore()
        for _ in range(ROUNDS):
            after = round_trip()
            assert {name: a.status for name, a in after.items()} == dict.fromkeys(after, 200)
            assert public_forum.name in after["forum"].text
            assert json.loads(after["health"].body)["status"] == "ok"
            # Still signed in: the outage did not cost the visitor their session.
            assert ngo_user.username in after["dashboard"].text

        log = logfile.read_text(errors="replace")
    # No worker died or hung on the way: the two booted at the start are the only ones.
    assert log.count("Booting worker") == 2, log
    assert "WORKER TIMEOUT" not in log


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite opens a file: no connection to wait on")
def test_a_database_that_does_not_answer_fails_requests_within_seconds(
    outage: Outage, public_forum: Forum
) -> None:
    assert outage.hang is not None
    with production_server(outage.database_url, workers=1) as (port, logfile):
        visitor = Browser(HOST, port)
        assert visitor.get(public_forum.get_absolute_url()).status == 200

        outage.hang()
        answer = visitor.get(public_forum.get_absolute_url())
        _assert_clean_503(answer, json_body=False)
        # connect_timeout is 5 s; gunicorn kills a worker after 30 s.
        assert 4.5 <= answer.seconds < 25, answer.seconds

        outage.restore()
        assert visitor.get(public_forum.get_absolute_url()).status == 200
        log = logfile.read_text(errors="replace")
    assert "WORKER TIMEOUT" not in log
    assert log.count("Booting worker") == 1, log
