"""Hand-built worlds for the pscg tests and the authorization matrix.

`make_pscg_forum(w)`: the PSCG forum (members only), UNHCR as secretariat, the
fixture world's NGO as co-chair (an editor) and its State as an ordinary
member (a reader of members-only items, not an editor); the refugee-led
organisation, the RSF and the Canadian NGO are not in it.

`make_situation(w)`: a situation "Test situation" covering Syrians in Lebanon
and Jordan, with a public and a members-only practice exchange and
host-country update, and a target of 1,000 places for 2025.

`make_pledges(w)`: pledges earmarking places for the situation (see
test_figures.py for the arithmetic):

  series "pledges" v1 (2024-02-01)
    DEU 2025: 1000 places, earmark "Test situation" 300 (and 100 for another)
    CAN 2025-2026: 3001 places, earmark " test SITUATION " 301 -> 151 + 150
  series "pledges-DEU" v1 (2024-05-01), later, so it counts for DEU 2026:
    DEU 2026: 800 places, earmark 200
  series "pledges-CAN" v1 (2024-06-01), later, replaces CAN 2026:
    CAN 2026: 1500 places, no earmark for the situation -> CAN 2026 counts 0
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.core.cache import caches
from django.utils import timezone

from resettle.directory.models import Country
from resettle.forums.models import Forum, ForumAccess, ForumKind, Membership, MembershipRole
from resettle.needs.models import (
    DatasetVersion,
    Pledge,
    PledgeBreakdown,
    Population,
    PrioritySituation,
    SituationArea,
)
from resettle.pscg.models import (
    HostCountryUpdate,
    PracticeExchange,
    PscgAccess,
    SituationTarget,
)

SITUATION = "Test situation"


def make_pscg_forum(w: Any) -> Forum:
    """The PSCG forum of the module docstring, set on w.pscg."""
    forum = Forum.objects.create(
        name="Priority Situations Core Group",
        acronym="PSCG",
        kind=ForumKind.CORE_GROUP,
        access=ForumAccess.MEMBERS,
    )
    forum.secretariat.add(w.unhcr_org)
    start = timezone.localdate() - datetime.timedelta(days=100)
    Membership.objects.create(
        forum=forum, organisation=w.ngo_org, role=MembershipRole.CO_CHAIR, start_date=start
    )
    Membership.objects.create(
        forum=forum, organisation=w.state_org, role=MembershipRole.MEMBER, start_date=start
    )
    w.pscg = forum
    return forum


def make_situation(w: Any) -> PrioritySituation:
    """The situation of the module docstring with its records, set on w."""
    c = Country.objects.in_bulk(["LBN", "JOR", "SYR"], field_name="iso3")
    syr = Population.objects.get(code="SYR")
    situation = PrioritySituation.objects.create(name=SITUATION, description="For tests.")
    SituationArea.objects.create(situation=situation, population=syr, asylum=c["LBN"])
    SituationArea.objects.create(situation=situation, population=syr, asylum=c["JOR"])
    w.situation = situation
    w.lbn, w.jor = c["LBN"], c["JOR"]
    w.target = SituationTarget.objects.create(situation=situation, year=2025, places=1000)
    w.public_practice = PracticeExchange.objects.create(
        situation=situation,
        topic="remote_interview",
        title="Remote interviews from Beirut",
        summary="What worked.",
        access=PscgAccess.PUBLIC,
    )
    w.members_practice = PracticeExchange.objects.create(
        situation=situation,
        topic="dossier",
        title="Dossier selection, members only",
        summary="Internal.",
        access=PscgAccess.MEMBERS,
    )
    w.public_update = HostCountryUpdate.objects.create(
        situation=situation,
        host_country=c["LBN"],
        date=datetime.date(2025, 1, 15),
        legal_status=2,
        access_to_work=1,
        local_integration=False,
        narrative="Public narrative on Lebanon.",
        access=PscgAccess.PUBLIC,
    )
    w.members_update = HostCountryUpdate.objects.create(
        situation=situation,
        host_country=c["LBN"],
        date=datetime.date(2025, 6, 15),
        legal_status=3,
        narrative="Members-only narrative on Lebanon.",
        access=PscgAccess.MEMBERS,
    )
    return situation


def _version(series: str, month: int) -> DatasetVersion:
    return DatasetVersion.objects.create(
        kind="pledges",
        series=series,
        number=1,
        source="test",
        checksum=f"{series}-1",
        status="done",
        created_at=datetime.datetime(2024, month, 1, 12, tzinfo=datetime.UTC),
    )


def make_pledges(w: Any) -> SimpleNamespace:
    """The pledges of the module docstring; returns their versions."""
    for each in caches.all():  # the gap's caches: test databases reuse primary keys
        each.clear()
    c = Country.objects.in_bulk(["DEU", "CAN"], field_name="iso3")
    base = _version("pledges", 2)
    deu = Pledge.objects.create(version=base, state=c["DEU"], year=2025, persons=1000)
    PledgeBreakdown.objects.create(pledge=deu, kind="situation", value=SITUATION, persons=300)
    PledgeBreakdown.objects.create(pledge=deu, kind="situation", value="Other", persons=100)
    PledgeBreakdown.objects.create(pledge=deu, kind="nationality", value="SYR", persons=500)
    can = Pledge.objects.create(
        version=base, state=c["CAN"], year=2025, end_year=2026, persons=3001
    )
    PledgeBreakdown.objects.create(
        pledge=can, kind="situation", value=" test SITUATION ", persons=301
    )
    deu_own = _version("pledges-DEU", 5)
    deu26 = Pledge.objects.create(version=deu_own, state=c["DEU"], year=2026, persons=800)
    PledgeBreakdown.objects.create(pledge=deu26, kind="situation", value=SITUATION, persons=200)
    can_own = _version("pledges-CAN", 6)
    Pledge.objects.create(version=can_own, state=c["CAN"], year=2026, persons=1500)
    return SimpleNamespace(base=base, deu_own=deu_own, can_own=can_own)
