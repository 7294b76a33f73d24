"""Shared pieces of the authorization matrix (see tests/test_authorization_matrix.py).

Each domain may keep its rows in its own module of this package, as a dict
named `MATRIX`; the matrix test merges every module's rows into its table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from conftest import ROLES
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from resettle.accounts.models import User
from resettle.directory.models import Organisation

LOGIN = "login"  # a redirect to the login page
Expect = int | str
W = SimpleNamespace

# ---- how the table's cases are written --------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request, and what each role gets back.

    `args` gives the URL's arguments from the fixture world (positional for a
    page's reverse(), a dict for an API path's {placeholders}); `data` gives the
    form fields or JSON body for the role's user; `setup` prepares the world;
    `writes` says that a successful request writes one audit entry (True) or
    that many (an int, for a service that changes several records at once).
    """

    method: str
    expect: Mapping[str, Expect]
    args: Callable[[W], Any] | None = None
    query: str = ""
    data: Callable[[W, User | None], dict[str, Any]] | None = None
    setup: Callable[[W], None] | None = None
    writes: bool | int = False
    label: str = ""


def roles(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    """The expected status for every role: `default` unless named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def signed_in(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    """Anonymous visitors go to the login page; signed-in roles as given."""
    return roles(default, anonymous=LOGIN, **by_role)


def api_write(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    """Anonymous API writes get 401; signed-in roles as given."""
    return roles(default, anonymous=401, **by_role)


EVERYONE = roles(200)
# Members-only forum: its members, UNHCR (secretariat of every forum) and
# administrators see it; the rest get 404 as if it did not exist.
MEMBERS_ONLY = roles(404, admin=200, unhcr=200, state=200, ngo=200)


def pk(name: str) -> Callable[[W], list[Any]]:
    """The primary key of a world object, as the only positional URL argument."""
    return lambda w: [getattr(w, name).pk]


def api_pk(name: str) -> Callable[[W], dict[str, Any]]:
    """The primary key of a world object, for an API path's {pk}."""
    return lambda w: {"pk": getattr(w, name).pk}


def own_org(w: W, user: User | None) -> Organisation:
    """The user's organisation (the German NGO for the organisation-less admin)."""
    return (user.organisation if user is not None else None) or w.ngo_org


def _form_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | models.QuerySet):
        return [_form_value(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def edit_form(
    form_class: type, obj_name: str, **changes: Any
) -> Callable[[W, Any], dict[str, Any]]:
    """POST data of an edit form: the object's current values, with changes."""

    def build(w: W, user: User | None) -> dict[str, Any]:
        form = form_class(instance=getattr(w, obj_name), user=None)
        data: dict[str, Any] = {}
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, FieldFile) or value is None or value is False:
                continue  # files, empty values and unticked boxes are not posted
            data[name] = "on" if value is True else _form_value(value)
        data.update({k: _form_value(v) for k, v in changes.items()})
        return data

    return build


THIS_YEAR = timezone.localdate().year
TODAY = timezone.localdate().isoformat()
