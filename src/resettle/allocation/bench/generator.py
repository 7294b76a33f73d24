"""Seeded, realistic allocation instances for the benchmark and the tests.

`generate(cases, seed)` returns the same Instance for the same arguments on any
machine (only `random.Random(seed)` draws, in a fixed order). What it models,
and why (the numbers are illustrative, shaped on published figures):

- Cases: nationality and country of asylum drawn from the 2026 PGRN cells used
  by the needs demo (Afghans in Iran and Pakistan, Syrians in Türkiye, Lebanon
  and Jordan, Rohingya in Bangladesh, South Sudanese and Congolese in Uganda,
  Sudanese in Chad and Egypt, Eritreans and Somalis in Ethiopia and Kenya...);
  the situation follows from the pair. Family sizes 1-15, skewed small (mean
  about 4, larger for Afghan, Somali, South Sudanese and Congolese families).
  About 3% emergency, 20% urgent, the rest normal; emergency cases were
  submitted in the last three months, urgent ones mostly in the last year,
  normal ones over three years. UNHCR's seven submission categories, flags at
  realistic rates (serious medical condition about 5%, more among emergency
  cases), languages by nationality and host country, about 2% of cases in
  link groups of 2-3 (relatives in the same country), and cases in places a
  selection mission cannot reach (Yemen, Sudan...) taken on dossier only.
- Pledge lines: 40 States with very unequal quotas, 400 lines with overlapping
  criteria (open lines, lines by situation, nationality, country of asylum,
  category, emergency-and-urgent lines), priorities accepted, dossier or
  interview, family-size caps, caps on serious medical cases, places reserved
  for emergency and urgent cases. Total capacity is about 65% of the persons
  submitted: demand exceeds places, as in reality.
- Preferences: each State weighs cases its own way (its languages and
  diaspora languages, some nationalities, women at risk, unaccompanied
  children, serious medical conditions up or down), so where a case is placed
  matters and a greedy first-fit pass is measurably worse than the optimum.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Sequence

from resettle.allocation.bench.profiles import (
    CATEGORIES,
    CATEGORY_WEIGHTS,
    EMERGENCY_CATEGORY_WEIGHTS,
    FAMILY_SIZE_WEIGHTS,
    HOST_LANGUAGES,
    LANGUAGES,
    LARGE_FAMILIES,
    NO_INTERVIEW,
    SITUATION_OF_NATIONALITY,
    SITUATION_OF_PAIR,
    STATES,
)
from resettle.allocation.engine.model import (
    Case,
    Flag,
    Instance,
    Modality,
    PledgeLine,
    Preference,
    Priority,
)
from resettle.needs.pgrn import PGRN_2026  # the same cells as the needs demo

# Persons placed over persons submitted, the whole instance (demand exceeds places).
CAPACITY_RATIO = 0.65
DEFAULT_TODAY = datetime.date(2026, 6, 30).toordinal()

# What a line's criteria look like, with how often each kind occurs.
LINE_KINDS = (
    ("open", 12),
    ("situation", 28),
    ("nationality", 17),
    ("cell", 16),
    ("asylum", 7),
    ("category", 11),
    ("emergency", 9),
)
PRIORITY_ORDER = (Priority.EMERGENCY, Priority.URGENT, Priority.NORMAL)

_Key = tuple[str, str, str, str, Priority]  # nationality, asylum, situation, category, priority


def generate(
    cases: int,
    seed: int = 0,
    *,
    states: int = 40,
    lines: int = 400,
    today: int | None = None,
) -> Instance:
    """A realistic instance of `cases` cases and `lines` pledge lines of `states` States.

    Deterministic: the same arguments give an equal Instance.
    """
    if cases < 0 or not 1 <= states <= len(STATES) or lines < states:
        raise ValueError("need cases >= 0, 1 <= states <= 40 and lines >= states")
    rnd = random.Random(seed)  # noqa: S311 - generated data, not secrets
    day = DEFAULT_TODAY if today is None else today
    case_list = _cases(rnd, cases, day)
    line_list = _lines(rnd, case_list, STATES[:states], lines)
    return Instance(cases=tuple(case_list), lines=tuple(line_list), today=day)


def situation_of(nationality: str, asylum: str) -> str:
    """The priority situation a case of that nationality in that country belongs to."""
    return SITUATION_OF_PAIR.get(
        (nationality, asylum), SITUATION_OF_NATIONALITY.get(nationality, "")
    )


# ---- cases --------------------------------------------------------------------------


def _cases(rnd: random.Random, count: int, today: int) -> list[Case]:
    cells = list(PGRN_2026)
    cum_cells = list(itertools.accumulate(PGRN_2026.values()))
    sizes = range(1, len(FAMILY_SIZE_WEIGHTS) + 1)
    cum_sizes = list(itertools.accumulate(FAMILY_SIZE_WEIGHTS))
    cum_categories = list(itertools.accumulate(CATEGORY_WEIGHTS))
    cum_emergency = list(itertools.accumulate(EMERGENCY_CATEGORY_WEIGHTS))

    rows: list[dict[str, object]] = []
    for _ in range(count):
        nationality, asylum = rnd.choices(cells, cum_weights=cum_cells)[0]
        persons = rnd.choices(sizes, cum_weights=cum_sizes)[0]
        if nationality in LARGE_FAMILIES and rnd.random() < 0.3:
            persons = min(15, persons + rnd.randint(1, 2))
        draw = rnd.random()
        if draw < 0.03:
            priority = Priority.EMERGENCY
            waited = rnd.randint(0, 90)
            serious_rate = 0.3
        elif draw < 0.23:
            priority = Priority.URGENT
            waited = min(1095, int(rnd.triangular(0, 730, 60)))
            serious_rate = 0.08
        else:
            priority = Priority.NORMAL
            waited = rnd.randint(0, 1095)
            serious_rate = 0.03
        flags: set[str] = set()
        if rnd.random() < serious_rate:
            flags |= {Flag.SERIOUS_MEDICAL.value, Flag.MEDICAL_NEEDS.value}
        cum = cum_emergency if priority is Priority.EMERGENCY else cum_categories
        category = rnd.choices(CATEGORIES, cum_weights=cum)[0]
        if Flag.SERIOUS_MEDICAL.value in flags and rnd.random() < 0.7:
            category = "MED"
        if category == "MED" or rnd.random() < 0.06:
            flags.add(Flag.MEDICAL_NEEDS.value)
        if rnd.random() < 0.06:
            flags.add(Flag.DISABILITY.value)
        if persons <= 2 and rnd.random() < 0.04:
            flags.add(Flag.UNACCOMPANIED_CHILD.value)
            if rnd.random() < 0.7:
                category = "CHR"
        if category == "WGR" or rnd.random() < 0.04:
            flags.add(Flag.WOMAN_AT_RISK.value)
        secondary = ""
        if rnd.random() < 0.45:
            secondary = rnd.choice([c for c in CATEGORIES if c != category])
        languages = {
            lang
            for i, (lang, p) in enumerate(LANGUAGES[nationality])
            if (i == 0 and p >= 1.0) or rnd.random() < p
        }
        if not languages:
            languages.add(LANGUAGES[nationality][0][0])
        host = HOST_LANGUAGES.get(asylum)
        if host is not None and rnd.random() < host[1]:
            languages.add(host[0])
        no_interview = NO_INTERVIEW.get(asylum, 0.03)
        # Emergency and urgent cases cannot wait for the next selection mission.
        if priority is Priority.EMERGENCY:
            no_interview = min(1.0, no_interview + 0.4)
        elif priority is Priority.URGENT:
            no_interview = min(1.0, no_interview + 0.15)
        rows.append(
            {
                "persons": persons,
                "nationality": nationality,
                "asylum": asylum,
                "priority": priority,
                "submitted_day": today - waited,
                "situation": situation_of(nationality, asylum),
                "category": category,
                "secondary_category": secondary,
                "flags": frozenset(flags),
                "languages": frozenset(languages),
                "interview_possible": rnd.random() >= no_interview,
            }
        )
    links = _links(rnd, rows)
    return [
        Case(id=f"C{i:07d}", link=links.get(i, ""), **row)  # type: ignore[arg-type]
        for i, row in enumerate(rows)
    ]


def _links(rnd: random.Random, rows: Sequence[dict[str, object]]) -> dict[int, str]:
    """About 2% of cases in groups of 2-3 relatives in the same country of asylum."""
    by_cell: dict[tuple[object, object], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_cell[(row["nationality"], row["asylum"])].append(i)
    links: dict[int, str] = {}
    group = 0
    # A group starts at 0.88% of positions and takes 2.3 cases on average: 2% linked.
    for members in by_cell.values():
        position = 0
        while position < len(members) - 1:
            if rnd.random() < 0.0088:
                size = 3 if rnd.random() < 0.3 else 2
                chosen = members[position : position + size]
                group += 1
                for index in chosen:
                    links[index] = f"G{group:06d}"
                position += len(chosen)
            else:
                position += 1
    return links


# ---- pledge lines -------------------------------------------------------------------


def _demand(case_list: Sequence[Case]) -> dict[_Key, int]:
    """Persons by the attributes the line criteria look at (to size lines cheaply)."""
    demand: dict[_Key, int] = defaultdict(int)
    for case in case_list:
        key = (case.nationality, case.asylum, case.situation, case.category, case.priority)
        demand[key] += case.persons
    return demand


def _matches(line: PledgeLine, key: _Key) -> bool:
    nationality, asylum, situation, category, priority = key
    return (
        (line.nationalities is None or nationality in line.nationalities)
        and (line.asylums is None or asylum in line.asylums)
        and (line.situations is None or situation in line.situations)
        and (line.categories is None or category in line.categories)
        and priority in line.priorities
    )


def _weighted_sample(rnd: random.Random, weights: dict[str, float], k: int) -> frozenset[str]:
    """k distinct keys drawn with probability proportional to weight."""
    pool = dict(weights)
    chosen: set[str] = set()
    while pool and len(chosen) < k:
        keys = sorted(pool)
        pick = rnd.choices(keys, weights=[pool[x] for x in keys])[0]
        chosen.add(pick)
        del pool[pick]
    return frozenset(chosen)


def _state_profiles(
    rnd: random.Random, states: Sequence[tuple[str, float, tuple[str, ...]]]
) -> dict[str, list[Preference]]:
    """How each State weighs cases (per person placed; see Weights.preference)."""
    diaspora = ["ar", "fa", "so", "ti", "sw", "fr", "es", "en", "ku", "rhg"]
    nationalities = sorted(SITUATION_OF_NATIONALITY)
    profiles: dict[str, list[Preference]] = {}
    for code, _, spoken in states:
        prefs = [Preference("language", lang, round(rnd.uniform(3, 12), 1)) for lang in spoken]
        for lang in rnd.sample(diaspora, 2):
            if lang not in spoken:
                prefs.append(Preference("language", lang, round(rnd.uniform(2, 8), 1)))
        for nationality in rnd.sample(nationalities, rnd.randint(1, 3)):
            prefs.append(Preference("nationality", nationality, round(rnd.uniform(2, 15), 1)))
        if rnd.random() < 0.6:
            prefs.append(Preference("flag", Flag.WOMAN_AT_RISK.value, round(rnd.uniform(3, 10), 1)))
        if rnd.random() < 0.35:
            prefs.append(
                Preference("flag", Flag.UNACCOMPANIED_CHILD.value, round(rnd.uniform(3, 8), 1))
            )
        if rnd.random() < 0.5:
            # Some States run medical programmes; others weigh the cost of care.
            weight = rnd.uniform(2, 10) if rnd.random() < 0.4 else -rnd.uniform(2, 8)
            prefs.append(Preference("flag", Flag.SERIOUS_MEDICAL.value, round(weight, 1)))
        if rnd.random() < 0.3:
            prefs.append(Preference("category", rnd.choice(("SVT", "LAS", "CHR")), 4.0))
        profiles[code] = prefs
    return profiles


def _criteria(
    rnd: random.Random, kind: str, situation_demand: dict[str, float]
) -> dict[str, object]:
    """The criteria of a line of that kind."""
    nationality_demand: dict[str, float] = defaultdict(float)
    asylum_demand: dict[str, float] = defaultdict(float)
    for (nationality, asylum), persons in PGRN_2026.items():
        nationality_demand[nationality] += persons
        asylum_demand[asylum] += persons
    if kind == "situation":
        return {"situations": _weighted_sample(rnd, situation_demand, rnd.randint(1, 3))}
    if kind == "nationality":
        return {"nationalities": _weighted_sample(rnd, nationality_demand, rnd.randint(1, 2))}
    if kind == "cell":
        nationality = next(iter(_weighted_sample(rnd, nationality_demand, 1)))
        hosts = {a: float(p) for (n, a), p in PGRN_2026.items() if n == nationality}
        return {
            "nationalities": frozenset({nationality}),
            "asylums": _weighted_sample(rnd, hosts, rnd.randint(1, 2)),
        }
    if kind == "asylum":
        return {"asylums": _weighted_sample(rnd, asylum_demand, rnd.randint(1, 3))}
    if kind == "category":
        categories = rnd.choice(
            (("MED",), ("WGR",), ("SVT",), ("CHR",), ("WGR", "CHR"), ("SVT", "LPN"), ("MED", "SVT"))
        )
        criteria: dict[str, object] = {"categories": frozenset(categories)}
        if rnd.random() < 0.5:
            criteria["situations"] = _weighted_sample(rnd, situation_demand, rnd.randint(1, 4))
        return criteria
    if kind == "emergency":
        return {
            "priorities": frozenset({Priority.EMERGENCY, Priority.URGENT}),
            "modality": Modality.DOSSIER,
        }
    return {}


def _lines(
    rnd: random.Random,
    case_list: Sequence[Case],
    states: Sequence[tuple[str, float, tuple[str, ...]]],
    count: int,
) -> list[PledgeLine]:
    demand = _demand(case_list)
    total_persons = sum(demand.values())
    situation_demand: dict[str, float] = defaultdict(float)
    for (nationality, asylum), persons in PGRN_2026.items():
        situation_demand[situation_of(nationality, asylum)] += persons
    profiles = _state_profiles(rnd, states)

    # Every State has at least 3 lines (if there are enough); big quotas have
    # more (square root of the quota).
    least = max(1, min(3, count // len(states)))
    per_state = {code: least for code, _, _ in states}
    extra = count - least * len(states)
    roots = {code: weight**0.5 for code, weight, _ in states}
    root_total = sum(roots.values())
    for code in per_state:
        per_state[code] += int(extra * roots[code] / root_total)
    leftover = count - sum(per_state.values())
    for code, _, _ in states[:leftover]:
        per_state[code] += 1

    kinds = [k for k, _ in LINE_KINDS]
    kind_weights = [w for _, w in LINE_KINDS]
    drafts: list[dict[str, object]] = []
    for code, _, _ in states:
        for k in range(per_state[code]):
            # A State's first line is open to every case: most programmes have one.
            kind = "open" if k == 0 else rnd.choices(kinds, weights=kind_weights)[0]
            criteria = _criteria(rnd, kind, situation_demand)
            if kind != "emergency":
                criteria["modality"] = (
                    Modality.DOSSIER if rnd.random() < 0.3 else Modality.INTERVIEW
                )
                # Few States take emergency cases, and not every line urgent ones.
                draw = rnd.random()
                if draw < 0.2:
                    criteria["priorities"] = frozenset({Priority.URGENT, Priority.NORMAL})
                elif draw < 0.5:
                    criteria["priorities"] = frozenset({Priority.NORMAL})
            if rnd.random() < 0.35:
                criteria["max_family_size"] = rnd.choice((5, 6, 7, 8, 8, 10))
            preferences = tuple(
                Preference(p.attribute, p.value, round(p.weight * rnd.uniform(0.7, 1.3), 1))
                for p in profiles[code]
                if rnd.random() < 0.8
            )
            drafts.append(
                {"state": code, "kind": kind, "criteria": criteria, "preferences": preferences}
            )

    # Capacity: each State's share of the total, split between its lines by the
    # persons they could take (niche lines get less), and never more than 1.2x
    # what a line could take at all.
    total_capacity = CAPACITY_RATIO * total_persons
    state_weight = {code: weight for code, weight, _ in states}
    weight_total = sum(state_weight.values())
    line_demand: list[int] = []
    for draft in drafts:
        probe = PledgeLine(id="", state="", capacity=0, **draft["criteria"])  # type: ignore[arg-type]
        line_demand.append(sum(p for key, p in demand.items() if _matches(probe, key)))
    shares: list[float] = []
    for draft, eligible in zip(drafts, line_demand, strict=True):
        share = (eligible / max(1, total_persons)) ** 0.6 * rnd.uniform(0.5, 1.5)
        if draft["kind"] == "emergency":
            share *= 0.5
        shares.append(share)
    share_of_state: dict[str, float] = defaultdict(float)
    for draft, share in zip(drafts, shares, strict=True):
        share_of_state[str(draft["state"])] += share

    order = list(range(len(drafts)))
    rnd.shuffle(order)  # line ids do not follow States: first-fit order is arbitrary
    result: list[PledgeLine] = []
    for number, index in enumerate(order, start=1):
        draft = drafts[index]
        state = str(draft["state"])
        budget = total_capacity * state_weight[state] / weight_total
        planned = budget * shares[index] / max(share_of_state[state], 1e-12)
        capacity = round(min(planned, 1.2 * line_demand[index]))
        criteria = dict(draft["criteria"])  # type: ignore[call-overload]
        if rnd.random() < 0.4 and draft["kind"] != "emergency":
            criteria["reserved_urgent"] = int(capacity * rnd.uniform(0.05, 0.2))
        if rnd.random() < 0.45:
            # Cases, not persons: about one serious medical case per 100-400 places.
            criteria["max_serious_medical_cases"] = int(capacity / rnd.uniform(100, 400))
        result.append(
            PledgeLine(
                id=f"P{number:03d}-{state}",
                state=state,
                capacity=capacity,
                preferences=draft["preferences"],  # type: ignore[arg-type]
                **criteria,
            )
        )
    result.sort(key=lambda line: line.id)
    return result
