"""What other services know about tenants and management credentials: answers from the
tenant service's internal RPCs, cached in process for a short TTL so that no request pays
a service hop for them more than once per TTL."""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import grpc
from grpc import aio
from prometheus_client import CollectorRegistry, Counter

from binoauth.tenant.v1 import tenant_internal_service_pb2 as internal_pb
from binoauth.tenant.v1 import tenant_internal_service_pb2_grpc as internal_grpc
from binoauth.tenant.v1 import tenant_pb2
from services.common.auth import (
    CachedCredentialVerifier,
    Principal,
    PrincipalKind,
    invalid_credential,
    missing_credential,
)
from services.common.clients import ServiceChannels, outgoing_metadata
from services.common.context import RequestMeta, bind, call_timeout, set_current_actor
from services.common.errors import NotFound, PermissionDenied, Unavailable
from services.common.invalidation import InvalidationBus
from services.common.tenancy import TenantSelection, no_tenant_selected, select_tenant

_CALL_TIMEOUT = 5.0


@dataclass(frozen=True)
class TenantInfo:
    """A tenant as other services see it. `settings` is the tenant's full settings tree."""

    tenant_id: str
    display_name: str
    active: bool
    suspended: bool
    issuer: str
    settings: dict[str, Any]


Resolve = Callable[[str, str], Awaitable[TenantInfo]]


# Stale-if-error: how long past its TTL a known tenant is still served while the tenant
# service (or its database) cannot answer. Its settings (rate limits, policies) stay what they
# were instead of falling back to platform defaults; an invalidation still drops it at once.
STALE_IF_ERROR_SECONDS = 300.0


class StaleServes:
    """binoauth_stale_cache_serves_total{cache}: answers served from an expired cache entry
    because the source could not be read. One counter per registry (several caches of one
    process share it)."""

    _by_registry: ClassVar[weakref.WeakKeyDictionary[CollectorRegistry, Counter]] = weakref.WeakKeyDictionary()

    def __init__(self, registry: CollectorRegistry | None, cache: str) -> None:
        self._cache = cache
        self._counter: Counter | None = None
        if registry is not None:
            counter = self._by_registry.get(registry)
            if counter is None:
                counter = Counter("binoauth_stale_cache_serves", "Answers served from an expired cache entry "
                                  "because the source could not be read (stale-if-error), by cache",
                                  ["cache"], registry=registry)
                self._by_registry[registry] = counter
            self._counter = counter

    def inc(self) -> None:
        if self._counter is not None:
            self._counter.labels(self._cache).inc()


class TenantDirectory:
    """Resolves tenant selections (see tenancy.select_tenant) with a TTL cache; misses are
    cached too, briefly, so a flood of requests for an unknown tenant costs one lookup.

    Stale-if-error: when the tenant service cannot answer, a tenant resolved before is served
    as it was for up to `stale_seconds` past its TTL (counted in StaleServes); an unknown or
    older one raises Unavailable. Never a default in place of what could not be read."""

    def __init__(self, resolve: Resolve, ttl_seconds: float, clock: Callable[[], float] = time.monotonic,
                 stale_seconds: float = STALE_IF_ERROR_SECONDS, stale_serves: StaleServes | None = None) -> None:
        self._resolve = resolve
        self._ttl = ttl_seconds
        self._clock = clock
        self._stale = stale_seconds
        self._stale_serves = stale_serves or StaleServes(None, "tenant")
        self._cache: dict[tuple[str, str], tuple[float, TenantInfo | None]] = {}

    async def lookup(self, tenant_id: str = "", host: str = "") -> TenantInfo | None:
        key = (tenant_id, host)
        now = self._clock()
        hit = self._cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
        try:
            info: TenantInfo | None = await self._resolve(tenant_id, host)
        except NotFound:
            info = None
        except Unavailable:
            # Looked up again: an invalidation (forget) while we waited removed the entry.
            hit = self._cache.get(key)
            if hit and hit[1] is not None and now <= hit[0] + self._stale:
                self._stale_serves.inc()
                return hit[1]
            raise
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + (self._ttl if info else min(self._ttl, 1.0)), info)
        return info

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        """The first candidate that names an existing tenant, in selection order."""
        if not candidates:
            raise no_tenant_selected()
        for candidate in candidates:
            info = await self.lookup(candidate.tenant_id, candidate.host)
            if info is not None:
                return info
        raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")

    def forget(self, tenant_id: str) -> None:
        for key in [k for k, v in self._cache.items() if k[0] == tenant_id or (v[1] and v[1].tenant_id == tenant_id)]:
            self._cache.pop(key, None)


class TenantSelector(Protocol):
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


