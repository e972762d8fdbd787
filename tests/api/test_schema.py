"""Schema fuzzing: every GET operation, with generated (valid and invalid) parameters, answers
without a server error and as the OpenAPI schema documents it."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import build_roster
from tests.factories import user_with_role
from zhengxie.core.models import Role
from zhengxie.core.tokens import issue_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Unknown query parameters are ignored, as most HTTP APIs do (cache busters, tracking); the
# token is sent with every request, so it is not one of the generated parameters.
CONFIG = schemathesis.Config.from_dict(
    {"generation": {"allow-extra-parameters": False, "with-security-parameters": False}}
)
MODES = {
    schemathesis.GenerationMode.POSITIVE: CHECKS,
    schemathesis.GenerationMode.NEGATIVE: [*CHECKS, negative_data_rejection],
}


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose end-of-request signal would close the
    test's transaction-bound connection (Django's test client disconnects it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_every_get_operation_conforms_to_the_schema(committee, keep_test_connection):
    build_roster(committee)
    user = user_with_role(committee, Role.STAFF)
    raw, _token = issue_token(user=user, role_assignment=user.active_role)
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
    )
    operations = [
        result.ok()
        for result in schema.include(method="GET").get_all_operations()
        if result.ok().method.upper() == "GET"
    ]
    assert len(operations) == 23

    for operation in operations:
        for mode, checks in MODES.items():
            if mode == schemathesis.GenerationMode.NEGATIVE and not has_parameters(operation):
                continue  # nothing to make invalid
            fuzz(operation, mode, checks, headers)()


def has_parameters(operation):
    return bool(operation.definition.raw.get("parameters"))


def fuzz(operation, mode, checks, headers):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    return run
