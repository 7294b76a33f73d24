"""Pledges recorded through the web form by State officials, UNHCR staff and administrators.

Each State's recorded pledges form their own dataset series, `pledges-<ISO3>`
(`pledges-DEU`). Recording or changing a pledge makes the series' next
version: the State's pledges of the current version, with the pledge for that
year added or replaced (breakdowns and pathway places included). Versions are
never changed afterwards, so the gap can still be shown as of any of them; a
pledge recorded again with the same figures makes no new version.

The version is written by `loader.write_dataset`, like an imported file: the
same lines, the same checksum, the same audit entry (one LOAD entry).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import require
from resettle.directory.models import Country, OrganisationKind, UnhcrRegion
from resettle.needs import importing, loader
from resettle.needs.loader import LoadResult
from resettle.needs.models import (
    BreakdownKind,
    DatasetKind,
    DatasetVersion,
    Modality,
    PathwayType,
    Pledge,
    PledgeStatus,
    Population,
)

__all__ = [
    "MAX_BREAKDOWNS",
    "can_record_pledge",
    "current_pledges_for_user",
    "do_record_pledge",
    "own_state",
    "pledge_series",
]

MAX_BREAKDOWNS = 5  # breakdown lines of the form
YEAR_MIN, YEAR_MAX = importing.YEAR_MIN, importing.YEAR_MAX
COUNT_MAX = importing.COUNT_MAX
SERIES_PREFIX = "pledges-"


def pledge_series(state: Country) -> str:
    """The series of a State's recorded pledges."""
    return f"{SERIES_PREFIX}{state.iso3}"


# ---- rules -------------------------------------------------------------------------


def own_state(user: User | None) -> Country | None:
    """The State a State official acts for: their organisation's country, when it is a
    State government body."""
    if user is None or not user.is_active or user.role != Role.STATE:
        return None
    org = user.organisation
    if org is None or org.kind != OrganisationKind.STATE or org.country_id is None:
        return None
    return org.country


def can_record_pledge(user: User | None, state: Country | None = None) -> bool:
    """Administrators and UNHCR staff record any State's pledges; State officials
    their own State's (`state` None: whether the user may record any pledge)."""
    if user is None or not user.is_active:
        return False
    if user.is_platform_admin or user.role == Role.UNHCR:
        return True
    own = own_state(user)
    return own is not None and (state is None or own.pk == state.pk)


# ---- reads ---------------------------------------------------------------------------


def current_pledges_for_user(
    user: User | None, *, state: Country | None = None, year: int | None = None
) -> QuerySet[Pledge]:
    """The pledges of the current version of every pledges series the user may see,
    of one State and covering one year when given."""
    versions = DatasetVersion.objects.visible_to(user).current().filter(kind=DatasetKind.PLEDGES)
    qs = Pledge.objects.filter(version__in=versions)
    if state is not None:
        qs = qs.filter(state=state)
    if year is not None:
        qs = qs.filter(year__lte=year).filter(
            Q(end_year__isnull=True, year=year) | Q(end_year__gte=year)
        )
    return (
        qs.select_related("state", "version")
        .prefetch_related("breakdowns", "pathways")
        .order_by("-year", "state__name_en", "version__series")
    )


# ---- checking what the form gives ------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    """A pledge's values as the lines of a version (see `importing.check`)."""

    year: int
    end_year: int | None
    line: str
    extras: tuple[str, ...]


def _count(
    data: Mapping[str, Any], name: str, errors: dict[str, list[str]], default: int | None = 0
) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Enter a whole number."))
        return None
    if number < 0:
        errors.setdefault(name, []).append(_("Enter a number of 0 or more."))
        return None
    if number > COUNT_MAX:
        errors.setdefault(name, []).append(_("The number is too large."))
        return None
    return number


