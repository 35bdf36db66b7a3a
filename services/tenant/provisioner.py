"""Provisions a tenant's schemas in identity, token and session over their internal RPCs."""

from __future__ import annotations

import asyncio

from binoauth.identity.v1 import identity_internal_service_pb2 as identity_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as identity_grpc
from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from binoauth.token.v1 import token_internal_service_pb2 as token_pb
from binoauth.token.v1 import token_internal_service_pb2_grpc as token_grpc
from services.common.clients import ServiceChannels, outgoing_metadata

PROVISION_TIMEOUT_SECONDS = 30.0


class GrpcProvisioner:
    def __init__(self, channels: ServiceChannels) -> None:
        self._session = session_grpc.SessionInternalServiceStub(channels.channel("session"))
        self._stubs = (
            (identity_grpc.IdentityInternalServiceStub(channels.channel("identity")), identity_pb),
            (token_grpc.TokenInternalServiceStub(channels.channel("token")), token_pb),
            (session_grpc.SessionInternalServiceStub(channels.channel("session")), session_pb),
        )

    async def provision(self, tenant_id: str) -> None:
        # All three at once; each is idempotent, so a partial failure is safe to retry.
        await asyncio.gather(*(
            stub.ProvisionTenant(pb.ProvisionTenantRequest(tenant_id=tenant_id),
                                 timeout=PROVISION_TIMEOUT_SECONDS, metadata=outgoing_metadata(),
                                 wait_for_ready=True)
            for stub, pb in self._stubs
        ))

    async def revoke_sessions(self, tenant_id: str) -> None:
        await self._session.RevokeTenant(session_pb.RevokeTenantRequest(tenant_id=tenant_id),
                                         timeout=PROVISION_TIMEOUT_SECONDS, metadata=outgoing_metadata(),
                                         wait_for_ready=True)

    async def deprovision(self, tenant_id: str) -> None:
        await asyncio.gather(*(
            stub.DeprovisionTenant(pb.DeprovisionTenantRequest(tenant_id=tenant_id),
                                   timeout=PROVISION_TIMEOUT_SECONDS, metadata=outgoing_metadata(),
                                   wait_for_ready=True)
            for stub, pb in self._stubs
        ))
