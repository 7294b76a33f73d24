"""Knowledge library: pages, downloads and API operations (src/resettle/library).

The corpus (src/resettle/library/tests/corpus.py) holds public items, members-only
items (any signed-in user of an organisation, and administrators) and an item for
the members of the members-only working group (the State, the NGO; UNHCR and
administrators read everything). `ngo_item` belongs to the German NGO: its users,
UNHCR and administrators may change it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from authz import EVERYONE, Case, Listed, W, api_pk, api_write, pk, roles, signed_in
from resettle.library.models import LibraryItem
from resettle.library.services import save_item_unchecked
from resettle.library.tests.corpus import build_corpus

SIGNED_IN = roles(200, anonymous=404)
WGR = roles(404, admin=200, unhcr=200, state=200, ngo=200)
MANAGE = signed_in(403, admin=200, unhcr=200, ngo=200)
MANAGE_POST = signed_in(403, admin=302, unhcr=302, ngo=302)
# The list and search show each item to those who may read it.
LISTED = (
    Listed("lib_fr_integration", EVERYONE),
    Listed("lib_en_members", SIGNED_IN),
    Listed("lib_en_forum", WGR),
)


def _library(w: W) -> None:
    build_corpus(w)
    w.ngo_item = save_item_unchecked(
        LibraryItem(owner=w.ngo_org),
        {"title": "Caritas sponsorship note", "kind": "practice_note", "body": "Sponsors."},
        actor=None,
    )
    page = b"<html><body><h1>Integration</h1><p>Housing first.</p></body></html>"
    w.file_item = save_item_unchecked(
        LibraryItem(),
        {"title": "Integration page", "kind": "document", "access": "public"},
        SimpleUploadedFile("integration.html", page),
        actor=None,
    )
    w.members_file = save_item_unchecked(
        LibraryItem(),
        {"title": "Members page", "kind": "document", "access": "members"},
        SimpleUploadedFile("members.html", page),
        actor=None,
    )


def _new_item(w: W, u: Any) -> dict[str, Any]:
    return {
        "title": "Remote interviewing checklist",
        "kind": "practice_note",
        "themes": ["remote_interviewing"],
        "languages": ["en"],
        "year": 2025,
        "access": "public",
        "text_language": "en",
        "body": "Check the connection before the interview.",
    }


def _edit(w: W, u: Any) -> dict[str, Any]:
    return {
        "title": "Caritas sponsorship note (revised)",
        "kind": "practice_note",
        "access": "members",
        "text_language": "en",
        "body": "Sponsors and mentors.",
    }


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "library:item_list": [
        Case("GET", EVERYONE, query="?q=integration&theme=integration", setup=_library),
        Case("GET", EVERYONE, setup=_library, lists=LISTED, label="scoped"),
    ],
    "library:item_detail": [
        Case("GET", EVERYONE, args=pk("lib_fr_integration"), setup=_library),
        Case("GET", SIGNED_IN, args=pk("lib_en_members"), setup=_library, label="members"),
        Case("GET", WGR, args=pk("lib_en_forum"), setup=_library, label="forum members"),
    ],
    "library:download": [
        Case("GET", EVERYONE, args=pk("file_item"), setup=_library),
        Case("GET", SIGNED_IN, args=pk("members_file"), setup=_library, label="members"),
        Case("GET", roles(404), args=pk("lib_en_remote"), setup=_library, label="a note"),
    ],
    "library:item_add": [
        Case("GET", signed_in(200), setup=_library),
        Case("POST", signed_in(302), data=_new_item, setup=_library, writes=True),
    ],
    "library:item_edit": [
        Case("GET", MANAGE, args=pk("ngo_item"), setup=_library),
        Case("POST", MANAGE_POST, args=pk("ngo_item"), data=_edit, setup=_library, writes=True),
    ],
    "library:item_delete": [
        Case("GET", MANAGE, args=pk("ngo_item"), setup=_library),
        Case("POST", MANAGE_POST, args=pk("ngo_item"), setup=_library, writes=True),
    ],
    # ---- API ----
    ("GET", "/api/v1/library/search"): [
        Case("GET", EVERYONE, query="?q=integration&kind=handbook", setup=_library),
        Case("GET", EVERYONE, setup=_library, lists=LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/library/items/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("lib_fr_integration"), setup=_library),
        Case("GET", SIGNED_IN, args=api_pk("lib_en_members"), setup=_library, label="members"),
        Case("GET", WGR, args=api_pk("lib_en_forum"), setup=_library, label="forum members"),
    ],
    # Uploads are multipart (see the app's test_api.py); a JSON body lacks the form fields.
    ("POST", "/api/v1/library/items"): [
        Case(
            "POST",
            api_write(422),
            data=lambda w, u: {"title": "T", "kind": "report"},
            setup=_library,
            label="JSON, not multipart",
        )
    ],
}
