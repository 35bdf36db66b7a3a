"""Composition root of the token service."""

from __future__ import annotations

from pathlib import Path

from binoauth.token.v1 import token_internal_service_pb2 as internal_pb
from binoauth.token.v1 import token_internal_service_pb2_grpc as internal_grpc
from services.common.provisioning import provisioning_parts
from services.common.server import Runtime, ServiceParts

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.token.v1.TokenInternalService"]


def build(runtime: Runtime) -> ServiceParts:
    _runner, parts = provisioning_parts(
        runtime, "token", MIGRATIONS, internal_grpc.TokenInternalServiceServicer,
        internal_grpc.add_TokenInternalServiceServicer_to_server, internal_pb, SERVICE_NAMES,
    )
    return parts
