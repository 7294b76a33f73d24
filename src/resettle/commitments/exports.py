"""Exports of the commitment list: CSV, XLSX, JSON and HXL-tagged CSV.

The writers are those of needs/exports.py (spreadsheet-safe cells, HXL's
second row of hashtags); this module only says what the columns are and how
a commitment fills a row. A forum, cycle or meeting the visitor may not see
is left empty, even when the commitment itself is public.

GROW columns: the supporter's name and kind (private, foundation, individual)
are filled for GROW commitments only (only they have a supporter); a supporter
the visitor may not see (not public: an individual may prefer not to be listed)
keeps its kind but not its name. The amount and its currency (ISO 4217) are
filled wherever financing is recorded, which is usually a GROW commitment, and
are empty otherwise. The amount is a number: "1500.00" in CSV, a number cell in
XLSX and a JSON number (at most fourteen digits, two after the point: a double
gives the same decimal back).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from resettle.commitments.models import CommitmentQuerySet, Supporter
from resettle.core.notify import absolute_url
from resettle.forums.models import Forum
from resettle.needs.exports import Column, Table, response

FORMATS = ("csv", "xlsx", "json", "hxl")

COLUMNS = [
    Column("id", "#meta+id"),
    Column("source", "#meta+source"),
    Column("grf_pledge_id", "#meta+id+grf"),
    Column("organisations", "#org+name"),
    Column("organisation_countries", "#country+code"),
    Column("title", "#activity+name"),
    Column("description", "#description"),
    Column("target", "#description+target"),
    Column("target_number", "#indicator+target+num"),
    Column("target_unit", "#indicator+target+unit"),
    Column("progress_number", "#indicator+progress+num"),
    Column("deadline", "#date+deadline"),
    Column("status", "#status"),
    Column("forum", "#meta+forum"),
    Column("cycle", "#meta+cycle"),
    Column("meeting", "#meta+meeting"),
    Column("situation", "#crisis+name"),
    Column("supporter", "#org+name+funder"),
    Column("supporter_kind", "#org+type+funder"),
    Column("amount", "#value+committed"),
    Column("currency", "#currency"),
    Column("public", "#meta+public"),
    Column("created", "#date+created"),
    Column("last_update", "#date+reported"),
    Column("next_update_due", "#date+due"),
    Column("overdue", "#status+overdue"),
    Column("illustrative", "#meta+illustrative"),
    Column("url", "#meta+url"),
]


def _date(value: datetime.datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def rows(
    qs: CommitmentQuerySet,
    visible_forums: set[int],
    today: datetime.date,
    visible_supporters: set[int] | None = None,
) -> Iterator[list[Any]]:
    """One row per commitment, in the list's order. `visible_supporters`: the
    supporters whose name may be shown (None: every one)."""
    commitments = qs.select_related("forum", "cycle__forum", "meeting", "situation", "supporter")
    for c in commitments.prefetch_related("organisations__country", "updates"):
        orgs = list(c.organisations.all())
        shown = c.forum_id in visible_forums
        supporter = c.supporter if c.supporter_id else None
        named = supporter is not None and (
            visible_supporters is None or supporter.pk in visible_supporters
        )
        latest = next(iter(c.updates.all()), None)  # updates come newest first
        yield [
            c.pk,
            c.source,
            c.grf_pledge_id,
            "; ".join(o.name for o in orgs),
            "; ".join(sorted({o.country.iso3 for o in orgs if o.country is not None})),
            c.title,
            c.description,
            c.target,
            c.target_number,
            c.target_unit,
            latest.progress_number if latest is not None else None,
            c.deadline.isoformat() if c.deadline else "",
            c.status,
            str(c.forum) if shown and c.forum else "",
            str(c.cycle) if shown and c.cycle else "",
            str(c.meeting) if shown and c.meeting else "",
            c.situation.name if c.situation else "",
            supporter.name if supporter is not None and named else "",
            supporter.kind if supporter is not None else "",
            c.amount,
            c.currency,
            c.is_public,
            _date(c.created_at),
            _date(c.last_update_at),
            c.next_update_due().isoformat(),
            c.is_overdue(today),
            c.is_illustrative,
            absolute_url(c.get_absolute_url()),
        ]


def export(
    qs: CommitmentQuerySet, fmt: str, user: Any, filters: dict[str, Any]
) -> HttpResponse | StreamingHttpResponse:
    """The download of the filtered commitments in a format."""
    today = timezone.localdate()
    visible = set(Forum.objects.visible_to(user).values_list("pk", flat=True))
    supporters = set(Supporter.objects.visible_to(user).values_list("pk", flat=True))
    meta = {"exported": today.isoformat(), "filters": filters}
    body: Iterable[list[Any]] = rows(qs, visible, today, supporters)
    if fmt == "json":
        body = _json_numbers(body)
    table = Table("commitments", COLUMNS, body, [], meta)
    return response(table, fmt, f"commitments-{today.isoformat()}")


def _json_numbers(body: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Rows with decimal amounts as JSON numbers (json cannot write a Decimal)."""
    for row in body:
        yield [float(v) if isinstance(v, Decimal) else v for v in row]
