"""On SQLite, a covering index of the columns a search aggregates over its matches
(see resettle/library/fts.py); nothing on PostgreSQL. Databases migrated after this
change get it from 0002 already: the index is created only if missing."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from resettle.library import fts

    fts.install_covering_index(schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    from resettle.library import fts

    fts.remove_covering_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
