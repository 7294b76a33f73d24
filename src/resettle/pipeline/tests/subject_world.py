"""A family with personal data everywhere it can be, for the export and erasure tests.

`make_subject_world(w)` takes the board world (fixtures.make_board_world) and,
on Germany's case P-DEU-1 (`file_deu`: Amal Haddad, born 1985-04-02, and her
son Yusuf), adds what staff may type about them: a decision with a note that
names nobody, a medical assessment whose findings name her, a hold whose
reason names her and gives her date of birth, orientation attendance, a read
of the personal data whose purpose names her, and a third member with an
Arabic name. The case ends on hold. `w.secrets` lists every string that
identifies a member.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from resettle.pipeline import services, stages
from resettle.pipeline.crypto import unseal
from resettle.pipeline.erasure import date_spellings, mentions
from resettle.pipeline.tests.fixtures import BORN, MEDICAL, NAME, make_board_world

ARABIC = "ليلى حداد"
ARABIC_BORN = datetime.date(1961, 11, 23)
PLAIN_NOTE = "Interview room changed"


def make_subject_world(w: SimpleNamespace) -> SimpleNamespace:
    """The board world and everything above on P-DEU-1."""
    make_board_world(w)
    rsf, medic = w.users["rsf"], w.medic
    today = timezone.localdate()
    w.grandmother = services.do_add_member(
        w.file_deu,
        {
            "name": ARABIC,
            "date_of_birth": ARABIC_BORN,
            "sex": "F",
            "relationship": "parent",
            "languages": ["ar"],
            "accessibility_needs": "wheelchair",
        },
        actor=rsf,
    )
    services.do_move_case(w.file_deu, stages.ACCEPTED, date=today, note=PLAIN_NOTE, actor=rsf)
    w.assessment = services.do_record_medical_assessment(
        w.file_deu,
        {"outcome": stages.MEDICAL_FIT, "date": today, "findings": f"{NAME}: {MEDICAL}"},
        actor=medic,
    )
    held = f"{NAME} in hospital (born {BORN:%d/%m/%Y})"
    services.do_move_case(w.file_deu, stages.ON_HOLD, date=today, note=held, actor=rsf)
    services.do_record_attendance(w.session, [w.member_deu, w.child_deu], actor=rsf)
    services.read_personal_data(w.file_deu, user=rsf, purpose=f"phone call with {NAME}")
    w.file_deu.refresh_from_db()
    child = w.child_deu
    w.secrets = [
        NAME,
        "Amal",
        "Haddad",
        "Yusuf",
        ARABIC,
        "ليلى",
        MEDICAL,
        *date_spellings(BORN),
        *date_spellings(ARABIC_BORN),
        *date_spellings(child.date_of_birth),
    ]
    return w


def table_text(model: type) -> str:
    """Every column of every row of a model's table, as the database holds it."""
    table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's own table
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


def plaintext_hits(models: list[type], secrets: list[str]) -> dict[str, list[str]]:
    """Which secrets appear in clear in which table."""
    found: dict[str, list[str]] = {}
    for model in models:
        text = table_text(model)
        hits = [s for s in secrets if mentions(text, [s])]
        if hits:
            found[model._meta.db_table] = hits  # type: ignore[attr-defined]
    return found


def sealed_hits(models: list[type], secrets: list[str]) -> dict[str, list[str]]:
    """Which secrets the encrypted (`*_sealed`) columns still decrypt to, by table.column."""
    found: dict[str, list[str]] = {}
    for model in models:
        sealed = [
            f.attname
            for f in model._meta.concrete_fields  # type: ignore[attr-defined]
            if f.attname.endswith("_sealed")
        ]
        for column in sealed:
            values = model._default_manager.exclude(**{column: ""}).values_list(  # type: ignore[attr-defined]
                column, flat=True
            )
            clear = "\n".join(unseal(v) for v in values)
            hits = [s for s in secrets if mentions(clear, [s])]
            if hits:
                found[f"{model._meta.db_table}.{column}"] = hits  # type: ignore[attr-defined]
    return found
