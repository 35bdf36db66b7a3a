"""The SigningKeyService: the public JWKS and the admin listing and rotation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from google.api import httpbody_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from binoauth.token.v1 import signing_key_pb2 as key_pb
from binoauth.token.v1 import signing_key_service_pb2 as service_pb
from binoauth.token.v1 import signing_key_service_pb2_grpc as service_grpc
from services.common.auth import CachedCredentialVerifier, missing_credential
from services.common.context import request_meta
from services.common.directory import TenantDirectory
from services.common.errors import PermissionDenied
from services.common.tenancy import TenantSelection, select_tenant
from services.token.keys.model import KeyState, SigningKey
from services.token.keys.usecases import SigningKeys

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any
# Clients may cache the key set this long; a rotated-in key is published at once and a
# client that meets an unknown kid refetches (the OpenID Connect rule).
JWKS_CACHE_CONTROL = "public, max-age=300"
_STATES = {KeyState.ACTIVE: key_pb.SIGNING_KEY_STATE_ACTIVE, KeyState.RETIRED: key_pb.SIGNING_KEY_STATE_RETIRED}


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value.astimezone(UTC))
    return stamp


def key_to_proto(key: SigningKey) -> key_pb.SigningKey:
    return key_pb.SigningKey(kid=key.kid, algorithm=key.algorithm, state=_STATES[key.state],
                             create_time=_ts(key.create_time), retire_time=_ts(key.retire_time),
                             expire_time=_ts(key.expire_time))


class SigningKeyServicer(service_grpc.SigningKeyServiceServicer):
    def __init__(self, keys: SigningKeys, directory: TenantDirectory, credentials: CachedCredentialVerifier,
                 base_domain: str, on_rotated: Callable[[], None] = lambda: None) -> None:
        self._on_rotated = on_rotated
        self._keys = keys
        self._directory = directory
        self._credentials = credentials
        self._base_domain = base_domain

    async def GetJwks(self, request: Any, context: Context) -> Any:
        meta = request_meta(context.invocation_metadata(), context.peer())
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        body = json.dumps(await self._keys.jwks(tenant.tenant_id), separators=(",", ":")).encode()
        await context.send_initial_metadata((("cache-control", JWKS_CACHE_CONTROL),))
        return httpbody_pb2.HttpBody(content_type="application/json", data=body)

    async def _admin_tenant(self, context: Context, scope: str) -> str:
        meta = request_meta(context.invocation_metadata(), context.peer())
        if not meta.credential:
            raise missing_credential()
        principal = await self._credentials.authenticate(meta.credential)
        principal.require_scope(scope)
        candidates = select_tenant(meta, self._base_domain) or (
            [TenantSelection("credential", tenant_id=principal.tenant_id)] if principal.tenant_id else [])
        tenant = await self._directory.select(candidates)
        if not principal.can_access_tenant(tenant.tenant_id):
            raise PermissionDenied("this credential belongs to another tenant", reason="TENANT_MISMATCH")
        return tenant.tenant_id

    async def ListSigningKeys(self, request: Any, context: Context) -> Any:
        tenant_id = await self._admin_tenant(context, "tenants:read")
        keys = await self._keys.keys(tenant_id, fresh=True)
        return service_pb.ListSigningKeysResponse(signing_keys=[key_to_proto(k) for k in keys])

    async def RotateSigningKeys(self, request: service_pb.RotateSigningKeysRequest, context: Context) -> Any:
        tenant_id = await self._admin_tenant(context, "signing_keys:write")
        keys = await self._keys.rotate(tenant_id, request.algorithm)
        self._on_rotated()
        return service_pb.RotateSigningKeysResponse(signing_keys=[key_to_proto(k) for k in keys])
