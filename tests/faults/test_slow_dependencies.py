"""PostgreSQL or Redis answering 500 ms late (a DelayProxy the test controls sits in front of
each): every answer arrives within the gateway's route timeout (deadlines propagate, nobody
waits forever), connections to the slow dependency do not pile up beyond the pools' bounds,
failures are honest 503s, and everything is fast again soon after the delay ends."""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import FaultStack
from tests.faults.proxy import DelayProxy
from tests.faults.scenario import watch_recovery, wrong_answers
from tools.loadgen import Load, analyse, lost

pytestmark = pytest.mark.faults
DELAY_S = 0.5
SLOW_FOR_S = 6.0
ROUTE_TIMEOUT_S = 10.0  # gateway/values.py route_timeout_s
RECOVERY_LIMIT_S = 10.0
# services/common/db.py create_pool max_size, per replica (4 services x 2 replicas), plus the
# tenant service's provisioning and listeners: a pile-up would go far beyond it.
PG_CONNECTION_BOUND = 8 * 10 + 8


def _slow(faults: FaultStack, proxy: DelayProxy, name: str, bound: int) -> None:
    world = faults.world()
    peak = 0
    # More clients than elsewhere: requests wait on the slow dependency, and a pile-up needs
    # many of them waiting at once.
    with Load(world, clients=8) as load:
        time.sleep(2)
        proxy.delay = DELAY_S
        slow_until = time.monotonic() + SLOW_FOR_S
        while time.monotonic() < slow_until:
            peak = max(peak, proxy.connections)
            time.sleep(0.1)
        proxy.delay = 0.0
        fast = time.monotonic()
        recovered = watch_recovery(load.results, fast, RECOVERY_LIMIT_S + 5)
        time.sleep(2)
    results = load.results()
    slowest = max(r.ended - r.started for r in results)
    report = faults.report(analyse(f"{name} {DELAY_S * 1000:.0f} ms late for {SLOW_FOR_S:g}s "
                                   f"(peak {peak} connections, slowest answer {slowest:.1f}s)", results, fast))
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    assert slowest <= ROUTE_TIMEOUT_S + 1, f"an answer took {slowest:.1f}s: {report.line()}"
    assert peak <= bound, f"{peak} connections to {name}: {report.line()}"
    assert recovered <= RECOVERY_LIMIT_S, report.line()
    # Fast again: what was sent 2 s after the delay ended is answered at normal speed.
    after = sorted(r.ended - r.started for r in results if r.started > fast + 2)
    assert after and after[len(after) // 2] < DELAY_S, report.line()
    assert not lost(world, load.acknowledged)


def test_postgres_answering_late(faults: FaultStack) -> None:
    _slow(faults, faults.pg_proxy, "postgres", PG_CONNECTION_BOUND)


def test_redis_answering_late(faults: FaultStack) -> None:
    # One pool per replica (redis-py's default bound is large); the bound that matters is
    # that the count does not grow with the number of requests waiting.
    _slow(faults, faults.redis_proxy, "redis", 8 * 20)
