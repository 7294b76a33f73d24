import pytest
from django.utils import translation
from django.utils.translation import trans_real
from resettle.needs.tests.test_brief import w, _pdf_text  # noqa
TITLE = "Resettlement needs and pledges: advocacy brief, %(year)s"
CANDS = [
    "احتياجات إعادة التوطين والتعهدات: موجز المناصرة، %(year)s",
    "احتياجات إعادة التوطين والتعهدات: موجز المناصرة لعام %(year)s",
    "موجز المناصرة لعام %(year)s: احتياجات إعادة التوطين والتعهدات",
    "%(year)s: احتياجات إعادة التوطين والتعهدات، موجز المناصرة",
    "احتياجات إعادة التوطين والتعهدات لعام %(year)s: موجز المناصرة",
    "موجز المناصرة %(year)s: احتياجات إعادة التوطين والتعهدات",
]
def test_probe(client, w):
    out = []
    with translation.override("ar"):
        cat = trans_real.translation("ar")._catalog
    for c in CANDS:
        cat[TITLE] = c
        r = client.get("/needs/brief.pdf?year=2024&lang=ar")
        text, _ = _pdf_text(r.content)
        exp = c % {"year": 2024}
        out.append(f"{exp in text}\t{exp}\t||\t{text[:120]}")
    open("/tmp/probe.txt", "w").write("\n".join(out))
