"""The PostgreSQL grant store: single-use codes that record what they issue, rotation under the
family lock, revocation that reaches refresh and access tokens, races run in many rounds."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from services.common.db import create_pool, in_tenant
from services.common.migrations import MigrationRunner
from services.token.oauth.grant_records import (
    CodeGrant,
    IssuedAccess,
    PlannedFamily,
    PresentedRefresh,
    RefreshGrant,
    RotationOutcome,
    Successor,
)
from services.token.oauth.grants_store import PgGrantStore
from tests.integration.query_log import QueryCount
from tools.devstack import PostgresServer

pytestmark = pytest.mark.integration
MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "token" / "migrations"
NOW = datetime(2030, 1, 1, tzinfo=UTC)
ROUNDS = 25


@pytest.fixture
async def store(postgres: PostgresServer) -> AsyncIterator[PgGrantStore]:
    pool = await create_pool(postgres.create_database(f"grants_{secrets.token_hex(3)}"), max_size=8)
    runner = MigrationRunner(pool, "token", MIGRATIONS)
    await runner.migrate_shared()
    await runner.migrate_tenant("acme")
    yield PgGrantStore(pool)
    await pool.close()


def code_grant(sent: bool = True) -> CodeGrant:
    return CodeGrant("app_1", "u1", "https://app/cb", "openid", "", "", NOW, ("pwd",), "s1", {"sub": "u1"}, sent)


def planned(family_id: str | None = None) -> PlannedFamily:
    return PlannedFamily(family_id or secrets.token_hex(8), "app_1", "u1",
                         IssuedAccess(secrets.token_hex(8), NOW + timedelta(minutes=15)))


def refresh_grant(family_id: str) -> RefreshGrant:
    return RefreshGrant(family_id, "app_1", "u1", "openid", NOW, ("pwd",), {"sub": "u1"},
                        NOW + timedelta(days=1), NOW + timedelta(days=30))


async def new_code(store: PgGrantStore, sent: bool = True) -> bytes:
    code_hash = secrets.token_bytes(32)
    await store.save_code("acme", code_hash, code_grant(sent), NOW, NOW + timedelta(minutes=1))
    return code_hash


async def test_a_code_is_used_once_and_a_replay_finds_what_the_first_redemption_recorded(
    store: PgGrantStore
) -> None:
    code_hash = await new_code(store, sent=False)
    first = planned()
    grant, earlier = await store.redeem_code("acme", code_hash, NOW, first)
    assert grant is not None and earlier is None and grant.redirect_uri_sent is False
    grant, earlier = await store.redeem_code("acme", code_hash, NOW, planned())
    assert grant is None and earlier == first
    assert await store.redeem_code("acme", secrets.token_bytes(32), NOW, planned()) == (None, None)
    expired = await new_code(store)
    assert await store.redeem_code("acme", expired, NOW + timedelta(minutes=2), planned()) == (None, None)


async def test_a_redemption_without_an_access_token_still_starts_its_family(store: PgGrantStore) -> None:
    code_hash = await new_code(store)
    family = PlannedFamily(secrets.token_hex(8), "app_1", "u1", None)
    grant, earlier = await store.redeem_code("acme", code_hash, NOW, family)
    assert grant is not None and earlier is None
    token_hash = secrets.token_bytes(32)
    await store.add_refresh("acme", token_hash, refresh_grant(family.family_id), NOW)
    stored = await store.refresh_by_hash("acme", token_hash)
    assert stored is not None and not stored.revoked  # the family exists and is live
    assert await store.revoke_family("acme", family.family_id, NOW) == []  # it recorded no access token
    assert await store.redeem_code("acme", code_hash, NOW, planned()) == (None, family)


async def test_concurrent_redemptions_one_winner_and_the_loser_revokes_everything_it_issued(
    store: PgGrantStore
) -> None:
    for _ in range(ROUNDS):
        code_hash = await new_code(store)
        plans = [planned(), planned()]
        results = await asyncio.gather(*(store.redeem_code("acme", code_hash, NOW, p) for p in plans))
        winners = [(p, g) for p, (g, _e) in zip(plans, results, strict=True) if g is not None]
        (losing,) = [e for g, e in results if g is None]
        assert len(winners) == 1 and losing is not None
        won = winners[0][0]
        assert losing.family_id == won.family_id
        # The winner stores its refresh token while the loser revokes the family.
        token_hash = secrets.token_bytes(32)
        revoked, _ = await asyncio.gather(store.revoke_family("acme", losing.family_id, NOW),
                                          store.add_refresh("acme", token_hash, refresh_grant(won.family_id), NOW))
        assert won.access is not None and [a.jti for a in revoked] == [won.access.jti]
        stored = await store.refresh_by_hash("acme", token_hash)
        assert stored is not None and stored.revoked


async def test_rotation_and_reuse_detection(store: PgGrantStore) -> None:
    family = planned()
    await store.start_family("acme", family, NOW)
    first = secrets.token_bytes(32)
    await store.add_refresh("acme", first, refresh_grant(family.family_id), NOW)
    second, access = secrets.token_bytes(32), IssuedAccess("jti-2", NOW + timedelta(minutes=15))
    rotation = await store.rotate_refresh("acme", first, family.family_id, NOW, second,
                                          refresh_grant(family.family_id), access)
    assert rotation.outcome is RotationOutcome.ROTATED
    used = await store.refresh_by_hash("acme", first)
    assert used is not None and used.used and not used.revoked
    reuse = await store.rotate_refresh("acme", first, family.family_id, NOW, secrets.token_bytes(32),
                                       refresh_grant(family.family_id), IssuedAccess("jti-3", NOW))
    assert reuse.outcome is RotationOutcome.REUSED
    assert family.access is not None
    assert {a.jti for a in reuse.revoked_access} == {family.access.jti, "jti-2"}
    successor = await store.refresh_by_hash("acme", second)
    assert successor is not None and successor.revoked
    again = await store.rotate_refresh("acme", second, family.family_id, NOW, secrets.token_bytes(32),
                                       refresh_grant(family.family_id), IssuedAccess("jti-4", NOW))
    assert again.outcome is RotationOutcome.REVOKED


async def test_concurrent_rotation_and_revocation_never_leave_a_live_successor(store: PgGrantStore) -> None:
    for _ in range(ROUNDS):
        family = planned()
        await store.start_family("acme", family, NOW)
        first, second = secrets.token_bytes(32), secrets.token_bytes(32)
        await store.add_refresh("acme", first, refresh_grant(family.family_id), NOW)
        access = IssuedAccess(secrets.token_hex(8), NOW + timedelta(minutes=15))
        rotation, revoked = await asyncio.gather(
            store.rotate_refresh("acme", first, family.family_id, NOW, second, refresh_grant(family.family_id),
                                 access),
            store.revoke_family("acme", family.family_id, NOW))
        successor = await store.refresh_by_hash("acme", second)
        if rotation.outcome is RotationOutcome.ROTATED:
            assert successor is not None and successor.revoked
            assert access.jti in {a.jti for a in revoked}
        else:
            assert rotation.outcome is RotationOutcome.REVOKED and successor is None


async def test_two_rotations_of_one_token_one_wins_and_the_other_is_reuse(store: PgGrantStore) -> None:
    """A token presented twice at once (a replayed token racing its owner): one rotation,
    one reuse that revokes the family, the winner's successor included."""
    for _ in range(ROUNDS):
        family = planned()
        await store.start_family("acme", family, NOW)
        first = secrets.token_bytes(32)
        await store.add_refresh("acme", first, refresh_grant(family.family_id), NOW)
        successors = [secrets.token_bytes(32), secrets.token_bytes(32)]
        accesses = [IssuedAccess(secrets.token_hex(8), NOW + timedelta(minutes=15)) for _ in successors]
        rotations = await asyncio.gather(*(
            store.rotate_refresh("acme", first, family.family_id, NOW, successor, refresh_grant(family.family_id),
                                 access) for successor, access in zip(successors, accesses, strict=True)))
        outcomes = sorted(r.outcome.value for r in rotations)
        assert outcomes == sorted([RotationOutcome.ROTATED.value, RotationOutcome.REUSED.value])
        won = next(i for i, r in enumerate(rotations) if r.outcome is RotationOutcome.ROTATED)
        reuse = rotations[1 - won]
        assert accesses[won].jti in {a.jti for a in reuse.revoked_access}
        winner = await store.refresh_by_hash("acme", successors[won])
        assert winner is not None and winner.revoked
        assert await store.refresh_by_hash("acme", successors[1 - won]) is None


