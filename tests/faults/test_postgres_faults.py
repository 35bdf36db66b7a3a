"""PostgreSQL restarted (fast) and down for 10 s under mixed load: never a 500, never a 429
because a tenant's raised limits could not be read (stale-if-error), only 503 + Retry-After
while it is down, back within 10 s, and nothing a client was told succeeded is lost."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.faults.conftest import FaultStack
from tests.faults.scenario import watch_recovery, wrong_answers
from tools.loadgen import Load, analyse, lost

pytestmark = pytest.mark.faults
RECOVERY_LIMIT_S = 10.0
OUTAGE_S = 10.0


def stale_serves(faults: FaultStack) -> float:
    """binoauth_stale_cache_serves_total summed over every replica's /metrics."""
    total = 0.0
    for replicas in faults.stack.replicas.values():
        for replica in replicas:
            text = httpx.get(f"http://127.0.0.1:{replica.metrics_port}/metrics", timeout=5).text
            total += sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                         if line.startswith("binoauth_stale_cache_serves_total{"))
    return total


def test_postgres_fast_restart_under_load(faults: FaultStack) -> None:
    world = faults.world()
    with Load(world) as load:
        time.sleep(3)
        faults.postgres.restart()  # SIGINT ("fast"): every session ends with 57P01, then up again
        back = time.monotonic()
        watch_recovery(load.results, back, RECOVERY_LIMIT_S + 5)
    results = load.results()
    report = faults.report(analyse("postgres fast restart", results, back))
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    assert report.recovery_s is not None and report.recovery_s <= RECOVERY_LIMIT_S, report.line()
    assert not lost(world, load.acknowledged)


def test_postgres_down_for_ten_seconds_under_load(faults: FaultStack) -> None:
    world = faults.world()
    with Load(world) as load:
        time.sleep(3)
        faults.postgres.stop()
        time.sleep(OUTAGE_S)
        faults.postgres.start()
        back = time.monotonic()
        watch_recovery(load.results, back, RECOVERY_LIMIT_S + 5)
    results = load.results()
    report = faults.report(analyse(f"postgres down {OUTAGE_S:g}s", results, back))
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    # The tenant was served from the caches while it could not be read, and that was counted.
    assert stale_serves(faults) > 0
    assert report.recovery_s is not None and report.recovery_s <= RECOVERY_LIMIT_S, report.line()
    assert not lost(world, load.acknowledged)


def test_sign_ins_through_repeated_fast_restarts(faults: FaultStack) -> None:
    """The issue's reproduction: clients doing nothing but sign in while PostgreSQL restarts.
    Before the fix, identity Login answered 500 (asyncpg InternalClientError "cannot switch to
    state 15; another operation (2) is in progress": the ROLLBACK of a transaction whose
    session the server had ended)."""
    world = faults.world(users=8)
    with Load(world, clients=8, mix={"sign_in": 1}, pause=0) as load:
        for _ in range(3):
            time.sleep(2)
            faults.postgres.restart()
        back = time.monotonic()
        watch_recovery(load.results, back, RECOVERY_LIMIT_S + 5)
    results = load.results()
    report = faults.report(analyse("sign-ins through 3 postgres fast restarts", results, back))
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    assert report.recovery_s is not None and report.recovery_s <= RECOVERY_LIMIT_S, report.line()
    assert not lost(world, load.acknowledged)
