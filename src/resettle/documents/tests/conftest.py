"""Fixtures of the documents tests: the world with documents, files in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from resettle.documents.tests.world import setup_documents


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def docs(world: SimpleNamespace, media: Path) -> SimpleNamespace:
    """The world with a meeting, its participant, documents of each level and datasets."""
    return setup_documents(world)
