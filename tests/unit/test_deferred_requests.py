"""Password reset, magic link and verification requests cost the same whether or not the
address is registered: one outbox write, no lookup; the mail follows in the background."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.common.crypto import SecretBox
from services.common.directory import TenantInfo
from services.common.errors import NotFound
from services.common.tenancy import TenantSelection
from services.identity.auth import AuthUseCases, Tenant
from services.identity.outbox import DurableOutbox
from services.identity.users import Profile, User, UserState
from tests.unit.test_outbox import KEK, Clock, FakeMailer, FakeSms, MemoryStore, Results

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def user(email: str, *, verified: bool = True, state: UserState = UserState.ACTIVE) -> User:
    return User("usr_1", email, verified, "", False, Profile(), {}, state, False, NOW, NOW)


class Users:
    """The two calls the request paths may make; every call is recorded."""

    def __init__(self, *registered: User) -> None:
        self.registered = {u.email.lower(): u for u in registered}
        self.calls: list[str] = []

    async def by_email(self, tenant_id: str, email: str) -> tuple[User, str | None] | None:
        self.calls.append("by_email")
        found = self.registered.get(email.lower())  # as the store: case-insensitive
        return (found, None) if found else None

    async def insert_code(self, *args: Any) -> None:
        self.calls.append("insert_code")


class Tenants:
    def __init__(self) -> None:
        self.active = True
        self.exists = True

    async def select(self, candidates: list[TenantSelection]) -> TenantInfo:
        if not self.exists:
            raise NotFound("no such tenant", reason="TENANT_NOT_FOUND")
        return TenantInfo(candidates[0].tenant_id, "Acme", self.active, not self.active, "", {})


class Metrics:
    def verification_sent(self, kind: str) -> None:
        pass


class NoEvents:
    async def record(self, tenant_id: str, event_type: Any, *, user_id: str = "", **details: Any) -> None:
        pass


class World:
    def __init__(self, *registered: User) -> None:
        self.users = Users(*registered)
        self.tenants = Tenants()
        self.store = MemoryStore()
        self.mailer = FakeMailer()
        self.clock = Clock()
        self.outbox = DurableOutbox(self.store, self.mailer, FakeSms(), SecretBox(KEK, "outbox"), Results(),
                                    clock=self.clock)
        self.auth = AuthUseCases(self.users, None, None, None, self.outbox, self.tenants, None,  # type: ignore[arg-type]
                                 Metrics(), lambda tenant_id: f"https://auth.example.com/tenant/{tenant_id}",
                                 NoEvents(), clock=self.clock)
        for request, handler in self.auth.deferred_handlers().items():
            self.outbox.register(request, handler)
        self.tenant = Tenant("acme", "Acme", "https://auth.example.com/tenant/acme", {})

    async def drain(self) -> None:
        # The request, then the mail it queued.
        while await self.outbox.deliver_due():
            pass


@pytest.mark.parametrize("request_kind", ["reset", "magic_link", "verification"])
async def test_registered_and_unknown_addresses_cost_the_same(request_kind: str) -> None:
    results = []
    for email in ("ann@example.com", "nobody@example.com"):
        world = World(user("ann@example.com", verified=request_kind != "verification"))
        if request_kind == "reset":
            await world.auth.request_reset(world.tenant, email)
        elif request_kind == "magic_link":
            await world.auth.send_magic_link(world.tenant, email, "/account")
        else:
            await world.auth.resend_verification(world.tenant, email)
        # Answered after one queued request and no lookup at all.
        results.append((list(world.users.calls), [(m.kind, m.label) for m, _ in world.store.rows.values()]))
        await world.drain()
        sent = [m.to for m in world.mailer.sent]
        assert sent == (["ann@example.com"] if email == "ann@example.com" else [])
    assert results[0] == results[1]
    assert results[0][0] == [] and len(results[0][1]) == 1


async def test_the_mail_carries_a_working_link_and_the_return_path() -> None:
    world = World(user("ann@example.com"))
    await world.auth.send_magic_link(world.tenant, "Ann@Example.com", "/account")
    await world.drain()
    [mail] = world.mailer.sent
    assert "https://auth.example.com/tenant/acme/magic-link?" in mail.text and "return_to=%2Faccount" in mail.text
    assert world.users.calls == ["by_email", "insert_code"]


@pytest.mark.parametrize("change", ["disabled", "suspended", "deleted", "verified"])
async def test_nothing_is_sent_when_there_is_nothing_to_send(change: str) -> None:
    world = World(user("ann@example.com", verified=change == "verified",
                       state=UserState.DISABLED if change == "disabled" else UserState.ACTIVE))
    world.tenants.active = change != "suspended"
    world.tenants.exists = change != "deleted"
    await world.auth.resend_verification(world.tenant, "ann@example.com")
    await world.drain()
    assert world.mailer.sent == [] and world.store.rows == {}


async def test_a_malformed_address_queues_nothing() -> None:
    world = World()
    await world.auth.request_reset(world.tenant, "not an address")
    assert world.store.rows == {}
