"""What the OAuth endpoints need from the rest of the platform, without extra hops: the
tenant's keys straight from the key store, revocation straight from Redis, and the session
service only to record a revocation (or when Redis lost the deny-list)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from prometheus_client import CollectorRegistry, Counter

from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from services.common.clients import ServiceChannels, outgoing_metadata
from services.common.context import call_timeout
from services.common.redis import purge_keys, purge_tenant, redis_key, tenant_key
from services.common.revocation import is_revoked, read_revocation
from services.common.tokens import tenant_from_issuer
from services.token.keys.usecases import SigningKeys

_TIMEOUT = 5.0
ASSERTION_JTI = "assertion-jti"
# RedisFailureCounter namespace of wrong user codes on the device page; keys "<tenant>:...".
DEVICE_CODE_FAILURES = "device-code"


class LocalJwks:
    """The JwksSource of the token service itself: its own key store, cached in process."""

    def __init__(self, keys: SigningKeys) -> None:
        self._keys = keys

    async def keys(self, issuer: str, refresh: bool = False) -> list[dict[str, Any]]:
        return [k.public_jwk for k in await self._keys.keys(tenant_from_issuer(issuer), fresh=refresh)]


class Revocation:
    def __init__(self, redis: aioredis.Redis, channels: ServiceChannels) -> None:
        self._redis = redis
        self._stub = session_grpc.SessionInternalServiceStub(channels.channel("session"))

    async def is_revoked(self, tenant_id: str, jti: str, user_id: str, issued_at: datetime) -> bool:
        loaded, denied, not_before = await read_revocation(self._redis, tenant_id, jti, user_id)
        if loaded:
            return is_revoked(denied, not_before, issued_at)
        # Redis lost the deny-list: only the session service can rebuild it.
        reply = await self._stub.CheckToken(session_pb.CheckTokenRequest(
            tenant_id=tenant_id, jti=jti, user_id=user_id, issued_at=issued_at), timeout=call_timeout(_TIMEOUT),
            metadata=outgoing_metadata())
        return bool(reply.revoked)

    async def revoke(self, tenant_id: str, jti: str, expire_time: datetime) -> None:
        await self._stub.RevokeToken(session_pb.RevokeTokenRequest(
            tenant_id=tenant_id, jti=jti, expire_time=expire_time), timeout=call_timeout(_TIMEOUT),
            metadata=outgoing_metadata())


class PromOAuthMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._issued = Counter("binoauth_tokens_issued", "Token requests by grant type and result",
                               ["grant_type", "result"], registry=registry)
        self._introspections = Counter("binoauth_introspections", "Introspections by answer", ["active"],
                                       registry=registry)
        self._revocations = Counter("binoauth_token_revocations", "Tokens revoked at the revocation endpoint",
                                    registry=registry)
        self._authorizations = Counter("binoauth_authorization_requests", "Authorization requests by result",
                                       ["result"], registry=registry)
        self._rotations = Counter("binoauth_signing_key_rotations", "Signing key rotations", registry=registry)
        self._replays = Counter("binoauth_token_replays", "Used codes and rotated refresh tokens presented again "
                                "(each revokes its family)", ["kind"], registry=registry)

    def authorization(self, result: str) -> None:
        self._authorizations.labels(result).inc()

    def key_rotated(self) -> None:
        self._rotations.inc()

    def issued(self, grant_type: str, result: str) -> None:
        self._issued.labels(grant_type, result).inc()

    def introspected(self, active: bool) -> None:
        self._introspections.labels(str(active).lower()).inc()

    def revoked(self) -> None:
        self._revocations.inc()

    def replay_detected(self, kind: str) -> None:
        self._replays.labels(kind).inc()


class RedisReplayGuard:
    """Client-assertion jtis already used (private_key_jwt), remembered until the assertion
    expires. One atomic SET NX: two concurrent uses of one assertion cannot both pass."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self._redis = redis

    async def first_use(self, tenant_id: str, client_id: str, jti_hash: str, ttl_seconds: int) -> bool:
        key = tenant_key(ASSERTION_JTI, tenant_id, client_id, jti_hash)
        return bool(await self._redis.set(key, b"1", nx=True, ex=max(ttl_seconds, 1)))


async def purge_tenant_keys(redis: aioredis.Redis, tenant_id: str) -> int:
    """What the token service keeps in Redis about a deleted tenant: used client-assertion
    jtis and wrong device-code counters. A new tenant with the same id starts clean."""
    replays = await purge_tenant(redis, tenant_id, [ASSERTION_JTI])
    prefix = redis_key("failures", DEVICE_CODE_FAILURES, f"{tenant_id}:")
    return replays + await purge_keys(redis, prefix + "*", lambda key: key.startswith(prefix))
