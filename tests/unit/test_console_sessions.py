"""Console sessions (services/tenant/console.py) in CredentialUseCases over in-memory fakes:
the session acts as its administrator's admin token, with idle and absolute timeouts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from services.common.auth import ALL_SCOPES, Principal, PrincipalKind
from services.common.context import request_meta
from services.common.errors import Unauthenticated
from services.common.passwords import PasswordHashing
from services.tenant.admins import ADMIN_MAX_FAILURES, AdminState, AdminUser
from services.tenant.console import ConsoleSession, ConsoleTimeouts, start_session
from services.tenant.usecases import CredentialUseCases
from tests.fakes import TenantWorld, tenant_world

pytestmark = pytest.mark.unit

PLATFORM = Principal("ak_root", PrincipalKind.API_KEY, "", frozenset(ALL_SCOPES))
PASSWORD = "correct horse battery staple"
TIMEOUTS = ConsoleTimeouts(idle=timedelta(seconds=60), absolute=timedelta(seconds=300))


class FakeConsoleStore:
    def __init__(self, world: TenantWorld) -> None:
        self.sessions: dict[bytes, ConsoleSession] = {}
        self._world = world

    async def insert(self, session_hash: bytes, session: ConsoleSession) -> None:
        self.sessions[session_hash] = session

    async def touch(self, session_hash: bytes, now: datetime,
                    idle: timedelta) -> tuple[ConsoleSession, AdminUser] | None:
        found = self.sessions.get(session_hash)
        if found is None or not found.live(now):
            return None
        found = ConsoleSession(found.admin_user_id, found.create_time, found.expire_time,
                               min(now + idle, found.expire_time))
        self.sessions[session_hash] = found
        admin = await self._world.admins.get(found.admin_user_id)
        return (found, admin) if admin else None

    async def delete(self, session_hash: bytes) -> bool:
        return self.sessions.pop(session_hash, None) is not None

    async def delete_for_admin(self, admin_user_id: str) -> None:
        self.sessions = {h: s for h, s in self.sessions.items() if s.admin_user_id != admin_user_id}


@pytest.fixture(scope="module")
def passwords() -> Iterator[PasswordHashing]:
    hashing = PasswordHashing(memory_kib=8, time_cost=1, workers=2)
    yield hashing
    hashing.close()


@pytest.fixture
async def world(passwords: PasswordHashing) -> TenantWorld:
    w = tenant_world(passwords)
    w.credentials = CredentialUseCases(w.keys, w.admins, w.store, passwords, w.failures, clock=w.clock,
                                       console=FakeConsoleStore(w), console_timeouts=TIMEOUTS)
    for tenant_id in ("acme", "globex"):
        await w.tenants.create(PLATFORM, tenant_id, "", {}, [])
    return w


async def make_admin(world: TenantWorld, tenant_id: str = "acme") -> AdminUser:
    return await world.credentials.create_admin(PLATFORM, f"ops@{tenant_id}.example", tenant_id,
                                                ["users:read", "analytics:read"], PASSWORD)


async def test_a_session_acts_with_its_admins_scopes_and_tenant(world: TenantWorld) -> None:
    admin = await make_admin(world)
    secret, session, signed_in = await world.credentials.start_console_session(admin.email, PASSWORD)
    assert secret.startswith("binoc_") and signed_in.admin_user_id == admin.admin_user_id
    assert session.expire_time - session.create_time == TIMEOUTS.absolute
    principal, ttl = await world.credentials.authenticate(secret)
    assert principal == Principal(admin.admin_user_id, PrincipalKind.ADMIN_USER, "acme",
                                  frozenset({"users:read", "analytics:read"}))
    assert 0 < ttl <= 5
    # Stored hashed: the secret itself is nowhere in the store.
    assert all(secret.encode() not in key for key in world.credentials._console.sessions)  # type: ignore[union-attr]


async def test_idle_timeout_slides_with_use_but_never_past_the_absolute_one(world: TenantWorld) -> None:
    admin = await make_admin(world)
    secret, _session, _ = await world.credentials.start_console_session(admin.email, PASSWORD)
    for _ in range(5):  # 5 x 50 s of use: idle never reached
        world.clock.advance(50)
        session, _admin = await world.credentials.current_console_session(secret)
        assert session.idle_expire_time == min(world.clock() + TIMEOUTS.idle, session.expire_time)
    world.clock.advance(49)  # 299 s after sign-in: still live, idle capped at the absolute end
    session, _admin = await world.credentials.current_console_session(secret)
    assert session.idle_expire_time == session.expire_time
    world.clock.advance(1)
    with pytest.raises(Unauthenticated):
        await world.credentials.current_console_session(secret)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(secret)


async def test_idle_timeout(world: TenantWorld) -> None:
    admin = await make_admin(world)
    secret, _session, _ = await world.credentials.start_console_session(admin.email, PASSWORD)
    world.clock.advance(60)
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.current_console_session(secret)
    assert caught.value.reason == "CONSOLE_SESSION_INVALID"


async def test_sign_out_and_disabling_the_admin_end_sessions(world: TenantWorld) -> None:
    admin = await make_admin(world)
    first, _s, _ = await world.credentials.start_console_session(admin.email, PASSWORD)
    second, _s, _ = await world.credentials.start_console_session(admin.email, PASSWORD)
    await world.credentials.end_console_session(first)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(first)
    await world.credentials.authenticate(second)
    await world.credentials.set_admin_state(PLATFORM, admin.admin_user_id, AdminState.DISABLED)
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(second)


async def test_wrong_passwords_lock_console_sign_in_like_admin_login(world: TenantWorld) -> None:
    admin = await make_admin(world)
    for _ in range(ADMIN_MAX_FAILURES):
        with pytest.raises(Unauthenticated):
            await world.credentials.start_console_session(admin.email, "wrong password, sorry")
    with pytest.raises(Unauthenticated) as caught:
        await world.credentials.start_console_session(admin.email, PASSWORD)
    assert caught.value.reason == "INVALID_CREDENTIALS"


async def test_a_suspended_tenants_admin_cannot_use_a_session(world: TenantWorld) -> None:
    admin = await make_admin(world)
    secret, _s, _ = await world.credentials.start_console_session(admin.email, PASSWORD)
    await world.tenants.suspend(PLATFORM, "acme")
    with pytest.raises(Unauthenticated):
        await world.credentials.authenticate(secret)


def test_start_session_caps_idle_at_the_absolute_end() -> None:
    now = datetime(2030, 1, 1)
    session = start_session("adm_1", now, ConsoleTimeouts(idle=timedelta(hours=2), absolute=timedelta(hours=1)))
    assert session.idle_expire_time == session.expire_time == now + timedelta(hours=1)


def test_timeouts_from_env() -> None:
    assert ConsoleTimeouts.from_env({}) == ConsoleTimeouts(timedelta(minutes=30), timedelta(hours=12))
    assert ConsoleTimeouts.from_env({"BINOAUTH_CONSOLE_IDLE_SECONDS": "3",
                                     "BINOAUTH_CONSOLE_ABSOLUTE_SECONDS": "8"}) == ConsoleTimeouts(
        timedelta(seconds=3), timedelta(seconds=8))
    with pytest.raises(ValueError):
        ConsoleTimeouts.from_env({"BINOAUTH_CONSOLE_IDLE_SECONDS": "soon"})


@pytest.mark.parametrize(("headers", "expected"), [
    ({"x-binoauth-console": "1", "cookie": "binoauth_console=binoc_abc"}, "binoc_abc"),
    ({"cookie": "binoauth_console=binoc_abc"}, ""),  # no CSRF header: the cookie is ignored
    ({"x-binoauth-console": "true", "cookie": "binoauth_console=binoc_abc"}, ""),
    ({"x-binoauth-console": "1", "cookie": "binoauth_console=binoc_abc", "authorization": "Bearer k"}, "k"),
    ({"x-binoauth-console": "1", "cookie": "binoauth_console=binoc_abc", "x-api-key": "k2"}, "k2"),
    ({"x-binoauth-console": "1", "cookie": "binoauth_session=other"}, ""),
])
def test_the_console_cookie_is_a_credential_only_with_the_header(headers: dict[str, str], expected: str) -> None:
    assert request_meta(list(headers.items())).credential == expected