def _year(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = -1
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors.setdefault(name, []).append(
            _("Enter a year from %(min)s to %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
        return None
    return year


def _breakdown_value(kind: str, value: str) -> tuple[str, str | None]:
    """The stored value of a breakdown (codes upper-cased, regions as UNHCR names
    them), or why it is refused."""
    if kind in {BreakdownKind.NATIONALITY, BreakdownKind.ASYLUM}:
        code = value.upper()
        known = Country.objects.filter(iso3=code).exists()
        if kind == BreakdownKind.NATIONALITY and not known:
            known = Population.objects.filter(code=code).exists()
        if not known:
            return code, _("Unknown country code: %(value)s.") % {"value": value}
        return code, None
    if kind == BreakdownKind.REGION:
        for region in UnhcrRegion.values:
            if region.lower() == value.lower():
                return region, None
        return value, _("Unknown region %(value)s; expected one of %(choices)s.") % {
            "value": value,
            "choices": ", ".join(UnhcrRegion.values),
        }
    if len(value) > importing.EXTRA_VALUE_MAX:
        return value, _("At most %(max)s characters.") % {"max": importing.EXTRA_VALUE_MAX}
    return value, None


def _check_breakdowns(
    lines: Sequence[Mapping[str, Any]],
    persons: int | None,
    errors: dict[str, list[str]],
) -> list[tuple[str, str, int]]:
    """(kind, value, places) of each filled breakdown line; errors by the line's fields
    (`breakdown_<n>_kind`, `_value`, `_persons`, n from 1)."""
    found: list[tuple[str, str, int]] = []
    seen: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    first_of: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        kind = str(line.get("kind") or "").strip()
        value = " ".join(str(line.get("value") or "").split())  # no tab or line break
        places_given = line.get("persons") not in (None, "")
        if not kind and not value and not places_given:
            continue  # an empty line
        prefix = f"breakdown_{n}_"
        if kind not in BreakdownKind.values:
            errors.setdefault(prefix + "kind", []).append(_("Choose what the places are for."))
            continue
        if not value:
            errors.setdefault(prefix + "value", []).append(
                _("Name the situation, region or country.")
            )
            continue
        value, problem = _breakdown_value(kind, value)
        if problem is not None:
            errors.setdefault(prefix + "value", []).append(problem)
            continue
        if (kind, value.lower()) in seen:
            errors.setdefault(prefix + "value", []).append(
                _("The same as line %(other)s.") % {"other": seen[(kind, value.lower())]}
            )
            continue
        seen[(kind, value.lower())] = n
        if not places_given:
            errors.setdefault(prefix + "persons", []).append(_("Enter the number of places."))
            continue
        problems: dict[str, list[str]] = {}
        places = _count(line, "persons", problems, default=None)
        if places is None:
            errors.setdefault(prefix + "persons", []).extend(problems.get("persons", []))
            continue
        found.append((kind, value, places))
        totals[kind] = totals.get(kind, 0) + places
        first_of.setdefault(kind, n)
    if persons is not None:
        for kind, total in totals.items():
            if total > persons:
                errors.setdefault(f"breakdown_{first_of[kind]}_persons", []).append(
                    _(
                        "The places earmarked by %(kind)s add up to %(total)s, more than the "
                        "%(persons)s pledged."
                    )
                    % {"kind": BreakdownKind(kind).label, "total": total, "persons": persons}
                )
    return found


def _check(state: Country, data: Mapping[str, Any]) -> _Checked:
    """The pledge's line and extra lines; ValidationError naming the fields."""
    errors: dict[str, list[str]] = {}
    year = _year(data, "year", errors)
    if year is None and "year" not in errors:
        errors["year"] = [_("Enter the year.")]
    end_year = _year(data, "end_year", errors)
    persons = _count(data, "persons", errors, default=None)
    if persons is None and "persons" not in errors:
        errors["persons"] = [_("Enter the number of places pledged.")]
    eu = _count(data, "emergency_urgent_places", errors)
    unallocated = _count(data, "unallocated_places", errors)
    modality = str(data.get("modality") or "")
    if modality not in {"", *Modality.values}:
        errors["modality"] = [_("Choose a processing modality.")]
    status = str(data.get("status") or PledgeStatus.PLANNING)
    if status not in PledgeStatus.values:
        errors["status"] = [_("Choose a status.")]
    if year is not None and end_year is not None and end_year < year:
        errors.setdefault("end_year", []).append(
            _("The last year may not come before the year %(year)s.") % {"year": year}
        )
    for name, places in (("emergency_urgent_places", eu), ("unallocated_places", unallocated)):
        if persons is not None and places is not None and places > persons:
            errors.setdefault(name, []).append(
                _("%(value)s places are more than the %(persons)s pledged.")
                % {"value": places, "persons": persons}
            )
    breakdowns = _check_breakdowns(list(data.get("breakdowns") or []), persons, errors)
    pathway_data: Mapping[str, Any] = data.get("pathways") or {}
    pathways: list[tuple[str, int]] = []
    for pathway in PathwayType.values:
        places = _count(pathway_data, pathway, errors, default=0)
        if pathway in errors:
            errors[f"pathway_{pathway}"] = errors.pop(pathway)
        elif places:
            pathways.append((pathway, places))
    unknown = set(pathway_data) - set(PathwayType.values)
    if unknown:
        errors["pathways"] = [_("Unknown pathway: %(value)s.") % {"value": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    assert year is not None and persons is not None  # noqa: S101 - checked above
    key = importing.pledge_key(state.pk, year, end_year)
    tokens = [
        str(persons),
        str(eu or 0),
        str(unallocated or 0),
        modality,
        status,
    ]
    extras = [
        importing.extra_line(key, importing.BREAKDOWN, kind, value, places)
        for kind, value, places in breakdowns
    ] + [
        importing.extra_line(key, importing.PATHWAY, pathway, "", places)
        for pathway, places in pathways
    ]
    return _Checked(year, end_year, key + "\t" + "\t".join(tokens), tuple(extras))


# ---- the version -----------------------------------------------------------------------


def _lines_of(version: DatasetVersion) -> list[tuple[int, str, list[str]]]:
    """(year, line, extra lines) of each pledge of a version, as `importing.check`
    gives them."""
    out = []
    pledges = Pledge.objects.filter(version=version).prefetch_related("breakdowns", "pathways")
    for p in pledges.order_by("year", "pk"):
        key = importing.pledge_key(p.state_id, p.year, p.end_year)
        tokens = [
            str(p.persons),
            str(p.emergency_urgent_places),
            str(p.unallocated_places),
            p.modality,
            p.status,
        ]
        extras = [
            importing.extra_line(key, importing.BREAKDOWN, b.kind, b.value, b.persons)
            for b in p.breakdowns.all()
        ] + [
            importing.extra_line(key, importing.PATHWAY, w.pathway, "", w.persons)
            for w in p.pathways.all()
        ]
        out.append((p.year, key + "\t" + "\t".join(tokens), extras))
    return out


def do_record_pledge(state: Country, data: Mapping[str, Any], *, actor: User) -> LoadResult:
    """Record or change a State's pledge for a year: the next version of the State's
    series `pledges-<ISO3>`, holding its current pledges with this one added, or
    replacing the one of the same year.

    `data`: year, end_year (multi-year pledge), persons, emergency_urgent_places,
    unallocated_places, modality, status; `breakdowns`, a list of {kind, value,
    persons} (kind: situation, region, nationality, asylum); `pathways`, {pathway:
    places}. Raises PermissionDenied unless the actor may record this State's
    pledges, ValidationError naming the fields (`breakdown_<n>_value`,
    `pathway_<type>`...). The same figures as the current version make no new
    version (outcome "unchanged").
    """
    require(can_record_pledge(actor, state), "record pledge")
    checked = _check(state, data)
    series = pledge_series(state)
    with transaction.atomic():
        # Records and imports into the series wait for one another.
        list(DatasetVersion.objects.select_for_update().filter(series=series).values("pk"))
        current = loader.current_version(series)
        kept: list[tuple[int, str, list[str]]] = []
        if current is not None:
            kept = [row for row in _lines_of(current) if row[0] != checked.year]
        lines = [line for _y, line, _e in kept] + [checked.line]
        extras = [e for _y, _l, row_extras in kept for e in row_extras] + list(checked.extras)
        kind = str(DatasetKind.PLEDGES)
        columns = importing.db_columns(kind)
        result = importing.CheckResult(
            kind,
            columns,
            lines,
            len(lines),
            0,
            [],
            0,
            importing.checksum(kind, columns, lines, extras),
            {},
            None,
            extras,
        )
        return loader.write_dataset(
            kind,
            result,
            series=series,
            source=_("Pledge form"),
            actor=actor,
            note=_("%(state)s, pledge for %(year)s recorded by %(user)s.")
            % {"state": state.name_en, "year": checked.year, "user": actor.get_username()},
        )
