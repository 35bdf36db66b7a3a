"""In-memory fakes of the tenant service's ports (services/tenant/ports.py), for unit tests.

They follow the PostgreSQL stores' observable behaviour (ordering by id, `after` is
exclusive, `IS NOT DISTINCT FROM` on tenant ids, revocation keeps the first revoke time)
without any I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from services.common.errors import AlreadyExists
from services.common.passwords import PasswordHashing
from services.tenant.admins import AdminUser
from services.tenant.credentials import ApiKey
from services.tenant.tenants import Tenant, TenantDraft, TenantState
from services.tenant.usecases import CredentialUseCases, TenantUseCases

PROVISIONED_SERVICES = ("identity", "token", "session")


class FakeClock:
    """A settable clock: `clock()` returns the current time, `advance()` moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2030, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _domain_taken() -> AlreadyExists:
    return AlreadyExists("a custom domain is already used by another tenant", reason="DOMAIN_TAKEN",
                         details={"field": "custom_domains"})


class FakeTenantStore:
    def __init__(self) -> None:
        self.tenants: dict[str, Tenant] = {}

    def _owner(self, domain: str) -> str | None:
        for tenant in self.tenants.values():
            if domain in tenant.custom_domains:
                return tenant.tenant_id
        return None

    async def insert(self, draft: TenantDraft, now: datetime) -> Tenant | None:
        if draft.tenant_id in self.tenants:
            return None
        if any(self._owner(d) is not None for d in draft.custom_domains):
            return None
        tenant = Tenant(draft.tenant_id, draft.display_name, TenantState.PROVISIONING, draft.settings,
                        tuple(sorted(draft.custom_domains)), now, now)
        self.tenants[tenant.tenant_id] = tenant
        return tenant

    async def conflict(self, draft: TenantDraft) -> str:
        return "tenant" if draft.tenant_id in self.tenants else "domain"

    async def get(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    async def get_by_domain(self, domain: str) -> Tenant | None:
        owner = self._owner(domain)
        return self.tenants[owner] if owner else None

    async def list(self, after: str | None, limit: int, only: str | None = None, pattern: str | None = None,
                   state: TenantState | None = None) -> list[Tenant]:
        # `pattern` is like_pattern's "%text%" with \-escapes; a substring test is the same here.
        text = pattern[1:-1].replace("\\%", "%").replace("\\_", "_").replace("\\\\", "\\") if pattern else ""
        found = [
            t for tid, t in sorted(self.tenants.items())
            if (after is None or tid > after) and (only is None or tid == only)
            and (not text or text in tid.lower() or text in t.display_name.lower())
            and (state is None or t.state is state)
        ]
        return found[:limit]

    async def save(self, tenant: Tenant, domains_changed: bool, now: datetime) -> Tenant:
        current = self.tenants[tenant.tenant_id]
        domains = current.custom_domains
        if domains_changed:
            for domain in tenant.custom_domains:
                owner = self._owner(domain)
                if owner is not None and owner != tenant.tenant_id:
                    raise _domain_taken()
            domains = tuple(sorted(tenant.custom_domains))
        saved = replace(current, display_name=tenant.display_name, settings=tenant.settings,
                        custom_domains=domains, update_time=now)
        self.tenants[tenant.tenant_id] = saved
        return saved

    async def set_state(self, tenant_id: str, state: TenantState, now: datetime) -> Tenant | None:
        current = self.tenants.get(tenant_id)
        if current is None:
            return None
        self.tenants[tenant_id] = replace(current, state=state, update_time=now)
        return self.tenants[tenant_id]

    async def delete(self, tenant_id: str) -> None:
        self.tenants.pop(tenant_id, None)


class FakeApiKeyStore:
    def __init__(self) -> None:
        self.keys: dict[str, tuple[ApiKey, bytes]] = {}

    async def insert(self, key: ApiKey, secret_hash: bytes) -> None:
        assert key.api_key_id not in self.keys
        self.keys[key.api_key_id] = (key, secret_hash)

    async def upsert_bootstrap(self, key: ApiKey, secret_hash: bytes) -> None:
        old = self.keys.get(key.api_key_id)
        if old is None:
            self.keys[key.api_key_id] = (key, secret_hash)
        else:
            self.keys[key.api_key_id] = (replace(old[0], scopes=key.scopes, revoke_time=None), secret_hash)

    async def get(self, api_key_id: str) -> ApiKey | None:
        found = self.keys.get(api_key_id)
        return found[0] if found else None

    async def by_hash(self, secret_hash: bytes) -> ApiKey | None:
        for key, digest in self.keys.values():
            if digest == secret_hash:
                return key
        return None

    async def list(self, tenant_id: str, after: str | None, limit: int) -> list[ApiKey]:
        found = [
            key for kid, (key, _) in sorted(self.keys.items())
            if key.tenant_id == tenant_id and (after is None or kid > after)
        ]
        return found[:limit]

    async def revoke(self, api_key_id: str, now: datetime) -> ApiKey | None:
        found = self.keys.get(api_key_id)
        if found is None:
            return None
        key, digest = found
        revoked = replace(key, revoke_time=key.revoke_time or now)
        self.keys[api_key_id] = (revoked, digest)
        return revoked


class FakeAdminStore:
    def __init__(self) -> None:
        self.admins: dict[str, tuple[AdminUser, str]] = {}
        self.tokens: dict[bytes, tuple[str, datetime]] = {}

    async def insert(self, admin: AdminUser, password_hash: str) -> bool:
        if any(a.email.lower() == admin.email.lower() for a, _ in self.admins.values()):
            return False
        self.admins[admin.admin_user_id] = (admin, password_hash)
        return True

    async def get(self, admin_user_id: str) -> AdminUser | None:
        found = self.admins.get(admin_user_id)
        return found[0] if found else None

    async def by_email(self, email: str) -> tuple[AdminUser, str] | None:
        for admin, password_hash in self.admins.values():
            if admin.email.lower() == email.lower():
                return admin, password_hash
        return None

    async def list(self, tenant_id: str, after: str | None, limit: int) -> list[AdminUser]:
        found = [
            admin for aid, (admin, _) in sorted(self.admins.items())
            if admin.tenant_id == tenant_id and (after is None or aid > after)
        ]
        return found[:limit]

    async def save(self, admin: AdminUser) -> None:
        _, password_hash = self.admins[admin.admin_user_id]
        self.admins[admin.admin_user_id] = (admin, password_hash)

    async def set_password_hash(self, admin_user_id: str, password_hash: str) -> None:
        admin, _ = self.admins[admin_user_id]
        self.admins[admin_user_id] = (admin, password_hash)

    async def insert_token(self, token_hash: bytes, admin_user_id: str, expire_time: datetime) -> None:
        self.tokens[token_hash] = (admin_user_id, expire_time)

    async def by_token(self, token_hash: bytes, now: datetime) -> AdminUser | None:
        found = self.tokens.get(token_hash)
        if found is None or found[1] <= now:
            return None
        return await self.get(found[0])

    async def delete_tokens(self, admin_user_id: str) -> None:
        self.tokens = {h: t for h, t in self.tokens.items() if t[0] != admin_user_id}


class ProvisioningError(RuntimeError):
    """What FakeProvisioner raises when told to fail (stands in for a gRPC error)."""


@dataclass
class FakeProvisioner:
    """Records every call and which schemas exist per service.

    Provisioning goes service by service (identity, token, session), so a failure in a
    later service leaves the earlier schemas behind, like a partial real failure.

    - fail_provision_services: provisioning fails in these services (until cleared);
    - fail_provision_calls: 1-based numbers of provision() calls that fail (first service);
    - fail_deprovision: number of upcoming deprovision() calls that fail."""

    fail_provision_services: set[str] = field(default_factory=set)
    fail_provision_calls: set[int] = field(default_factory=set)
    fail_deprovision: int = 0
    calls: list[tuple[str, str]] = field(default_factory=list)
    schemas: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in PROVISIONED_SERVICES})

    def provision_calls(self) -> int:
        return sum(1 for op, _ in self.calls if op == "provision")

    def deprovision_calls(self) -> int:
        return sum(1 for op, _ in self.calls if op == "deprovision")

    def has_schemas(self, tenant_id: str) -> set[str]:
        return {service for service, tenants in self.schemas.items() if tenant_id in tenants}

    async def provision(self, tenant_id: str) -> None:
        self.calls.append(("provision", tenant_id))
        if self.provision_calls() in self.fail_provision_calls:
            raise ProvisioningError(f"provision call {self.provision_calls()} told to fail")
        for service in PROVISIONED_SERVICES:
            if service in self.fail_provision_services:
                raise ProvisioningError(f"{service} unavailable")
            self.schemas[service].add(tenant_id)

    async def revoke_sessions(self, tenant_id: str) -> None:
        self.calls.append(("revoke_sessions", tenant_id))

    async def deprovision(self, tenant_id: str) -> None:
        self.calls.append(("deprovision", tenant_id))
        if self.fail_deprovision > 0:
            self.fail_deprovision -= 1
            raise ProvisioningError("deprovision told to fail")
        for tenants in self.schemas.values():
            tenants.discard(tenant_id)


