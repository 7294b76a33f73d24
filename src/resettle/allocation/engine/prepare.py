"""An Instance as arrays: profiles of cases, who may go where, and what a placement is worth.

Cases that look the same to every criterion and every preference (same
nationality, asylum, situation, category, priority, modality, size, serious
medical flag, and the languages and flags some State weighs) form a profile;
eligibility and preference scores are computed once per profile and line,
with numpy, and spread to the cases. At 300,000 cases there are a few
thousand profiles, so this is fast and small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from resettle.allocation.engine.model import Flag, Instance, Modality, Priority

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SERIOUS = Flag.SERIOUS_MEDICAL.value
NORMAL = int(Priority.NORMAL)

# The criteria of a pledge line in the order they are checked; an exclusion
# names the first one that fails (code i + 1 in Prepared.excl, 0 = eligible).
CRITERIA = (
    "nationality",
    "asylum",
    "situation",
    "category",
    "priority",
    "modality",
    "family_size",
    "serious_medical",
)


@dataclass
class Prepared:
    """The arrays of an instance. Case index i is instance.cases[i]; line j is instance.lines[j]."""

    instance: Instance
    case_index: dict[str, int]
    persons: IntArray
    level: IntArray
    wait: FloatArray  # days waited, clipped to [0, max_waiting_days]
    serious: BoolArray
    situation: IntArray  # index into `situations`
    situations: list[str]
    link: IntArray  # link group index, -1 for none
    groups: list[list[int]]  # link groups: case indices, in case order
    profile: IntArray  # case -> profile
    prof_persons: IntArray
    prof_level: IntArray
    prof_serious: BoolArray
    prof_situation: IntArray
    excl: npt.NDArray[np.int8]  # profile x line: 0 eligible, else 1 + index in CRITERIA
    elig_start: IntArray  # CSR over profiles: elig_line[elig_start[p]:elig_start[p+1]]
    elig_line: IntArray
    elig_base: FloatArray  # per person: priority weight + preference term (waiting aside)
    line_state: IntArray
    states: list[str]
    cap: IntArray
    normal_cap: IntArray  # capacity less the places reserved for emergency and urgent
    sercap: IntArray  # cap on serious medical cases, -1 for none
    share: FloatArray  # per situation: fair share of the places (persons)

    @property
    def n_cases(self) -> int:
        """Number of cases."""
        return len(self.persons)

    @property
    def n_lines(self) -> int:
        """Number of lines."""
        return len(self.cap)

    def eligible(self, p: int) -> tuple[IntArray, FloatArray]:
        """The lines profile p may go to and their per-person base value."""
        a, b = self.elig_start[p], self.elig_start[p + 1]
        return self.elig_line[a:b], self.elig_base[a:b]

    def case_wait_value(self) -> FloatArray:
        """Per case: the waiting term per person."""
        return self.instance.weights.waiting_per_day * self.wait


def fair_shares(instance: Instance) -> dict[str, float]:
    """Each situation's fair share of the places: its share of the persons submitted.

    The balance term rewards persons placed in a situation up to this share.
    """
    demand: dict[str, int] = {}
    for case in instance.cases:
        demand[case.situation] = demand.get(case.situation, 0) + case.persons
    total = sum(demand.values())
    places = sum(line.capacity for line in instance.lines)
    if total == 0:
        return {}
    return {s: places * d / total for s, d in sorted(demand.items())}


def _codes(values: list[str]) -> tuple[dict[str, int], IntArray]:
    table: dict[str, int] = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), np.int64, len(values))
    return table, codes


def _member(table: dict[str, int], codes: IntArray, allowed: frozenset[str]) -> BoolArray:
    lookup = np.zeros(len(table) + 1, dtype=np.bool_)
    for value in allowed:
        if value in table:
            lookup[table[value]] = True
    return lookup[codes]


def prepare(instance: Instance) -> Prepared:
    """The arrays of an instance (a second or two at 300,000 cases)."""
    weights = instance.weights
    cases = instance.cases
    lines = instance.lines
    n = len(cases)
    pref_languages = {
        p.value for line in lines for p in line.preferences if p.attribute == "language"
    }
    pref_flags = {p.value for line in lines for p in line.preferences if p.attribute == "flag"}
    pref_flags.discard(SERIOUS)

    profiles: dict[tuple[object, ...], int] = {}
    profile = np.empty(n, dtype=np.int64)
    keys: list[tuple[object, ...]] = []
    # Cases share their frozensets' values: reduce each distinct set once.
    langs: dict[frozenset[str], frozenset[str]] = {}
    flags: dict[frozenset[str], tuple[bool, frozenset[str]]] = {}
    for i, c in enumerate(cases):
        lang = langs.get(c.languages)
        if lang is None:
            lang = langs[c.languages] = c.languages & pref_languages
        flag = flags.get(c.flags)
        if flag is None:
            flag = flags[c.flags] = (SERIOUS in c.flags, c.flags & pref_flags)
        key = (
            c.nationality,
            c.asylum,
            c.situation,
            c.category,
            int(c.priority),
            c.interview_possible,
            c.persons,
            flag[0],
            lang,
            flag[1],
        )
        p = profiles.get(key)
        if p is None:
            p = profiles[key] = len(keys)
            keys.append(key)
        profile[i] = p
    n_prof = len(keys)

    tables: dict[str, dict[str, int]] = {}
    cols: dict[str, IntArray] = {}
    for k, name in enumerate(("nationality", "asylum", "situation", "category")):
        tables[name], cols[name] = _codes([str(key[k]) for key in keys])
    prof_level = np.fromiter((int(key[4]) for key in keys), np.int64, n_prof)  # type: ignore[call-overload]
    prof_interview = np.fromiter((bool(key[5]) for key in keys), np.bool_, n_prof)
    prof_persons = np.fromiter((int(key[6]) for key in keys), np.int64, n_prof)  # type: ignore[call-overload]
    prof_serious = np.fromiter((bool(key[7]) for key in keys), np.bool_, n_prof)

    attr_cache: dict[tuple[str, str], BoolArray] = {}

    def matches(attribute: str, value: str) -> BoolArray:
        got = attr_cache.get((attribute, value))
        if got is None:
            if attribute in tables:
                code = tables[attribute].get(value, -1)
                got = cols[attribute] == code
            elif attribute == "language":
                got = np.fromiter((value in key[8] for key in keys), np.bool_, n_prof)  # type: ignore[operator]
            elif attribute == "flag":
                if value == SERIOUS:
                    got = prof_serious.copy()
                else:
                    got = np.fromiter((value in key[9] for key in keys), np.bool_, n_prof)  # type: ignore[operator]
            else:
                got = np.zeros(n_prof, dtype=np.bool_)
            attr_cache[(attribute, value)] = got
        return got

    n_lines = len(lines)
    excl = np.zeros((n_prof, n_lines), dtype=np.int8)
    prio_all = frozenset(Priority)
    level_w = np.array(weights.priority, dtype=np.float64)
    cap_pref = weights.max_preference
    pref_cols: list[FloatArray | None] = []
    for j, line in enumerate(lines):
        col = np.zeros(n_prof, dtype=np.int8)
        checks: list[tuple[int, BoolArray]] = []
        for k, (name, allowed) in enumerate(
            (
                ("nationality", line.nationalities),
                ("asylum", line.asylums),
                ("situation", line.situations),
                ("category", line.categories),
            )
        ):
            if allowed is not None:
                checks.append((k + 1, ~_member(tables[name], cols[name], allowed)))
        if line.priorities != prio_all:
            accepted = np.zeros(3, dtype=np.bool_)
            for pr in line.priorities:
                accepted[int(pr)] = True
            checks.append((5, ~accepted[prof_level]))
        if line.modality != Modality.DOSSIER:
            checks.append((6, ~prof_interview))
        if line.max_family_size is not None:
            checks.append((7, prof_persons > line.max_family_size))
        if line.max_serious_medical_cases is not None and line.max_serious_medical_cases <= 0:
            checks.append((8, prof_serious.copy()))
        # The first failing criterion wins: apply in reverse so earlier ones overwrite.
        for code, fails in reversed(checks):
            col[fails] = code
        excl[:, j] = col
        if line.preferences:
            score = np.zeros(n_prof, dtype=np.float64)
            for pref in line.preferences:
                score += pref.weight * matches(pref.attribute, pref.value)
            pref_cols.append(np.clip(score, -cap_pref, cap_pref))
        else:
            pref_cols.append(None)

    elig_p, elig_l = np.nonzero(excl == 0)
    elig_p = elig_p.astype(np.int64)
    elig_l = elig_l.astype(np.int64)
    elig_start = np.zeros(n_prof + 1, dtype=np.int64)
    np.cumsum(np.bincount(elig_p, minlength=n_prof), out=elig_start[1:])
    elig_base = level_w[prof_level[elig_p]]
    # The pairs of each line, found once (pairs are profile-major).
    by_line = np.argsort(elig_l, kind="stable")
    line_start = np.searchsorted(elig_l[by_line], np.arange(n_lines + 1))
    for j, col_pref in enumerate(pref_cols):
        if col_pref is not None:
            at = by_line[line_start[j] : line_start[j + 1]]
            elig_base[at] += weights.preference * col_pref[elig_p[at]]

    situations = sorted({c.situation for c in cases})
    sit_index = {s: k for k, s in enumerate(situations)}
    prof_situation = np.fromiter((sit_index[str(key[2])] for key in keys), np.int64, n_prof)
    shares = fair_shares(instance)
    share = np.array([shares.get(s, 0.0) for s in situations], dtype=np.float64)

    link_index: dict[str, int] = {}
    link = np.full(n, -1, dtype=np.int64)
    groups: list[list[int]] = []
    for i, c in enumerate(cases):
        if c.link:
            g = link_index.get(c.link)
            if g is None:
                g = link_index[c.link] = len(groups)
                groups.append([])
            groups[g].append(i)
            link[i] = g

    states = sorted({line.state for line in lines})
    state_index = {s: k for k, s in enumerate(states)}
    persons = prof_persons[profile] if n else np.zeros(0, dtype=np.int64)
    return Prepared(
        instance=instance,
        case_index={c.id: i for i, c in enumerate(cases)},
        persons=persons,
        level=prof_level[profile] if n else np.zeros(0, dtype=np.int64),
        wait=np.clip(
            np.fromiter((instance.today - c.submitted_day for c in cases), np.float64, n),
            0,
            weights.max_waiting_days,
        ),
        serious=prof_serious[profile] if n else np.zeros(0, dtype=np.bool_),
        situation=prof_situation[profile] if n else np.zeros(0, dtype=np.int64),
        situations=situations,
        link=link,
        groups=groups,
        profile=profile,
        prof_persons=prof_persons,
        prof_level=prof_level,
        prof_serious=prof_serious,
        prof_situation=prof_situation,
        excl=excl,
        elig_start=elig_start,
        elig_line=elig_l,
        elig_base=elig_base,
        line_state=np.array([state_index[line.state] for line in lines], dtype=np.int64),
        states=states,
        cap=np.array([line.capacity for line in lines], dtype=np.int64),
        normal_cap=np.array(
            [max(0, line.capacity - line.reserved_urgent) for line in lines], dtype=np.int64
        ),
        sercap=np.array(
            [
                -1 if line.max_serious_medical_cases is None else line.max_serious_medical_cases
                for line in lines
            ],
            dtype=np.int64,
        ),
        share=share,
    )