@pytest.fixture
async def counted(postgres: PostgresServer) -> AsyncIterator[tuple[PgGrantStore, QueryCount]]:
    """A store on a one-connection pool whose statements are counted (migrated through another
    pool, so only the test's own statements are in the count)."""
    count = QueryCount()
    dsn = postgres.create_database(f"grants_{secrets.token_hex(3)}")
    pool = await create_pool(dsn, max_size=1)
    counted_pool = await create_pool(dsn, max_size=1)
    await count.watch(counted_pool)
    try:
        runner = MigrationRunner(pool, "token", MIGRATIONS)
        await runner.migrate_shared()
        await runner.migrate_tenant("acme")
        yield PgGrantStore(counted_pool), count
    finally:
        await counted_pool.close()
        await pool.close()


async def test_a_rotation_is_one_statement_in_its_transaction(counted: tuple[PgGrantStore, QueryCount]) -> None:
    """Rotating a refresh token costs one statement between the transaction's opening and its
    COMMIT (it was four: lock, mark used, insert the successor, record the access token)."""
    store, count = counted
    family = planned()
    await store.start_family("acme", family, NOW)
    first = secrets.token_bytes(32)
    await store.add_refresh("acme", first, refresh_grant(family.family_id), NOW)
    mark = len(count.queries)
    rotation = await store.rotate_refresh("acme", first, family.family_id, NOW, secrets.token_bytes(32),
                                          refresh_grant(family.family_id), IssuedAccess("jti-9", NOW))
    assert rotation.outcome is RotationOutcome.ROTATED
    sent = [q for q in count.since(mark) if not q.startswith(("BEGIN", "COMMIT"))]
    assert len(sent) == 1, sent


