"""The committed OpenAPI document is what the protos say, and a valid OpenAPI 3.1 document."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from gateway.descriptor import public_services
from gateway.values import BUILD_DESCRIPTOR, OPENAPI_DOCUMENT
from tools.openapi.__main__ import render

pytestmark = pytest.mark.unit


def test_the_committed_document_is_what_the_protos_render() -> None:
    assert OPENAPI_DOCUMENT.read_text() == render(BUILD_DESCRIPTOR), "stale: run `make openapi`"


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(json.loads(OPENAPI_DOCUMENT.read_text()))


def test_every_http_binding_of_every_public_service_is_an_operation() -> None:
    document = json.loads(OPENAPI_DOCUMENT.read_text())
    operations = [op["x-grpc-method"] for item in document["paths"].values() for op in item.values()]
    bindings = [service.method_path(method) for service in public_services(BUILD_DESCRIPTOR)
                for method in service.methods for _binding in method.http]
    assert sorted(operations) == sorted(bindings)
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_fields_carry_their_proto_comments_behaviours_and_json_forms() -> None:
    document = json.loads(OPENAPI_DOCUMENT.read_text())
    schemas = document["components"]["schemas"]
    tenant = schemas["binoauth.tenant.v1.Tenant"]
    assert tenant["additionalProperties"] is False  # no undocumented fields
    assert tenant["properties"]["create_time"]["readOnly"] is True
    assert "date-time" in json.dumps(tenant["properties"]["create_time"])
    assert schemas["binoauth.tenant.v1.TenantState"]["enum"][0] == "TENANT_STATE_UNSPECIFIED"
    created = document["paths"]["/api/v1/tenants"]["post"]
    assert created["security"] == [{"bearerAuth": []}, {"consoleSession": [], "consoleHeader": []}]
    console_paths = document["paths"]
    assert console_paths["/api/v1/admin/sessions"]["post"]["security"] == [{}]
    assert console_paths["/api/v1/admin/sessions/current"]["get"]["security"] == [{"consoleSession": []}]
    assert created["responses"]["4XX"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorEnvelope")
    login = document["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == [{}]
    me = document["paths"]["/api/v1/users/me"]["get"]
    assert me["security"] == [{"sessionCookie": []}]
    token = document["paths"]["/oauth2/token"]["post"]
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    assert token["responses"]["400"]["content"]["application/json"]["schema"]["required"] == ["error"]
    listed = {p["name"] for p in document["paths"]["/api/v1/users"]["get"]["parameters"]}
    assert {"page_size", "page_token"} <= listed


def test_schemas_refuse_undocumented_fields_and_wrong_types() -> None:
    from jsonschema import Draft202012Validator

    document = json.loads(OPENAPI_DOCUMENT.read_text())
    schema = {"$ref": "#/components/schemas/binoauth.tenant.v1.Tenant", "components": document["components"]}
    validator = Draft202012Validator(schema)
    good = {"tenant_id": "acme", "display_name": "Acme", "state": "TENANT_STATE_ACTIVE",
            "create_time": "2026-01-01T00:00:00Z"}
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "surprise": 1}))
    assert list(validator.iter_errors({**good, "state": "ACTIVE"}))
