"""Composition root of the identity service."""

from __future__ import annotations

from pathlib import Path

from binoauth.identity.v1 import identity_internal_service_pb2 as internal_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as internal_grpc
from services.common.provisioning import provisioning_parts
from services.common.server import Runtime, ServiceParts

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.identity.v1.IdentityInternalService"]


def build(runtime: Runtime) -> ServiceParts:
    _runner, parts = provisioning_parts(
        runtime, "identity", MIGRATIONS, internal_grpc.IdentityInternalServiceServicer,
        internal_grpc.add_IdentityInternalServiceServicer_to_server, internal_pb, SERVICE_NAMES,
    )
    return parts
