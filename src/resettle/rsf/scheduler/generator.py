"""A seeded generator of realistic selection missions at the RSF in Türkiye (illustrative data).

The shares are invented but plausible: cases are mostly Syrian, then Afghan,
Iraqi and Iranian, with a few Somali and other cases; each nationality speaks
its usual languages (Syrians Arabic or Kurmanji, Afghans Dari or Pashto,
Iraqis Arabic, Sorani or Kurmanji, Iranians Farsi...) and lives in the
provinces where such refugees mostly live. Families have 1 to 12 members,
most 2 to 6; one or two adults (three or more in large families) are
interviewed. About 3% of cases are emergency, 12% urgent; a quarter are
interviewed remotely by video; a third need a medical assessment.

Three (room, day) closures are drawn at random (a room under maintenance or
taken by another mission's delegation that day).

Capacity binds on purpose: with the defaults, 20 days of 8 rooms hold about
40% of the 2,000 cases, and the medical team, the video rooms and the rare
languages' interpreters bind as well, so the choice of cases matters.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import TypeVar

from resettle.rsf.scheduler.model import (
    Availability,
    Case,
    Day,
    Interpreter,
    Mission,
    Priority,
    Room,
)

# In the order they are kept when `languages` is smaller than the list.
LANGUAGES = (
    "Arabic",
    "Kurmanji",
    "Dari",
    "Farsi",
    "Pashto",
    "Sorani",
    "Turkish",
    "English",
    "Somali",
    "French",
    "Tigrinya",
    "Urdu",
)

# Languages an interpreter of the first language often also interprets.
RELATED = {
    "Arabic": ("Turkish", "English", "Kurmanji", "French"),
    "Kurmanji": ("Arabic", "Turkish", "Sorani"),
    "Dari": ("Farsi", "Pashto", "English"),
    "Farsi": ("Dari", "English", "Turkish"),
    "Pashto": ("Dari", "Urdu", "English"),
    "Sorani": ("Kurmanji", "Arabic", "Farsi"),
    "Turkish": ("English", "Arabic", "Kurmanji"),
    "English": ("French", "Turkish", "Arabic"),
    "Somali": ("English", "Arabic"),
    "French": ("English", "Arabic"),
    "Tigrinya": ("English", "Arabic"),
    "Urdu": ("Pashto", "English"),
}

# nationality: (share of cases, [(language, share)], [(province, share)])
NATIONALITIES: dict[str, tuple[float, list[tuple[str, float]], list[tuple[str, float]]]] = {
    "SYR": (
        0.58,
        [("Arabic", 0.78), ("Kurmanji", 0.18), ("Turkish", 0.02), ("English", 0.02)],
        [
            ("İstanbul", 0.25),
            ("Gaziantep", 0.18),
            ("Hatay", 0.14),
            ("Şanlıurfa", 0.14),
            ("Adana", 0.08),
            ("Mersin", 0.08),
            ("Kilis", 0.05),
            ("Bursa", 0.04),
            ("Kahramanmaraş", 0.04),
        ],
    ),
    "AFG": (
        0.2,
        [("Dari", 0.62), ("Pashto", 0.3), ("Farsi", 0.05), ("English", 0.03)],
        [("İstanbul", 0.3), ("Kayseri", 0.2), ("Van", 0.2), ("Konya", 0.15), ("Ankara", 0.15)],
    ),
    "IRQ": (
        0.11,
        [("Arabic", 0.55), ("Sorani", 0.3), ("Kurmanji", 0.12), ("English", 0.03)],
        [("Ankara", 0.3), ("İstanbul", 0.25), ("Eskişehir", 0.15), ("Samsun", 0.15), ("Van", 0.15)],
    ),
    "IRN": (
        0.08,
        [("Farsi", 0.85), ("Sorani", 0.1), ("English", 0.05)],
        [("Denizli", 0.3), ("Eskişehir", 0.25), ("Kayseri", 0.2), ("Ankara", 0.25)],
    ),
    "SOM": (0.02, [("Somali", 0.9), ("English", 0.1)], [("İstanbul", 0.6), ("Ankara", 0.4)]),
    "COD": (0.01, [("French", 0.9), ("English", 0.1)], [("İstanbul", 0.7), ("Ankara", 0.3)]),
}

FAMILY_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
FAMILY_WEIGHTS = (10, 12, 15, 17, 15, 11, 8, 5, 3, 2, 1, 1)

# Room capacities in creation order; the first `video_rooms` rooms have video,
# so one large room has video equipment.
ROOM_CAPACITIES = (14, 8, 6, 12, 10, 8, 6, 10)


T = TypeVar("T")


def _pick(rnd: random.Random, options: list[tuple[T, float]]) -> T:
    return rnd.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _mission_days(days: int, slots: int, caseworkers: int, medical: int) -> tuple[Day, ...]:
    out: list[Day] = []
    date = dt.date(2026, 3, 2)  # a Monday; missions run on working days
    while len(out) < days:
        if date.weekday() < 5:
            # The medical team starts on the second day: nobody is interviewed before.
            out.append(
                Day(
                    index=len(out),
                    date=date,
                    slots=slots,
                    caseworkers=caseworkers,
                    medical_capacity=medical if out else 0,
                )
            )
        date += dt.timedelta(days=1)
    return tuple(out)


def generate(  # noqa: PLR0917 - the issue's positional signature, all with defaults
    cases: int = 2000,
    seed: int = 0,
    days: int = 20,
    rooms: int = 8,
    video_rooms: int = 3,
    interpreters: int = 30,
    languages: int = 10,
    *,
    slots: int = 32,
    caseworkers: int | None = None,
    medical_capacity: int | None = None,
    room_closures: int = 3,
) -> Mission:
    """A mission of `cases` cases over `days` days (defaults: the issue's benchmark size).

    `caseworkers` per day defaults to one less than the rooms; the medical
    team's daily capacity defaults to about three quarters of the medical
    demand a full day of interviews creates, so it binds.
    """
    rnd = random.Random(seed)  # noqa: S311 - illustrative data, not secrets
    langs = LANGUAGES[: max(1, languages)]
    kept = set(langs)

    case_list = []
    nationalities = [(n, v[0]) for n, v in NATIONALITIES.items()]
    for i in range(cases):
        nat = _pick(rnd, nationalities)
        _, lang_shares, provinces = NATIONALITIES[nat]
        language = _pick(rnd, lang_shares)
        if language not in kept:
            # A smaller mission has fewer languages: fall back to the most common one kept.
            language = next((lang for lang, _ in lang_shares if lang in kept), langs[0])
        persons = rnd.choices(FAMILY_SIZES, weights=FAMILY_WEIGHTS)[0]
        adults = 1 if persons == 1 else (2 if rnd.random() < 0.8 else 1)
        if persons >= 6 and rnd.random() < 0.35:
            adults += 1  # an adult child interviewed too
        if persons >= 9 and rnd.random() < 0.3:
            adults += 1
        adults = min(adults, persons)
        roll = rnd.random()
        priority = (
            Priority.EMERGENCY
            if roll < 0.03
            else Priority.URGENT
            if roll < 0.15
            else Priority.NORMAL
        )
        case_list.append(
            Case(
                id=f"TUR-{seed % 100:02d}-{i + 1:05d}",
                persons=persons,
                adults=adults,
                language=language,
                priority=priority,
                province=_pick(rnd, provinces),
                remote=rnd.random() < 0.25,
                medical=rnd.random() < 0.35,
            )
        )

    room_list = [
        Room(
            id=f"R{r + 1:02d}",
            video=r < video_rooms,
            capacity=ROOM_CAPACITIES[r % len(ROOM_CAPACITIES)],
        )
        for r in range(rooms)
    ]

    # Interpreters per language in proportion to its demand (at least one each).
    demand = {lang: 1 + sum(c.persons for c in case_list if c.language == lang) for lang in langs}
    total = sum(demand.values())
    primary: list[str] = list(langs)
    while len(primary) < interpreters:
        # The language with the most demand per interpreter gets the next one.
        primary.append(max(langs, key=lambda lang: demand[lang] / (1 + primary.count(lang))))
    primary = primary[:interpreters]
    interpreter_list = []
    for n, lang in enumerate(sorted(primary, key=lambda lang: (-demand[lang] / total, lang))):
        spoken = {lang}
        extra = rnd.choices((0, 1, 2), weights=(45, 40, 15))[0]
        related = [x for x in RELATED.get(lang, ()) if x in kept]
        spoken.update(rnd.sample(related, min(extra, len(related))))
        roll = rnd.random()
        available: tuple[Availability, ...] | None
        if roll < 0.55:
            available = None  # the whole mission
        elif roll < 0.85:
            on = [d for d in range(days) if rnd.random() < 0.7]
            available = tuple(Availability(day=d) for d in on)
        else:
            # Half days: mornings or afternoons on most days.
            half = slots // 2
            morning = rnd.random() < 0.5
            available = tuple(
                Availability(day=d, start=0 if morning else half, end=half if morning else None)
                for d in range(days)
                if rnd.random() < 0.85
            )
        interpreter_list.append(
            Interpreter(id=f"I{n + 1:02d}", languages=frozenset(spoken), available=available)
        )

    # A few (room, day) closures: maintenance, or another mission's delegation
    # in the room. Drawn last so that the rest of the mission is the same with or
    # without them.
    shut: dict[int, set[int]] = {}
    for _ in range(room_closures if rooms and days else 0):
        shut.setdefault(rnd.randrange(rooms), set()).add(rnd.randrange(days))
    for r, days_off in shut.items():
        room_list[r] = replace(room_list[r], closed=frozenset(days_off))

    cw = caseworkers if caseworkers is not None else max(1, rooms - 1)
    if medical_capacity is None:
        per_day = cw * slots / 5.5  # interviews a day, at about 5.5 slots each
        medical_capacity = max(1, round(0.75 * 0.35 * per_day))
    return Mission(
        id=f"generated-{seed}-{cases}",
        days=_mission_days(days, slots, cw, medical_capacity),
        rooms=tuple(room_list),
        interpreters=tuple(interpreter_list),
        cases=tuple(case_list),
    )
