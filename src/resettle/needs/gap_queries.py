"""The database side of the gap: which versions count, and GROUP BY queries feeding gap.py.

Every figure table is read with one GROUP BY query per request and per purpose,
filtered on (version, year) so that PostgreSQL uses the tables' (version, year)
indexes and aggregates in SQL; the few hundred or thousand groups that come
back are rolled up into any cut in Python:

- needs: GROUP BY population, asylum (urgent needs as a filtered SUM);
- flows: GROUP BY origin, asylum, resettlement State;
- pledges: GROUP BY version, State, first and last year (multi-year pledges are
  spread over their years by gap.pledge_share); earmarks: GROUP BY version,
  State, years, kind, value. Where several pledges series pledge for the same
  State and year, only the latest version's pledges count (gap.pledge_winners).

Which versions count (`Sources`): by default the current version (latest
completed) of every series the user may see; "as of" a version, the version of
each series that was current when that version was imported (what was
presented at a given consultation), with the chosen version itself for its own
series. A series filter per kind keeps one series of that kind, so that two
series holding the same departures are not added together.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache, caches
from django.db import models
from django.db.models import Max, Min, Q, Sum
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resettle.core.access import as_user
from resettle.directory.models import Country, UnhcrRegion
from resettle.needs import gap
from resettle.needs.models import (
    BreakdownKind,
    DatasetKind,
    DatasetVersion,
    DatasetVersionQuerySet,
    FlowFigure,
    NeedFigure,
    Pledge,
    PledgeBreakdown,
    Population,
    Priority,
    PrioritySituation,
    VersionStatus,
)

GLOBAL_KEY = "all"
URGENT = Q(priority__in=[Priority.EMERGENCY, Priority.URGENT])


class Cut(models.TextChoices):
    """How the gap is broken down."""

    GLOBAL = "global", _("Global")
    REGION = "region", _("Region (of asylum)")
    ASYLUM = "asylum", _("Country of asylum")
    POPULATION = "population", _("Population")
    SITUATION = "situation", _("Priority situation")
    STATE = "state", _("Resettlement State")


# Which earmark of a pledge counts in which cut (the others count in no cut but the
# global and State totals, which use the whole pledge).
BREAKDOWN_OF_CUT = {
    Cut.REGION: BreakdownKind.REGION,
    Cut.ASYLUM: BreakdownKind.ASYLUM,
    Cut.POPULATION: BreakdownKind.NATIONALITY,
    Cut.SITUATION: BreakdownKind.SITUATION,
}


# ---- versions ------------------------------------------------------------------


def visible_versions(user: Any) -> DatasetVersionQuerySet:
    """The dataset versions a user may see (public ones for anonymous visitors)."""
    return DatasetVersion.objects.visible_to(as_user(user))


def get_version_for_user(pk: Any, user: Any, *, done: bool = True) -> DatasetVersion:
    """A version the user may see (completed ones only unless done=False); 404 otherwise."""
    qs = visible_versions(user)
    if done:
        qs = qs.filter(status=VersionStatus.DONE)
    try:
        return qs.select_related("created_by").get(pk=int(pk))
    except (DatasetVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("dataset version") from exc


@dataclass(frozen=True)
class Sources:
    """The dataset versions a gap view or export is computed from."""

    versions: tuple[DatasetVersion, ...]
    as_of: DatasetVersion | None = None

    def of_kind(self, kind: str) -> list[DatasetVersion]:
        return [v for v in self.versions if v.kind == kind]

    def ids(self, kind: str) -> list[int]:
        return [v.pk for v in self.versions if v.kind == kind]

    @property
    def is_illustrative(self) -> bool:
        """Whether any figure comes from an illustrative (demo) version."""
        return any(v.is_illustrative for v in self.versions)


def sources_for(
    user: Any,
    *,
    as_of: DatasetVersion | None = None,
    series: Mapping[str, str] | None = None,
) -> Sources:
    """The versions that count for this user: current ones, or those current as of a version.

    `series` maps a kind (needs, pledges, flows) to the one series of that kind
    to keep; an empty value keeps every series of the kind.
    """
    done = visible_versions(user).filter(status=VersionStatus.DONE)
    chosen: list[DatasetVersion]
    if as_of is None:
        chosen = list(done.current())
    else:
        latest: dict[str, DatasetVersion] = {}
        for version in done.filter(created_at__lte=as_of.created_at).order_by("number"):
            latest[version.series] = version
        latest[as_of.series] = as_of
        chosen = list(latest.values())
    keep = {kind: name for kind, name in (series or {}).items() if name}
    chosen = [v for v in chosen if keep.get(v.kind, v.series) == v.series]
    chosen.sort(key=lambda v: (v.kind, v.series))
    return Sources(tuple(chosen), as_of)


def series_choices(user: Any) -> dict[str, list[str]]:
    """The series of each kind with a completed version the user may see."""
    found: dict[str, list[str]] = {k: [] for k in DatasetKind.values}
    rows = (
        visible_versions(user)
        .filter(status=VersionStatus.DONE)
        .values_list("kind", "series")
        .distinct()
        .order_by("series")
    )
    for kind, name in rows:
        found.setdefault(kind, []).append(name)
    return found


# ---- reference data: ids to keys and labels ---------------------------------------


@dataclass
class Lookups:
    """Countries and populations by id: their codes, regions and names."""

    country_code: dict[int, str] = field(default_factory=dict)
    country_region: dict[int, str] = field(default_factory=dict)
    country_name: dict[str, str] = field(default_factory=dict)
    country_id: dict[str, int] = field(default_factory=dict)
    population_code: dict[int, str] = field(default_factory=dict)
    population_name: dict[str, str] = field(default_factory=dict)
    population_id: dict[str, int] = field(default_factory=dict)
    # Priority situations: key (English name) -> label, the name's casefold -> key,
    # and the areas each covers as (population id, asylum id), None standing for any.
    situation_name: dict[str, str] = field(default_factory=dict)
    situation_key: dict[str, str] = field(default_factory=dict)
    situation_areas: dict[str, list[tuple[int | None, int | None]]] = field(default_factory=dict)
    _situations_of: dict[tuple[int, int | None], tuple[str, ...]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def load(cls) -> Lookups:
        """Every country and population (a few hundred rows each), names in the active language."""
        lang = (get_language() or "en")[:2]
        name_field = {"ar": "name_ar", "fr": "name_fr"}.get(lang, "name_en")
        out = cls()
        for pk, iso3, region, name, name_en in Country.objects.values_list(
            "pk", "iso3", "unhcr_region", name_field, "name_en"
        ):
            out.country_code[pk] = iso3
            out.country_region[pk] = region
            out.country_name[iso3] = name or name_en
            out.country_id[iso3] = pk
        for pk, code, name, name_en in Population.objects.values_list(
            "pk", "code", name_field, "name_en"
        ):
            out.population_code[pk] = code
            out.population_name[code] = name or name_en
            out.population_id[code] = pk
        # Situations with their areas: one query (a situation without areas comes once,
        # with no population and no country).
        situation_field = {"ar": "name_ar", "fr": "name_fr"}.get(lang, "name")
        for name, local, area, pop, asylum in PrioritySituation.objects.values_list(
            "name", situation_field, "areas__pk", "areas__population_id", "areas__asylum_id"
        ).order_by("name", "areas__pk"):
            out.situation_name[name] = local or name
            out.situation_key[name.casefold()] = name
            areas = out.situation_areas.setdefault(name, [])
            if area is not None:
                areas.append((pop, asylum))
        return out

    @property
    def situations_fingerprint(self) -> str:
        """A digest of every situation's name and areas: a new key when any changes.

        The situations are reference data edited in the admin; the cached
        roll-ups of the situation cut depend on them.
        """
        raw = repr(sorted(self.situation_areas.items()))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def situations_of(self, population: int, asylum: int | None) -> tuple[str, ...]:
        """The keys of the situations covering a population in a country of asylum.

        An area without a country of asylum covers the population anywhere, even
        where the figure states no country; one without a population covers
        everyone in its country of asylum.
        """
        found = self._situations_of.get((population, asylum))
        if found is None:
            found = tuple(
                name
                for name, areas in self.situation_areas.items()
                if any(p in (None, population) and a in (None, asylum) for p, a in areas)
            )
            self._situations_of[(population, asylum)] = found
        return found

    def labels(self, cut: str) -> dict[str, str]:
        """Key -> label for a cut."""
        not_stated = str(_("Not stated"))
        if cut == Cut.REGION:
            return {"": not_stated, **{v: str(label) for v, label in UnhcrRegion.choices}}
        if cut in (Cut.ASYLUM, Cut.STATE):
            return {"": not_stated, **self.country_name}
        if cut == Cut.POPULATION:
            return dict(self.population_name)
        if cut == Cut.SITUATION:
            return dict(self.situation_name)
        return {GLOBAL_KEY: str(_("All"))}

    def country_key(self, country_id: int | None) -> str:
        return self.country_code.get(country_id, "") if country_id is not None else ""

    def region_key(self, country_id: int | None) -> str:
        return self.country_region.get(country_id, "") if country_id is not None else ""

    def breakdown_key(self, kind: str, value: str) -> str:
        """The cut key an earmark's value names (ISO codes upper-cased, regions matched)."""
        value = value.strip()
        if kind == BreakdownKind.REGION:
            for region in UnhcrRegion.values:
                if region.lower() == value.lower():
                    return region
            return value
        if kind == BreakdownKind.SITUATION:
            return self.situation_key.get(value.casefold(), value)
        return value.upper()