async def admin_tenant(meta: RequestMeta, credentials: CachedCredentialVerifier, tenants: TenantSelector,
                       base_domain: str, scope: str, *, require_active: bool = True) -> tuple[TenantInfo, Principal]:
    """The tenant a management call acts on, and who makes it: the credential must hold
    `scope`; the tenant is the one the request selects or, for a tenant credential that
    selects none, its own; a credential of another tenant is refused."""
    if not meta.credential:
        raise missing_credential()
    principal = await credentials.authenticate(meta.credential)
    principal.require_scope(scope)
    set_current_actor(principal.principal_id)
    candidates = select_tenant(meta, base_domain) or (
        [TenantSelection("credential", tenant_id=principal.tenant_id)] if principal.tenant_id else [])
    tenant = await tenants.select(candidates)
    if require_active and not tenant.active:
        raise PermissionDenied("this tenant is suspended", reason="TENANT_SUSPENDED")
    if not principal.can_access_tenant(tenant.tenant_id):
        raise PermissionDenied("this credential belongs to another tenant", reason="TENANT_MISMATCH")
    bind(tenant_id=tenant.tenant_id)
    return tenant, principal


def grpc_tenant_resolver(channels: ServiceChannels) -> Resolve:
    stub = internal_grpc.TenantInternalServiceStub(channels.channel("tenant"))

    async def resolve(tenant_id: str, host: str) -> TenantInfo:
        try:
            reply = await stub.ResolveTenant(internal_pb.ResolveTenantRequest(tenant_id=tenant_id, host=host),
                                             timeout=call_timeout(_CALL_TIMEOUT), metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            raise _mapped(error) from None
        return tenant_info(reply.tenant)

    return resolve


TENANT_TOPIC = "tenant"
CREDENTIALS_TOPIC = "credentials"


def tenant_directory(channels: ServiceChannels, ttl_seconds: float,
                     bus: InvalidationBus | None = None, registry: CollectorRegistry | None = None) -> TenantDirectory:
    """A TenantDirectory over the tenant service that forgets a tenant as soon as it changes;
    with `registry`, its stale serves are counted there."""
    return cached_tenant_directory(grpc_tenant_resolver(channels), ttl_seconds, bus, registry)


def cached_tenant_directory(resolve: Resolve, ttl_seconds: float, bus: InvalidationBus | None = None,
                            registry: CollectorRegistry | None = None) -> TenantDirectory:
    """tenant_directory over any `resolve` (the tenant service's own reads its store)."""
    directory = TenantDirectory(resolve, ttl_seconds, stale_serves=StaleServes(registry, "tenant"))
    if bus is not None:
        bus.subscribe(TENANT_TOPIC, directory.forget)
    return directory


def grpc_credential_verifier(channels: ServiceChannels, bus: InvalidationBus | None = None) -> CachedCredentialVerifier:
    stub = internal_grpc.TenantInternalServiceStub(channels.channel("tenant"))
    kinds = {internal_pb.PRINCIPAL_KIND_API_KEY: PrincipalKind.API_KEY,
             internal_pb.PRINCIPAL_KIND_ADMIN_USER: PrincipalKind.ADMIN_USER}

    async def verify(credential: str) -> tuple[Principal, float]:
        try:
            reply = await stub.AuthenticateCredential(
                internal_pb.AuthenticateCredentialRequest(credential=credential), timeout=call_timeout(_CALL_TIMEOUT),
                metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.UNAUTHENTICATED:
                raise invalid_credential() from None
            raise _mapped(error) from None
        p = reply.principal
        return (Principal(p.principal_id, kinds[p.kind], p.tenant_id, frozenset(p.scopes)),
                float(p.cache_ttl_seconds))

    verifier = CachedCredentialVerifier(verify)
    if bus is not None:
        # Revoked keys, disabled administrators and suspended tenants stop working at once.
        bus.subscribe(CREDENTIALS_TOPIC, verifier.clear)
    return verifier


def tenant_info(tenant: tenant_pb2.Tenant) -> TenantInfo:
    from google.protobuf import json_format

    return TenantInfo(
        tenant_id=tenant.tenant_id, display_name=tenant.display_name,
        active=tenant.state == tenant_pb2.TENANT_STATE_ACTIVE,
        suspended=tenant.state == tenant_pb2.TENANT_STATE_SUSPENDED, issuer=tenant.issuer,
        settings=json_format.MessageToDict(tenant.settings, preserving_proto_field_name=True,
                                           always_print_fields_with_no_presence=True),
    )


def _mapped(error: aio.AioRpcError) -> Exception:
    if error.code() == grpc.StatusCode.NOT_FOUND:
        return NotFound("no such tenant", reason="TENANT_NOT_FOUND")
    return Unavailable("the tenant service is unavailable", reason="TENANT_SERVICE_UNAVAILABLE")
