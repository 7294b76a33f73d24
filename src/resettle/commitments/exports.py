"""Exports of the commitment list: CSV, XLSX, JSON and HXL-tagged CSV.

The writers are those of needs/exports.py (spreadsheet-safe cells, HXL's
second row of hashtags); this module only says what the columns are and how
a commitment fills a row. A forum, cycle or meeting the visitor may not see
is left empty, even when the commitment itself is public.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from resettle.commitments.models import CommitmentQuerySet
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
    qs: CommitmentQuerySet, visible_forums: set[int], today: datetime.date
) -> Iterator[list[Any]]:
    """One row per commitment, in the list's order."""
    commitments = qs.select_related("forum", "cycle__forum", "meeting", "situation")
    for c in commitments.prefetch_related("organisations__country", "updates"):
        orgs = list(c.organisations.all())
        shown = c.forum_id in visible_forums
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
    meta = {"exported": today.isoformat(), "filters": filters}
    table = Table("commitments", COLUMNS, rows(qs, visible, today), [], meta)
    return response(table, fmt, f"commitments-{today.isoformat()}")
