"""The tenant service's use cases: tenants, API keys, administrators, credential checks."""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import structlog

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind, credential_hash, invalid_credential
from services.common.context import bind
from services.common.directory import CREDENTIALS_TOPIC, TENANT_TOPIC
from services.common.errors import (
    AlreadyExists,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from services.common.pages.logos import is_image_hash
from services.common.pagination import decode_page_token, encode_page_token, page_size
from services.common.passwords import PasswordHashing
from services.common.search import like_pattern
from services.common.tenancy import TenantSelection, is_valid_tenant_id, no_tenant_selected, require_tenant_id
from services.common.timestamps import utcnow
from services.tenant import admins as admin_rules
from services.tenant.admins import AdminState, AdminUser
from services.tenant.console import (
    ConsoleSession,
    ConsoleTimeouts,
    is_console_secret,
    new_console_secret,
    start_session,
)
from services.tenant.credentials import (
    BOOTSTRAP_KEY_ID,
    MIN_BOOTSTRAP_KEY_LENGTH,
    ApiKey,
    ApiKeyState,
    check_can_grant,
    clean_label,
    new_admin_token,
    new_api_key_secret,
    new_id,
    validate_scopes,
)
from services.tenant.logos import LogoStore, StoredLogo, detach_logo, stored_logo_hash
from services.tenant.ports import (
    AdminStore,
    ApiKeyStore,
    Clock,
    ConsoleSessionStore,
    FailureCounter,
    Provisioner,
    TenantStore,
)
from services.tenant.tenants import Tenant, TenantState, apply_update, draft_tenant

_log = structlog.get_logger("tenant")

# How long other services may cache a credential check or a tenant resolution.
PRINCIPAL_CACHE_SECONDS = 5




Notify = Callable[[str, str], Awaitable[None]]


async def _no_notify(_topic: str, _key: str) -> None:
    return None


def tenant_not_found(tenant_id: str) -> NotFound:
    return NotFound(f"tenant {tenant_id!r} not found", reason="TENANT_NOT_FOUND", details={"tenant_id": tenant_id})


class TenantUseCases:
    def __init__(self, store: TenantStore, provisioner: Provisioner, base_domain: str,
                 clock: Clock = utcnow, notify: Notify = _no_notify, logos: LogoStore | None = None) -> None:
        self._store = store
        # Uploaded logos, apart from the settings (services/tenant/logos.py); without it they
        # stay inline in the settings.
        self._logos = logos
        self._provisioner = provisioner
        self._base_domain = base_domain
        self._clock = clock
        # Tells other services' caches that a tenant (or every credential) changed.
        self._notify = notify

    async def create(self, principal: Principal, tenant_id: str, display_name: str,
                     settings: dict[str, Any], domains: list[str]) -> Tenant:
        principal.require_scope("tenants:write")
        principal.require_platform()
        draft = draft_tenant(tenant_id, display_name, settings, domains, self._base_domain)
        bind(tenant_id=draft.tenant_id)
        logo = None
        if self._logos is not None:
            detached, logo = detach_logo(draft.settings)
            draft = replace(draft, settings=detached)
        tenant = await self._store.insert(draft, self._clock())
        if tenant is None:
            existing = await self._store.get(draft.tenant_id)
            if existing is None or existing.state is not TenantState.PROVISIONING:
                what = await self._store.conflict(draft)
                if what == "domain":
                    raise AlreadyExists("a custom domain is already used by another tenant", reason="DOMAIN_TAKEN",
                                        details={"field": "custom_domains"})
                raise AlreadyExists(f"tenant {draft.tenant_id!r} already exists", reason="TENANT_ALREADY_EXISTS",
                                    details={"tenant_id": draft.tenant_id})
            # An earlier create failed part way and could not clean up: finish it now.
            tenant = existing
        if logo is not None and self._logos is not None:
            await self._logos.put(tenant.tenant_id, logo)
        try:
            await self._provisioner.provision(tenant.tenant_id)
        except Exception as error:
            _log.warning("provisioning failed, rolling back", error=type(error).__name__)
            await self._roll_back(tenant.tenant_id)
            raise Unavailable("the tenant could not be provisioned; nothing was kept, try again",
                              reason="PROVISIONING_FAILED") from error
        active = await self._store.set_state(tenant.tenant_id, TenantState.ACTIVE, self._clock())
        assert active is not None
        # Every replica drops what it cached under this id (a miss, or a deleted tenant of the
        # same id): the new tenant is served as itself from the moment this call returns.
        await self._notify(TENANT_TOPIC, tenant.tenant_id)
        _log.info("tenant created")
        return active

    async def _roll_back(self, tenant_id: str) -> None:
        try:
            await self._provisioner.deprovision(tenant_id)
            await self._store.delete(tenant_id)
        except Exception as error:  # noqa: BLE001 - the PROVISIONING row lets a retry finish
            _log.error("rollback failed; the tenant stays PROVISIONING until a retry",
                       error=type(error).__name__)

    async def get(self, principal: Principal, tenant_id: str) -> Tenant:
        principal.require_scope("tenants:read")
        return await self._visible(principal, tenant_id)

    async def _visible(self, principal: Principal, tenant_id: str) -> Tenant:
        require_tenant_id(tenant_id)
        bind(tenant_id=tenant_id)
        # Another tenant's objects look exactly like missing ones.
        if not principal.can_access_tenant(tenant_id):
            raise tenant_not_found(tenant_id)
        tenant = await self._store.get(tenant_id)
        if tenant is None:
            raise tenant_not_found(tenant_id)
        return tenant

    async def list(self, principal: Principal, size: int, token: str, query: str = "",
                   state: TenantState | None = None) -> tuple[list[Tenant], str]:
        """One page of the tenants the principal may see, filtered by `query` (substring of id
        or display name) and `state`. The page token is the last id, so the filters must stay
        the same from page to page (the console resets to page 1 when they change)."""
        principal.require_scope("tenants:read")
        limit = page_size(size)
        after = decode_page_token(token)
        if after is not None and not isinstance(after, str):
            raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
        only = None if principal.is_platform else principal.tenant_id
        tenants = await self._store.list(after, limit + 1, only, like_pattern(query), state)
        next_token = encode_page_token(tenants[limit - 1].tenant_id) if len(tenants) > limit else ""
        return tenants[:limit], next_token

    async def update(self, principal: Principal, tenant_id: str, changes: dict[str, Any]) -> Tenant:
        principal.require_scope("tenants:write")
        tenant = await self._visible(principal, tenant_id)
        if not changes:
            return tenant
        updated, domains_changed = apply_update(tenant, changes, self._base_domain)
        if self._logos is not None:
            settings, logo = detach_logo(updated.settings)
            updated = replace(updated, settings=settings)
            if logo is not None:  # stored first: the saved settings never name a missing logo
                await self._logos.put(tenant_id, logo)
        saved = await self._store.save(updated, domains_changed, self._clock())
        if self._logos is not None and stored_logo_hash(tenant.settings.branding.logo_image) != \
                stored_logo_hash(saved.settings.branding.logo_image):
            await self._logos.keep_only(tenant_id, stored_logo_hash(saved.settings.branding.logo_image))
        await self._notify(TENANT_TOPIC, tenant_id)
        return saved

    async def logo(self, candidates: builtins.list[TenantSelection], logo_hash: str) -> StoredLogo | None:
        """A stored logo of the tenant a public request selected, or None."""
        if self._logos is None or not is_image_hash(logo_hash):
            return None
        tenant = await self.current(candidates)
        return await self._logos.get(tenant.tenant_id, logo_hash)

    async def delete(self, principal: Principal, tenant_id: str) -> None:
        principal.require_scope("tenants:write")
        principal.require_platform()
        await self._visible(principal, tenant_id)
        # DELETING first: credentials stop working at once, and a retry after a partial
        # failure finds the row and completes the job.
        await self._store.set_state(tenant_id, TenantState.DELETING, self._clock())
        # No replica serves the tenant from its cache while its state is being torn down.
        await self._notify(TENANT_TOPIC, tenant_id)
        try:
            await self._provisioner.revoke_sessions(tenant_id)
            await self._provisioner.deprovision(tenant_id)
        except Exception as error:
            _log.warning("deprovisioning failed; retry the delete", error=type(error).__name__)
            raise Unavailable("the tenant could not be fully deleted; retry the delete",
                              reason="DEPROVISIONING_FAILED") from error
        await self._store.delete(tenant_id)
        await self._notify(TENANT_TOPIC, tenant_id)
        await self._notify(CREDENTIALS_TOPIC, "")
        _log.info("tenant deleted")

    async def suspend(self, principal: Principal, tenant_id: str) -> Tenant:
        return await self._set_state(principal, tenant_id, TenantState.SUSPENDED)

    async def resume(self, principal: Principal, tenant_id: str) -> Tenant:
        return await self._set_state(principal, tenant_id, TenantState.ACTIVE)

    async def _set_state(self, principal: Principal, tenant_id: str, state: TenantState) -> Tenant:
        principal.require_scope("tenants:write")
        principal.require_platform()
        tenant = await self._visible(principal, tenant_id)
        if not tenant.usable:
            raise PermissionDenied(f"tenant is {tenant.state.value}", reason="TENANT_NOT_READY")
        updated = await self._store.set_state(tenant_id, state, self._clock())
        assert updated is not None
        if state is TenantState.SUSPENDED:
            # Sessions and tokens end at once, not when caches expire; a retried suspend
            # repeats this (the call is idempotent).
            try:
                await self._provisioner.revoke_sessions(tenant_id)
            except Exception as error:
                raise Unavailable("the tenant is suspended but its sessions could not be ended yet; retry",
                                  reason="SESSION_REVOCATION_FAILED") from error
        await self._notify(TENANT_TOPIC, tenant_id)
        await self._notify(CREDENTIALS_TOPIC, "")
        _log.info("tenant state changed", state=state.value)
        return updated

    async def resolve(self, tenant_id: str = "", host: str = "") -> Tenant:
        """For other services: by id, subdomain of the base domain, or custom domain."""
        tenant: Tenant | None = None
        if tenant_id:
            tenant = await self._store.get(tenant_id) if is_valid_tenant_id(tenant_id) else None
        elif host:
            host = host.lower().split(":", 1)[0].rstrip(".")
            base = self._base_domain
            if base and host.endswith("." + base) and "." not in host[: -len(base) - 1]:
                label = host[: -len(base) - 1]
                tenant = await self._store.get(label) if is_valid_tenant_id(label) else None
            else:
                tenant = await self._store.get_by_domain(host)
        else:
            raise InvalidArgument("tenant_id or host is required", reason="TENANT_REQUIRED")
        if tenant is None or not tenant.usable:
            raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")
        return tenant

    async def current(self, candidates: builtins.list[TenantSelection]) -> Tenant:
        """The tenant a public request selected (path, subdomain, custom domain, header)."""
        if not candidates:
            raise no_tenant_selected()
        for candidate in candidates:
            try:
                return await self.resolve(candidate.tenant_id, candidate.host)
            except NotFound:
                continue
        raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")


class CredentialUseCases:
    """API keys, administrators, admin sign-in, and checking any management credential."""

    def __init__(self, keys: ApiKeyStore, admins: AdminStore, tenants: TenantStore, passwords: PasswordHashing,
                 failures: FailureCounter, clock: Clock = utcnow, notify: Notify = _no_notify,
                 console: ConsoleSessionStore | None = None, console_timeouts: ConsoleTimeouts | None = None) -> None:
        self._notify = notify
        # None: console sign-in is off (unit tests of the other use cases).
        self._console = console
        self._console_timeouts = console_timeouts or ConsoleTimeouts()
        self._keys = keys
        self._admins = admins
        self._tenants = tenants
        self._passwords = passwords
        self._failures = failures
        self._clock = clock

    # --- API keys -------------------------------------------------------------------
    async def create_key(self, principal: Principal, tenant_id: str, display_name: str, scopes: list[str],
                         expire_time: datetime | None) -> tuple[ApiKey, str]:
        principal.require_scope("api_keys:write")
        if tenant_id:
            await self._require_usable_tenant(principal, tenant_id)
        granted = validate_scopes(scopes, tenant_id)
        check_can_grant(principal, tenant_id, granted)
        now = self._clock()
        if expire_time is not None and expire_time <= now:
            raise InvalidArgument("expire_time must be in the future", reason="INVALID_EXPIRE_TIME",
                                  details={"field": "expire_time"})
        secret = new_api_key_secret()
        key = ApiKey(new_id("ak"), tenant_id, clean_label(display_name, "display_name"), granted, now,
                     expire_time, None)
        await self._keys.insert(key, credential_hash(secret))
        _log.info("api key created", api_key_id=key.api_key_id, key_tenant=tenant_id or "platform")
        return key, secret

    async def get_key(self, principal: Principal, api_key_id: str) -> ApiKey:
        principal.require_scope("api_keys:read")
        return await self._visible_key(principal, api_key_id)

    async def _visible_key(self, principal: Principal, api_key_id: str) -> ApiKey:
        key = await self._keys.get(api_key_id) if api_key_id else None
        if key is None or not principal.can_access_tenant(key.tenant_id) or (principal.tenant_id and not key.tenant_id):
            raise NotFound("API key not found", reason="API_KEY_NOT_FOUND")
        return key

    async def list_keys(self, principal: Principal, tenant_id: str, size: int, token: str) -> tuple[list[ApiKey], str]:
        principal.require_scope("api_keys:read")
        if principal.tenant_id and tenant_id != principal.tenant_id:
            if not tenant_id:
                tenant_id = principal.tenant_id
            else:
                raise tenant_not_found(tenant_id)
        if tenant_id:
            require_tenant_id(tenant_id)
        limit = page_size(size)
        after = decode_page_token(token)
        keys = await self._keys.list(tenant_id, after if isinstance(after, str) else None, limit + 1)
        next_token = encode_page_token(keys[limit - 1].api_key_id) if len(keys) > limit else ""
        return keys[:limit], next_token

    async def revoke_key(self, principal: Principal, api_key_id: str) -> ApiKey:
        principal.require_scope("api_keys:write")
        key = await self._visible_key(principal, api_key_id)
        if key.revoke_time is not None:
            return key
        revoked = await self._keys.revoke(key.api_key_id, self._clock())
        assert revoked is not None
        await self._notify(CREDENTIALS_TOPIC, "")
        _log.info("api key revoked", api_key_id=key.api_key_id)
        return revoked

    async def bootstrap(self, secret: str) -> None:
        """Makes the configured bootstrap secret a platform key with every scope."""
        if len(secret) < MIN_BOOTSTRAP_KEY_LENGTH:
            raise ValueError(f"BINOAUTH_BOOTSTRAP_API_KEY must be at least {MIN_BOOTSTRAP_KEY_LENGTH} characters")
        key = ApiKey(BOOTSTRAP_KEY_ID, "", "bootstrap (from configuration)", ALL_SCOPES, self._clock(), None, None)
        await self._keys.upsert_bootstrap(key, credential_hash(secret))

    async def _require_usable_tenant(self, principal: Principal, tenant_id: str) -> Tenant:
        require_tenant_id(tenant_id)
        tenant = await self._tenants.get(tenant_id) if principal.can_access_tenant(tenant_id) else None
        if tenant is None or not tenant.usable:
            raise tenant_not_found(tenant_id)
        return tenant

    # --- administrators ---------------------------------------------------------------
    async def create_admin(self, principal: Principal, email: str, tenant_id: str, scopes: list[str],
                           password: str) -> AdminUser:
        principal.require_scope("admins:write")
        if tenant_id:
            await self._require_usable_tenant(principal, tenant_id)
        granted = validate_scopes(scopes, tenant_id)
        check_can_grant(principal, tenant_id, granted)
        admin_rules.check_admin_password(password)
        admin = AdminUser(new_id("adm"), admin_rules.normalize_email(email), tenant_id, granted,
                          AdminState.ACTIVE, self._clock(), None)
        if not await self._admins.insert(admin, await self._passwords.hash(password)):
            raise AlreadyExists("an administrator with this email exists", reason="ADMIN_USER_ALREADY_EXISTS",
                                details={"field": "email"})
        _log.info("admin user created", admin_user_id=admin.admin_user_id)
        return admin

    async def list_admins(self, principal: Principal, tenant_id: str, size: int,
                          token: str) -> tuple[list[AdminUser], str]:
        principal.require_scope("admins:read")
        if principal.tenant_id:
            if tenant_id and tenant_id != principal.tenant_id:
                raise tenant_not_found(tenant_id)
            tenant_id = principal.tenant_id
        limit = page_size(size)
        after = decode_page_token(token)
        found = await self._admins.list(tenant_id, after if isinstance(after, str) else None, limit + 1)
        next_token = encode_page_token(found[limit - 1].admin_user_id) if len(found) > limit else ""
        return found[:limit], next_token

    async def set_admin_state(self, principal: Principal, admin_user_id: str, state: AdminState) -> AdminUser:
        principal.require_scope("admins:write")
        admin = await self._admins.get(admin_user_id) if admin_user_id else None
        if admin is None or not principal.can_access_tenant(admin.tenant_id) or (
            principal.tenant_id and not admin.tenant_id
        ):
            raise NotFound("administrator not found", reason="ADMIN_USER_NOT_FOUND")
        updated = replace(admin, state=state)
        await self._admins.save(updated)
        if state is AdminState.DISABLED:
            await self._admins.delete_tokens(admin_user_id)
            if self._console is not None:
                await self._console.delete_for_admin(admin_user_id)
            await self._notify(CREDENTIALS_TOPIC, "")
        _log.info("admin user state changed", admin_user_id=admin_user_id, state=state.value)
        return updated

    async def admin_login(self, email: str, password: str) -> tuple[str, int, AdminUser]:
        admin = await self._signed_in_admin(email, password)
        now = self._clock()
        token = new_admin_token()
        await self._admins.insert_token(credential_hash(token), admin.admin_user_id,
                                        now + timedelta(seconds=admin_rules.ADMIN_TOKEN_TTL_SECONDS))
        _log.info("admin login succeeded")
        return token, admin_rules.ADMIN_TOKEN_TTL_SECONDS, admin

    async def _signed_in_admin(self, email: str, password: str) -> AdminUser:
        """Checks an admin's password (argon2id, lockout, disabled accounts) and records the
        sign-in. Same answer and the same work for unknown, wrong, disabled and locked accounts."""
        failure = Unauthenticated("email or password is wrong", reason="INVALID_CREDENTIALS")
        try:
            normalized = admin_rules.normalize_email(email)
        except InvalidArgument:
            await self._passwords.verify(None, password[: admin_rules.MAX_PASSWORD_LENGTH])
            raise failure from None
        if len(password) > admin_rules.MAX_PASSWORD_LENGTH:
            raise failure
        counter_key = f"admin:{normalized.lower()}"
        found = await self._admins.by_email(normalized)
        locked = await self._failures.failures(counter_key) >= admin_rules.ADMIN_MAX_FAILURES
        ok = await self._passwords.verify(found[1] if found else None, password)
        if not ok or found is None or locked or found[0].state is not AdminState.ACTIVE:
            if not ok:
                await self._failures.record_failure(counter_key, admin_rules.ADMIN_LOCKOUT_SECONDS)
            _log.info("admin login failed", locked=locked)
            raise failure
        admin, stored_hash = found
        await self._failures.reset(counter_key)
        if self._passwords.needs_rehash(stored_hash):
            await self._admins.set_password_hash(admin.admin_user_id, await self._passwords.hash(password))
        admin = replace(admin, last_login_time=self._clock())
        await self._admins.save(admin)
        bind(user_id=admin.admin_user_id)
        return admin

    # --- console sessions (services/tenant/console.py) ------------------------------------
    def _console_store(self) -> ConsoleSessionStore:
        if self._console is None:
            raise Unavailable("console sign-in is not configured", reason="CONSOLE_UNAVAILABLE")
        return self._console

    async def start_console_session(self, email: str, password: str) -> tuple[str, ConsoleSession, AdminUser]:
        """The cookie secret (returned once, stored hashed), the session and its administrator."""
        store = self._console_store()
        admin = await self._signed_in_admin(email, password)
        await self._require_admin_tenant_active(admin)
        secret = new_console_secret()
        session = start_session(admin.admin_user_id, self._clock(), self._console_timeouts)
        await store.insert(credential_hash(secret), session)
        _log.info("console session started")
        return secret, session, admin

    async def current_console_session(self, secret: str) -> tuple[ConsoleSession, AdminUser]:
        """The cookie's live session (its idle deadline slid) and administrator; 401 otherwise."""
        found = await self._touch_console(secret)
        if found is None:
            raise Unauthenticated("no console session: sign in again", reason="CONSOLE_SESSION_INVALID")
        return found

    async def end_console_session(self, secret: str) -> None:
        if secret and is_console_secret(secret) and len(secret) <= 200:
            if await self._console_store().delete(credential_hash(secret)):
                # Other services' cached credential checks drop the session now, not in 5 s.
                await self._notify(CREDENTIALS_TOPIC, "")
                _log.info("console session ended")

    async def _touch_console(self, secret: str) -> tuple[ConsoleSession, AdminUser] | None:
        if not secret or not is_console_secret(secret) or len(secret) > 200:
            return None
        found = await self._console_store().touch(credential_hash(secret), self._clock(),
                                                  self._console_timeouts.idle)
        if found is None or found[1].state is not AdminState.ACTIVE:
            return None
        try:
            await self._require_admin_tenant_active(found[1])
        except Unauthenticated:
            return None
        return found

    async def _require_admin_tenant_active(self, admin: AdminUser) -> None:
        if admin.tenant_id:
            tenant = await self._tenants.get(admin.tenant_id)
            if tenant is None or tenant.state is not TenantState.ACTIVE:
                raise Unauthenticated("email or password is wrong", reason="INVALID_CREDENTIALS")

    # --- any management credential -------------------------------------------------------
    async def authenticate(self, credential: str) -> tuple[Principal, int]:
        """Who holds this API key or admin token, and how long the answer may be cached."""
        if not credential or len(credential) > 200:
            raise invalid_credential()
        if is_console_secret(credential):
            return await self._authenticate_console(credential)
        digest = credential_hash(credential)
        now = self._clock()
        key = await self._keys.by_hash(digest)
        if key is not None:
            if key.state(now) is not ApiKeyState.ACTIVE:
                raise invalid_credential()
            principal = Principal(key.api_key_id, PrincipalKind.API_KEY, key.tenant_id, key.scopes)
        else:
            admin = await self._admins.by_token(digest, now)
            if admin is None or admin.state is not AdminState.ACTIVE:
                raise invalid_credential()
            principal = Principal(admin.admin_user_id, PrincipalKind.ADMIN_USER, admin.tenant_id, admin.scopes)
        if principal.tenant_id:
            tenant = await self._tenants.get(principal.tenant_id)
            if tenant is None or tenant.state is not TenantState.ACTIVE:
                # Suspending or deleting a tenant ends all its management credentials at once.
                raise invalid_credential()
        return principal, PRINCIPAL_CACHE_SECONDS

    async def _authenticate_console(self, secret: str) -> tuple[Principal, int]:
        """A console session acts exactly as its administrator's admin token would."""
        found = await self._touch_console(secret)
        if found is None:
            raise invalid_credential()
        session, admin = found
        # Cached no longer than the session may live (ending it also clears every cache), and
        # for a quarter of the idle timeout at most: a use answered from another service's
        # cache does not slide the idle deadline, so the cache may shorten it only a little.
        idle_quarter = self._console_timeouts.idle.total_seconds() / 4
        ttl = int(min(PRINCIPAL_CACHE_SECONDS, idle_quarter, session.seconds_left(self._clock())))
        return Principal(admin.admin_user_id, PrincipalKind.ADMIN_USER, admin.tenant_id, admin.scopes), ttl
