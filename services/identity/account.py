"""The signed-in user's own account, and the MFA factor checks."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import structlog

from services.common.crypto import SecretBox
from services.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, Unauthenticated
from services.common.passwords import PasswordHashing
from services.common.timestamps import Clock, utcnow
from services.identity import totp
from services.identity.auth import HARD_MAX_PASSWORD, Tenant, lockout_subject
from services.identity.codes import LIFETIME, Purpose, code_hash, new_code
from services.identity.events import EventType
from services.identity.password_policy import normalize_password
from services.identity.ports import CurrentSession, EventRecorder, IdentityMetrics, Lockout, Outbox, SessionGateway
from services.identity.store import PgUserStore
from services.identity.users import User, clean_profile, normalize_email, normalize_phone

_log = structlog.get_logger("identity")


def session_required() -> Unauthenticated:
    return Unauthenticated("sign in first", reason="SESSION_REQUIRED")


class TotpFactor:
    """Verifies TOTP and recovery codes of enrolled users (MfaCheck for the login step)."""

    def __init__(self, users: PgUserStore, box: SecretBox, clock: Clock = utcnow) -> None:
        self._users = users
        self.box = box
        self._clock = clock

    async def verify(self, tenant_id: str, user: User, code: str) -> str:
        sealed, _pending, last_step = await self._users.totp(tenant_id, user.user_id)
        now = self._clock()
        if sealed is not None and code.replace(" ", "").isdigit():
            secret = self.box.open(sealed, f"{tenant_id}:{user.user_id}").decode()
            step = totp.verify(secret, code, now, last_step)
            if step is not None and await self._users.use_totp_step(tenant_id, user.user_id, step):
                return "otp"
            return ""
        if code and len(code) <= 64 and await self._users.use_recovery_code(
                tenant_id, user.user_id, totp.recovery_code_hash(code), now):
            return "recovery"
        return ""


class AccountUseCases:
    def __init__(self, users: PgUserStore, sessions: SessionGateway, passwords: PasswordHashing, lockout: Lockout,
                 outbox: Outbox, factor: TotpFactor, metrics: IdentityMetrics, events: EventRecorder,
                 clock: Clock = utcnow) -> None:
        self._events = events
        self._users = users
        self._sessions = sessions
        self._passwords = passwords
        self._lockout = lockout
        self._outbox = outbox
        self._factor = factor
        self._metrics = metrics
        self._clock = clock

    async def me(self, tenant: Tenant, secret: str) -> tuple[User, CurrentSession]:
        current = await self._sessions.validate(tenant.tenant_id, secret) if secret else None
        if current is None:
            raise session_required()
        user = await self._users.get(tenant.tenant_id, current.user_id)
        if user is None or not user.active:
            await self._sessions.revoke(tenant.tenant_id, current.session_id)
            raise session_required()
        return user, current

    async def update_profile(self, tenant: Tenant, user: User, changes: dict[str, Any]) -> User:
        profile = clean_profile(changes, user.profile)
        saved = await self._users.save(tenant.tenant_id, replace(user, profile=profile), self._clock())
        assert saved is not None
        return saved

    async def _guarded(self, tenant: Tenant, user: User, check: Callable[[], Awaitable[bool]],
                       failure: Exception) -> None:
        """Runs a secret check under the account's brute-force protection."""
        subject = lockout_subject(user.email)
        async with self._lockout.attempt(tenant.tenant_id, subject, tenant.lockout_policy) as attempt:
            if attempt.admitted and await check():
                await attempt.succeeded()
                return
            delay = await attempt.failed()
        await asyncio.sleep(delay)
        raise failure

    async def _check_password(self, tenant: Tenant, user: User, password: str) -> None:
        async def check() -> bool:
            stored = await self._users.password_hash(tenant.tenant_id, user.user_id)
            return len(password) <= HARD_MAX_PASSWORD and await self._passwords.verify(
                stored, normalize_password(password))

        await self._guarded(tenant, user, check,
                            Unauthenticated("the current password is wrong", reason="INVALID_CREDENTIALS"))

    async def change_password(self, tenant: Tenant, user: User, current: CurrentSession, old: str, new: str) -> int:
        await self._check_password(tenant, user, old)
        tenant.password_policy.check(new, email=user.email, name=user.profile.name)
        await self._users.set_password_hash(tenant.tenant_id, user.user_id,
                                            await self._passwords.hash(normalize_password(new)), self._clock())
        revoked = await self._sessions.revoke_user(tenant.tenant_id, user.user_id, except_session_id=current.session_id)
        _log.info("password changed", revoked_sessions=revoked)
        await self._events.record(tenant.tenant_id, EventType.PASSWORD_CHANGED, user_id=user.user_id)
        return revoked

    async def change_email(self, tenant: Tenant, user: User, new_email: str, password: str) -> User:
        await self._check_password(tenant, user, password)
        address = normalize_email(new_email)
        saved = await self._users.save(tenant.tenant_id, replace(user, email=address, email_verified=False),
                                       self._clock())
        if saved is None:
            raise AlreadyExists("this email belongs to another account", reason="EMAIL_TAKEN",
                                details={"field": "new_email"})
        from services.identity.messaging.templates import build_link, mail_language

        # No page caused these: the user's own locale, else the tenant's default language.
        language = mail_language("", user.profile.locale, tenant.settings)
        await self._outbox.mail("email_changed_notice", tenant_id=tenant.tenant_id, tenant_name=tenant.name,
                                to=user.email, links={}, values={}, language=language)
        code = new_code(Purpose.VERIFY_EMAIL)
        now = self._clock()
        await self._users.insert_code(tenant.tenant_id, code.hash, user.user_id, Purpose.VERIFY_EMAIL, address,
                                      now + LIFETIME[Purpose.VERIFY_EMAIL], now)
        await self._outbox.mail("verify_email", tenant_id=tenant.tenant_id, tenant_name=tenant.name, to=address,
                                links={"verify": build_link(tenant.base_url, "/verify-email", code=code.value)},
                                values={"code": code.value, "expires_minutes": "10"}, language=language)
        self._metrics.verification_sent(Purpose.VERIFY_EMAIL.value)
        await self._events.record(tenant.tenant_id, EventType.EMAIL_CHANGED, user_id=user.user_id,
                                  previous=user.email, email=address)
        return saved

    async def send_phone_code(self, tenant: Tenant, user: User, phone_number: str) -> None:
        phone = normalize_phone(phone_number)
        if not phone:
            raise InvalidArgument("phone_number is required", reason="INVALID_PHONE_NUMBER",
                                  details={"field": "phone_number"})
        saved = await self._users.save(tenant.tenant_id, replace(user, phone_number=phone, phone_verified=False),
                                       self._clock())
        assert saved is not None
        code = new_code(Purpose.VERIFY_PHONE)
        now = self._clock()
        await self._users.insert_code(tenant.tenant_id, code.hash, user.user_id, Purpose.VERIFY_PHONE, phone,
                                      now + LIFETIME[Purpose.VERIFY_PHONE], now)
        from services.identity.messaging.templates import mail_language, sms_text

        language = mail_language("", user.profile.locale, tenant.settings)
        await self._outbox.sms(phone, sms_text(tenant.name, code.value, language), tenant_id=tenant.tenant_id)
        self._metrics.verification_sent(Purpose.VERIFY_PHONE.value)

    async def verify_phone(self, tenant: Tenant, user: User, code: str) -> User:
        now = self._clock()
        given = code_hash(Purpose.VERIFY_PHONE, code) if code and len(code) <= 16 else b""

        async def check() -> bool:
            live = await self._users.live_code_for(tenant.tenant_id, user.user_id, Purpose.VERIFY_PHONE, now)
            if live is None or not hmac.compare_digest(live[0], given) or live[1] != user.phone_number:
                return False
            return await self._users.consume_code(tenant.tenant_id, given, Purpose.VERIFY_PHONE, now) is not None

        await self._guarded(tenant, user, check, InvalidArgument(
            "the code is invalid or expired", reason="INVALID_CODE", details={"field": "code"}))
        saved = await self._users.save(tenant.tenant_id, replace(user, phone_verified=True), now)
        assert saved is not None
        await self._events.record(tenant.tenant_id, EventType.PHONE_VERIFIED, user_id=user.user_id)
        return saved

    # --- TOTP --------------------------------------------------------------------------------
    async def enroll_totp(self, tenant: Tenant, user: User) -> tuple[str, str]:
        if not tenant.allows("totp"):
            raise FailedPrecondition("TOTP is disabled for this tenant", reason="METHOD_DISABLED")
        if user.mfa_enabled:
            raise FailedPrecondition("TOTP is already enabled; disable it first", reason="MFA_ALREADY_ENABLED")
        secret = totp.new_secret()
        sealed = self._factor.box.seal(secret.encode(), f"{tenant.tenant_id}:{user.user_id}")
        await self._users.set_pending_totp(tenant.tenant_id, user.user_id, sealed)
        return secret, totp.otpauth_uri(secret, user.email, tenant.name)

    async def confirm_totp(self, tenant: Tenant, user: User, code: str) -> list[str]:
        _active, pending, _last = await self._users.totp(tenant.tenant_id, user.user_id)
        if pending is None:
            raise FailedPrecondition("start the enrollment first", reason="MFA_NOT_ENROLLING")
        context = f"{tenant.tenant_id}:{user.user_id}"
        secret = self._factor.box.open(pending, context).decode()
        steps: list[int] = []

        async def check() -> bool:
            step = totp.verify(secret, code, self._clock(), None)
            steps.extend([] if step is None else [step])
            return step is not None

        await self._guarded(tenant, user, check, InvalidArgument("the code is wrong", reason="INVALID_MFA_CODE",
                                                                 details={"field": "code"}))
        step = steps[0]
        codes = totp.new_recovery_codes()
        await self._users.activate_totp(tenant.tenant_id, user.user_id, pending, step,
                                        [totp.recovery_code_hash(c) for c in codes], self._clock())
        _log.info("totp enabled")
        await self._events.record(tenant.tenant_id, EventType.MFA_ENABLED, user_id=user.user_id, factor="totp")
        return codes

    async def disable_totp(self, tenant: Tenant, user: User, code: str) -> None:
        if not user.mfa_enabled:
            raise FailedPrecondition("TOTP is not enabled", reason="MFA_NOT_ENABLED")

        async def check() -> bool:
            return bool(await self._factor.verify(tenant.tenant_id, user, code))

        await self._guarded(tenant, user, check, InvalidArgument(
            "a fresh TOTP or recovery code is required", reason="INVALID_MFA_CODE", details={"field": "code"}))
        await self._users.clear_mfa(tenant.tenant_id, user.user_id, self._clock())
        _log.info("totp disabled")
        await self._events.record(tenant.tenant_id, EventType.MFA_DISABLED, user_id=user.user_id, factor="totp")
