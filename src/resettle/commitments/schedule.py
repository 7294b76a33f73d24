"""When a commitment's next progress update is due, and whether it is overdue.

Pure computation (no Django): the models, the reminders and the pages feed it
plain dates, so the rule is written once and tested on its own.
"""

from __future__ import annotations

import datetime


def next_update_due(
    last_update: datetime.date | None, created: datetime.date, every_days: int
) -> datetime.date:
    """The date the next progress update is due: the last update (or, without one,
    the creation) plus the reporting interval."""
    return (last_update or created) + datetime.timedelta(days=every_days)


def is_overdue(due: datetime.date, *, closed: bool, today: datetime.date) -> bool:
    """Overdue once the due date has passed, unless the commitment is closed
    (fulfilled or withdrawn: nothing more to report)."""
    return not closed and today > due


def overdue_threshold(today: datetime.date, every_days: int) -> datetime.date:
    """Commitments whose last update (or creation) falls before this date are overdue."""
    return today - datetime.timedelta(days=every_days)
