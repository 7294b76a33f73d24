"""The 2026 PGRN by population and country of asylum, as plain data.

No Django here: the demo (needs/demo.py) imports it, and so does the
allocation benchmark's generator, which must run without Django.
"""

from __future__ import annotations

# 2026 by population and country of asylum: the published population and host
# totals hold exactly; the cells are illustrative.
PGRN_2026: dict[tuple[str, str], int] = {
    ("AFG", "IRN"): 348_900,
    ("AFG", "PAK"): 215_000,
    ("AFG", "TJK"): 5_000,
    ("AFG", "IND"): 4_500,
    ("SYR", "TUR"): 258_000,
    ("SYR", "LBN"): 110_000,
    ("SYR", "JOR"): 60_000,
    ("SYR", "IRQ"): 14_400,
    ("SSD", "UGA"): 100_000,
    ("SSD", "ETH"): 90_000,
    ("SSD", "KEN"): 40_000,
    ("SSD", "SDN"): 28_200,
    ("SDN", "TCD"): 120_000,
    ("SDN", "EGY"): 80_000,
    ("SDN", "SSD"): 46_800,
    ("ROHINGYA", "BGD"): 150_000,
    ("ROHINGYA", "MYS"): 50_000,
    ("ROHINGYA", "IND"): 23_300,
    ("ROHINGYA", "IDN"): 10_000,
    ("COD", "UGA"): 74_000,
    ("COD", "RWA"): 40_000,
    ("COD", "TZA"): 35_000,
    ("COD", "BDI"): 30_500,
    ("SOM", "ETH"): 60_000,
    ("SOM", "KEN"): 40_000,
    ("SOM", "YEM"): 10_000,
    ("ERI", "ETH"): 63_950,
    ("ERI", "SDN"): 20_000,
    ("ERI", "EGY"): 6_050,
    ("CAF", "CMR"): 50_000,
    ("CAF", "TCD"): 40_000,
    ("CAF", "COD"): 20_000,
    ("BDI", "TZA"): 60_000,
    ("BDI", "RWA"): 20_000,
    ("IRQ", "JOR"): 10_000,
    ("IRQ", "SYR"): 20_000,
    ("NGA", "CMR"): 30_000,
    ("NGA", "NER"): 20_000,
    ("MLI", "NER"): 30_000,
    ("MLI", "MRT"): 30_000,
    ("VEN", "COL"): 20_000,
    ("VEN", "ECU"): 16_400,
}
