"""The pure rule of when an update is due and when it is overdue."""

from __future__ import annotations

import datetime

from resettle.commitments import schedule

D = datetime.date


def test_next_update_due_counts_from_the_last_update_or_the_creation() -> None:
    assert schedule.next_update_due(None, D(2025, 1, 1), 180) == D(2025, 6, 30)
    assert schedule.next_update_due(D(2025, 3, 1), D(2025, 1, 1), 180) == D(2025, 8, 28)


def test_overdue_only_after_the_due_date_and_only_when_open() -> None:
    due = D(2025, 6, 30)
    assert not schedule.is_overdue(due, closed=False, today=D(2025, 6, 30))
    assert schedule.is_overdue(due, closed=False, today=D(2025, 7, 1))
    assert not schedule.is_overdue(due, closed=True, today=D(2026, 1, 1))


def test_threshold_agrees_with_the_due_date() -> None:
    today, days = D(2025, 7, 1), 180
    threshold = schedule.overdue_threshold(today, days)
    just_late = threshold - datetime.timedelta(days=1)
    assert schedule.is_overdue(
        schedule.next_update_due(just_late, just_late, days), closed=False, today=today
    )
    assert not schedule.is_overdue(
        schedule.next_update_due(threshold, threshold, days), closed=False, today=today
    )
