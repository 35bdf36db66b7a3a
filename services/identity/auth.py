"""Sign-up and sign-in use cases.

Every answer that could tell whether an email is registered is the same for registered,
unknown, disabled and locked accounts, and costs the same: one argon2id verification
(a dummy hash for unknown users) and the same progressive delay (counters are kept per
email address, registered or not)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

import structlog

from services.common.context import bind
from services.common.directory import TenantInfo
from services.common.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from services.common.passwords import PasswordHashing
from services.common.tenancy import TenantSelection, require_tenant_id
from services.common.timestamps import Clock, utcnow
from services.identity.codes import LIFETIME, Purpose, new_code
from services.identity.events import EventType
from services.identity.messaging.templates import mail_language
from services.identity.password_policy import PasswordPolicy, normalize_password
from services.identity.ports import EventRecorder, IdentityMetrics, Lockout, Outbox, SessionGateway, StartedSession
from services.identity.store import PgUserStore
from services.identity.users import User, UserState, clean_profile, email_or_none, new_user_id, normalize_email

_log = structlog.get_logger("identity")
# Accepted passwords are capped far above any policy so a megabyte "password" cannot cost
# an argon2 run; the policy's own maximum (>= 64) is what users see.
HARD_MAX_PASSWORD = 1024


# Deferred requests (see _defer).
VERIFICATION_REQUEST = "verification_request"
MAGIC_LINK_REQUEST = "magic_link_request"
PASSWORD_RESET_REQUEST = "password_reset_request"  # noqa: S105 - a queue label

# The call-to-action link of each code-carrying mail template.
LINK_NAME = {"verify_email": "verify", "magic_link": "login", "password_reset": "reset", "invite": "accept"}


class Tenants(Protocol):
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


class MfaCheck(Protocol):
    async def verify(self, tenant_id: str, user: User, code: str) -> str:
        """The amr value of the factor ("otp" or "recovery"), or "" when the code is wrong."""
        ...


@dataclass(frozen=True)
class LoginResult:
    user: User | None = None
    session: StartedSession | None = None
    mfa_token: str = ""


def invalid_credentials() -> Unauthenticated:
    return Unauthenticated("email or password is wrong", reason="INVALID_CREDENTIALS")


def lockout_subject(email: str) -> str:
    """Brute-force counters are per email address, registered or not, so that a locked or
    slowed-down account looks exactly like an unknown one."""
    return "email:" + hashlib.sha256(email.lower().encode()).hexdigest()


@dataclass(frozen=True)
class Tenant:
    """The tenant of one request, with what the use cases need from its settings."""

    tenant_id: str
    name: str
    base_url: str  # <public url>/tenant/<id>: links in mails start here, never at a Host header
    settings: dict[str, Any]

    @property
    def password_policy(self) -> PasswordPolicy:
        return PasswordPolicy.from_settings(self.settings.get("password_policy", {}))

    @property
    def lockout_policy(self) -> dict[str, Any]:
        return dict(self.settings.get("lockout_policy", {}))

    def allows(self, method: str) -> bool:
        return bool(self.settings.get("login_methods", {}).get(method, True))


class AuthUseCases:
    def __init__(self, users: PgUserStore, sessions: SessionGateway, passwords: PasswordHashing, lockout: Lockout,
                 outbox: Outbox, tenants: Tenants, mfa: MfaCheck, metrics: IdentityMetrics,
                 issuer_for: Callable[[str], str], events: EventRecorder, clock: Clock = utcnow,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self._events = events
        self._users = users
        self._sessions = sessions
        self._passwords = passwords
        self._lockout = lockout
        self._outbox = outbox
        self._tenants = tenants
        self._mfa = mfa
        self._metrics = metrics
        self._issuer_for = issuer_for
        self._clock = clock
        self._sleep = sleep

    async def tenant(self, candidates: list[TenantSelection]) -> Tenant:
        return self.tenant_of(await self._tenants.select(candidates))

    async def tenant_by_id(self, tenant_id: str) -> Tenant:
        """The tenant another service (or a queued request) names by id."""
        return await self.tenant([TenantSelection("internal", tenant_id=require_tenant_id(tenant_id))])

    def tenant_of(self, info: TenantInfo) -> Tenant:
        """The request's tenant for the use cases; a suspended tenant is refused."""
        if not info.active:
            raise PermissionDenied("this tenant is suspended", reason="TENANT_SUSPENDED")
        bind(tenant_id=info.tenant_id)
        return Tenant(info.tenant_id, info.display_name or info.tenant_id,
                      self._issuer_for(info.tenant_id), info.settings)

    def _link(self, tenant: Tenant, path: str, **params: str) -> str:
        from services.identity.messaging.templates import build_link

        return build_link(tenant.base_url, path, **params)

    # --- sign-up ---------------------------------------------------------------------------
    async def signup(self, tenant: Tenant, email: str, password: str, profile: dict[str, Any],
                     language: str = "") -> None:
        """`language` (here and below): the page's, which the mail then speaks (templates.mail_language)."""
        if not tenant.allows("signup"):
            raise PermissionDenied("sign-up is disabled for this tenant", reason="SIGNUP_DISABLED")
        email = normalize_email(email)
        clean = clean_profile({k: v for k, v in profile.items() if v})
        tenant.password_policy.check(password, email=email, name=clean.name)
        # Hash in both branches: an existing address must not answer faster.
        password_hash = await self._passwords.hash(normalize_password(password))
        now = self._clock()
        user = User(new_user_id(), email, False, "", False, clean, {}, UserState.ACTIVE, False, now, now)
        if not await self._users.insert(tenant.tenant_id, user, password_hash):
            existing = await self._users.by_email(tenant.tenant_id, email)
            if existing is not None:
                await self._outbox.mail(
                    "signup_existing_account", tenant_id=tenant.tenant_id, tenant_name=tenant.name,
                    to=existing[0].email, values={},
                    links={"login": f"{tenant.base_url}/login", "reset": f"{tenant.base_url}/forgot-password"},
                    language=mail_language(language, existing[0].profile.locale, tenant.settings))
            return
        self._metrics.registered()
        _log.info("user registered", user_id=user.user_id)
        await self._events.record(tenant.tenant_id, EventType.SIGNED_UP, user_id=user.user_id)
        await self._send_code(tenant, user, Purpose.VERIFY_EMAIL, "verify_email", "/verify-email", user.email,
                              language=language)

    async def _send_code(self, tenant: Tenant, user: User, purpose: Purpose, template: str, path: str,
                         target: str, language: str = "", **params: str) -> None:
        code = new_code(purpose)
        now = self._clock()
        await self._users.insert_code(tenant.tenant_id, code.hash, user.user_id, purpose, target,
                                      now + LIFETIME[purpose], now)
        link = self._link(tenant, path, code=code.value, **params)
        values = {"expires_minutes": str(int(LIFETIME[purpose].total_seconds() // 60))}
        if template != "magic_link":
            values["code"] = code.value
        await self._outbox.mail(template, tenant_id=tenant.tenant_id, tenant_name=tenant.name, to=target,
                                links={LINK_NAME[template]: link}, values=values,
                                language=mail_language(language, user.profile.locale, tenant.settings))
        self._metrics.verification_sent(purpose.value)

    async def verify_email(self, tenant: Tenant, code: str) -> str:
        found = await self._consume(tenant, Purpose.VERIFY_EMAIL, code)
        user = await self._users.get(tenant.tenant_id, found[0])
        if user is None or user.email.lower() != found[1].lower():
            # The address changed since the code was sent: it proves nothing about the new one.
            raise InvalidArgument("the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"})
        await self._users.save(tenant.tenant_id, replace(user, email_verified=True), self._clock())
        await self._events.record(tenant.tenant_id, EventType.EMAIL_VERIFIED, user_id=user.user_id)
        return user.email

    async def _consume(self, tenant: Tenant, purpose: Purpose, code: str) -> tuple[str, str]:
        from services.identity.codes import code_hash

        if not code or len(code) > 128:
            raise InvalidArgument("the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"})
        found = await self._users.consume_code(tenant.tenant_id, code_hash(purpose, code), purpose, self._clock())
        if found is None:
            raise InvalidArgument("the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"})
        return found

    async def resend_verification(self, tenant: Tenant, email: str, language: str = "") -> None:
        await self._defer(tenant, VERIFICATION_REQUEST, email, language=language)

    # --- requests answered the same whether or not the address is registered ----------------
    # The answer costs one outbox write in every case; the lookup and the mail happen later.
    async def _defer(self, tenant: Tenant, request: str, email: str, **values: str) -> None:
        address = email_or_none(email)
        if address is not None:
            values = {k: v for k, v in values.items() if v}
            await self._outbox.defer(request, tenant_id=tenant.tenant_id, values={"email": address, **values})

    def deferred_handlers(self) -> dict[str, Callable[[str, dict[str, str]], Awaitable[None]]]:
        return {VERIFICATION_REQUEST: self._handle_verification_request, MAGIC_LINK_REQUEST: self._handle_magic_link,
                PASSWORD_RESET_REQUEST: self._handle_reset_request}

    async def _deferred_user(self, tenant_id: str, values: dict[str, str]) -> tuple[Tenant, User] | None:
        """The request's tenant and active user, or None when there is nothing to send (an
        unknown, disabled or since-deleted account; a suspended or deleted tenant)."""
        try:
            tenant = await self.tenant_by_id(tenant_id)
        except (NotFound, PermissionDenied):
            return None
        found = await self._users.by_email(tenant.tenant_id, values.get("email", ""))
        return (tenant, found[0]) if found and found[0].active else None

    async def _handle_verification_request(self, tenant_id: str, values: dict[str, str]) -> None:
        target = await self._deferred_user(tenant_id, values)
        if target is not None and not target[1].email_verified:
            tenant, user = target
            await self._send_code(tenant, user, Purpose.VERIFY_EMAIL, "verify_email", "/verify-email", user.email,
                                  language=values.get("language", ""))

    async def _handle_magic_link(self, tenant_id: str, values: dict[str, str]) -> None:
        target = await self._deferred_user(tenant_id, values)
        if target is not None and target[0].allows("magic_link"):
            tenant, user = target
            params = {"return_to": values["return_to"]} if values.get("return_to") else {}
            await self._send_code(tenant, user, Purpose.MAGIC_LINK, "magic_link", "/magic-link", user.email,
                                  values.get("language", ""), **params)

    async def _handle_reset_request(self, tenant_id: str, values: dict[str, str]) -> None:
        target = await self._deferred_user(tenant_id, values)
        if target is not None:
            tenant, user = target
            await self._send_code(tenant, user, Purpose.PASSWORD_RESET, "password_reset", "/reset-password",
                                  user.email, language=values.get("language", ""))

    # --- password login ----------------------------------------------------------------
    async def login(self, tenant: Tenant, email: str, password: str, ip_address: str, user_agent: str,
                    language: str = "") -> LoginResult:
        if not tenant.allows("password"):
            raise PermissionDenied("password sign-in is disabled for this tenant", reason="METHOD_DISABLED")
        valid = email_or_none(email)
        address = valid or email.strip().lower()[:254]
        subject = lockout_subject(address)
        policy = tenant.lockout_policy
        found = await self._users.by_email(tenant.tenant_id, valid) if valid else None
        stored = found[1] if found else None
        user = found[0] if found else None
        async with self._lockout.attempt(tenant.tenant_id, subject, policy) as attempt:
            # Always one argon2 verification (a dummy hash for unknown users), locked or not.
            ok = len(password) <= HARD_MAX_PASSWORD and await self._passwords.verify(
                stored, normalize_password(password))
            admitted = attempt.admitted
            if not ok or user is None or not admitted or not user.active:
                delay = await attempt.failed()
            elif user.mfa_enabled:
                # With MFA the counter is only forgiven once the second factor succeeds too: a
                # known password must not reset the budget for guessing TOTP codes.
                await attempt.released()
            else:
                await attempt.succeeded()
        if not ok or user is None or not admitted or not user.active:
            # Recorded for every kind of failure alike: the write costs the same either way.
            reason = "locked" if not admitted else "disabled" if ok and user and not user.active else "credentials"
            await self._events.record(tenant.tenant_id, EventType.LOGIN_FAILED, user_id=user.user_id if user else "",
                                      email=address, reason=reason)
            await self._sleep(delay)
            self._metrics.login("failure" if admitted else "locked")
            _log.info("login failed", locked=not admitted)
            raise invalid_credentials()
        if stored and self._passwords.needs_rehash(stored):
            await self._users.set_password_hash(tenant.tenant_id, user.user_id,
                                                await self._passwords.hash(normalize_password(password)),
                                                self._clock())
        if not user.email_verified:
            # Only someone who knows the password learns this, and the mail goes to the owner.
            await self._send_code(tenant, user, Purpose.VERIFY_EMAIL, "verify_email", "/verify-email", user.email,
                                  language=language)
            raise PermissionDenied("verify your email address first: we sent you a new link",
                                   reason="EMAIL_NOT_VERIFIED")
        return await self._second_factor_or_session(tenant, user, "pwd", ip_address, user_agent)

    async def _second_factor_or_session(self, tenant: Tenant, user: User, first: str, ip_address: str,
                                        user_agent: str) -> LoginResult:
        if user.mfa_enabled:
            code = new_code(Purpose.MFA_LOGIN)
            now = self._clock()
            await self._users.insert_code(tenant.tenant_id, code.hash, user.user_id, Purpose.MFA_LOGIN, first,
                                          now + LIFETIME[Purpose.MFA_LOGIN], now)
            self._metrics.login("mfa_required")
            return LoginResult(mfa_token=code.value)
        return await self._start(tenant, user, [first], ip_address, user_agent)

    async def _start(self, tenant: Tenant, user: User, amr: list[str], ip_address: str,
                     user_agent: str) -> LoginResult:
        session = await self._sessions.create(tenant.tenant_id, user.user_id, amr, ip_address, user_agent)
        now = self._clock()
        await self._users.record_login(tenant.tenant_id, user.user_id, now)
        self._metrics.login("success")
        bind(user_id=user.user_id)
        await self._events.record(tenant.tenant_id, EventType.LOGIN_SUCCEEDED, user_id=user.user_id,
                                  method=" ".join(amr), session_id=session.session_id)
        _log.info("login succeeded", amr=",".join(amr))
        return LoginResult(user=replace(user, last_login_time=now), session=session)

    async def external_sign_in(self, tenant: Tenant, user: User, amr: list[str], mfa_satisfied: bool,
                               ip_address: str, user_agent: str) -> LoginResult:
        """A sign-in an external provider vouched for (services/identity/federation): the
        session, or the MFA step when the user has MFA and the upstream's does not count."""
        if user.mfa_enabled and not mfa_satisfied:
            return await self._second_factor_or_session(tenant, user, amr[0], ip_address, user_agent)
        return await self._start(tenant, user, amr, ip_address, user_agent)

    async def complete_mfa(self, tenant: Tenant, mfa_token: str, code: str, ip_address: str,
                           user_agent: str) -> LoginResult:
        from services.identity.codes import code_hash

        now = self._clock()
        token_hash = code_hash(Purpose.MFA_LOGIN, mfa_token) if mfa_token and len(mfa_token) <= 128 else b""
        pending = await self._users.live_code_by_hash(tenant.tenant_id, token_hash, Purpose.MFA_LOGIN, now)
        if pending is None:
            raise Unauthenticated("the sign-in attempt expired; start again", reason="MFA_TOKEN_INVALID")
        user_id, first = pending
        user = await self._users.get(tenant.tenant_id, user_id)
        if user is None or not user.active or not user.mfa_enabled:
            raise Unauthenticated("the sign-in attempt expired; start again", reason="MFA_TOKEN_INVALID")
        subject = lockout_subject(user.email)
        async with self._lockout.attempt(tenant.tenant_id, subject, tenant.lockout_policy) as attempt:
            factor = await self._mfa.verify(tenant.tenant_id, user, code) if attempt.admitted else ""
            if not factor:
                delay = await attempt.failed()
            elif await self._users.consume_code(tenant.tenant_id, token_hash, Purpose.MFA_LOGIN, now) is None:
                # A parallel request used this sign-in attempt: neither counted nor forgiven.
                await attempt.released()
                raise Unauthenticated("the sign-in attempt expired; start again", reason="MFA_TOKEN_INVALID")
            else:
                await attempt.succeeded()
        if not factor:
            await self._events.record(tenant.tenant_id, EventType.MFA_FAILED, user_id=user.user_id,
                                      reason="code" if attempt.admitted else "locked")
            await self._sleep(delay)
            self._metrics.login("mfa_failure")
            raise Unauthenticated("the code is wrong", reason="INVALID_MFA_CODE")
        return await self._start(tenant, user, [first, "otp" if factor == "otp" else "mfa", "mfa"],
                                 ip_address, user_agent)

    async def logout(self, tenant: Tenant, secret: str) -> None:
        current = await self._sessions.validate(tenant.tenant_id, secret) if secret else None
        if current is not None:
            await self._sessions.revoke(tenant.tenant_id, current.session_id)
            await self._events.record(tenant.tenant_id, EventType.LOGGED_OUT, user_id=current.user_id,
                                      session_id=current.session_id)

    # --- magic links ---------------------------------------------------------------------
    async def send_magic_link(self, tenant: Tenant, email: str, return_to: str, language: str = "") -> None:
        if not tenant.allows("magic_link"):
            raise PermissionDenied("magic links are disabled for this tenant", reason="METHOD_DISABLED")
        params = {"return_to": return_to} if safe_return_path(return_to) else {}
        await self._defer(tenant, MAGIC_LINK_REQUEST, email, language=language, **params)

    async def consume_magic_link(self, tenant: Tenant, code: str, ip_address: str, user_agent: str) -> LoginResult:
        if not tenant.allows("magic_link"):
            raise PermissionDenied("magic links are disabled for this tenant", reason="METHOD_DISABLED")
        user_id, target = await self._consume(tenant, Purpose.MAGIC_LINK, code)
        user = await self._users.get(tenant.tenant_id, user_id)
        if user is None or not user.active or user.email.lower() != target.lower():
            raise InvalidArgument("the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"})
        if not user.email_verified:
            # Following the link proves the address.
            saved = await self._users.save(tenant.tenant_id, replace(user, email_verified=True), self._clock())
            user = saved or user
        return await self._second_factor_or_session(tenant, user, "email", ip_address, user_agent)

    # --- password reset --------------------------------------------------------------------
    async def request_reset(self, tenant: Tenant, email: str, language: str = "") -> None:
        await self._defer(tenant, PASSWORD_RESET_REQUEST, email, language=language)

    async def confirm_reset(self, tenant: Tenant, code: str, new_password: str) -> None:
        """Sets the password and ends every session and token. It does not sign in: the user
        signs in next, with the second factor if enabled (a reset never bypasses MFA)."""
        from services.identity.codes import code_hash

        invalid = InvalidArgument("the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"})
        hashed = code_hash(Purpose.PASSWORD_RESET, code) if code and len(code) <= 128 else b""
        pending = await self._users.live_code_by_hash(tenant.tenant_id, hashed, Purpose.PASSWORD_RESET, self._clock())
        user = await self._users.get(tenant.tenant_id, pending[0]) if pending else None
        if pending is None or user is None or not user.active or user.email.lower() != pending[1].lower():
            raise invalid
        # The policy is checked before the code is used up, so a weak password costs no new mail.
        tenant.password_policy.check(new_password, email=user.email, name=user.profile.name)
        if await self._users.consume_code(tenant.tenant_id, hashed, Purpose.PASSWORD_RESET, self._clock()) is None:
            raise invalid
        now = self._clock()
        await self._users.set_password_hash(tenant.tenant_id, user.user_id,
                                            await self._passwords.hash(normalize_password(new_password)), now)
        if not user.email_verified:
            await self._users.save(tenant.tenant_id, replace(user, email_verified=True), now)
        revoked = await self._sessions.revoke_user(tenant.tenant_id, user.user_id)
        await self._lockout.unlock(tenant.tenant_id, lockout_subject(user.email))
        _log.info("password reset", user_id=user.user_id, revoked_sessions=revoked)
        await self._events.record(tenant.tenant_id, EventType.PASSWORD_RESET, user_id=user.user_id)


def safe_return_path(value: str) -> bool:
    """A path on this tenant: starts with one slash, no scheme, no backslash, no host."""
    return bool(value) and value.startswith("/") and not value.startswith(("//", "/\\")) and "\\" not in value \
        and all(ord(c) > 32 for c in value) and len(value) <= 2048
