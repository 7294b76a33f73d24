"""The radar and gains SVGs (pure: no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from resettle.capacity import charts, gains

NS = {"s": "http://www.w3.org/2000/svg"}
AXES = [
    "Legal",
    "Processing",
    "Pre-departure",
    "Reception",
    "Pathways",
    "Sponsorship",
    "Data",
    "Funding",
]


def _radar(rtl: bool = False) -> ET.Element:
    svg = charts.radar(
        title="Capacity of Spain",
        desc="Two assessments <2019 & 2023>",
        axes=AXES,
        series=[
            ("2019-03-12", "#FFC740", [1, 1, 1, 2, 0, 0, 1, 1]),
            ("2023-10-02", "#0072BC", [3, 2, 2, 3, 1, 2, 1, None]),
        ],
        rtl=rtl,
    )
    return ET.fromstring(svg)  # noqa: S314 - our own markup (well-formed, text escaped)


def test_radar_has_a_polygon_per_assessment_and_an_axis_per_dimension() -> None:
    root = _radar()
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Capacity of Spain"  # type: ignore[union-attr]
    assert root.find("s:desc", NS).text == "Two assessments <2019 & 2023>"  # type: ignore[union-attr]
    assert len(root.findall("s:polygon[@class='series']", NS)) == 2
    assert len(root.findall("s:polygon[@class='ring']", NS)) == 4  # scores 1 to 4
    assert len(root.findall("s:line[@class='axis']", NS)) == 8
    labels = [
        t.findtext("s:title", namespaces=NS)
        for t in root.findall("s:text[@class='axis-label']", NS)
    ]
    assert labels == AXES
    tips = [c.findtext("s:title", namespaces=NS) for c in root.findall("s:circle", NS)]
    assert "2023-10-02 · Funding: —" in tips  # an unscored dimension says so
    assert "2019-03-12 · Reception: 2" in tips


def test_radar_first_axis_at_the_top_and_mirrored_right_to_left() -> None:
    ltr, rtl = _radar(), _radar(rtl=True)
    assert rtl.get("direction") == "rtl" and ltr.get("direction") is None
    first_ltr = ltr.findall("s:line[@class='axis']", NS)
    first_rtl = rtl.findall("s:line[@class='axis']", NS)
    # The first dimension points straight up in both directions.
    assert first_ltr[0].get("x2") == first_ltr[0].get("x1") == first_rtl[0].get("x2")
    # The second goes to the right in English and to the left in Arabic.
    centre = float(first_ltr[1].get("x1", "0"))
    assert float(first_ltr[1].get("x2", "0")) > centre > float(first_rtl[1].get("x2", "0"))
    # A score of 4 reaches the outer ring, a score of 0 stays at the centre.
    polygon = ltr.findall("s:polygon[@class='series']", NS)[0].get("points", "").split()
    centre_y = float(first_ltr[1].get("y1", "0"))
    assert polygon[4] == f"{centre},{centre_y}"  # pathways scored 0 in 2019


def test_gain_bars_draw_negative_gains_in_red_and_mirror_rtl() -> None:
    items = [("CRISP-01 Basics", 25.0), ("CRISP-02 Referral", -4.0)]
    root = ET.fromstring(charts.gain_bars(title="Gains", desc="d", items=items))  # noqa: S314 - our own markup
    rects = root.findall("s:rect", NS)
    assert [r.get("fill") for r in rects] == [charts.UNHCR_BLUE, charts.NEGATIVE]
    assert float(rects[0].get("width", "0")) > float(rects[1].get("width", "0")) > 0
    assert "+25.0" in ET.tostring(root, encoding="unicode")
    rtl = ET.fromstring(  # noqa: S314 - our own markup
        charts.gain_bars(title="Gains", desc="d", items=items, rtl=True)
    )
    assert float(rtl.findall("s:rect", NS)[0].get("x", "0")) < float(rects[0].get("x", "0"))


def test_gains_by_module_hand_checked() -> None:
    rows = gains.gains_by_module(
        [
            # Aggregated means: gain 29.
            gains.DeliveryScores(
                "m1", participant_count=18, pre_mean=42, post_mean=71, feedback=4.4
            ),
            # Participants' own results win over the means: (25 + 29 + 28 + 24) / 4 = 26.5;
            # the participant without a post-test is left out.
            gains.DeliveryScores(
                "m1",
                pre_mean=10,
                post_mean=90,
                results=[(45, 70), (52, 81), (38, 66), (60, 84), (50, None)],
                feedback=4.6,
            ),
            # No scores: a delivery, but no gain.
            gains.DeliveryScores("m2", participant_count=10),
        ]
    )
    assert rows["m1"].deliveries == 2
    assert rows["m1"].participants == 18 + 5
    assert rows["m1"].mean_gain == (29 + 26.5) / 2
    assert abs((rows["m1"].mean_feedback or 0) - 4.5) < 1e-9
    assert rows["m2"].mean_gain is None and rows["m2"].participants == 10
