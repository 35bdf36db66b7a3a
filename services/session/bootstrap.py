"""Composition root of the session service."""

from __future__ import annotations

from pathlib import Path

from binoauth.session.v1 import session_internal_service_pb2 as internal_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as internal_grpc
from services.common.provisioning import provisioning_parts
from services.common.server import Runtime, ServiceParts

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.session.v1.SessionInternalService"]


def build(runtime: Runtime) -> ServiceParts:
    _runner, parts = provisioning_parts(
        runtime, "session", MIGRATIONS, internal_grpc.SessionInternalServiceServicer,
        internal_grpc.add_SessionInternalServiceServicer_to_server, internal_pb, SERVICE_NAMES,
    )
    return parts
