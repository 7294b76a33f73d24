"""The search index: an FTS5 table kept in sync by triggers on SQLite; a stored
generated tsvector column, to_tsvector('simple', search_tokens), with a GIN index on
PostgreSQL (see resettle/library/fts.py)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from resettle.library import fts

    fts.install(schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    from resettle.library import fts

    fts.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_library_items")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