class FakeFailureCounter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.windows: dict[str, int] = {}

    async def failures(self, key: str) -> int:
        return self.counts.get(key, 0)

    async def record_failure(self, key: str, window_seconds: int) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        self.windows.setdefault(key, window_seconds)
        return self.counts[key]

    async def reset(self, key: str) -> None:
        self.counts.pop(key, None)
        self.windows.pop(key, None)


@dataclass
class TenantWorld:
    """The tenant service's use cases wired to fresh fakes, sharing one clock."""

    tenants: TenantUseCases
    credentials: CredentialUseCases
    store: FakeTenantStore
    keys: FakeApiKeyStore
    admins: FakeAdminStore
    provisioner: FakeProvisioner
    failures: FakeFailureCounter
    clock: FakeClock


def tenant_world(passwords: PasswordHashing, base_domain: str = "binoauth.dev") -> TenantWorld:
    store, keys, admins = FakeTenantStore(), FakeApiKeyStore(), FakeAdminStore()
    provisioner, failures, clock = FakeProvisioner(), FakeFailureCounter(), FakeClock()
    return TenantWorld(
        tenants=TenantUseCases(store, provisioner, base_domain, clock=clock),
        credentials=CredentialUseCases(keys, admins, store, passwords, failures, clock=clock),
        store=store, keys=keys, admins=admins, provisioner=provisioner, failures=failures, clock=clock,
    )
