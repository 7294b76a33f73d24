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

A database that does not answer fails a request within seconds, well before
gunicorn would kill the worker: on PostgreSQL one that takes connections but
never answers them (a server lost behind a network fault; connect_timeout), on
SQLite a file another process keeps locked for writing (a stuck import; the
busy timeout, `?timeout=N` in DATABASE_URL). There reads go on meanwhile (WAL).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connections

from resettle.accounts.models import User
from resettle.core.httpload import Answer, Browser
from resettle.core.liveserver import HOST, production_server
from resettle.forums.models import Forum

from .proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Outage-test-pass-2031!"
ROUNDS = 4  # requests of each kind while away and after: both workers answer some
SQLITE_TIMEOUT_S = 3  # the busy timeout the SQLite server is given


@dataclass
class Outage:
    """The server's DATABASE_URL, and how to take its database away and give it back.

    `hang` makes it stop answering (PostgreSQL: connections taken, never answered;
    SQLite: the file locked by another writer) and returns how to end that;
    `wait_s` is how long a request then waits before it fails.
    """

    database_url: str
    cut: Callable[[], None]
    restore: Callable[[], None]
    hang: Callable[[], Callable[[], None]]
    wait_s: float
    reads_while_hung: bool


@pytest.fixture
def outage(shared_db: str) -> Iterator[Outage]:
    conn = connections["default"]
    if conn.vendor == "postgresql":
        s = conn.settings_dict
        proxy = TcpProxy(s["HOST"] or HOST, int(s["PORT"] or 5432))
        parts = urlsplit(shared_db)
        auth = parts.netloc.rpartition("@")[0]
        netloc = f"{auth}@{HOST}:{proxy.port}" if auth else f"{HOST}:{proxy.port}"

        def hang_proxy() -> Callable[[], None]:
            proxy.hang()
            return proxy.restore

        try:
            yield Outage(
                parts._replace(netloc=netloc).geturl(),
                proxy.cut,
                proxy.restore,
                hang_proxy,
                wait_s=5,  # connect_timeout
                reads_while_hung=False,
            )
        finally:
            proxy.cut()
        return
    path = Path(conn.settings_dict["NAME"])
    folder = path.parent
    away = folder.with_name("db-away")
    holders: list[sqlite3.Connection] = []

    def lock_file() -> Callable[[], None]:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until released
        holders.append(holder)
        return holder.close  # closing rolls the open transaction back

    try:
        yield Outage(
            f"{shared_db}?timeout={SQLITE_TIMEOUT_S}",
            lambda: folder.rename(away),
            lambda: away.rename(folder),
            lock_file,
            wait_s=SQLITE_TIMEOUT_S,
            reads_while_hung=True,
        )
    finally:
        for holder in holders:
            holder.close()
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


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_database_that_does_not_answer_fails_requests_within_seconds(
    outage: Outage, ngo_user: User, public_forum: Forum
) -> None:
    ngo_user.set_password(PASSWORD)
    ngo_user.save(update_fields=["password"])
    with production_server(outage.database_url, workers=1) as (port, logfile):
        visitor = Browser(HOST, port)
        assert visitor.get(public_forum.get_absolute_url()).status == 200
        form = visitor.get("/login/")
        found = _CSRF.search(form.text)
        assert form.status == 200 and found is not None
        fields = {
            "csrfmiddlewaretoken": found.group(1),
            "username": ngo_user.username,
            "password": PASSWORD,
        }

        release = outage.hang()
        # Signing in writes (the session, the attempt): it waits, then fails cleanly.
        answer = visitor.request(
            "POST",
            "/login/",
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        _assert_clean_503(answer, json_body=False)
        # It waited as long as it was told to, and gunicorn (30 s) did not kill it.
        assert outage.wait_s - 0.5 <= answer.seconds < 25, answer.seconds
        page = visitor.get(public_forum.get_absolute_url())
        if outage.reads_while_hung:  # SQLite in WAL mode: readers do not wait for writers
            assert page.status == 200
        else:
            _assert_clean_503(page, json_body=False)

        release()
        visitor.log_in(ngo_user.username, PASSWORD)
        assert ngo_user.username in visitor.get("/dashboard/").text
        log = logfile.read_text(errors="replace")
    assert "WORKER TIMEOUT" not in log
    assert log.count("Booting worker") == 1, log