# ---- the year cube: one GROUP BY per table ---------------------------------------


@dataclass
class Cube:
    """The grouped rows of one year (or of several, for trends), before any cut.

    needs: (year, population id, asylum id, need, urgent need)
    flows: (year, origin id, asylum id, State id, submitted, submitted_timed,
    departed, departed within six months)
    pledges: (year, State id, places, emergency/urgent places, unallocated),
    already spread over the years of multi-year pledges, and only those of the
    version that counts for their State and year (see _pledge_winners)
    earmarks: (year, kind, value, places), spread and chosen the same way
    """

    needs: list[tuple[int, int, int | None, int, int]] = field(default_factory=list)
    flows: list[tuple[int, int, int | None, int, int, int, int, int]] = field(default_factory=list)
    pledges: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    earmarks: list[tuple[int, str, str, int]] = field(default_factory=list)


def covering(year: int, prefix: str = "") -> Q:
    """Pledges whose years include `year`."""
    return Q(**{f"{prefix}year__lte": year}) & (
        Q(**{f"{prefix}end_year__gte": year})
        | Q(**{f"{prefix}end_year__isnull": True, f"{prefix}year": year})
    )


def _years(first: int, last: int | None, only: int | None) -> Iterable[int]:
    if only is not None:
        return [only]
    return range(first, (last or first) + 1)


