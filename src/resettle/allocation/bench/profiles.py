"""The figures the generator draws from: PGRN cells, situations, languages, States.

Shaped on published figures (the 2026 PGRN cells are resettle.needs.pgrn,
shared with the needs demo), otherwise
illustrative; kept apart from generator.py so that the logic reads on its own.
"""

from __future__ import annotations

# The priority situation of a population, and the pairs that belong to another one.
SITUATION_OF_NATIONALITY = {
    "AFG": "afghanistan",
    "SYR": "syria",
    "SSD": "south_sudan",
    "SDN": "sudan",
    "ROHINGYA": "rohingya",
    "COD": "drc",
    "SOM": "horn_of_africa",
    "ERI": "horn_of_africa",
    "CAF": "car",
    "BDI": "burundi",
    "IRQ": "iraq",
    "NGA": "lake_chad",
    "MLI": "central_sahel",
    "VEN": "venezuela",
}
SITUATION_OF_PAIR = {
    ("SSD", "SDN"): "sudan",  # caught up in the Sudan war
    ("ERI", "SDN"): "sudan",
    ("ERI", "EGY"): "central_mediterranean",
    ("SOM", "YEM"): "yemen",
    ("SYR", "IRQ"): "iraq",
    ("AFG", "IND"): "asia_urban",
    ("ROHINGYA", "IND"): "asia_urban",
}

# Languages: (language, probability) per nationality; the first one is certain.
LANGUAGES = {
    "AFG": [("fa", 1.0), ("ps", 0.4), ("uz", 0.05), ("en", 0.08)],
    "SYR": [("ar", 1.0), ("ku", 0.12), ("en", 0.1), ("tr", 0.0)],
    "SSD": [("en", 0.55), ("ar", 0.5), ("din", 0.4), ("nus", 0.25)],
    "SDN": [("ar", 1.0), ("en", 0.15), ("fur", 0.15)],
    "ROHINGYA": [("rhg", 1.0), ("my", 0.1)],
    "COD": [("fr", 0.6), ("sw", 0.7), ("ln", 0.45)],
    "SOM": [("so", 1.0), ("ar", 0.2), ("en", 0.15)],
    "ERI": [("ti", 1.0), ("ar", 0.2), ("en", 0.1)],
    "CAF": [("sg", 1.0), ("fr", 0.45)],
    "BDI": [("rn", 1.0), ("fr", 0.35), ("sw", 0.3)],
    "IRQ": [("ar", 1.0), ("ku", 0.35), ("en", 0.1)],
    "NGA": [("ha", 0.7), ("en", 0.5), ("kr", 0.2)],
    "MLI": [("bm", 0.8), ("fr", 0.4), ("tmh", 0.2)],
    "VEN": [("es", 1.0), ("en", 0.05)],
}
# Languages picked up in the country of asylum.
HOST_LANGUAGES = {
    "TUR": ("tr", 0.3),
    "UGA": ("en", 0.35),
    "KEN": ("sw", 0.3),
    "TZA": ("sw", 0.35),
    "RWA": ("fr", 0.15),
    "BDI": ("fr", 0.25),
    "EGY": ("ar", 0.5),
    "LBN": ("fr", 0.05),
    "MYS": ("ms", 0.2),
    "CMR": ("fr", 0.4),
    "TCD": ("ar", 0.3),
    "NER": ("fr", 0.2),
    "MRT": ("ar", 0.3),
    "IND": ("hi", 0.2),
}
# Probability that no selection mission can reach a case in that country.
NO_INTERVIEW = {
    "YEM": 1.0,
    "SDN": 0.85,
    "SSD": 0.6,
    "IRN": 0.35,
    "NER": 0.4,
    "TCD": 0.25,
    "COD": 0.3,
    "SYR": 0.9,
    "PAK": 0.15,
    "CMR": 0.1,
}
LARGE_FAMILIES = {"AFG", "SOM", "SSD", "COD"}

# Family size 1..15, skewed small: mean 3.9 before the shift of larger families.
FAMILY_SIZE_WEIGHTS = (22, 15, 15, 14, 11, 8, 5, 3.5, 2.5, 1.5, 1, 0.7, 0.4, 0.25, 0.15)

CATEGORIES = ("LPN", "SVT", "MED", "WGR", "FAM", "CHR", "LAS")
CATEGORY_WEIGHTS = (33, 18, 7, 13, 3, 8, 18)
# Emergency cases are mostly protection and medical.
EMERGENCY_CATEGORY_WEIGHTS = (50, 15, 25, 7, 0, 3, 0)

# The 40 resettlement States: ISO3, relative quota, languages spoken.
STATES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("USA", 30, ("en", "es")),
    ("CAN", 14, ("en", "fr")),
    ("AUS", 8, ("en",)),
    ("DEU", 6, ("de",)),
    ("GBR", 5, ("en",)),
    ("SWE", 5, ("sv",)),
    ("FRA", 4, ("fr",)),
    ("NOR", 3, ("no",)),
    ("NLD", 3, ("nl",)),
    ("FIN", 2, ("fi", "sv")),
    ("CHE", 2, ("de", "fr")),
    ("ESP", 2, ("es",)),
    ("ITA", 2, ("it",)),
    ("BEL", 1.5, ("fr", "nl")),
    ("IRL", 1.5, ("en",)),
    ("NZL", 1.5, ("en",)),
    ("DNK", 1, ("da",)),
    ("PRT", 1, ("pt",)),
    ("AUT", 1, ("de",)),
    ("BRA", 1, ("pt",)),
    ("ARG", 0.8, ("es",)),
    ("MEX", 0.8, ("es",)),
    ("JPN", 0.6, ("ja",)),
    ("POL", 0.5, ("pl",)),
    ("CHL", 0.5, ("es",)),
    ("KOR", 0.4, ("ko",)),
    ("CZE", 0.4, ("cs",)),
    ("ROU", 0.4, ("ro",)),
    ("ISL", 0.3, ("is",)),
    ("LUX", 0.3, ("fr", "de")),
    ("LTU", 0.3, ("lt",)),
    ("HRV", 0.3, ("hr",)),
    ("URY", 0.3, ("es",)),
    ("BGR", 0.2, ("bg",)),
    ("SVN", 0.2, ("sl",)),
    ("EST", 0.2, ("et",)),
    ("LVA", 0.2, ("lv",)),
    ("SVK", 0.2, ("sk",)),
    ("MLT", 0.1, ("mt", "en")),
    ("CYP", 0.1, ("el",)),
)
