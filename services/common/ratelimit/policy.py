"""Who gets which budget: endpoint groups, platform defaults, tenant overrides, descriptors.

Every request through the gateway is described once (Descriptor.for_request, from the
RequestMeta the gateway's headers fill; see gateway/README.md, "Rate limits"):

    group           the method's (binoauth.options.v1.rate_limit).group; none = management
    remote_address  the client address Envoy trusts (x-binoauth-client-ip: use_remote_address
                    + xff_num_trusted_hops)
    tenant          x-binoauth-tenant (set by the gateway from a /tenant/{id}/ path prefix)
    host            x-forwarded-host (the gateway sets it from :authority; clients cannot)
    tenant_header   x-tenant-id
    credential      Authorization, else x-api-key (hashed here before it becomes a key)

Pure code: no I/O, unit-tested without Redis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from services.common.context import RequestMeta
from services.common.ratelimit.limiter import Budget
from services.common.redis import KEY_PREFIX, redis_key
from services.common.tenancy import TenantSelection, select_tenant

GROUPS: tuple[str, ...] = ("login", "signup", "token", "verification", "management", "public")
DEFAULT_GROUP = "management"
# Authentication endpoints: Redis unreachable -> refuse (503 + Retry-After at the gateway).
FAIL_CLOSED: frozenset[str] = frozenset({"login", "signup", "token", "verification"})
# Everything else keeps working without Redis (counted as failed_open).
FAIL_OPEN: frozenset[str] = frozenset(GROUPS) - FAIL_CLOSED


@dataclass(frozen=True)
class GroupLimits:
    """Requests per minute; ``per_tenant`` None = no tenant-wide budget."""

    per_ip: int
    per_tenant: int | None


# As documented in protos/binoauth/tenant/v1/tenant.proto (RateLimits).
DEFAULTS: Mapping[str, GroupLimits] = {
    "login": GroupLimits(20, 600),
    "signup": GroupLimits(10, 300),
    "token": GroupLimits(300, 6000),
    "verification": GroupLimits(5, 200),
    "management": GroupLimits(600, 3000),
    "public": GroupLimits(1200, None),
}
PERIOD_SECONDS = 60

# Longest header value a descriptor keeps (the rest cannot change which tenant is meant).
_MAX_VALUE = 4096


def normalize_group(group: str) -> str:
    return group if group in DEFAULTS else DEFAULT_GROUP


def fails_closed(group: str) -> bool:
    return normalize_group(group) in FAIL_CLOSED


@dataclass(frozen=True)
class Descriptor:
    """One request, as far as rate limits care."""

    group: str
    remote_address: str = ""
    tenant: str = ""
    host: str = ""
    tenant_header: str = ""
    credential: str = ""

    def __repr__(self) -> str:  # never print a credential
        return (f"Descriptor(group={self.group!r}, remote_address={self.remote_address!r}, "
                f"tenant={self.tenant!r}, host={self.host!r}, tenant_header={self.tenant_header!r}, "
                f"credential={'<set>' if self.credential else ''!r})")

    __str__ = __repr__

    @classmethod
    def for_request(cls, group: str, meta: RequestMeta) -> Descriptor:
        return cls(
            group=normalize_group(group), remote_address=meta.ip_address[:_MAX_VALUE],
            tenant=meta.path_tenant[:_MAX_VALUE], host=meta.forwarded_host[:_MAX_VALUE],
            tenant_header=meta.header_tenant[:_MAX_VALUE],
            credential=(meta.authorization or meta.api_key)[:_MAX_VALUE],
        )

    def selection(self, base_domain: str) -> list[TenantSelection]:
        """Tenant candidates in services.common.tenancy.select_tenant order."""
        meta = RequestMeta(
            request_id="", ip_address=self.remote_address, user_agent="",
            forwarded_host=_host(self.host), via_gateway=True, path_tenant=self.tenant,
            header_tenant=self.tenant_header, authorization="", api_key="", cookie="",
        )
        return select_tenant(meta, base_domain)


def _host(value: str) -> str:
    host = value.strip().lower()
    if host.startswith("["):  # [v6]:port
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0] if host.count(":") == 1 else host


def scaled_defaults(factor: float) -> dict[str, GroupLimits]:
    """The platform defaults times ``factor`` (test stacks that share one client address
    between many tests; tenant overrides are never scaled)."""
    if factor <= 0:
        raise ValueError("factor must be > 0")
    return {
        g: GroupLimits(max(1, round(v.per_ip * factor)),
                       None if v.per_tenant is None else max(1, round(v.per_tenant * factor)))
        for g, v in DEFAULTS.items()
    }


def limits_for(group: str, settings: Mapping[str, Any] | None,
               defaults: Mapping[str, GroupLimits] = DEFAULTS) -> GroupLimits:
    """Platform defaults with the tenant's overrides (``settings["rate_limits"][group]``;
    zero, missing or malformed values mean the default)."""
    group = normalize_group(group)
    base = defaults[group]
    if base.per_tenant is None or not settings:  # "public" has no per-tenant settings
        return base
    section = settings.get("rate_limits")
    entry = section.get(group) if isinstance(section, Mapping) else None
    if not isinstance(entry, Mapping):
        return base
    # Tenant settings always carry every value (the platform default when the tenant set
    # none), so a value equal to the platform default is not an override: it follows the
    # (possibly scaled) `defaults`.
    platform = DEFAULTS[group]
    per_ip = _positive(entry.get("per_ip_per_minute"))
    per_tenant = _positive(entry.get("per_tenant_per_minute"))
    return GroupLimits(
        per_ip=per_ip if per_ip and per_ip != platform.per_ip else base.per_ip,
        per_tenant=per_tenant if per_tenant and per_tenant != platform.per_tenant else base.per_tenant,
    )


def _positive(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def credential_hash(credential: str) -> str:
    """SHA-256 of the whole header value; the credential itself never becomes a key."""
    return hashlib.sha256(credential.strip().encode()).hexdigest()


RATE_LIMIT_KIND = "rl"
_SCOPES = ("ip", "cred", "tenant")


def is_tenant_budget(key: str, tenant_id: str) -> bool:
    """Whether `key` is one of the tenant's budgets (as `budgets` builds them): what
    deprovisioning purges. Parts are percent-encoded, so the match is exact."""
    parts = key.split(":")
    return (len(parts) >= 5 and parts[:2] == [KEY_PREFIX, RATE_LIMIT_KIND] and parts[3] in _SCOPES
            and parts[4] == quote(tenant_id, safe="") and tenant_id != "")


def budgets(descriptor: Descriptor, tenant_id: str, settings: Mapping[str, Any] | None,
            defaults: Mapping[str, GroupLimits] = DEFAULTS) -> list[Budget]:
    """The budgets one request consumes from.

    ``tenant_id`` is the resolved tenant ("" when none resolved: platform defaults, no
    tenant budget). Per-IP and per-credential budgets are scoped by tenant (a tenant's
    override applies to its own traffic only); the per-tenant budget is shared by every
    client of the tenant. Every key part goes through redis_key (percent-encoded)."""
    group = descriptor.group
    limits = limits_for(group, settings if tenant_id else None, defaults)
    out: list[Budget] = []
    if descriptor.remote_address:
        out.append(Budget(redis_key(RATE_LIMIT_KIND, group, "ip", tenant_id, descriptor.remote_address),
                          limits.per_ip, PERIOD_SECONDS))
    if descriptor.credential:
        out.append(Budget(redis_key(RATE_LIMIT_KIND, group, "cred", tenant_id, credential_hash(descriptor.credential)),
                          limits.per_ip, PERIOD_SECONDS))
    if tenant_id and limits.per_tenant is not None:
        out.append(Budget(redis_key(RATE_LIMIT_KIND, group, "tenant", tenant_id), limits.per_tenant, PERIOD_SECONDS))
    return out


class BudgetCache:
    """``budgets`` for the descriptors a gateway sends again and again (one client address, one
    tenant): the keys and limits of a (group, address, tenant, settings) are computed once. Only
    the per-credential budget is built per call, so no credential is ever kept as a cache key.

    An entry is valid while the tenant's settings are the very object it was built from: the
    tenant directory hands out a new TenantInfo whenever it reads the tenant again (TTL or
    invalidation), so a changed override takes effect exactly when it did without the cache."""

    def __init__(self, defaults: Mapping[str, GroupLimits] = DEFAULTS, max_entries: int = 10_000) -> None:
        self._defaults = defaults
        self._max_entries = max_entries
        # (group, remote_address, tenant_id) -> (settings, limits, per-IP budget, per-tenant budget)
        self._entries: dict[tuple[str, str, str],
                            tuple[Mapping[str, Any] | None, GroupLimits, Budget | None, Budget | None]] = {}

    def budgets(self, descriptor: Descriptor, tenant_id: str, settings: Mapping[str, Any] | None) -> list[Budget]:
        """The same list, in the same order, as ``budgets(descriptor, tenant_id, settings, defaults)``."""
        settings = settings if tenant_id else None
        key = (descriptor.group, descriptor.remote_address, tenant_id)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not settings:
            group = descriptor.group
            limits = limits_for(group, settings, self._defaults)
            per_ip = (Budget(redis_key(RATE_LIMIT_KIND, group, "ip", tenant_id, descriptor.remote_address),
                             limits.per_ip, PERIOD_SECONDS) if descriptor.remote_address else None)
            per_tenant = (Budget(redis_key(RATE_LIMIT_KIND, group, "tenant", tenant_id), limits.per_tenant,
                                 PERIOD_SECONDS) if tenant_id and limits.per_tenant is not None else None)
            entry = (settings, limits, per_ip, per_tenant)
            if len(self._entries) >= self._max_entries:
                self._entries.clear()  # bounded: a flood of addresses costs recomputation, not memory
            self._entries[key] = entry
        _, limits, per_ip, per_tenant = entry
        out: list[Budget] = [] if per_ip is None else [per_ip]
        if descriptor.credential:
            out.append(Budget(redis_key(RATE_LIMIT_KIND, descriptor.group, "cred", tenant_id,
                                        credential_hash(descriptor.credential)), limits.per_ip, PERIOD_SECONDS))
        if per_tenant is not None:
            out.append(per_tenant)
        return out