async def live_refresh(store: PgGrantStore, **changes: Any) -> tuple[PlannedFamily, bytes]:
    """A new family with one unused refresh token (its grant: refresh_grant's, with `changes`)."""
    family = planned()
    await store.start_family("acme", family, NOW)
    token_hash = secrets.token_bytes(32)
    await store.add_refresh("acme", token_hash, replace(refresh_grant(family.family_id), **changes), NOW)
    return family, token_hash


async def accept(_grant: RefreshGrant) -> None:
    """A rotation's confirmation that finds nothing against it."""


def presented(token_hash: bytes, client_id: str = "app_1", scopes: tuple[str, ...] = ()) -> PresentedRefresh:
    return PresentedRefresh(token_hash, client_id, scopes)


async def test_rotate_presented_uses_the_token_up_and_stores_its_successor(store: PgGrantStore) -> None:
    family, first = await live_refresh(store)
    second = secrets.token_bytes(32)
    access = IssuedAccess("jti-p", NOW + timedelta(minutes=15))
    idle = NOW + timedelta(days=2)
    used = await store.rotate_presented("acme", presented(first, scopes=("openid",)), NOW, Successor(second, idle),
                                        access, accept)
    assert used == refresh_grant(family.family_id)
    old = await store.refresh_by_hash("acme", first)
    assert old is not None and old.used and not old.revoked
    successor = await store.refresh_by_hash("acme", second)
    assert successor is not None and not successor.used and not successor.revoked
    assert successor.grant == replace(used, expire_time=idle)
    # The access token about to be issued is recorded with the family: revoking it reaches it.
    assert "jti-p" in {a.jti for a in await store.revoke_family("acme", family.family_id, NOW)}


async def test_rotate_presented_bounds_the_successor_by_the_familys_absolute_expiry(store: PgGrantStore) -> None:
    _, first = await live_refresh(store)
    second = secrets.token_bytes(32)
    await store.rotate_presented("acme", presented(first), NOW, Successor(second, NOW + timedelta(days=90)),
                                 IssuedAccess("j", NOW), accept)
    successor = await store.refresh_by_hash("acme", second)
    assert successor is not None and successor.grant.expire_time == NOW + timedelta(days=30)