CACHE_SECONDS = 24 * 3600
# Part of every cache key: raise it when the rules change what a cached result holds
# (2: pledges of several series no longer add up, the latest version counts).
CACHE_RULES = 2


def _cache_key(sources: Sources, params: Mapping[str, Any]) -> str:
    """A key that changes whenever any version or parameter does.

    A completed version's figures never change (see needs.models), so grouped
    figures can be kept as long as the same versions are asked for.
    """
    ident = [
        (v.pk, v.checksum, v.created_at.isoformat(), v.row_count, v.status)
        for v in sorted(sources.versions, key=lambda v: v.pk)
    ]
    raw = repr((CACHE_RULES, ident, sorted((k, repr(v)) for k, v in params.items())))
    return "needs-gap-cube:" + hashlib.sha256(raw.encode()).hexdigest()


def load_cube(
    sources: Sources,
    *,
    year: int | None = None,
    years: tuple[int, int] | None = None,
    filters: Mapping[str, Q] | None = None,
    group: bool = True,
) -> Cube:
    """The grouped figures of one year (`year`) or of a range of years (`years`).

    `filters` narrows a table ("needs", "flows", "pledges", "earmarks") to one
    key of a cut. With group=False only the year is kept (trends): the GROUP BY
    is by year alone. Results are cached per set of versions: completed
    versions are immutable, so a new import (a new version) is a new key.
    """
    params = {"year": year, "years": years, "filters": dict(filters or {}), "group": group}
    key = _cache_key(sources, params)
    # Grouped cubes are large (megabytes a year at production scale): they stay
    # in this process. Totals by year (trends, Roadmap 2030) are small: shared.
    store = caches["local"] if group else cache
    cached = store.get(key)
    if isinstance(cached, Cube):
        return cached
    cube = _load_cube(sources, year=year, years=years, filters=filters, group=group)
    store.set(key, cube, CACHE_SECONDS)
    return cube


