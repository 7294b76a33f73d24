"""The API against its own OpenAPI schema, with Schemathesis, once per role.

For every role of the authorization matrix (anonymous and each signed-in role,
see conftest.ROLES), in the fixture world of conftest.py:

- every operation gets a few generated requests, valid ones and invalid ones,
  and each answer must not be a server error, must have a status, content type
  and body that the schema documents, and an invalid request must be refused
  (4xx), never accepted;
- a stateful run chains operations along the schema's links (create an
  organisation, then read and change it; create a meeting, then add sessions,
  register...), with the same checks at every step.

The schema comes from the Django application itself (in-process WSGI, on the
test database); the links are added here, since Ninja writes none. Generation
is derandomized, so every run sends the same requests; the Hypothesis example
database is off, so nothing is written to the repository.
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import hypothesis
import pytest
import schemathesis
from conftest import ROLES, make_token
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.stateful.state_machine import (
    APIStateMachine,
    StepInput,
    StepOutput,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema
from werkzeug.test import Client as WsgiClient

SCHEMA_URL = "/api/v1/openapi.json"
PREFIX = "/api/v1"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Invalid input must be refused: only meaningful for requests generated as invalid.
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]

# Few examples per operation and mode: 154 operations x 2 modes x 8 roles.
EXAMPLES = 3
# The stateful run: a few scenarios of a few linked steps per role.
SCENARIOS = 12
STEPS = 6

SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: the first failing example is reported as it was sent.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


# ---- the application and its schema ---------------------------------------------------


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, keeping the test's database connection between requests.

    Django closes "old" connections at the start and end of every request; in a
    test that runs inside one transaction that would end it. Django's own test
    client disconnects the same two receivers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _param_segment(path: str, prefix: str) -> str | None:
    """The name of the path parameter right after `prefix` in `path`, if it is one."""
    rest = path.removeprefix(prefix)
    if rest == path or not rest.startswith("/{"):
        return None
    return rest[2 : rest.index("}")]


def _collection(path: str) -> str:
    """A creating operation's path without its parent's parameters.

    POST /meetings/{pk}/sessions creates a session reached at /meetings/sessions/{pk}.
    """
    return "/".join(seg for seg in path.split("/") if not seg.startswith("{"))


# Links the path rule of `_add_links` cannot guess: (creating path, target prefix, id field).
EXTRA_LINKS = [
    # A meeting's registrations, records, and the participation of its forum and cycle.
    ("/meetings", "/registrations/meetings", "id"),
    ("/meetings", "/records/meetings", "id"),
    ("/registrations/meetings/{meeting_pk}", "/registrations", "id"),
    ("/records/meetings/{pk}/action-points", "/records/action-points", "id"),
    ("/governance/recommendations/{pk}/milestones", "/governance/milestones", "id"),
    ("/forums", "/governance/participation/forums", "id"),
    ("/cycles", "/governance/participation/cycles", "id"),
    ("/allocation/runs/{pk}/scenarios", "/allocation/runs", "id"),
    ("/countries", "/countries", "iso3"),
]


def _add_links(raw: dict[str, Any]) -> int:
    """OpenAPI links from each 201 response to the operations on the object it created.

    The created object's id (`$response.body#/id`) fills the first path parameter
    after the collection's path: POST /organisations -> GET and PATCH
    /organisations/{pk}; POST /meetings -> /meetings/{pk}/sessions and so on.
    """
    paths: dict[str, dict[str, Any]] = raw["paths"]
    rules = [
        (source, _collection(source), "id")
        for source in paths
        if "post" in paths[source] and _collection(source) != "/api/v1/countries"
    ] + [(PREFIX + source, PREFIX + prefix, field) for source, prefix, field in EXTRA_LINKS]
    added = 0
    for source, prefix, field in rules:
        created = paths[source]["post"]["responses"].get("201")
        if created is None:
            continue
        links = created.setdefault("links", {})
        for target, operations in paths.items():
            name = _param_segment(target, prefix)
            # The generic rule only follows `{pk}`: `/registrations/meetings/{meeting_pk}`
            # takes a meeting, not a registration.
            if name is None or (field == "id" and name != "pk" and prefix == _collection(source)):
                continue
            for method, operation in operations.items():
                links[f"{method}_{operation['operationId']}"] = {
                    "operationId": operation["operationId"],
                    "parameters": {name: f"$response.body#/{field}"},
                }
                added += 1
    return added


@functools.cache
def _raw_schema() -> str:
    """The schema as the application serves it, with links (JSON, built once per session)."""
    response = WsgiClient(WSGIHandler()).get(SCHEMA_URL)
    assert response.status_code == 200, response.text
    raw = response.json
    assert _add_links(raw) > 50
    return json.dumps(raw)


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler, world: SimpleNamespace) -> OpenApiSchema:
    """The schema, calling the application in-process (on the test database)."""
    schema = schemathesis.openapi.from_dict(json.loads(_raw_schema()))
    schema.app = wsgi_app
    schema.location = SCHEMA_URL
    return schema


def _headers(world: SimpleNamespace, role: str) -> dict[str, str]:
    """The role's credentials: a fresh bearer token, none for the anonymous visitor."""
    user = world.users[role]
    return {} if user is None else {"Authorization": f"Bearer {make_token(user)}"}