async def set_revoked(store: PgGrantStore, update: str, key: str | bytes) -> None:
    """A revocation state no port sets alone (one row, not the whole family)."""
    async with in_tenant(store._pool, "token", "acme") as conn:
        await conn.execute(update, key, NOW)


@pytest.mark.parametrize("case", ["other client", "wider scope", "expired", "family expired", "family revoked",
                                  "token revoked", "used", "unknown"])
async def test_rotate_presented_leaves_a_token_it_refuses_as_it_was(store: PgGrantStore, case: str) -> None:
    family, first = await live_refresh(store)
    now, ask = NOW, presented(first)
    if case == "other client":
        ask = presented(first, client_id="app_2")
    elif case == "wider scope":
        ask = presented(first, scopes=("openid", "email"))
    elif case == "expired":
        now = NOW + timedelta(days=1)  # the idle expiry, exactly
    elif case == "family expired":
        family, first = await live_refresh(store, expire_time=NOW + timedelta(days=60))
        now, ask = NOW + timedelta(days=30), presented(first)  # the family's absolute expiry, exactly
    elif case == "family revoked":
        # The family alone (a token stored before its family was revoked, as migration 0009
        # left them): the family's own condition must refuse it.
        await set_revoked(store, "UPDATE grant_families SET revoke_time = $2 WHERE family_id = $1",
                          family.family_id)
    elif case == "token revoked":
        await set_revoked(store, "UPDATE refresh_tokens SET revoke_time = $2 WHERE token_hash = $1", first)
    elif case == "used":
        await store.rotate_presented("acme", presented(first), NOW, Successor(secrets.token_bytes(32), NOW),
                                     IssuedAccess("j0", NOW), accept)
    elif case == "unknown":
        ask = presented(secrets.token_bytes(32))
    before = await store.refresh_by_hash("acme", first)
    second = secrets.token_bytes(32)
    assert await store.rotate_presented("acme", ask, now, Successor(second, now + timedelta(days=1)),
                                        IssuedAccess("j1", now), accept) is None
    assert await store.refresh_by_hash("acme", first) == before
    assert await store.refresh_by_hash("acme", second) is None


async def test_a_confirmation_that_raises_undoes_the_rotation(store: PgGrantStore) -> None:
    """The refresh grant's sign-out check runs inside the rotation's transaction: a refusal,
    or Redis failing, leaves the token unused and stores no successor."""
    family, first = await live_refresh(store)
    seen: list[RefreshGrant] = []

    async def refuse(grant: RefreshGrant) -> None:
        seen.append(grant)
        raise ConnectionError("redis unavailable")

    second = secrets.token_bytes(32)
    with pytest.raises(ConnectionError):
        await store.rotate_presented("acme", presented(first), NOW, Successor(second, NOW + timedelta(days=1)),
                                     IssuedAccess("j-undone", NOW + timedelta(minutes=5)), refuse)
    assert seen == [refresh_grant(family.family_id)]
    old = await store.refresh_by_hash("acme", first)
    assert old is not None and not old.used and not old.revoked
    assert await store.refresh_by_hash("acme", second) is None
    assert "j-undone" not in {a.jti for a in await store.revoke_family("acme", family.family_id, NOW)}


async def test_two_presentations_of_one_token_at_once_rotate_it_once(store: PgGrantStore) -> None:
    for _ in range(ROUNDS):
        _, first = await live_refresh(store)
        successors = [secrets.token_bytes(32), secrets.token_bytes(32)]
        used = await asyncio.gather(*(
            store.rotate_presented("acme", presented(first), NOW, Successor(successor, NOW + timedelta(days=1)),
                                   IssuedAccess(secrets.token_hex(8), NOW), accept) for successor in successors))
        assert sum(grant is not None for grant in used) == 1
        stored = [await store.refresh_by_hash("acme", successor) for successor in successors]
        assert [s is not None for s in stored] == [grant is not None for grant in used]


