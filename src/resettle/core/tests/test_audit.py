"""The audit log: snapshots, audited saves and deletes, and what an entry shows."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.audit import delete_with_audit, save_with_audit, snapshot
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Organisation
from resettle.forums.models import Forum, Membership


def test_snapshot_is_json_ready(world: SimpleNamespace, settings: object, tmp_path: object) -> None:
    membership = world.public_membership
    data = snapshot(membership)
    assert data["forum_id"] == world.public_forum.pk
    assert data["organisation_id"] == world.ngo_org.pk
    assert data["start_date"] == membership.start_date.isoformat()
    assert data["end_date"] is None
    forum = snapshot(world.public_forum)
    assert forum["chairs"] == [world.state_org.pk]
    assert forum["terms_document"] is None  # an empty file field is None, not an error


def test_snapshot_of_a_forum_with_a_document(
    world: SimpleNamespace, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    world.public_forum.terms_document.save("tor.pdf", ContentFile(b"%PDF"))
    assert snapshot(world.public_forum)["terms_document"].startswith("forums/tor/tor")


def test_snapshot_never_copies_a_password(db: None) -> None:
    user = User.objects.create_user("pw", "pw@example.org", "a long passphrase", role=Role.ADMIN)
    data = snapshot(user)
    assert "password" not in data and data["username"] == "pw"


def test_save_with_audit_creates_updates_and_skips_no_change(world: SimpleNamespace) -> None:
    actor = world.users["admin"]
    with transaction.atomic():
        org = save_with_audit(
            Organisation(), {"name": "New", "kind": "ngo", "country": world.deu}, actor=actor
        )
    with transaction.atomic():
        save_with_audit(org, {"acronym": "N"}, actor=actor)
    with transaction.atomic():
        save_with_audit(org, {"acronym": "N"}, actor=actor)  # no change, no entry
    entries = list(AuditEntry.objects.for_object(org))
    assert [e.action for e in entries] == [AuditAction.UPDATE, AuditAction.CREATE]
    update, create = entries
    assert create.before is None and create.after is not None
    assert create.after["country_id"] == world.deu.pk
    assert update.changes() == [("acronym", "", "N")]
    assert str(update).endswith("admin update New (N)")


def test_save_with_audit_validates_before_writing(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        save_with_audit(Organisation(), {"name": "", "kind": "nonsense"}, actor=None)
    assert {"name", "kind"} <= set(exc.value.message_dict)
    assert not AuditEntry.objects.exists()


def test_system_writes_are_attributed_to_system(world: SimpleNamespace) -> None:
    with transaction.atomic():
        save_with_audit(world.ngo_org, {"acronym": "SYS"}, actor=None)
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_repr == "system"


def test_entry_keeps_the_actors_name_after_the_account_goes(world: SimpleNamespace) -> None:
    rsf = world.users["rsf"]
    with transaction.atomic():
        save_with_audit(world.rsf_org, {"acronym": "RSF2"}, actor=rsf)
    rsf.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_repr == "rsf"


def test_delete_with_audit(world: SimpleNamespace) -> None:
    membership = world.public_membership
    pk = membership.pk
    with transaction.atomic():
        delete_with_audit(membership, actor=world.users["admin"])
    assert not Membership.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.after) == (AuditAction.DELETE, str(pk), None)
    assert entry.before is not None and entry.before["role"] == "member"


def test_changes_lists_only_what_differs(db: None) -> None:
    entry = AuditEntry(
        before={"a": 1, "b": "x", "gone": True},
        after={"a": 1, "b": "y", "new": [1, 2]},
    )
    assert entry.changes() == [("b", "x", "y"), ("gone", True, None), ("new", None, [1, 2])]


def test_history_is_newest_first(world: SimpleNamespace) -> None:
    admin = world.users["admin"]
    forum: Forum = world.public_forum
    for year in (2001, 2002, 2003):
        with transaction.atomic():
            save_with_audit(forum, {"established_year": year}, actor=admin)
    history = [e.after["established_year"] for e in AuditEntry.objects.for_object(forum)]
    assert history == [2003, 2002, 2001]
    assert all(e.at <= datetime.datetime.now(tz=datetime.UTC) for e in AuditEntry.objects.all())