def _load_cube(
    sources: Sources,
    *,
    year: int | None,
    years: tuple[int, int] | None,
    filters: Mapping[str, Q] | None,
    group: bool,
) -> Cube:
    filters = filters or {}
    cube = Cube()

    def year_filter(prefix: str = "") -> Q:
        if year is not None:
            return Q(**{f"{prefix}year": year})
        if years is not None:
            return Q(**{f"{prefix}year__gte": years[0], f"{prefix}year__lte": years[1]})
        return Q()

    need_ids = sources.ids(DatasetKind.NEEDS)
    if need_ids:
        dims = ["year", "population_id", "asylum_id"] if group else ["year"]
        qs = (
            NeedFigure.objects.filter(version_id__in=need_ids)
            .filter(year_filter())
            .filter(filters.get("needs", Q()))
            .values(*dims)
            .order_by()
            .annotate(need=Sum("persons"), urgent=Sum("persons", filter=URGENT))
        )
        cube.needs = [
            (
                r["year"],
                r.get("population_id", 0),
                r.get("asylum_id"),
                r["need"] or 0,
                r["urgent"] or 0,
            )
            for r in qs
        ]

    flow_ids = sources.ids(DatasetKind.FLOWS)
    if flow_ids:
        dims = ["year", "origin_id", "asylum_id", "resettlement_state_id"] if group else ["year"]
        qs = (
            FlowFigure.objects.filter(version_id__in=flow_ids)
            .filter(year_filter())
            .filter(filters.get("flows", Q()))
            .values(*dims)
            .order_by()
            .annotate(
                sub=Sum("submitted"),
                timed=Sum("submitted", filter=Q(departed_within_6_months__isnull=False)),
                dep=Sum("departed"),
                d6=Sum("departed_within_6_months"),
            )
        )
        cube.flows = [
            (
                r["year"],
                r.get("origin_id", 0),
                r.get("asylum_id"),
                r.get("resettlement_state_id", 0),
                r["sub"] or 0,
                r["timed"] or 0,
                r["dep"] or 0,
                r["d6"] or 0,
            )
            for r in qs
        ]

    pledge_ids = sources.ids(DatasetKind.PLEDGES)
    if pledge_ids:
        span = _pledge_span(year, years)
        qs_p = list(
            Pledge.objects.filter(version_id__in=pledge_ids)
            .filter(span)
            .filter(filters.get("pledges", Q()))
            .values("version_id", "year", "end_year", "state_id")
            .order_by()
            .annotate(
                places=Sum("persons"),
                eu=Sum("emergency_urgent_places"),
                un=Sum("unallocated_places"),
            )
        )
        # Which version counts for each (State, year), decided before any cut filter:
        # from the rows just read when nothing filtered them, else by its own query.
        unfiltered = None
        if "pledges" not in filters:
            unfiltered = [(r["version_id"], r["state_id"], r["year"], r["end_year"]) for r in qs_p]
        winners = _pledge_winners(sources, span, unfiltered)

        def counts(version: int, state: int, y: int) -> bool:
            return winners is None or winners.get((state, y)) == version

        for r in qs_p:
            for y in _years(r["year"], r["end_year"], year):
                if years is not None and not years[0] <= y <= years[1]:
                    continue
                if not counts(r["version_id"], r["state_id"], y):
                    continue

                def share(n: int, y: int = y, r: dict[str, Any] = r) -> int:
                    return gap.pledge_share(n or 0, r["year"], r["end_year"], y)

                cube.pledges.append(
                    (y, r["state_id"], share(r["places"]), share(r["eu"]), share(r["un"]))
                )
        if "earmarks" in filters or group:
            qs_b = (
                PledgeBreakdown.objects.filter(pledge__version_id__in=pledge_ids)
                .filter(_pledge_span(year, years, "pledge__"))
                .filter(filters.get("earmarks", Q()))
                .values(
                    "pledge__version_id",
                    "pledge__state_id",
                    "pledge__year",
                    "pledge__end_year",
                    "kind",
                    "value",
                )
                .order_by()
                .annotate(places=Sum("persons"))
            )
            for r in qs_b:
                first, last = r["pledge__year"], r["pledge__end_year"]
                for y in _years(first, last, year):
                    if years is not None and not years[0] <= y <= years[1]:
                        continue
                    if not counts(r["pledge__version_id"], r["pledge__state_id"], y):
                        continue
                    places = gap.pledge_share(r["places"] or 0, first, last, y)
                    cube.earmarks.append((y, r["kind"], r["value"], places))
    return cube


