"""The assessment form, grouped by dimension: each dimension a fieldset whose legend
names it and says what 0 and 4 mean, a labelled score group, evidence and note; every
error on a dimension names the dimension and is shown inside that dimension's group."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.capacity import services, stages
from resettle.capacity.forms import AssessmentForm
from resettle.capacity.models import Assessment, AssessmentScore
from resettle.capacity.tests.conftest import assessment_data

pytestmark = pytest.mark.django_db
Login = Callable[[Client, User | None], Client]


class _Element(HTMLParser):
    """The HTML inside the first element whose attribute `attr` is `value` (nested
    elements of the same tag included), as written in the page."""

    def __init__(self, html: str, attr: str, value: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html, self.attr, self.value = html, attr, value
        self.tag: str | None = None
        self.depth = 0
        self.start = self.end = -1
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.feed(html)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end >= 0:
            return
        if self.tag is None and (self.attr, self.value) in attrs:
            self.tag, self.depth, self.start = tag, 1, self._offset()
        elif tag == self.tag:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag and self.end < 0:
            self.depth -= 1
            if self.depth == 0:
                self.end = self._offset()

    def inner(self) -> str:
        assert self.start >= 0 and self.end > self.start, f"no element {self.attr}={self.value}"
        return self.html[self.start : self.end]


def element(html: str, attr: str, value: str) -> str:
    """The HTML of the element with attr=value (see _Element)."""
    return _Element(html, attr, value).inner()


def checked(html: str, value: str) -> bool:
    """Whether the radio of this value is checked in the HTML."""
    return re.search(rf'<input type="radio"[^>]* value="{value}"[^>]* checked', html) is not None


def _post_data(w: SimpleNamespace, **scores: str) -> dict[str, str]:
    data = {"country": str(w.deu.pk), "assessed_on": "2024-02-01", "status": "completed"}
    data.update({f"score_{d}": v for d, v in scores.items()})
    return data


def test_the_form_has_a_labelled_score_group_evidence_and_note_per_dimension(
    world: SimpleNamespace,
) -> None:
    form = AssessmentForm(user=world.users["unhcr"])
    groups = form.dimension_groups()
    assert [g.key for g in groups] == list(stages.DIMENSIONS)
    legal = groups[0]
    assert legal.label == "Legal and policy framework" and legal.core
    assert legal.scale == (
        "0: no legal or policy basis for resettlement. "
        "4: a resettlement law or policy in force, funded and regularly reviewed."
    )
    assert not groups[4].core  # complementary pathways
    assert [label for _v, label in legal.score.field.choices] == [  # type: ignore[attr-defined]
        "Not scored yet",
        "0 — nothing in place",
        "1 — initial steps",
        "2 — partly in place",
        "3 — largely in place",
        "4 — fully in place and reviewed",
    ]
    assert legal.evidence.label == "Legal and policy framework: evidence"
    assert [f.name for f in form.general_fields()] == [
        "country",
        "assessed_on",
        "assessor",
        "status",
        "summary",
    ]


def test_a_scored_dimension_offers_no_empty_score(world: SimpleNamespace) -> None:
    a = services.do_create_assessment(
        assessment_data(world, 3, None, None, None, None, None, None, None, status="draft"),
        actor=world.users["unhcr"],
    )
    groups = AssessmentForm(instance=a, user=world.users["unhcr"]).dimension_groups()
    assert [v for v, _label in groups[0].score.field.choices] == ["0", "1", "2", "3", "4"]  # type: ignore[attr-defined]
    assert groups[0].score.value() == "3"
    assert groups[1].score.field.choices[0] == ("", "Not scored yet")  # type: ignore[attr-defined]


def test_an_invalid_score_is_refused_naming_its_dimension(world: SimpleNamespace) -> None:
    data = _post_data(world, legal="7", processing="2")
    del data["assessed_on"]
    form = AssessmentForm(data, user=world.users["unhcr"])
    assert not form.is_valid()
    assert form.errors["score_legal"] == ["Legal and policy framework: choose a score from 0 to 4."]
    assert "score_processing" not in form.errors
    # The list at the top: the assessment's own fields named by their label, in form order.
    assert form.error_summary() == [
        ("#id_assessed_on", "Assessment date: This field is required."),
        ("#group_score_legal", "Legal and policy framework: choose a score from 0 to 4."),
    ]


def test_missing_scores_on_completion_are_shown_in_their_dimensions_group(
    client: Client, login: Login, world: SimpleNamespace
) -> None:
    login(client, world.users["unhcr"])
    core = {d: "2" for d in stages.CORE_DIMENSIONS}
    response = client.post(reverse("capacity:assessment_add"), _post_data(world, **core))
    assert response.status_code == 400
    assert not Assessment.objects.exists() and not AssessmentScore.objects.exists()
    html = response.content.decode()
    for dim, label in (
        ("pathways", "Complementary pathways"),
        ("sponsorship", "Community sponsorship"),
        ("data", "Data and monitoring"),
        ("partnerships", "Partnerships and funding"),
    ):
        group = element(html, "data-dimension", dim)
        message = f"{label} has no score: score every dimension before completing the assessment."
        error = element(group, "id", f"id_score_{dim}_error")
        assert message in error
        # The radio group points at its error; each radio is marked invalid.
        score = element(group, "id", f"group_score_{dim}")
        assert f'aria-describedby="id_score_{dim}_error"' in score[: score.index(">")]
        assert score.count('aria-invalid="true"') == 6  # "not scored yet" and 0-4
        assert f'href="#group_score_{dim}"' in element(html, "data-testid", "error-summary")
    for dim in stages.CORE_DIMENSIONS:
        group = element(html, "data-dimension", dim)
        assert "invalid-feedback" not in group and checked(group, "2")


def test_the_legend_names_the_dimension_and_labels_are_tied_to_inputs(
    client: Client, login: Login, world: SimpleNamespace
) -> None:
    login(client, world.users["unhcr"])
    html = client.get(reverse("capacity:assessment_add")).content.decode()
    group = element(html, "data-dimension", "reception")
    legend = element(group, "data-testid", "scale")
    assert "0: no reception or integration support for resettled refugees." in legend
    assert group.count("<fieldset") == 2  # the dimension's, and its score's inside it
    name = element(group, "data-testid", "dimension-name")
    assert "Reception and integration" in name and name in element(group, "class", "fs-6 mb-3")
    assert 'for="id_evidence_reception"' in group and 'id="id_evidence_reception"' in group
    assert 'for="id_note_reception"' in group and 'id="id_note_reception"' in group
    for i in range(6):
        assert f'for="id_score_reception_{i}"' in group and f'id="id_score_reception_{i}"' in group
    assert 'type="radio" name="score_reception"' in group


def test_editing_keeps_the_scores_checked(
    client: Client, login: Login, world: SimpleNamespace
) -> None:
    a = services.do_create_assessment(
        assessment_data(world, 4, 4, 3, 3, 3, 3, 3, 3, assessed_on=datetime.date(2024, 3, 1)),
        actor=world.users["unhcr"],
    )
    login(client, world.users["unhcr"])
    html = client.get(reverse("capacity:assessment_edit", args=[a.pk])).content.decode()
    assert checked(element(html, "data-dimension", "legal"), "4")
    assert checked(element(html, "data-dimension", "partnerships"), "3")
    assert "Not scored yet" not in html
