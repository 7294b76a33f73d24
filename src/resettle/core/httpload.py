"""A small HTTP load generator: virtual users as threads, each a cookie-keeping browser.

Pure standard library, no Django: the load benchmark (core/loadbench.py) and the
outage tests drive a real server over loopback with it.

Why threads and `http.client` rather than locust: the server under test runs
gunicorn's sync workers, which answer one request per connection, so a virtual
user is a thread that opens a connection, sends one request, reads the whole
answer and waits its think time; 50 such threads cost the client little (they
mostly sleep or wait on sockets). Locust would bring gevent, whose monkey
patching does not mix with the Django process that builds the request mix, and
a dependency for a hundred lines of code.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

# One request must not hang the run: gunicorn's own worker timeout is 30 s.
REQUEST_TIMEOUT_S = 30.0
# Signing in hashes the password on purpose slowly (PBKDF2, a third of a CPU second):
# many users signing in at once on a small machine queue for a while.
LOGIN_TIMEOUT_S = 120.0
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    """What a request got back."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """A client of one server that keeps its cookies, like a browser's tab.

    Every request uses a new connection (what gunicorn's sync workers give
    anyway) and reads the whole body; redirects are not followed.
    """

    def __init__(self, host: str, port: int, *, language: str = "en") -> None:
        self.host = host
        self.port = port
        self.language = language
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT_S,
    ) -> Answer:
        """Send one request; the answer (network failures raise OSError)."""
        sent = {"Accept-Language": self.language, "Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for raw in response.msg.get_all("Set-Cookie") or []:
                self._remember(raw)
            got = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        return Answer(response.status, got, data, time.perf_counter() - started)

    def _remember(self, raw: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(raw)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def log_in(self, username: str, password: str, path: str = "/login/") -> Answer:
        """Sign in through the login form (CSRF token and all); the POST's answer.

        A successful login answers 302; anything else raises RuntimeError.
        """
        form = self.request("GET", path, timeout=LOGIN_TIMEOUT_S)
        found = _CSRF_INPUT.search(form.text)
        if form.status != 200 or found is None:
            raise RuntimeError(f"GET {path} answered {form.status} without a login form")
        fields = {"csrfmiddlewaretoken": found.group(1), "username": username, "password": password}
        answer = self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=LOGIN_TIMEOUT_S,
        )
        if answer.status != 302:
            raise RuntimeError(f"login as {username} answered {answer.status}, not 302")
        return answer


# ---- statistics ---------------------------------------------------------------------------


def percentile_ms(samples: Sequence[float], q: float) -> float:
    """The nearest-rank percentile q (0-1) of durations in seconds, in milliseconds."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return round(ordered[max(0, round(q * len(ordered)) - 1)] * 1000, 1)


def summary(samples: Sequence[float], errors: int) -> dict[str, Any]:
    """Requests, errors and the p50/p95/p99/max of a set of durations."""
    return {
        "requests": len(samples),
        "errors": errors,
        "p50_ms": percentile_ms(samples, 0.50),
        "p95_ms": percentile_ms(samples, 0.95),
        "p99_ms": percentile_ms(samples, 0.99),
        "max_ms": round(max(samples, default=0.0) * 1000, 1),
    }


# ---- virtual users --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One request of the mix: its path, its kind (for the report), the statuses it
    must answer."""

    path: str
    kind: str
    ok: frozenset[int] = frozenset({200})


@dataclass
class VirtualUser:
    """A browser, how it signs in (if it does) and the requests it chooses among."""

    name: str
    browser: Browser
    targets: dict[str, list[Target]]  # by kind
    weights: dict[str, float]  # of each kind
    sign_in: Callable[[Browser], Answer] | None = None


@dataclass
class Record:
    """Everything measured in one phase."""

    # The measuring window (perf_counter times): none until every user is browsing.
    started: float = math.inf
    ended: float = math.inf
    samples: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    errors: dict[str, int] = field(default_factory=dict)  # kind -> count
    error_samples: list[str] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds)
            if error is not None:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(error)

    def all_samples(self) -> list[float]:
        return [s for each in self.samples.values() for s in each]

    def error_count(self) -> int:
        return sum(self.errors.values())


def _fetch(user: VirtualUser, target: Target) -> tuple[float, str | None]:
    started = time.perf_counter()
    try:
        answer = user.browser.get(target.path)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out...
        return time.perf_counter() - started, f"{target.path}: {exc.__class__.__name__} {exc}"
    if answer.status not in target.ok:
        return answer.seconds, f"{target.path}: HTTP {answer.status} ({user.name})"
    return answer.seconds, None


def run_users(
    users: Sequence[VirtualUser],
    *,
    seconds: float,
    think: tuple[float, float],
    spawn_per_s: float,
    seed: int,
    log: Callable[[str], Any] = lambda _: None,
) -> Record:
    """Start the users (spawn_per_s a second; each signs in once, if it does), then
    measure for `seconds` once all are browsing. Each user picks a kind by weight,
    then one of its targets, fetches it, and waits a think time drawn uniformly
    from `think` (seconds). Requests before the window (ramp-up) are not counted."""
    record = Record()
    all_browsing = threading.Barrier(len(users) + 1)
    stop = threading.Event()

    def browse(index: int, user: VirtualUser) -> None:
        rnd = random.Random(seed + index)  # noqa: S311 - a load mix, not secrets
        kinds = [k for k in user.weights if user.targets.get(k)]
        weights = [user.weights[k] for k in kinds]
        try:
            if user.sign_in is not None:
                answer = user.sign_in(user.browser)
                with record.lock:
                    record.logins.append(answer.seconds)
        except (OSError, http.client.HTTPException, RuntimeError) as exc:
            with record.lock:
                record.error_samples.append(f"{user.name} could not sign in: {exc}")
                record.errors["login"] = record.errors.get("login", 0) + 1
        finally:
            all_browsing.wait()
        while not stop.is_set():
            target = rnd.choice(user.targets[rnd.choices(kinds, weights)[0]])
            began = time.perf_counter()
            duration, error = _fetch(user, target)
            if record.started <= began < record.ended:
                record.add(target.kind, duration, error)
            stop.wait(rnd.uniform(*think))

    threads = [
        threading.Thread(target=browse, args=(i, u), name=f"vu-{i}", daemon=True)
        for i, u in enumerate(users)
    ]
    for thread in threads:
        thread.start()
        time.sleep(1 / spawn_per_s)
    all_browsing.wait()
    log(f"{len(users)} users browsing; measuring for {seconds:g} s\n")
    record.started = time.perf_counter()
    time.sleep(seconds)
    record.ended = time.perf_counter()
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_S + 5)
    return record