def _pledge_winners(
    sources: Sources, span: Q, rows: Iterable[tuple[int, int, int, int | None]] | None = None
) -> dict[tuple[int, int], int] | None:
    """(State, year) -> the pledges version that counts for it; None with one version.

    With several pledges series, a State pledging for a year in more than one of
    them counts once: with the pledges of the latest version (created last, then
    the larger id) among those pledging for it (see gap.pledge_winners). `rows`
    are the (version, State, first year, last year) of every pledge in the span,
    when the caller has them; else one small query reads them, with no cut
    filter, so that a filter (an earmark, a State) never changes which version
    wins.
    """
    versions = sources.of_kind(DatasetKind.PLEDGES)
    if len(versions) < 2:
        return None
    latest_first = sorted(versions, key=lambda v: (v.created_at, v.pk), reverse=True)
    if rows is None:
        rows = (
            Pledge.objects.filter(version_id__in=[v.pk for v in versions])
            .filter(span)
            .order_by()
            .values_list("version_id", "state_id", "year", "end_year")
            .distinct()
        )
    return gap.pledge_winners(rows, [v.pk for v in latest_first])


def _pledge_span(year: int | None, years: tuple[int, int] | None, prefix: str = "") -> Q:
    if year is not None:
        return covering(year, prefix)
    if years is not None:
        # Pledges that overlap the range.
        return Q(**{f"{prefix}year__lte": years[1]}) & (
            Q(**{f"{prefix}end_year__gte": years[0]})
            | Q(**{f"{prefix}end_year__isnull": True, f"{prefix}year__gte": years[0]})
        )
    return Q()


# ---- rolling the cube up into a cut ---------------------------------------------------


def roll_up(cube: Cube, cut: str, lookups: Lookups) -> dict[str, gap.Figures]:
    """Figures per key of a cut (all years of the cube added together)."""
    if cut == Cut.SITUATION:
        return _roll_up_situations(cube, lookups)
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    for _year, pop, asylum, need, urgent in cube.needs:
        if cut == Cut.STATE:
            break  # needs are not by resettlement State
        key = _key(cut, lookups, population=pop, asylum=asylum)
        acc[key]["need"] += need
        acc[key]["need_urgent"] += urgent

    for _year, origin, asylum, state, submitted, timed, departed, d6 in cube.flows:
        key = _key(cut, lookups, population=origin, asylum=asylum, state=state)
        row = acc[key]
        row["submitted"] += submitted
        row["submitted_timed"] += timed
        row["departed"] += departed
        row["departed_within_6_months"] += d6

    if cut in (Cut.GLOBAL, Cut.STATE):
        for _year, state, persons, eu, un in cube.pledges:
            key = GLOBAL_KEY if cut == Cut.GLOBAL else lookups.country_key(state)
            row = acc[key]
            row["pledged"] += persons
            row["pledged_emergency_urgent"] += eu
            row["pledged_unallocated"] += un
    else:
        wanted = BREAKDOWN_OF_CUT[Cut(cut)]
        for _year, kind, value, places in cube.earmarks:
            if kind == wanted:
                acc[lookups.breakdown_key(kind, value)]["pledged"] += places

    return {key: gap.Figures(**values) for key, values in acc.items()}


def _roll_up_situations(cube: Cube, lookups: Lookups) -> dict[str, gap.Figures]:
    """Figures per priority situation.

    A need or flow counts once in every situation covering its population and
    country of asylum (situations overlap, so their rows need not add up to the
    world's); one in no situation counts in none. Pledged places are those
    earmarked for the situation by name.
    """
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _year, pop, asylum, need, urgent in cube.needs:
        for key in lookups.situations_of(pop, asylum):
            acc[key]["need"] += need
            acc[key]["need_urgent"] += urgent
    for _year, origin, asylum, _state, submitted, timed, departed, d6 in cube.flows:
        for key in lookups.situations_of(origin, asylum):
            row = acc[key]
            row["submitted"] += submitted
            row["submitted_timed"] += timed
            row["departed"] += departed
            row["departed_within_6_months"] += d6
    for _year, kind, value, places in cube.earmarks:
        if kind == BreakdownKind.SITUATION:
            acc[lookups.breakdown_key(kind, value)]["pledged"] += places
    return {key: gap.Figures(**values) for key, values in acc.items()}


