"""Administration of a tenant's users (API key with users:read / users:write)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import structlog

from services.common.errors import AlreadyExists, InvalidArgument, NotFound
from services.common.pagination import decode_page_token, encode_page_token, page_size
from services.common.passwords import PasswordHashing
from services.common.search import like_pattern
from services.common.timestamps import Clock, utcnow
from services.identity.auth import Tenant, lockout_subject
from services.identity.codes import LIFETIME, Purpose, new_code
from services.identity.events import EventType
from services.identity.password_policy import normalize_password
from services.identity.ports import EventRecorder, IdentityMetrics, Lockout, Outbox, SessionGateway
from services.identity.store import PgUserStore
from services.identity.users import (
    PROFILE_FIELDS,
    User,
    UserState,
    clean_metadata,
    clean_profile,
    new_user_id,
    normalize_email,
    normalize_phone,
)

_log = structlog.get_logger("identity")
UPDATABLE = ("email", "phone_number", "metadata", *PROFILE_FIELDS)


def user_not_found() -> NotFound:
    return NotFound("user not found", reason="USER_NOT_FOUND")


class UserAdminUseCases:
    def __init__(self, users: PgUserStore, sessions: SessionGateway, passwords: PasswordHashing, lockout: Lockout,
                 outbox: Outbox, metrics: IdentityMetrics, events: EventRecorder, clock: Clock = utcnow) -> None:
        self._events = events
        self._users = users
        self._sessions = sessions
        self._passwords = passwords
        self._lockout = lockout
        self._outbox = outbox
        self._metrics = metrics
        self._clock = clock

    async def get(self, tenant: Tenant, user_id: str) -> User:
        user = await self._users.get(tenant.tenant_id, user_id) if user_id and len(user_id) <= 64 else None
        if user is None:
            raise user_not_found()
        locked = await self._lockout.is_locked(tenant.tenant_id, lockout_subject(user.email))
        return replace(user, locked=locked)

    async def list(self, tenant: Tenant, query: str, size: int, token: str) -> tuple[list[User], str]:
        limit = page_size(size)
        after = decode_page_token(token)
        found = await self._users.list(tenant.tenant_id, like_pattern(query),
                                       after if isinstance(after, str) else None, limit + 1)
        next_token = encode_page_token(found[limit - 1].user_id) if len(found) > limit else ""
        return found[:limit], next_token

    async def create(self, tenant: Tenant, fields: dict[str, Any], password: str, send_invite: bool,
                     email_verified: bool) -> User:
        email = normalize_email(str(fields.get("email", "")))
        profile = clean_profile({k: v for k, v in fields.items() if k in PROFILE_FIELDS and v})
        if password:
            tenant.password_policy.check(password, email=email, name=profile.name)
        now = self._clock()
        user = User(new_user_id(), email, email_verified, normalize_phone(str(fields.get("phone_number", ""))),
                    False, profile, clean_metadata(fields.get("metadata")), UserState.ACTIVE, False, now, now)
        password_hash = await self._passwords.hash(normalize_password(password)) if password else None
        if not await self._users.insert(tenant.tenant_id, user, password_hash):
            raise AlreadyExists("a user with this email exists in the tenant", reason="USER_ALREADY_EXISTS",
                                details={"field": "email"})
        self._metrics.registered()
        if send_invite:
            from services.identity.messaging.templates import build_link, mail_language

            # An invitation is a password-reset code that lives longer (a person must find the mail).
            code = new_code(Purpose.PASSWORD_RESET)
            await self._users.insert_code(tenant.tenant_id, code.hash, user.user_id, Purpose.PASSWORD_RESET,
                                          user.email, now + LIFETIME[Purpose.INVITE], now)
            self._metrics.verification_sent(Purpose.INVITE.value)
            await self._outbox.mail("invite", tenant_id=tenant.tenant_id, tenant_name=tenant.name, to=user.email,
                                    links={"accept": build_link(tenant.base_url, "/reset-password", code=code.value)},
                                    values={}, language=mail_language("", user.profile.locale, tenant.settings))
        _log.info("user created by admin", user_id=user.user_id)
        await self._events.record(tenant.tenant_id, EventType.USER_CREATED, user_id=user.user_id,
                                  invited="yes" if send_invite else "")
        return user

    async def update(self, tenant: Tenant, user_id: str, changes: dict[str, Any]) -> User:
        user = await self.get(tenant, user_id)
        unknown = sorted(set(changes) - set(UPDATABLE))
        if unknown:
            raise InvalidArgument(f"field {unknown[0]!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": unknown[0]})
        updated = replace(user, profile=clean_profile({k: v for k, v in changes.items() if k in PROFILE_FIELDS},
                                                      user.profile))
        if "email" in changes:
            email = normalize_email(str(changes["email"]))
            updated = replace(updated, email=email, email_verified=updated.email_verified and email == user.email)
        if "phone_number" in changes:
            phone = normalize_phone(str(changes["phone_number"] or ""))
            updated = replace(updated, phone_number=phone,
                              phone_verified=updated.phone_verified and phone == user.phone_number)
        if "metadata" in changes:
            updated = replace(updated, metadata=clean_metadata(changes["metadata"]))
        saved = await self._users.save(tenant.tenant_id, updated, self._clock())
        if saved is None:
            raise AlreadyExists("a user with this email exists in the tenant", reason="USER_ALREADY_EXISTS",
                                details={"field": "email"})
        await self._events.record(tenant.tenant_id, EventType.USER_UPDATED, user_id=user.user_id,
                                  fields=",".join(sorted(changes)))
        return saved

    async def set_state(self, tenant: Tenant, user_id: str, state: UserState) -> User:
        user = await self.get(tenant, user_id)
        saved = await self._users.save(tenant.tenant_id, replace(user, state=state), self._clock())
        assert saved is not None
        if state is UserState.DISABLED:
            # Sessions and every token issued to the user end now, not when they expire.
            await self._sessions.revoke_user(tenant.tenant_id, user.user_id)
        _log.info("user state changed", user_id=user_id, state=state.value)
        await self._events.record(tenant.tenant_id, EventType.USER_DISABLED if state is UserState.DISABLED
                                  else EventType.USER_ENABLED, user_id=user.user_id)
        return saved

    async def unlock(self, tenant: Tenant, user_id: str) -> User:
        user = await self.get(tenant, user_id)
        await self._lockout.unlock(tenant.tenant_id, lockout_subject(user.email))
        await self._events.record(tenant.tenant_id, EventType.USER_UNLOCKED, user_id=user.user_id)
        return replace(user, locked=False)

    async def reset_mfa(self, tenant: Tenant, user_id: str) -> User:
        user = await self.get(tenant, user_id)
        await self._users.clear_mfa(tenant.tenant_id, user.user_id, self._clock())
        await self._events.record(tenant.tenant_id, EventType.USER_MFA_RESET, user_id=user.user_id)
        return replace(user, mfa_enabled=False)

    async def is_active(self, tenant: Tenant, user_id: str) -> bool:
        user = await self._users.get(tenant.tenant_id, user_id) if user_id and len(user_id) <= 64 else None
        return user is not None and user.active

    async def delete(self, tenant: Tenant, user_id: str) -> None:
        user = await self._users.get(tenant.tenant_id, user_id) if user_id and len(user_id) <= 64 else None
        if user is None:
            raise user_not_found()
        await self._sessions.revoke_user(tenant.tenant_id, user.user_id)
        await self._users.delete(tenant.tenant_id, user.user_id)
        await self._lockout.unlock(tenant.tenant_id, lockout_subject(user.email))
        _log.info("user deleted", user_id=user_id)
        await self._events.record(tenant.tenant_id, EventType.USER_DELETED, user_id=user.user_id)
