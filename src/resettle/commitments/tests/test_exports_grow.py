"""The GROW columns of every commitments export (CSV, XLSX, JSON, HXL) and of the API:
the supporter's name and kind, the amount and its currency. Real rows: a GROW
commitment of a foundation with an amount in euros, a plain State commitment, and a
public GROW gift of an individual who is not listed publicly."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import hxl
import pytest
from django.test import Client
from openpyxl import load_workbook

from resettle.accounts.models import User
from resettle.commitments.exports import COLUMNS
from resettle.commitments.models import Commitment, Supporter

from .conftest import MakeCommitment

pytestmark = pytest.mark.django_db
GROW_COLUMNS = ["supporter", "supporter_kind", "amount", "currency"]


def _body(client: Client, fmt: str) -> bytes:
    response = client.get(f"/commitments/export/{fmt}/")
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content


def parse(fmt: str, body: bytes) -> list[dict[str, Any]]:
    """The rows of an export as dicts by column name, as a reader of that format gets them."""
    if fmt == "json":
        data = json.loads(body)
        assert data["columns"] == [c.name for c in COLUMNS]
        return list(data["rows"])
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet is not None
        values = list(sheet.values)
        header = [str(v) for v in values[0]]
        return [dict(zip(header, row, strict=True)) for row in values[1:]]
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = lines[0], lines[1:]
    if fmt == "hxl":
        data = data[1:]  # the hashtags
    return [dict(zip(header, row, strict=True)) for row in data]


@pytest.fixture
def grow(world: SimpleNamespace, make_commitment: MakeCommitment) -> SimpleNamespace:
    foundation = Supporter.objects.create(name="Open Doors Foundation", kind="foundation")
    private = Supporter.objects.create(name="Anna Weiss", kind="individual", is_public=False)
    fund = make_commitment(
        world.ngo_org,
        title="Sponsorship fund",
        source="grow",
        supporter=foundation,
        amount=Decimal("125000.50"),
        currency="EUR",
    )
    state = make_commitment(world.state_org, title="500 resettlement places", source="consultation")
    gift = make_commitment(
        world.ngo_org,
        title="Language classes",
        source="grow",
        supporter=private,
        amount=Decimal("2000"),
        currency="USD",
    )
    return SimpleNamespace(fund=fund, state=state, gift=gift)


def _by_title(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["title"]: r for r in rows}


# An empty cell as each reader gives it back.
EMPTY = {"csv": "", "hxl": "", "json": "", "xlsx": None}


@pytest.mark.parametrize("fmt", ["csv", "hxl", "json", "xlsx"])
def test_every_export_has_the_grow_columns(client: Client, grow: SimpleNamespace, fmt: str) -> None:
    rows = _by_title(parse(fmt, _body(client, fmt)))
    assert set(rows) == {"Sponsorship fund", "500 resettlement places", "Language classes"}
    names = list(next(iter(rows.values())))
    assert names[names.index("situation") + 1 : names.index("situation") + 5] == GROW_COLUMNS
    fund, state, gift = (
        rows["Sponsorship fund"],
        rows["500 resettlement places"],
        rows["Language classes"],
    )
    empty = EMPTY[fmt]
    amount: Any = {"csv": "125000.50", "hxl": "125000.50", "json": 125000.5, "xlsx": 125000.5}
    assert (fund["supporter"], fund["supporter_kind"]) == ("Open Doors Foundation", "foundation")
    assert (fund["amount"], fund["currency"]) == (amount[fmt], "EUR")
    assert fund["source"] == "grow"
    # A State's commitment is not GROW support: the four columns are empty.
    assert state["source"] == "consultation" and state["organisations"] == (
        "Federal Office for Migration and Refugees"
    )
    json_empty_amount = None if fmt == "json" else empty
    assert [state[c] for c in GROW_COLUMNS] == [empty, empty, json_empty_amount, empty]
    # A public gift of an individual who is not listed: kind and amount, not the name.
    assert gift["supporter"] == empty and gift["supporter_kind"] == "individual"
    assert (gift["amount"], gift["currency"]) == (
        {"json": 2000, "xlsx": 2000}.get(fmt, "2000.00"),
        "USD",
    )


def test_those_who_see_the_supporter_get_its_name(
    client: Client, world: SimpleNamespace, grow: SimpleNamespace
) -> None:
    client.force_login(world.users["unhcr"])  # UNHCR runs GROW and sees every supporter
    rows = _by_title(parse("csv", _body(client, "csv")))
    assert rows["Language classes"]["supporter"] == "Anna Weiss"
    client.force_login(world.users["state"])
    rows = _by_title(parse("json", _body(client, "json")))
    assert rows["Language classes"]["supporter"] == ""
    assert rows["Sponsorship fund"]["supporter"] == "Open Doors Foundation"


def test_a_financed_commitment_that_is_not_grow_keeps_its_amount(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    make_commitment(
        world.state_org,
        title="Fund for reception",
        source="grf",
        amount=Decimal("3e6"),
        currency="EUR",
    )
    row = parse("json", _body(client, "json"))[0]
    assert (row["supporter"], row["supporter_kind"]) == ("", "")
    assert (row["amount"], row["currency"]) == (3000000, "EUR")


def test_the_hxl_export_tags_the_grow_columns_and_is_valid_hxl(
    client: Client, grow: SimpleNamespace
) -> None:
    body = _body(client, "hxl")
    lines = list(csv.reader(io.StringIO(body.decode())))
    tags = dict(zip(lines[0], lines[1], strict=True))
    assert [tags[c] for c in GROW_COLUMNS] == [
        "#org+name+funder",
        "#org+type+funder",
        "#value+committed",
        "#currency",
    ]
    source = hxl.data(io.BytesIO(body))
    by_title = {r.get("#activity+name"): r for r in source}
    fund = by_title["Sponsorship fund"]
    assert fund.get("#org+name+funder") == "Open Doors Foundation"
    assert float(fund.get("#value+committed")) == 125000.5
    assert fund.get("#currency") == "EUR"
    problems: list[Any] = []
    hxl.schema(callback=problems.append).validate(hxl.data(io.BytesIO(body)))
    serious = [p.message for p in problems if p.rule.severity in ("error", "warning")]
    assert not serious, serious


def test_the_api_names_the_supporter_to_those_who_see_it(
    client: Client,
    world: SimpleNamespace,
    grow: SimpleNamespace,
    bearer: Callable[[User | None], dict[str, str]],
) -> None:
    items = {i["title"]: i for i in client.get("/api/v1/commitments").json()["items"]}
    fund, state, gift = (
        items["Sponsorship fund"],
        items["500 resettlement places"],
        items["Language classes"],
    )
    assert (fund["supporter_name"], fund["supporter_kind"]) == (
        "Open Doors Foundation",
        "foundation",
    )
    assert (fund["amount"], fund["currency"]) == ("125000.50", "EUR")
    assert (state["supporter_name"], state["supporter_kind"], state["amount"]) == ("", "", None)
    assert (gift["supporter_name"], gift["supporter_kind"]) == ("", "individual")
    unhcr = bearer(world.users["unhcr"])
    detail = client.get(f"/api/v1/commitments/{grow.gift.pk}", headers=unhcr).json()
    assert detail["supporter_name"] == "Anna Weiss"
    assert Commitment.objects.count() == 3


def test_the_commitment_page_names_a_private_supporter_only_to_those_who_see_it(
    client: Client, world: SimpleNamespace, grow: SimpleNamespace
) -> None:
    url = f"/commitments/{grow.gift.pk}/"
    client.force_login(world.users["unhcr"])
    assert "Anna Weiss" in client.get(url).content.decode()
    client.force_login(world.users["state"])
    page = client.get(url)
    assert page.status_code == 200  # the commitment is public; its supporter is not
    assert "Anna Weiss" not in page.content.decode()
    assert "prefers not to be named" in page.content.decode()