def by_year(cube: Cube) -> dict[int, gap.Figures]:
    """Figures per year, all keys added together (earmarks left out: the whole
    pledges count)."""
    acc: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for year, _pop, _asylum, need, urgent in cube.needs:
        acc[year]["need"] += need
        acc[year]["need_urgent"] += urgent
    for year, _o, _a, _s, submitted, timed, departed, d6 in cube.flows:
        row = acc[year]
        row["submitted"] += submitted
        row["submitted_timed"] += timed
        row["departed"] += departed
        row["departed_within_6_months"] += d6
    for year, _state, persons, eu, un in cube.pledges:
        row = acc[year]
        row["pledged"] += persons
        row["pledged_emergency_urgent"] += eu
        row["pledged_unallocated"] += un
    return {year: gap.Figures(**values) for year, values in acc.items()}


def _key(
    cut: str,
    lookups: Lookups,
    *,
    population: int | None = None,
    asylum: int | None = None,
    state: int | None = None,
) -> str:
    if cut == Cut.REGION:
        return lookups.region_key(asylum)
    if cut == Cut.ASYLUM:
        return lookups.country_key(asylum)
    if cut == Cut.POPULATION:
        return lookups.population_code.get(population or 0, "")
    if cut == Cut.STATE:
        return lookups.country_key(state)
    return GLOBAL_KEY


def key_filters(cut: str, key: str, lookups: Lookups) -> dict[str, Q]:
    """Filters narrowing each table to one key of a cut (for trends of one key).

    An unknown key matches nothing.
    """
    nothing = Q(pk__in=[])
    if cut == Cut.GLOBAL or not cut:
        return {}
    if cut == Cut.REGION:
        ids = [pk for pk, region in lookups.country_region.items() if region == key]
        place = Q(asylum_id__in=ids) if key else Q(asylum_id__isnull=True) | Q(asylum_id__in=ids)
        return {
            "needs": place,
            "flows": place,
            "pledges": nothing,
            "earmarks": Q(kind=BreakdownKind.REGION, value__iexact=key),
        }
    if cut == Cut.ASYLUM:
        cid = lookups.country_id.get(key.upper())
        place = Q(asylum_id=cid) if cid else nothing
        return {
            "needs": place,
            "flows": place,
            "pledges": nothing,
            "earmarks": Q(kind=BreakdownKind.ASYLUM, value__iexact=key),
        }
    if cut == Cut.POPULATION:
        pid = lookups.population_id.get(key.upper()) or lookups.population_id.get(key)
        return {
            "needs": Q(population_id=pid) if pid else nothing,
            "flows": Q(origin_id=pid) if pid else nothing,
            "pledges": nothing,
            "earmarks": Q(kind=BreakdownKind.NATIONALITY, value__iexact=key),
        }
    if cut == Cut.SITUATION:
        name = lookups.situation_key.get(key.casefold(), key)
        covers = lookups.situation_areas.get(name, [])

        def area(population_field: str) -> Q:
            # One figure matching several areas of the situation still counts once.
            found = Q(pk__in=[])
            for pop, asylum in covers:
                one = Q()
                if pop is not None:
                    one &= Q(**{population_field: pop})
                if asylum is not None:
                    one &= Q(asylum_id=asylum)
                found |= one
            return found

        return {
            "needs": area("population_id"),
            "flows": area("origin_id"),
            "pledges": nothing,
            "earmarks": Q(kind=BreakdownKind.SITUATION, value__iexact=name),
        }
    if cut == Cut.STATE:
        cid = lookups.country_id.get(key.upper())
        return {
            "needs": nothing,
            "flows": Q(resettlement_state_id=cid) if cid else nothing,
            "pledges": Q(state_id=cid) if cid else nothing,
            "earmarks": nothing,
        }
    return {}


def _earmark_trend(cube: Cube, cut: str, key: str, lookups: Lookups) -> dict[int, int]:
    wanted = BREAKDOWN_OF_CUT.get(Cut(cut))
    out: dict[int, int] = defaultdict(int)
    for year, kind, value, places in cube.earmarks:
        if kind == wanted and lookups.breakdown_key(kind, value) == key:
            out[year] += places
    return out


