"""Services of capacity building: assessments (stage, profile, rights, audit),
technical assistance, training, and GROW commitments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.accounts.models import User
from resettle.capacity import services, services_training
from resettle.capacity.models import (
    Assessment,
    AssessmentScore,
    ParticipantResult,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.capacity.tests.conftest import assessment_data
from resettle.commitments import services as commitment_services
from resettle.commitments.models import Commitment, Supporter
from resettle.core.models import AuditEntry
from resettle.directory.models import StateProfile

pytestmark = pytest.mark.django_db

ESTABLISHED = (4, 4, 3, 3, 3, 3, 3, 3)
EMERGING = (2, 2, 2, 2, 1, 1, 1, 1)


def test_completed_assessment_derives_the_stage_and_updates_the_profile(
    world: SimpleNamespace,
) -> None:
    unhcr = world.users["unhcr"]
    StateProfile.objects.create(country=world.deu, programme_stage="new")
    before = AuditEntry.objects.count()
    a = services.do_create_assessment(assessment_data(world, *ESTABLISHED), actor=unhcr)
    assert a.derived_stage == "established"
    assert a.created_by == unhcr
    assert AssessmentScore.objects.filter(assessment=a).count() == 8
    assert StateProfile.objects.get(country=world.deu).programme_stage == "established"
    # One entry for the assessment, eight for the scores, one for the profile.
    assert AuditEntry.objects.count() - before == 10
    assert [p.stage for p in services.stage_history(world.deu)] == ["established"]


def test_an_older_assessment_does_not_change_the_profile(world: SimpleNamespace) -> None:
    unhcr = world.users["unhcr"]
    services.do_create_assessment(assessment_data(world, *ESTABLISHED), actor=unhcr)
    old = assessment_data(world, *EMERGING, assessed_on=datetime.date(2020, 1, 1))
    services.do_create_assessment(old, actor=unhcr)
    assert StateProfile.objects.get(country=world.deu).programme_stage == "established"
    assert [p.stage for p in services.stage_history(world.deu)] == ["emerging", "established"]


def test_iom_assesses_but_the_profile_waits_for_its_editors(
    world: SimpleNamespace, iom_user: User
) -> None:
    data = assessment_data(world, *EMERGING, assessor=None)
    a = services.do_create_assessment(data, actor=iom_user)
    assert a.assessor == iom_user.organisation  # the actor's organisation by default
    assert not StateProfile.objects.filter(country=world.deu).exists()
    with pytest.raises(PermissionDenied):
        services.do_apply_stage_to_profile(world.deu, actor=iom_user)
    # The State's own official may set it, through the directory's rule.
    profile = services.do_apply_stage_to_profile(world.deu, actor=world.users["state"])
    assert profile.programme_stage == "emerging"


def test_completing_needs_every_score_named_by_field(world: SimpleNamespace) -> None:
    data = assessment_data(world, 3, 3, 3, 3, None, 3, 3, None)
    with pytest.raises(ValidationError) as exc:
        services.do_create_assessment(data, actor=world.users["unhcr"])
    assert set(exc.value.message_dict) == {"score_pathways", "score_partnerships"}
    # Each message names its dimension, for the form and the API alike.
    assert exc.value.message_dict["score_pathways"] == [
        "Complementary pathways has no score: score every dimension before completing the"
        " assessment."
    ]
    assert exc.value.message_dict["score_partnerships"][0].startswith("Partnerships and funding")
    draft = services.do_create_assessment({**data, "status": "draft"}, actor=world.users["unhcr"])
    assert draft.derived_stage == ""
    assert services.stage_history(world.deu) == []
    done = services.do_update_assessment(
        draft,
        {"status": "completed", "scores": {"pathways": {"score": 2}, "partnerships": {"score": 2}}},
        actor=world.users["unhcr"],
    )
    assert done.derived_stage == "emerging"  # 3*6 + 2*2 = 22/8 = 2.75


def test_scores_out_of_range_and_future_dates_are_refused(world: SimpleNamespace) -> None:
    bad = assessment_data(world, 5, 3, 3, 3, 3, 3, 3, 3, status="draft")
    with pytest.raises(ValidationError) as exc:
        services.do_create_assessment(bad, actor=world.users["unhcr"])
    assert exc.value.message_dict["score_legal"] == [
        "Legal and policy framework: Ensure this value is less than or equal to 4."
    ]
    future = assessment_data(world, *ESTABLISHED, assessed_on=datetime.date(2999, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.do_create_assessment(future, actor=world.users["unhcr"])
    assert "assessed_on" in exc.value.message_dict
    assert not Assessment.objects.exists()


def test_a_given_score_cannot_be_removed_and_the_error_names_its_dimension(
    world: SimpleNamespace,
) -> None:
    a = services.do_create_assessment(
        assessment_data(world, *ESTABLISHED, status="draft"), actor=world.users["unhcr"]
    )
    with pytest.raises(ValidationError) as exc:
        services.do_update_assessment(
            a, {"scores": {"data": {"score": None}}}, actor=world.users["unhcr"]
        )
    assert exc.value.message_dict == {
        "score_data": ["Data and monitoring: a score once given can be changed but not removed."]
    }
    assert a.score_map()["data"] == ESTABLISHED[6]


@pytest.mark.parametrize("role", ["state", "ngo", "refugee", "rsf", "other"])
def test_only_crisp_staff_assess(world: SimpleNamespace, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.do_create_assessment(assessment_data(world, *ESTABLISHED), actor=world.users[role])


def test_assessments_are_seen_by_the_state_concerned_and_crisp_staff(
    world: SimpleNamespace, iom_user: User
) -> None:
    a = services.do_create_assessment(assessment_data(world, *EMERGING), actor=world.users["admin"])
    can_a = services.do_create_assessment(
        {**assessment_data(world, *EMERGING), "country": world.can}, actor=world.users["admin"]
    )
    u = world.users
    for user in (u["admin"], u["unhcr"], iom_user):
        assert set(Assessment.objects.visible_to(user)) == {a, can_a}
    assert list(Assessment.objects.visible_to(u["state"])) == [a]  # Germany's own
    for user in (None, u["ngo"], u["refugee"], u["rsf"], u["other"]):
        assert not Assessment.objects.visible_to(user).exists()
        with pytest.raises(Http404):
            services.get_assessment_for_user(a.pk, user)
    # The stage is public all the same.
    assert services.latest_stages()[world.deu.pk].derived_stage == "emerging"


def test_technical_assistance_request_plan_and_close(world: SimpleNamespace) -> None:
    state, unhcr = world.users["state"], world.users["unhcr"]
    ta = services.do_create_assistance(
        {
            "country": world.deu,
            "dimension": "sponsorship",
            "title": "Twinning",
            "status": "completed",
        },
        actor=state,
    )
    assert ta.status == "requested"  # a State asks; it does not set the status
    with pytest.raises(PermissionDenied):
        services.do_create_assistance(
            {"country": world.can, "dimension": "data", "title": "Not ours"}, actor=state
        )
    with pytest.raises(ValidationError) as exc:
        services.do_update_assistance(ta, {"status": "planned"}, actor=state)
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_update_assistance(ta, {"status": "planned"}, actor=unhcr)
    assert "provider" in exc.value.message_dict
    ta = services.do_update_assistance(
        ta,
        {"status": "planned", "provider": world.can_state_org, "provider_kind": "twinning"},
        actor=unhcr,
    )
    assert not services.can_edit_assistance(state, ta)  # no longer only requested
    with pytest.raises(ValidationError) as exc:
        services.do_update_assistance(ta, {"status": "completed"}, actor=unhcr)
    assert "outcome" in exc.value.message_dict
    done = services.do_update_assistance(
        ta, {"status": "completed", "outcome": "Guide adopted."}, actor=unhcr
    )
    assert done.status == "completed"
    # The provider (Canada's government) sees it; an NGO does not.
    assert TechnicalAssistance.objects.visible_to(world.users["ngo"]).count() == 0


def test_training_delivery_results_and_gains(world: SimpleNamespace, iom_user: User) -> None:
    module = services_training.do_create_module(
        {"code": "CRISP-01", "title": "Basics", "dimension": "legal"}, actor=iom_user
    )
    with pytest.raises(PermissionDenied):
        services_training.do_create_module(
            {"code": "X", "title": "X", "dimension": "legal"}, actor=world.users["ngo"]
        )
    with pytest.raises(ValidationError) as exc:
        services_training.do_create_version(
            {"module": module, "language": "ar", "title": "أساسيات"}, actor=iom_user
        )
    assert "link" in exc.value.message_dict
    services_training.do_create_version(
        {"module": module, "language": "ar", "title": "أساسيات", "link": "https://example.org/a"},
        actor=iom_user,
    )
    with pytest.raises(ValidationError) as exc:
        services_training.do_create_delivery(
            {"module": module, "date": datetime.date(2024, 1, 1), "pre_test_mean": Decimal(40)},
            actor=iom_user,
        )
    assert {"place", "post_test_mean"} <= set(exc.value.message_dict)
    d1 = services_training.do_create_delivery(
        {
            "module": module,
            "date": datetime.date(2024, 1, 1),
            "online": True,
            "participant_count": 12,
            "pre_test_mean": Decimal(40),
            "post_test_mean": Decimal(70),
            "trainer_organisations": [iom_user.organisation],
            "participants": [world.person],
        },
        actor=iom_user,
    )
    assert list(d1.participants.all()) == [world.person]
    d2 = services_training.do_create_delivery(
        {"module": module, "date": datetime.date(2024, 3, 1), "place": "Berlin"}, actor=iom_user
    )
    services_training.do_add_result(
        d2,
        {"person": world.person, "pre_score": Decimal(50), "post_score": Decimal(60)},
        actor=iom_user,
    )
    services_training.do_add_result(
        d2, {"label": "P2", "pre_score": Decimal(30), "post_score": Decimal(50)}, actor=iom_user
    )
    [row] = services_training.gains_report()
    assert (row.deliveries, row.participants) == (2, 14)
    assert row.mean_gain == (30 + 15) / 2
    assert not ParticipantResult.objects.visible_to(world.users["state"]).exists()
    assert TrainingDelivery.objects.visible_to(None).count() == 0
    assert TrainingModule.objects.visible_to(None).count() == 1


def test_grow_commitments_are_commitments_with_a_supporter(world: SimpleNamespace) -> None:
    unhcr = world.users["unhcr"]
    donor = commitment_services.do_create_supporter(
        {"name": "A donor", "kind": "individual"}, actor=unhcr
    )
    with pytest.raises(PermissionDenied):
        commitment_services.do_create_supporter(
            {"name": "B", "kind": "private"}, actor=world.users["ngo"]
        )
    c = commitment_services.do_create_commitment(
        {
            "source": "grow",
            "supporter": donor,
            "title": "Scholarships",
            "amount": Decimal("50000"),
            "currency": "USD",
            "organisations": [],
        },
        actor=unhcr,
    )
    assert c.supporter == donor and c.amount == Decimal("50000")
    assert list(c.organisations.all()) == []  # an individual has no organisation
    # Tracked like any other commitment: progress updates move its status.
    commitment_services.do_add_progress_update(
        c, {"status": "in_progress", "progress": "Five awarded."}, actor=unhcr
    )
    c.refresh_from_db()
    assert c.status == "in_progress" and c.last_update_at is not None
    with pytest.raises(ValidationError) as exc:
        commitment_services.do_create_commitment(
            {"source": "grow", "title": "No supporter", "organisations": [world.ngo_org]},
            actor=unhcr,
        )
    assert "supporter" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        commitment_services.do_create_commitment(
            {"source": "grf", "title": "T", "organisations": [world.ngo_org], "amount": Decimal(5)},
            actor=unhcr,
        )
    assert "currency" in exc.value.message_dict


def test_a_company_records_its_own_grow_commitment(world: SimpleNamespace) -> None:
    company = commitment_services.do_create_supporter(
        {"name": "Company", "kind": "private", "organisation": world.other_org},
        actor=world.users["admin"],
    )
    other = world.users["other"]
    c = commitment_services.do_create_commitment(
        {"source": "grow", "supporter": company, "title": "Jobs", "organisations": []}, actor=other
    )
    assert list(c.organisations.all()) == [world.other_org]  # the supporter's organisation
    foreign = Supporter.objects.create(name="Someone else's", kind="foundation")
    with pytest.raises(ValidationError) as exc:
        commitment_services.do_create_commitment(
            {
                "source": "grow",
                "supporter": foreign,
                "title": "X",
                "organisations": [world.other_org],
            },
            actor=other,
        )
    assert "supporter" in exc.value.message_dict
    assert Commitment.objects.filter(source="grow").count() == 1
