"""Service replicas stopped under mixed load, through the Stack's own APIs (kill_replica
stops a replica on purpose, so the supervisor leaves it to the test):

* a rolling restart with SIGTERM, one replica of each service at a time: not one request
  fails (drain, NOT_SERVING, Envoy's health checks and retries on refused streams);
* SIGKILL of one replica of each service in turn: >= 99.9 % of requests succeed (only those
  in flight on the dead replica may fail) and the service answers again within 5 s."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tests.faults.conftest import FaultStack
from tests.faults.scenario import wrong_answers
from tools.loadgen import Load, analyse, lost
from tools.stack import SERVICES

pytestmark = pytest.mark.faults
BACK_IN_SERVICE_S = 5.0
# A request sent this soon after a kill may still go out on the dead replica's connection.
IN_FLIGHT_S = 1.0
CLIENTS = 4


def _restart(faults: FaultStack, service: str, index: int, sig: int) -> float:
    """Stops the replica with `sig`, starts it again; seconds until Envoy routes to it."""
    stack = faults.stack
    started = time.monotonic()
    stack.kill_replica(service, index, sig)
    stack.start_replica(stack.replicas[service][index])
    stack.wait_serving(stack.replicas[service][index])
    stack.wait_replica_state(service, index, healthy=True)
    return time.monotonic() - started


def test_rolling_restart_with_sigterm_loses_no_request(faults: FaultStack) -> None:
    world = faults.world()
    with Load(world, clients=CLIENTS) as load:
        time.sleep(2)
        begun = time.monotonic()
        for index in range(faults.stack.config.replicas):
            # One replica of every service at once: each service keeps its other one.
            threads = [threading.Thread(target=_restart, args=(faults, service, index, signal.SIGTERM))
                       for service in SERVICES]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        rolled = time.monotonic() - begun
        time.sleep(1)
    results = load.results()
    report = faults.report(analyse(f"rolling SIGTERM restart of 8 replicas ({rolled:.0f}s)", results, None))
    assert report.failed == 0, (report.line(), wrong_answers(results), faults.unhandled())
    assert not lost(world, load.acknowledged)


def test_sigkill_of_a_replica_of_each_service(faults: FaultStack) -> None:
    world = faults.world()
    windows: dict[str, float] = {}
    kills: list[float] = []
    with Load(world, clients=CLIENTS) as load:
        time.sleep(2)
        for service in SERVICES:
            killed = time.monotonic()
            kills.append(killed)
            faults.stack.kill_replica(service, 0, signal.SIGKILL)
            # The other replica serves meanwhile; the killed one starts again (as the
            # supervisor would restart it) and must be routed to again.
            time.sleep(0.5)
            faults.stack.start_replica(faults.stack.replicas[service][0])
            faults.stack.wait_serving(faults.stack.replicas[service][0])
            faults.stack.wait_replica_state(service, 0, healthy=True)
            windows[service] = time.monotonic() - killed
            time.sleep(1)
        time.sleep(1)
    results = load.results()
    report = faults.report(analyse("SIGKILL of one replica of each service "
                                   f"(replica back in {max(windows.values()):.1f}s at most)", results, None))
    # Only requests in flight on the killed replica may fail (Envoy cannot retry a POST that
    # may have reached it): each failure was answered, as an honest 503 with Retry-After,
    # while Envoy still had the dead replica's connection (sent at most IN_FLIGHT_S after a
    # kill), and each client has one request in flight at most.
    failed = [r for r in results if not r.ok]
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    assert all(any(r.ended >= k and r.started <= k + IN_FLIGHT_S for k in kills) for r in failed), report.line()
    assert len(failed) <= CLIENTS * len(SERVICES), report.line()
    # The service answers throughout (its other replica); the killed one is routed to again
    # soon after it starts (reported; bounded loosely, the shared cores make starts slow).
    assert report.longest_error_window_s <= BACK_IN_SERVICE_S, report.line()
    assert max(windows.values()) <= 2 * BACK_IN_SERVICE_S, windows
    assert not lost(world, load.acknowledged)