# ---- what the pages and the API ask for ----------------------------------------------


def available_years(sources: Sources) -> list[int]:
    """The years any of the versions holds figures for, latest first.

    Needs and pledges are small tables (DISTINCT year); for flows, which may
    hold millions of rows, MIN and MAX per version, each answered from the
    (version, year) index, give the range.
    """
    years: set[int] = set()
    need_ids = sources.ids(DatasetKind.NEEDS)
    if need_ids:
        years.update(
            NeedFigure.objects.filter(version_id__in=need_ids)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    pledge_ids = sources.ids(DatasetKind.PLEDGES)
    if pledge_ids:
        for first, last in (
            Pledge.objects.filter(version_id__in=pledge_ids)
            .order_by()
            .values_list("year", "end_year")
            .distinct()
        ):
            years.update(range(first, (last or first) + 1))
    for vid in sources.ids(DatasetKind.FLOWS):
        span = FlowFigure.objects.filter(version_id=vid).aggregate(lo=Min("year"), hi=Max("year"))
        if span["lo"] is not None:
            years.update(range(span["lo"], span["hi"] + 1))
    return sorted(years, reverse=True)


def default_year(years: list[int], today_year: int) -> int:
    """This year if it has data, else the latest year up to now, else the latest year."""
    if not years:
        return today_year
    if today_year in years:
        return today_year
    past = [y for y in years if y <= today_year]
    return max(past) if past else max(years)


@dataclass(frozen=True)
class GapView:
    """Everything the gap page, its export and the API show for one year and cut."""

    year: int
    cut: str
    sources: Sources
    rows: list[gap.GapRow]
    total: gap.Figures
    indicators: list[gap.Indicator]
    roadmap: gap.Roadmap
    populations: list[gap.GapRow]
    asylum: list[gap.GapRow]
    states: list[gap.GapRow]

    @property
    def most_unmet(self) -> list[gap.GapRow]:
        return gap.most_unmet(self.populations)

    @property
    def most_urgent(self) -> list[gap.GapRow]:
        return gap.most_urgent(self.populations)


def rolled_up(sources: Sources, year: int, lookups: Lookups) -> dict[str, dict[str, gap.Figures]]:
    """The year's figures rolled up into every cut, cached like the cube.

    Rolling a large year up in Python costs more than reading it (tens of
    thousands of groups a year at production scale), and the result depends
    only on the versions and the year: labels, which depend on the language,
    are applied afterwards.
    """
    key = _cache_key(
        sources, {"year": year, "rolled": True, "situations": lookups.situations_fingerprint}
    )
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    cube = load_cube(sources, year=year)
    rolled = {c: roll_up(cube, c, lookups) for c in Cut.values}
    cache.set(key, rolled, CACHE_SECONDS)
    return rolled


def gap_view(sources: Sources, year: int, cut: str = Cut.GLOBAL) -> GapView:
    """The gap for a year and cut, with the populations, countries of asylum and
    States the charts need, the indicators and Roadmap 2030 progress."""
    lookups = Lookups.load()
    rolled = rolled_up(sources, year, lookups)

    def rows(c: str) -> list[gap.GapRow]:
        return gap.gap_rows(rolled[c], lookups.labels(c))

    total = rolled[Cut.GLOBAL].get(GLOBAL_KEY, gap.Figures())
    return GapView(
        year=year,
        cut=cut,
        sources=sources,
        rows=rows(cut),
        total=total,
        indicators=[gap.emergency_urgent_indicator(total), gap.six_months_indicator(total)],
        roadmap=roadmap_progress(sources, year),
        populations=rows(Cut.POPULATION),
        asylum=rows(Cut.ASYLUM),
        states=rows(Cut.STATE),
    )


def roadmap_progress(sources: Sources, year: int) -> gap.Roadmap:
    """Departures and pledges from 2019 to the year: a GROUP BY year on flows and pledges."""
    last = min(year, gap.ROADMAP_LAST_YEAR)
    if last < gap.ROADMAP_FIRST_YEAR:
        return gap.roadmap({}, {}, year)
    no_needs = Sources(
        tuple(v for v in sources.versions if v.kind != DatasetKind.NEEDS), sources.as_of
    )
    cube = load_cube(no_needs, years=(gap.ROADMAP_FIRST_YEAR, last), group=False)
    per_year = by_year(cube)
    return gap.roadmap(
        {y: f.departed for y, f in per_year.items()},
        {y: f.pledged for y, f in per_year.items()},
        year,
    )


def trend_for(sources: Sources, cut: str = Cut.GLOBAL, key: str = "") -> list[gap.TrendPoint]:
    """Figures per year, all years, for the whole world or for one key of a cut.

    One GROUP BY year per table. For one key of a region, country,
    population or priority situation, pledges are the places earmarked for it.
    """
    lookups = Lookups.load()
    if cut in (Cut.ASYLUM, Cut.POPULATION, Cut.STATE):
        key = key.upper()
    if cut == Cut.SITUATION:
        key = lookups.situation_key.get(key.strip().casefold(), key)
    filters = key_filters(cut, key, lookups) if cut != Cut.GLOBAL else {}
    cube = load_cube(sources, filters=filters, group=False)
    per_year = by_year(cube)
    if cut in BREAKDOWN_OF_CUT:
        earmarked = _earmark_trend(cube, cut, key, lookups)
        for year in set(per_year) | set(earmarked):
            figures = per_year.get(year, gap.Figures())
            per_year[year] = gap.Figures(
                **{**_as_dict(figures), "pledged": earmarked.get(year, 0)},
            )
    return gap.trend(per_year)


def _as_dict(figures: gap.Figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in gap.Figures.__dataclass_fields__}


# ---- comparing two versions ----------------------------------------------------------

MEASURES = {
    DatasetKind.NEEDS: ("persons",),
    DatasetKind.PLEDGES: ("persons", "emergency_urgent_places", "unallocated_places"),
    DatasetKind.FLOWS: ("submitted", "departed", "departed_within_6_months"),
}
# The dimensions a comparison can be broken down by, besides the year.
DIMENSIONS = {
    DatasetKind.NEEDS: {"population": "population_id", "asylum": "asylum_id"},
    DatasetKind.PLEDGES: {"state": "state_id"},
    DatasetKind.FLOWS: {
        "population": "origin_id",
        "asylum": "asylum_id",
        "state": "resettlement_state_id",
    },
}
_MODEL: dict[str, type[models.Model]] = {
    DatasetKind.NEEDS: NeedFigure,
    DatasetKind.PLEDGES: Pledge,
    DatasetKind.FLOWS: FlowFigure,
}


def version_totals(version: DatasetVersion, by: str = "") -> dict[tuple[int, str], dict[str, int]]:
    """A version's measures per year (and per dimension `by`): one GROUP BY."""
    model = _MODEL[version.kind]
    measures = MEASURES[DatasetKind(version.kind)]
    field_name = DIMENSIONS[DatasetKind(version.kind)].get(by)
    dims = ["year", field_name] if field_name else ["year"]
    manager: Any = model._default_manager
    qs = (
        manager.filter(version_id=version.pk)
        .values(*dims)
        .order_by()
        .annotate(**{f"total_{m}": Sum(m) for m in measures})
    )
    lookups = Lookups.load() if field_name else None
    out: dict[tuple[int, str], dict[str, int]] = {}
    for row in qs:
        label = ""
        if field_name and lookups is not None:
            raw = row[field_name]
            label = (
                lookups.population_code.get(raw, "")
                if by == "population"
                else lookups.country_key(raw)
            )
        out[(row["year"], label)] = {m: row[f"total_{m}"] or 0 for m in measures}
    return out


def compare_versions(
    a: DatasetVersion, b: DatasetVersion, by: str = ""
) -> tuple[list[gap.Difference[tuple[int, str]]], dict[str, int], dict[str, int]]:
    """What changed from version a to version b (same kind), and each one's totals."""
    measures = MEASURES[DatasetKind(a.kind)]
    before, after = version_totals(a, by), version_totals(b, by)
    return (
        gap.compare(before, after, measures),
        gap.sum_measures(before.values(), measures),
        gap.sum_measures(after.values(), measures),
    )


def key_labels(by: str) -> dict[str, str]:
    """Labels of a comparison dimension's keys."""
    lookups = Lookups.load()
    if by == "population":
        return lookups.labels(Cut.POPULATION)
    if by in ("asylum", "state"):
        return lookups.labels(Cut.ASYLUM)
    return {}
