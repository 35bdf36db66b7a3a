"""The error model: domain errors that servicers raise, and how they reach callers.

gRPC callers get a status code plus google.rpc.Status with an ErrorInfo whose reason is an
UPPER_SNAKE code; REST callers (through the gateway) get the JSON envelope
{"error": {"code", "message", "details", "timestamp", "request_id"}} with the HTTP status
that the gRPC code maps to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

ERROR_DOMAIN = "binoauth.dev"

# gRPC code -> HTTP status, as Envoy's transcoder maps them (google/rpc/code.proto).
HTTP_STATUS: Mapping[grpc.StatusCode, int] = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


@dataclass
class DomainError(Exception):
    """Base of every error a use case may raise on purpose.

    `reason` is the stable machine-readable code (UPPER_SNAKE), `message` is for humans and
    must never contain a secret, `details` are string key/values for the caller, `headers`
    are response headers a REST caller gets (trailing metadata on gRPC: Retry-After...)."""

    message: str
    reason: str = ""
    details: Mapping[str, str] = field(default_factory=dict)
    headers: tuple[tuple[str, str], ...] = ()

    grpc_code: ClassVar[grpc.StatusCode] = grpc.StatusCode.UNKNOWN
    default_reason: ClassVar[str] = "UNKNOWN"
    # A REST status other than the one grpc_code maps to (sent as x-http-status).
    http_status: ClassVar[int | None] = None

    def __post_init__(self) -> None:
        if not self.reason:
            self.reason = self.default_reason
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class InvalidArgument(DomainError):
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT
    default_reason = "INVALID_ARGUMENT"


class FailedPrecondition(DomainError):
    grpc_code = grpc.StatusCode.FAILED_PRECONDITION
    default_reason = "FAILED_PRECONDITION"


class UnsupportedMediaType(DomainError):
    """415 through the gateway, INVALID_ARGUMENT on gRPC. Raise it before the RPC sends any
    response metadata: the interceptor sends x-http-status as initial metadata."""

    grpc_code = grpc.StatusCode.INVALID_ARGUMENT
    default_reason = "UNSUPPORTED_MEDIA_TYPE"
    http_status = 415


class Unauthenticated(DomainError):
    grpc_code = grpc.StatusCode.UNAUTHENTICATED
    default_reason = "UNAUTHENTICATED"


class PermissionDenied(DomainError):
    grpc_code = grpc.StatusCode.PERMISSION_DENIED
    default_reason = "PERMISSION_DENIED"


class NotFound(DomainError):
    grpc_code = grpc.StatusCode.NOT_FOUND
    default_reason = "NOT_FOUND"


class AlreadyExists(DomainError):
    grpc_code = grpc.StatusCode.ALREADY_EXISTS
    default_reason = "ALREADY_EXISTS"


class Conflict(DomainError):
    grpc_code = grpc.StatusCode.ABORTED
    default_reason = "CONFLICT"


class ResourceExhausted(DomainError):
    grpc_code = grpc.StatusCode.RESOURCE_EXHAUSTED
    default_reason = "RATE_LIMITED"


class Unavailable(DomainError):
    grpc_code = grpc.StatusCode.UNAVAILABLE
    default_reason = "UNAVAILABLE"


class Internal(DomainError):
    grpc_code = grpc.StatusCode.INTERNAL
    default_reason = "INTERNAL"


def dependency_failure(error: BaseException) -> DomainError | None:
    """A lost connection to PostgreSQL or Redis is the caller's 503 (try again), not a bug."""
    import asyncpg
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    # OperatorInterventionError: the server ended the session (57P01 on restart, 57P03 while
    # starting). InternalClientError: the protocol was still consuming a failed operation when
    # the next began, which only a lost connection leaves behind (services/common/db.py closes
    # such connections; this keeps any other path an honest 503, not a 500).
    lost = (RedisConnectionError, RedisTimeoutError, asyncpg.PostgresConnectionError,
            asyncpg.InterfaceError, asyncpg.InternalClientError, asyncpg.exceptions.OperatorInterventionError,
            asyncpg.exceptions.InsufficientResourcesError, ConnectionError, TimeoutError)
    # Another service of ours could not answer (its own database down, or no replica up): its
    # UNAVAILABLE or a call past its deadline is this caller's 503 too, not a bug here.
    passed_on = isinstance(error, grpc.aio.AioRpcError) and error.code() in _PASSED_ON
    if passed_on or isinstance(error, lost):
        return Unavailable("a backing service is unavailable; try again shortly", reason="DEPENDENCY_UNAVAILABLE",
                           details={"retry_after_seconds": str(RETRY_AFTER_SECONDS)})
    return None


_PASSED_ON = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})


# What a 503 tells a client to wait (Retry-After) when the error names no other delay: a
# datastore restart or a replica replaced takes about this long.
RETRY_AFTER_SECONDS = 1


def retry_after(details: Mapping[str, str]) -> str:
    """The Retry-After of an UNAVAILABLE answer (details["retry_after_seconds"] if set)."""
    value = details.get("retry_after_seconds", "")
    return value if value.isdigit() and int(value) > 0 else str(RETRY_AFTER_SECONDS)


@dataclass(frozen=True)
class ErrorReply:
    """Everything needed to send one error, on gRPC and (through the gateway) REST."""

    code: grpc.StatusCode
    reason: str
    message: str
    details: Mapping[str, str]
    status_details: bytes  # serialized google.rpc.Status, for grpc-status-details-bin
    # DomainError.http_status: replaces the status grpc_code maps to, for REST callers.
    http_override: int | None = None
    # DomainError.headers.
    headers: tuple[tuple[str, str], ...] = ()

    def envelope(self, request_id: str, now: datetime | None = None) -> dict[str, Any]:
        stamp = (now or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {
            "error": {
                "code": self.reason,
                "message": self.message,
                "details": dict(self.details),
                "timestamp": stamp,
                "request_id": request_id,
            }
        }

    def envelope_json(self, request_id: str) -> str:
        return json.dumps(self.envelope(request_id), separators=(",", ":"), ensure_ascii=True)

    @property
    def http_status(self) -> int:
        return self.http_override or HTTP_STATUS.get(self.code, 500)


def reply_for(error: DomainError, service: str) -> ErrorReply:
    reply = _reply(error.grpc_code, error.reason, error.message, error.details, service)
    if error.http_status or error.headers:
        return replace(reply, http_override=error.http_status, headers=error.headers)
    return reply


def internal_reply(service: str) -> ErrorReply:
    """What the caller of a failed RPC sees when something unexpected broke: nothing inside."""
    return _reply(grpc.StatusCode.INTERNAL, "INTERNAL", "internal error", {}, service)


def _reply(
    code: grpc.StatusCode, reason: str, message: str, details: Mapping[str, str], service: str
) -> ErrorReply:
    info = error_details_pb2.ErrorInfo(
        reason=reason, domain=f"{service}.{ERROR_DOMAIN}", metadata=dict(details)
    )
    packed = any_pb2.Any()
    packed.Pack(info)
    status = status_pb2.Status(code=_rpc_code(code), message=message, details=[packed])
    return ErrorReply(code, reason, message, details, status.SerializeToString())


def _rpc_code(code: grpc.StatusCode) -> int:
    return int(code.value[0]) if isinstance(code.value, tuple) else code_pb2.UNKNOWN


def error_info(status_details: bytes) -> error_details_pb2.ErrorInfo | None:
    """Reads the ErrorInfo back out of grpc-status-details-bin (for clients and tests)."""
    status = status_pb2.Status.FromString(status_details)
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    return None
