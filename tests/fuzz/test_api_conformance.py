"""The API keeps to its own OpenAPI document: Schemathesis reads /api/v1/schema/ and drives every
operation in it with generated parameters, against the bundled trials in a real database. No
answer may be a server error, and every answer (its status, content type and body) must be one
the document describes, a documented 400 for a value the filters cannot use included.
HYPOTHESIS_PROFILE sets how many cases: a few in `make test` ("ci"), thousands in `make fuzz`."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from .conftest import count

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """As Django's test client does: the app is called inside the test's transaction, which a
    request's end must not close (on PostgreSQL it would, the transaction not being autocommit)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
def test_every_api_operation_keeps_to_its_document(case, bundled_trials):
    count(f"{case.operation.method.upper()} {case.operation.path}")
    # Not "a schema-valid request is accepted": some values that the document's types allow are
    # refused with a 400 that names them (a place we cannot find, a sort that needs a text, a
    # cursor from another search), which a schema cannot express. The 400 is in the document.
    response = case.call_and_validate(
        excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
    assert response.status_code < 500