def _request_headers(case: schemathesis.Case, credentials: dict[str, str]) -> dict[str, str]:
    """The role's credentials, in place of the ones Schemathesis generated.

    Schemathesis fills `Authorization` from the schema's security scheme with a
    random token; that header goes, so the anonymous visitor sends none at all.
    """
    if case.headers:
        for name in [name for name in case.headers if name.lower() == "authorization"]:
            del case.headers[name]
    return credentials


# ---- per operation ----------------------------------------------------------------------


def _run_operation(
    operation: schemathesis.APIOperation, mode: GenerationMode, headers: dict[str, str]
) -> str | None:
    """Generated requests to one operation; the first failure's report, if any."""
    checks = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else CHECKS

    @SETTINGS
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=_request_headers(case, headers), checks=checks)
        assert ("Authorization" in response.request.headers) == bool(headers)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # Nothing invalid can be sent (no parameters, no body): nothing to check.
        if mode is GenerationMode.NEGATIVE:
            return None
        raise
    except (Exception, FailureGroup) as exc:
        return f"{operation.label} ({mode.value}):\n{exc}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_to_the_schema(
    role: str, api_schema: OpenApiSchema, world: SimpleNamespace
) -> None:
    headers = _headers(world, role)
    failures = [
        failure
        for result in api_schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _run_operation(result.ok(), mode, headers)) is not None
    ]
    assert not failures, f"{len(failures)} failures for {role}:\n\n" + "\n\n".join(failures)


# ---- stateful ----------------------------------------------------------------------------


def _state_machine(
    schema: OpenApiSchema, headers: dict[str, str], steps: Counter[str]
) -> type[APIStateMachine]:
    """The schema's state machine, as the role, counting its calls and the links followed."""
    base = schema.as_state_machine()

    class APIWorkflows(base):  # type: ignore[valid-type, misc]
        def step(self, input: StepInput) -> StepOutput:
            steps["calls"] += 1
            if input.transition is not None:
                steps["linked"] += 1
            return super().step(input)  # type: ignore[no-any-return]

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": _request_headers(case, headers)}

        def validate_response(
            self, response: schemathesis.Response, case: schemathesis.Case, **kwargs: Any
        ) -> None:
            negative = case.meta is not None and case.meta.generation.mode.is_negative
            case.validate_response(
                response, checks=NEGATIVE_CHECKS if negative else CHECKS, headers=kwargs["headers"]
            )

    return APIWorkflows


@pytest.mark.parametrize("role", ROLES)
def test_linked_operations_conform_to_the_schema(
    role: str, api_schema: OpenApiSchema, world: SimpleNamespace
) -> None:
    steps: Counter[str] = Counter()
    machine = _state_machine(api_schema, _headers(world, role), steps)
    started = time.monotonic()
    machine.run(
        settings=hypothesis.settings(
            SETTINGS, max_examples=SCENARIOS, stateful_step_count=STEPS, phases=[Phase.generate]
        )
    )
    print(role, dict(steps), round(time.monotonic() - started, 1))
    assert steps["calls"] >= SCENARIOS


def test_the_schema_links_creations_to_their_objects(api_schema: OpenApiSchema) -> None:
    """The stateful run has chains to follow: organisation, meeting, registration..."""
    raw = api_schema.raw_schema["paths"]

    def links(path: str) -> dict[str, Any]:
        return dict(raw[path]["post"]["responses"]["201"]["links"])

    targets = {link["operationId"] for link in links(f"{PREFIX}/organisations").values()}
    assert targets == {
        "resettle_directory_api_get_organisation",
        "resettle_directory_api_update_organisation",
    }
    meeting = {link["operationId"] for link in links(f"{PREFIX}/meetings").values()}
    assert "resettle_meetings_api_get_meeting" in meeting
    assert any("registration" in target for target in meeting)
