"""The engine-specific search index: SQLite's FTS5 table with its triggers and a
covering index of the columns a search aggregates, and PostgreSQL's generated
tsvector column with its GIN index. Created by migration 0002 (the covering index
by 0003 on databases made before it); kept here so that a later migration can
install them again.

On SQLite, Django rebuilds a table to alter it (create a copy, drop the old one),
which drops its triggers: a later migration that alters `library_librarytext`
must call `install(schema_editor)` again (it rebuilds the FTS5 content too).
"""

from __future__ import annotations

from typing import Any

# Every column the search's pass over its matches reads (search.aggregate_sql and
# access_sql), led by the row id the FTS5 matches join on: about 50 bytes a row
# instead of a whole row (with its stems, over a kilobyte), so the look-ups of a broad
# query's thousands of matches stay within a few megabytes of pages.
SQLITE_COVERING_INDEX = (
    "CREATE INDEX IF NOT EXISTS library_text_facets ON library_librarytext "
    "(id, item_id, access, kind, year, themes_mask, languages_mask, forum_ids, "
    "owner_org_id, author_id)"
)
SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_fts USING fts5("
    "search_tokens, content='library_librarytext', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS library_fts_insert AFTER INSERT ON library_librarytext BEGIN "
    "INSERT INTO library_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS library_fts_delete AFTER DELETE ON library_librarytext BEGIN "
    "INSERT INTO library_fts(library_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS library_fts_update AFTER UPDATE OF search_tokens, id "
    "ON library_librarytext BEGIN "
    "INSERT INTO library_fts(library_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO library_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    # Index whatever rows exist already (none on a new database).
    "INSERT INTO library_fts(library_fts) VALUES ('rebuild')",
    SQLITE_COVERING_INDEX,
]
SQLITE_REMOVE = [
    "DROP INDEX IF EXISTS library_text_facets",
    "DROP TRIGGER IF EXISTS library_fts_insert",
    "DROP TRIGGER IF EXISTS library_fts_delete",
    "DROP TRIGGER IF EXISTS library_fts_update",
    "DROP TABLE IF EXISTS library_fts",
]
# A stored generated column: the tsvector is computed once per write, not again for
# every row a query reads (a GIN index on the bare expression would leave the planner's
# sequential scans and rechecks to parse each text again).
POSTGRESQL_INSTALL = [
    "ALTER TABLE library_librarytext ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED",
    "CREATE INDEX IF NOT EXISTS library_text_search ON library_librarytext "
    "USING GIN (search_vector)",
    # Move the long texts, stems and tsvector out of the rows (TOAST) so that the rows
    # a search reads for access, facets and ranking stay narrow, and keep the ranking's
    # short stems inline and uncompressed: reading them must not fetch TOAST chunks
    # (services.index_values bounds their length).
    "ALTER TABLE library_librarytext SET (toast_tuple_target = 256)",
    "ALTER TABLE library_librarytext "
    "ALTER COLUMN search_tokens SET STORAGE EXTERNAL, "
    "ALTER COLUMN extracted_text SET STORAGE EXTERNAL, "
    "ALTER COLUMN search_vector SET STORAGE EXTERNAL, "
    "ALTER COLUMN rank_title SET STORAGE PLAIN, "
    "ALTER COLUMN rank_summary SET STORAGE PLAIN, "
    "ALTER COLUMN rank_keywords SET STORAGE PLAIN",
]
POSTGRESQL_REMOVE = [
    "ALTER TABLE library_librarytext RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS library_text_search",
    "ALTER TABLE library_librarytext DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql)


def install(schema_editor: Any) -> None:
    """Create the index of the database's engine (nothing on other engines)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_INSTALL)


def remove(schema_editor: Any) -> None:
    """Drop the index of the database's engine."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_REMOVE)


def install_covering_index(schema_editor: Any) -> None:
    """The covering index alone (SQLite only; migration 0003)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_COVERING_INDEX)


def remove_covering_index(schema_editor: Any) -> None:
    """Drop the covering index (SQLite only)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS library_text_facets")
