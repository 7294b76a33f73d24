"""Forums, memberships and cycles: the invariants the models hold, and who sees what."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.directory.models import Country, Organisation, Person
from resettle.forums.models import (
    ConsultationCycle,
    CycleStatus,
    Forum,
    ForumAccess,
    ForumKind,
    Membership,
    MembershipRole,
)

DAY = datetime.date(2025, 6, 15)


def _membership(forum: Forum, **fields: object) -> Membership:
    defaults: dict[str, object] = {"role": MembershipRole.MEMBER, "start_date": DAY}
    return Membership(forum=forum, **{**defaults, **fields})


# ---- memberships: organisation xor person, mandate dates ------------------------------


def test_membership_needs_an_organisation_or_a_person_not_both(
    public_forum: Forum, ngo_org: Organisation, person: Person
) -> None:
    for fields in ({"organisation": ngo_org, "person": person}, {}):
        with pytest.raises(ValidationError) as exc:
            _membership(public_forum, **fields).full_clean()
        assert "organisation" in exc.value.message_dict
    _membership(public_forum, organisation=ngo_org).full_clean()
    _membership(public_forum, person=person).full_clean()


@pytest.mark.parametrize("both", [True, False])
def test_database_refuses_membership_with_both_or_neither(
    public_forum: Forum, ngo_org: Organisation, person: Person, both: bool
) -> None:
    fields = {"organisation": ngo_org, "person": person} if both else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        _membership(public_forum, **fields).save()


def test_mandate_cannot_end_before_it_starts(public_forum: Forum, ngo_org: Organisation) -> None:
    early = _membership(
        public_forum, organisation=ngo_org, end_date=DAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        early.full_clean()
    assert list(exc.value.message_dict) == ["end_date"]
    with pytest.raises(IntegrityError), transaction.atomic():
        early.save()
    # A mandate of a single day is fine.
    _membership(public_forum, organisation=ngo_org, end_date=DAY).full_clean()


# ---- memberships: current, past, ending soon ---------------------------------------


@pytest.fixture
def mandates(public_forum: Forum, ngo_org: Organisation) -> dict[str, Membership]:
    """Mandates around DAY, by how they stand on that day."""
    d = datetime.timedelta
    spans = {
        "open_ended": (DAY - d(days=100), None),
        "ends_today": (DAY - d(days=100), DAY),
        "ends_in_60": (DAY - d(days=100), DAY + d(days=60)),
        "ends_in_61": (DAY - d(days=100), DAY + d(days=61)),
        "ended_yesterday": (DAY - d(days=100), DAY - d(days=1)),
        "starts_tomorrow": (DAY + d(days=1), DAY + d(days=10)),
    }
    Membership.objects.all().delete()
    return {
        name: Membership.objects.create(
            forum=public_forum,
            organisation=ngo_org,
            role=MembershipRole.MEMBER,
            start_date=start,
            end_date=end,
            notes=name,
        )
        for name, (start, end) in spans.items()
    }


def _names(qs: object) -> set[str]:
    return {m.notes for m in qs}  # type: ignore[attr-defined]


def test_current_past_and_ending_within(mandates: dict[str, Membership]) -> None:
    qs = Membership.objects.all()
    assert _names(qs.current(DAY)) == {"open_ended", "ends_today", "ends_in_60", "ends_in_61"}
    assert _names(qs.past(DAY)) == {"ended_yesterday"}
    assert _names(qs.ending_within(60, DAY)) == {"ends_today", "ends_in_60"}
    assert mandates["ends_today"].is_current(DAY)
    assert not mandates["starts_tomorrow"].is_current(DAY)
    assert not mandates["ended_yesterday"].is_current(DAY)


def test_ending_within_defaults_to_today(public_forum: Forum, ngo_org: Organisation) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    Membership.objects.all().delete()
    soon = Membership.objects.create(
        forum=public_forum,
        organisation=ngo_org,
        role=MembershipRole.CHAIR,
        start_date=today - datetime.timedelta(days=700),
        end_date=today + datetime.timedelta(days=30),
    )
    assert list(Membership.objects.ending_within(60)) == [soon]
    assert list(Membership.objects.current()) == [soon]
    assert not Membership.objects.past().exists()


# ---- consultation cycles: the co-chairs come from the chairing State -----------------


def _cycle(forum: Forum, state: Country, gov: Organisation, ngo: Organisation) -> ConsultationCycle:
    return ConsultationCycle(
        forum=forum,
        start_year=2030,
        end_year=2030,
        state=state,
        government_cochair=gov,
        ngo_cochair=ngo,
    )


def test_cochairs_of_the_chairing_state_are_accepted(
    public_forum: Forum, deu: Country, state_org: Organisation, ngo_org: Organisation
) -> None:
    _cycle(public_forum, deu, state_org, ngo_org).full_clean()


def test_ngo_cochair_from_another_state_is_refused_naming_both_states(
    public_forum: Forum, deu: Country, state_org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(ValidationError) as exc:
        _cycle(public_forum, deu, state_org, other_org).full_clean()
    errors = exc.value.message_dict
    assert list(errors) == ["ngo_cochair"]
    [message] = errors["ngo_cochair"]
    assert "Germany" in message and "Canada" in message


def test_government_cochair_must_be_a_state_body_of_the_chairing_state(
    public_forum: Forum,
    deu: Country,
    can_state_org: Organisation,
    ngo_org: Organisation,
    refugee_org: Organisation,
) -> None:
    with pytest.raises(ValidationError) as exc:
        _cycle(public_forum, deu, can_state_org, ngo_org).full_clean()
    assert list(exc.value.message_dict) == ["government_cochair"]
    assert "Germany" in exc.value.message_dict["government_cochair"][0]
    with pytest.raises(ValidationError) as exc:
        _cycle(public_forum, deu, refugee_org, ngo_org).full_clean()
    assert "State government body" in exc.value.message_dict["government_cochair"][0]


def test_ngo_cochair_must_be_an_ngo(
    public_forum: Forum, deu: Country, state_org: Organisation, refugee_org: Organisation
) -> None:
    with pytest.raises(ValidationError) as exc:
        _cycle(public_forum, deu, state_org, refugee_org).full_clean()
    assert exc.value.message_dict["ngo_cochair"] == ["The NGO co-chair must be an NGO."]


def test_cochairs_from_a_third_state_are_both_refused(
    public_forum: Forum, can: Country, state_org: Organisation, ngo_org: Organisation
) -> None:
    with pytest.raises(ValidationError) as exc:
        _cycle(public_forum, can, state_org, ngo_org).full_clean()
    assert set(exc.value.message_dict) == {"government_cochair", "ngo_cochair"}
    assert "Canada" in exc.value.message_dict["government_cochair"][0]


def test_cycles_belong_to_consultations_and_run_forwards(
    public_forum: Forum,
    members_forum: Forum,
    deu: Country,
    state_org: Organisation,
    ngo_org: Organisation,
) -> None:
    with pytest.raises(ValidationError) as exc:
        _cycle(members_forum, deu, state_org, ngo_org).full_clean()
    assert list(exc.value.message_dict) == ["forum"]
    backwards = _cycle(public_forum, deu, state_org, ngo_org)
    backwards.end_year = 2029
    with pytest.raises(ValidationError) as exc:
        backwards.full_clean()
    assert "end_year" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()


def test_one_cycle_per_consultation_and_year(cycle: ConsultationCycle) -> None:
    again = _cycle(cycle.forum, cycle.state, cycle.government_cochair, cycle.ngo_cochair)
    again.start_year = again.end_year = cycle.start_year
    with pytest.raises(ValidationError):
        again.full_clean()


def test_cycle_label_and_status(cycle: ConsultationCycle) -> None:
    cycle.start_year, cycle.end_year = 2023, 2024
    assert cycle.label == "2023-24"
    assert cycle.status(datetime.date(2022, 12, 31)) == CycleStatus.PLANNED
    assert cycle.status(datetime.date(2024, 1, 1)) == CycleStatus.CURRENT
    assert cycle.status(datetime.date(2025, 1, 1)) == CycleStatus.PAST
    cycle.end_year = 2023
    assert cycle.label == "2023"
    assert str(cycle) == "CRCP 2023"


# ---- forums: parents, and who sees which --------------------------------------------


def test_forum_cannot_be_its_own_ancestor(public_forum: Forum, members_forum: Forum) -> None:
    members_forum.parent = public_forum
    members_forum.full_clean()
    members_forum.save()
    public_forum.parent = members_forum
    with pytest.raises(ValidationError) as exc:
        public_forum.full_clean()
    assert "parent" in exc.value.message_dict
    public_forum.parent = public_forum
    with pytest.raises(ValidationError):
        public_forum.full_clean()


def _visible(user: User | None) -> set[str]:
    return {f.acronym for f in Forum.objects.visible_to(user)}


def test_forums_visible_to_each_kind_of_user(world: SimpleNamespace) -> None:
    u = world.users
    assert _visible(None) == {"CRCP"}
    assert _visible(u["admin"]) == {"CRCP", "WGR"}
    assert _visible(u["unhcr"]) == {"CRCP", "WGR"}  # UNHCR supports every forum
    assert _visible(u["ngo"]) == {"CRCP", "WGR"}  # a member
    assert _visible(u["state"]) == {"CRCP", "WGR"}  # a member
    assert _visible(u["other"]) == {"CRCP"}  # not a member
    assert _visible(u["refugee"]) == {"CRCP"}


def test_members_only_forum_visibility_follows_the_mandate(
    world: SimpleNamespace, today: datetime.date
) -> None:
    other = world.users["other"]
    m = Membership.objects.create(
        forum=world.members_forum,
        organisation=world.other_org,
        role=MembershipRole.OBSERVER,
        start_date=today - datetime.timedelta(days=10),
    )
    assert _visible(other) == {"CRCP", "WGR"}
    m.end_date = today - datetime.timedelta(days=1)
    m.save()
    assert _visible(other) == {"CRCP"}  # an ended mandate no longer opens the forum
    m.start_date = today + datetime.timedelta(days=5)
    m.end_date = None
    m.save()
    assert _visible(other) == {"CRCP"}  # nor does one that has not started yet


def test_chairs_secretariat_and_personal_members_see_members_only_forums(
    world: SimpleNamespace, today: datetime.date
) -> None:
    forum = world.members_forum
    rsf, refugee = world.users["rsf"], world.users["refugee"]
    forum.chairs.add(world.rsf_org)
    assert "WGR" in _visible(rsf)
    forum.chairs.clear()
    forum.secretariat.add(world.rsf_org)
    assert "WGR" in _visible(rsf)
    # A person's own membership counts for the user linked to that contact.
    contact = Person.objects.create(
        given_name="Amal", family_name="Nour", organisation=world.refugee_org
    )
    refugee.person = contact
    refugee.save()
    assert "WGR" not in _visible(refugee)
    Membership.objects.create(
        forum=forum,
        person=contact,
        role=MembershipRole.REFUGEE_REPRESENTATIVE,
        start_date=today,
    )
    assert "WGR" in _visible(refugee)


def test_visible_forums_are_listed_once(world: SimpleNamespace, today: datetime.date) -> None:
    """Several memberships of one organisation do not repeat the forum."""
    ngo = world.users["ngo"]
    Membership.objects.create(
        forum=world.members_forum,
        organisation=world.ngo_org,
        role=MembershipRole.ADVISER,
        start_date=today,
    )
    forums = list(Forum.objects.visible_to(ngo))
    assert len(forums) == len(set(forums)) == 2


def test_memberships_and_cycles_follow_their_forum(world: SimpleNamespace) -> None:
    hidden = ConsultationCycle.objects.create(
        forum=Forum.objects.create(
            name="Closed Consultation", kind=ForumKind.CONSULTATION, access=ForumAccess.MEMBERS
        ),
        start_year=2030,
        end_year=2030,
        state=world.deu,
        government_cochair=world.state_org,
        ngo_cochair=world.ngo_org,
    )
    assert hidden not in ConsultationCycle.objects.visible_to(None)
    assert hidden not in ConsultationCycle.objects.visible_to(world.users["ngo"])
    assert hidden in ConsultationCycle.objects.visible_to(world.users["unhcr"])
    assert world.members_membership not in Membership.objects.visible_to(None)
    assert world.members_membership not in Membership.objects.visible_to(world.users["rsf"])
    assert world.members_membership in Membership.objects.visible_to(world.users["state"])
    assert Membership.objects.visible_to(None).count() == 3


def test_superuser_sees_everything_whatever_the_role(world: SimpleNamespace) -> None:
    root = User.objects.create_superuser("root", "root@example.org", None, role=Role.REFUGEE)
    assert root.is_platform_admin
    assert _visible(root) == {"CRCP", "WGR"}


def test_forum_parent_check_ends_on_a_loop_above_it(
    public_forum: Forum, members_forum: Forum
) -> None:
    """A loop already stored among the ancestors is reported, not walked forever."""
    Forum.objects.filter(pk=members_forum.pk).update(parent=public_forum)
    Forum.objects.filter(pk=public_forum.pk).update(parent=members_forum)
    stored = Forum.objects.get(pk=members_forum.pk)
    child = Forum(name="Sub-group", kind=ForumKind.NETWORK, parent=stored)
    with pytest.raises(ValidationError) as exc:
        child.full_clean()
    assert "parent" in exc.value.message_dict