async def test_rotate_presented_racing_a_revocation_never_leaves_a_live_successor(store: PgGrantStore) -> None:
    for _ in range(ROUNDS):
        family, first = await live_refresh(store)
        second = secrets.token_bytes(32)
        access = IssuedAccess(secrets.token_hex(8), NOW + timedelta(minutes=15))
        used, revoked = await asyncio.gather(
            store.rotate_presented("acme", presented(first), NOW, Successor(second, NOW + timedelta(days=1)), access,
                                   accept),
            store.revoke_family("acme", family.family_id, NOW))
        successor = await store.refresh_by_hash("acme", second)
        if used is not None:
            assert successor is not None and successor.revoked
            assert access.jti in {a.jti for a in revoked}
        else:
            assert successor is None


async def test_a_refresh_is_one_statement_in_one_transaction(counted: tuple[PgGrantStore, QueryCount]) -> None:
    """The common refresh: one transaction holding one statement (it was two transactions, a
    read and then the rotation: six round trips, now three)."""
    store, count = counted
    _, first = await live_refresh(store)
    mark = len(count.queries)
    used = await store.rotate_presented("acme", presented(first), NOW,
                                        Successor(secrets.token_bytes(32), NOW + timedelta(days=1)),
                                        IssuedAccess("jti-9", NOW), accept)
    assert used is not None
    sent = count.since(mark)
    assert len(sent) == 3 and sent[0].startswith("BEGIN") and sent[2] == "COMMIT", sent


async def test_forgetting_a_consent_revokes_the_users_families_of_that_client(store: PgGrantStore) -> None:
    await store.remember_consent("acme", "u1", "app_1", ["openid"], NOW)
    family = planned()
    await store.start_family("acme", family, NOW)
    token_hash = secrets.token_bytes(32)
    await store.add_refresh("acme", token_hash, refresh_grant(family.family_id), NOW)
    had, revoked = await store.forget_consent("acme", "u1", "app_1", NOW)
    assert had and family.access is not None and [a.jti for a in revoked] == [family.access.jti]
    stored = await store.refresh_by_hash("acme", token_hash)
    assert stored is not None and stored.revoked
    assert (await store.forget_consent("acme", "u1", "app_1", NOW))[0] is False


async def test_migration_gives_existing_refresh_tokens_their_families(postgres: PostgresServer, tmp_path: Path) -> None:
    old = tmp_path / "migrations"
    (old / "tenant").mkdir(parents=True)
    (old / "shared").mkdir()
    for sql in sorted((MIGRATIONS / "tenant").glob("*.sql")):
        if sql.name < "0009":
            (old / "tenant" / sql.name).write_text(sql.read_text())
    for sql in (MIGRATIONS / "shared").glob("*.sql"):
        (old / "shared" / sql.name).write_text(sql.read_text())
    pool: asyncpg.Pool = await create_pool(postgres.create_database(f"grants_{secrets.token_hex(3)}"))
    try:
        before = MigrationRunner(pool, "token", old)
        await before.migrate_shared()
        await before.migrate_tenant("acme")
        async with in_tenant(pool, "token", "acme") as conn:
            for name, family, revoked in (("a", "live", None), ("b", "dead", NOW)):
                await conn.execute(
                    "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, claims, "
                    "create_time, expire_time, family_expire_time, revoke_time) "
                    "VALUES ($1, $2, 'app_1', 'u1', 'openid', $3, '{}', $3, $4, $4, $5)",
                    name.encode(), family, NOW, NOW + timedelta(days=1), revoked)
        await MigrationRunner(pool, "token", MIGRATIONS).migrate_tenant("acme")
        store = PgGrantStore(pool)
        live, dead = await store.refresh_by_hash("acme", b"a"), await store.refresh_by_hash("acme", b"b")
        assert live is not None and not live.revoked and dead is not None and dead.revoked
        rotation = await store.rotate_refresh("acme", b"a", "live", NOW, b"c", refresh_grant("live"),
                                              IssuedAccess("j", NOW))
        assert rotation.outcome is RotationOutcome.ROTATED
    finally:
        await pool.close()
