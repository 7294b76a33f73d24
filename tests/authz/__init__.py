"""Shared pieces of the authorization matrix (see tests/test_authorization_matrix.py).

Each domain may keep its rows in its own module of this package, as a dict
named `MATRIX`; the matrix test merges every module's rows into its table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from conftest import ROLES
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from resettle.accounts.models import User
from resettle.directory.models import Organisation

LOGIN = "login"  # a redirect to the login page
Expect = int | str
W = SimpleNamespace

# ---- how the table's cases are written --------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A world object that a list shows to some roles only.

    `obj` names it (an attribute of the world, dotted for nested ones, e.g.
    "gap.private"), or builds it from the world; `to` gives the roles that must
    find it in the list: a collection of roles, or a mapping like a case's
    `expect` (the roles given 200). Every other role given the list must not
    find it. An API list must hold it among its items' ids; a page must
    contain `marker` (by default the object's get_absolute_url()) as a link.
    """

    obj: str | Callable[[W], Any]
    to: Collection[str] | Mapping[str, Expect]
    marker: Callable[[W, Any], str] | None = None

    def get(self, w: W) -> Any:
        if callable(self.obj):
            return self.obj(w)
        found: Any = w
        for part in self.obj.split("."):
            found = getattr(found, part)
        return found

    def shown_to(self) -> frozenset[str]:
        if isinstance(self.to, Mapping):
            return frozenset(role for role, got in self.to.items() if got == 200)
        return frozenset(self.to)

    def describe(self) -> str:
        return self.obj if isinstance(self.obj, str) else "object"


def link(url_name: str) -> Callable[[W, Any], str]:
    """A `Listed` marker: the object's page under a URL name taking its pk."""
    return lambda w, obj: reverse(url_name, args=[obj.pk])


@dataclass(frozen=True)
class Case:
    """One request, and what each role gets back.

    `args` gives the URL's arguments from the fixture world (positional for a
    page's reverse(), a dict for an API path's {placeholders}); `data` gives the
    form fields or JSON body for the role's user; `setup` prepares the world;
    `writes` says that a successful request writes one audit entry (True) or
    that many (an int, for a service that changes several records at once);
    `lists` names objects a list response must show to some roles only and
    hide from the others (see `Listed`); `refusal_records` gives the rows, by
    model name, that a request refused as invalid (400, 422) writes by design (a
    wrong password is a failed attempt with its audit entry); any other refusal
    writes none.
    """

    method: str
    expect: Mapping[str, Expect]
    args: Callable[[W], Any] | None = None
    query: str = ""
    data: Callable[[W, User | None], dict[str, Any]] | None = None
    setup: Callable[[W], None] | None = None
    writes: bool | int = False
    label: str = ""
    lists: tuple[Listed, ...] = ()
    refusal_records: Mapping[str, int] = field(default_factory=dict)


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
