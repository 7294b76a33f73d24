"""Fixtures of the governance tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from resettle.governance.tests.factories import add_governance


@pytest.fixture
def gw(world: SimpleNamespace) -> SimpleNamespace:
    """The shared world with the governance objects (see factories.py)."""
    return add_governance(world)
