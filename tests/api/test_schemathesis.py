"""Schemathesis against /api/v1/openapi.json on the demo data: every operation, with a read
token and with a write token, in positive and negative generation; no server error, every
status documented, every response of its documented content type and schema."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10  # per operation and generation mode: the whole test stays near a minute per engine


@pytest.fixture(scope="module")
def keep_the_connection():
    """Requests go through the real WSGI handler, whose request signals close the database
    connection after each one (django.test.Client disconnects them too): on PostgreSQL that
    would end the module's transaction holding the demo."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(demo_city, keep_the_connection, django_db_blocker):
    from twintrack.wsgi import application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def exercise(operation, mode: GenerationMode, token: str) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    run()


@pytest.mark.parametrize("write", [False, True], ids=["read token", "write token"])
def test_every_operation_keeps_its_documented_promises(schema, api, settings, write):
    settings.TWINTRACK_API_RATE = 1_000_000  # the limit has its own test; here it would answer 429
    token = api("bureau", write=write).value
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 24  # 21 paths; visits, findings and requirements are GET and POST
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exercise(operation, mode, token)
            except Exception as error:  # noqa: BLE001 - every operation's failure at once
                failures.append(f"{operation.label} ({mode.value}): {error}"[:3000])
    assert failures == [], "\n\n".join(failures)
