"""Sections that other apps add to a meeting's page (registration, documents, records).

An app registers a function in its AppConfig.ready(); the meeting page calls
each one, in order, with the request and the meeting, and shows the HTML it
returns (an empty string shows nothing). This keeps the meeting page free of
imports from the apps built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString

from resettle.meetings.models import Meeting

Panel = Callable[[HttpRequest, Meeting], SafeString | str]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    render: Panel


_PANELS: dict[str, _Entry] = {}


def register(name: str, render: Panel, *, order: int = 100) -> None:
    """Add (or replace) a section of the meeting page; lower `order` comes first."""
    _PANELS[name] = _Entry(order, name, render)


def render_panels(request: HttpRequest, meeting: Meeting) -> list[SafeString | str]:
    """The HTML of every registered section for this meeting and user, in order."""
    out: list[SafeString | str] = []
    for entry in sorted(_PANELS.values(), key=lambda e: (e.order, e.name)):
        html = entry.render(request, meeting)
        if html:
            out.append(html)
    return out
