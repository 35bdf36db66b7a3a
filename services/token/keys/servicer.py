"""The SigningKeyService: the public JWKS and the admin listing and rotation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from google.api import httpbody_pb2

from binoauth.token.v1 import signing_key_pb2 as key_pb
from binoauth.token.v1 import signing_key_service_pb2 as service_pb
from binoauth.token.v1 import signing_key_service_pb2_grpc as service_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.context import current_request
from services.common.directory import TenantDirectory, admin_tenant
from services.common.tenancy import select_tenant
from services.common.timestamps import to_timestamp
from services.token.keys.model import KeyState, SigningKey
from services.token.keys.usecases import SigningKeys

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any
# Clients may cache the key set this long; a rotated-in key is published at once and a
# client that meets an unknown kid refetches (the OpenID Connect rule).
JWKS_CACHE_CONTROL = "public, max-age=300"
_STATES = {KeyState.ACTIVE: key_pb.SIGNING_KEY_STATE_ACTIVE, KeyState.RETIRED: key_pb.SIGNING_KEY_STATE_RETIRED}




def key_to_proto(key: SigningKey) -> key_pb.SigningKey:
    return key_pb.SigningKey(kid=key.kid, algorithm=key.algorithm, state=_STATES[key.state],
                             create_time=to_timestamp(key.create_time), retire_time=to_timestamp(key.retire_time),
                             expire_time=to_timestamp(key.expire_time))


class SigningKeyServicer(service_grpc.SigningKeyServiceServicer):
    def __init__(self, keys: SigningKeys, directory: TenantDirectory, credentials: CachedCredentialVerifier,
                 base_domain: str, on_rotated: Callable[[], None] = lambda: None) -> None:
        self._on_rotated = on_rotated
        self._keys = keys
        self._directory = directory
        self._credentials = credentials
        self._base_domain = base_domain

    async def GetJwks(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        body = json.dumps(await self._keys.jwks(tenant.tenant_id), separators=(",", ":")).encode()
        # Public keys: any origin may read them (browser code verifying ID tokens).
        await context.send_initial_metadata((("cache-control", JWKS_CACHE_CONTROL),
                                             ("access-control-allow-origin", "*")))
        return httpbody_pb2.HttpBody(content_type="application/json", data=body)

    async def _admin_tenant(self, context: Context, scope: str) -> str:
        # Keys stay manageable while a tenant is suspended (its tokens must still verify).
        tenant, _ = await admin_tenant(current_request(context), self._credentials, self._directory,
                                       self._base_domain, scope, require_active=False)
        return tenant.tenant_id

    async def ListSigningKeys(self, request: Any, context: Context) -> Any:
        tenant_id = await self._admin_tenant(context, "tenants:read")
        keys = await self._keys.keys(tenant_id, fresh=True, complete=True)
        return service_pb.ListSigningKeysResponse(signing_keys=[key_to_proto(k) for k in keys])

    async def RotateSigningKeys(self, request: service_pb.RotateSigningKeysRequest, context: Context) -> Any:
        tenant_id = await self._admin_tenant(context, "signing_keys:write")
        keys = await self._keys.rotate(tenant_id, request.algorithm)
        self._on_rotated()
        return service_pb.RotateSigningKeysResponse(signing_keys=[key_to_proto(k) for k in keys])
