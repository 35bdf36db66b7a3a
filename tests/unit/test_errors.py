"""services.common.errors: gRPC code, HTTP status, google.rpc.Status details, JSON envelope."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import grpc
import pytest
from google.rpc import code_pb2, status_pb2

from services.common import errors
from services.common.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    FailedPrecondition,
    Internal,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
    internal_reply,
    reply_for,
)

pytestmark = pytest.mark.unit

CASES = [
    (InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT, 400, "INVALID_ARGUMENT", code_pb2.INVALID_ARGUMENT),
    (FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION, 400, "FAILED_PRECONDITION",
     code_pb2.FAILED_PRECONDITION),
    (Unauthenticated, grpc.StatusCode.UNAUTHENTICATED, 401, "UNAUTHENTICATED", code_pb2.UNAUTHENTICATED),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED, 403, "PERMISSION_DENIED", code_pb2.PERMISSION_DENIED),
    (NotFound, grpc.StatusCode.NOT_FOUND, 404, "NOT_FOUND", code_pb2.NOT_FOUND),
    (AlreadyExists, grpc.StatusCode.ALREADY_EXISTS, 409, "ALREADY_EXISTS", code_pb2.ALREADY_EXISTS),
    (Conflict, grpc.StatusCode.ABORTED, 409, "CONFLICT", code_pb2.ABORTED),
    (ResourceExhausted, grpc.StatusCode.RESOURCE_EXHAUSTED, 429, "RATE_LIMITED", code_pb2.RESOURCE_EXHAUSTED),
    (Unavailable, grpc.StatusCode.UNAVAILABLE, 503, "UNAVAILABLE", code_pb2.UNAVAILABLE),
    (Internal, grpc.StatusCode.INTERNAL, 500, "INTERNAL", code_pb2.INTERNAL),
    # 415 through the gateway (x-http-status), INVALID_ARGUMENT for gRPC callers.
    (UnsupportedMediaType, grpc.StatusCode.INVALID_ARGUMENT, 415, "UNSUPPORTED_MEDIA_TYPE",
     code_pb2.INVALID_ARGUMENT),
]


@pytest.mark.parametrize(("cls", "code", "http", "default_reason", "rpc_code"), CASES,
                         ids=[c[0].__name__ for c in CASES])
def test_each_error_maps_to_grpc_code_and_http_status(
    cls: type[DomainError], code: grpc.StatusCode, http: int, default_reason: str, rpc_code: int
) -> None:
    reply = reply_for(cls("something went wrong"), "tenant")
    assert reply.code is code
    assert reply.http_status == http
    assert reply.reason == default_reason
    assert reply.message == "something went wrong"
    status = status_pb2.Status.FromString(reply.status_details)
    assert status.code == rpc_code
    assert status.message == "something went wrong"


@pytest.mark.parametrize("service", ["tenant", "identity", "token", "session"])
def test_status_details_carry_error_info(service: str) -> None:
    error = NotFound("tenant 'acme' not found", reason="TENANT_NOT_FOUND", details={"tenant_id": "acme"})
    reply = reply_for(error, service)
    info = errors.error_info(reply.status_details)
    assert info is not None
    assert info.reason == "TENANT_NOT_FOUND"
    assert info.domain == f"{service}.binoauth.dev"
    assert dict(info.metadata) == {"tenant_id": "acme"}
    assert reply.details == {"tenant_id": "acme"}


def test_reason_is_upper_snake_for_every_default() -> None:
    for cls, *_ in CASES:
        reason = cls("x").reason
        assert reason == reason.upper()
        assert " " not in reason


def test_explicit_reason_wins_and_str_shows_it() -> None:
    error = InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
    assert error.reason == "INVALID_PAGE_TOKEN"
    assert str(error) == "INVALID_PAGE_TOKEN: page_token is not valid"
    assert isinstance(error, Exception)


def test_error_info_is_none_without_error_info_detail() -> None:
    assert errors.error_info(status_pb2.Status(code=5, message="x").SerializeToString()) is None


def test_envelope_has_exactly_the_documented_keys() -> None:
    reply = reply_for(AlreadyExists("exists", reason="TENANT_ALREADY_EXISTS", details={"tenant_id": "acme"}),
                      "tenant")
    now = datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    envelope = reply.envelope("req-1", now=now)
    assert list(envelope) == ["error"]
    assert set(envelope["error"]) == {"code", "message", "details", "timestamp", "request_id"}
    assert envelope["error"] == {
        "code": "TENANT_ALREADY_EXISTS",
        "message": "exists",
        "details": {"tenant_id": "acme"},
        "timestamp": "2030-05-06T07:08:09.123Z",
        "request_id": "req-1",
    }


def test_envelope_json_round_trips() -> None:
    reply = reply_for(Unauthenticated("no", reason="CREDENTIAL_MISSING"), "token")
    decoded = json.loads(reply.envelope_json("req-2"))
    assert decoded["error"]["code"] == "CREDENTIAL_MISSING"
    assert decoded["error"]["request_id"] == "req-2"
    assert decoded["error"]["details"] == {}
    assert decoded["error"]["timestamp"].endswith("Z")


def test_internal_reply_leaks_nothing() -> None:
    reply = internal_reply("identity")
    assert reply.code is grpc.StatusCode.INTERNAL
    assert reply.http_status == 500
    assert reply.reason == "INTERNAL"
    assert reply.message == "internal error"
    assert reply.details == {}
    status = status_pb2.Status.FromString(reply.status_details)
    assert status.message == "internal error"
    info = errors.error_info(reply.status_details)
    assert info is not None
    assert info.reason == "INTERNAL"
    assert info.domain == "identity.binoauth.dev"
    assert dict(info.metadata) == {}
    body = reply.envelope_json("req-3")
    assert json.loads(body)["error"]["message"] == "internal error"


def test_unmapped_code_is_500() -> None:
    class Weird(DomainError):
        grpc_code = grpc.StatusCode.OK

    assert reply_for(Weird("?"), "tenant").http_status == 500
