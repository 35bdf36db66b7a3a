"""tools.devstack.Supervisor: what it restarts, when, and what it says (fake children, fake clock)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.devstack import Supervisor, describe_exit

pytestmark = pytest.mark.unit


class FakeChild:
    def __init__(self, name: str, *, failing_starts: int = 0) -> None:
        self.name = name
        self.log_file = Path(f"/logs/{name}.log")
        self.running = True
        self.wanted = True  # False: its owner stopped it on purpose
        self.failing_starts = failing_starts
        self.starts = 0

    def down(self) -> str | None:
        return None if self.running or not self.wanted else "killed by SIGKILL"

    def revive(self) -> str | None:
        if self.down() is None:
            return None
        self.starts += 1
        if self.failing_starts:
            self.failing_starts -= 1
            raise RuntimeError("port in use")
        self.running = True
        return f"pid {100 + self.starts}"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(*children: FakeChild) -> tuple[Supervisor, Clock, list[str]]:
    clock, lines = Clock(), list[str]()
    return Supervisor(children, lines.append, clock=clock), clock, lines


def test_a_dead_child_is_restarted_at_once_and_reported() -> None:
    redis, service = FakeChild("redis"), FakeChild("identity-0")
    supervisor, _clock, lines = make(redis, service)
    supervisor.check()
    assert lines == []
    redis.running = False
    supervisor.check()
    assert redis.running and redis.starts == 1 and service.starts == 0
    assert lines == ["redis killed by SIGKILL; restarting; see /logs/redis.log", "redis restarted: pid 101"]


def test_a_deliberately_stopped_child_stays_down() -> None:
    redis = FakeChild("redis")
    supervisor, _clock, lines = make(redis)
    redis.running, redis.wanted = False, False
    supervisor.check()
    assert redis.starts == 0 and lines == []


def test_a_child_that_keeps_dying_waits_longer_each_time_then_is_forgiven() -> None:
    child = FakeChild("token-0")
    supervisor, clock, lines = make(child)
    waits = []
    for _ in range(8):
        child.running = False
        died_at = clock.now
        while not child.running:
            supervisor.check()
            clock.now += 0.25
        waits.append(clock.now - 0.25 - died_at)
        clock.now += 5  # up for a few seconds, then dies again
    assert waits == [0, 0.5, 1, 2, 4, 8, 16, 30]  # capped at 30 s
    assert "restarting in 30s (down again within 30s of its restart)" in lines[-2]
    clock.now += 30  # stayed up: the next death is restarted at once again
    supervisor.check()
    child.running = False
    supervisor.check()
    assert child.running


def test_a_failed_start_is_reported_and_retried_with_backoff() -> None:
    postgres = FakeChild("postgres", failing_starts=2)
    supervisor, clock, lines = make(postgres)
    postgres.running = False
    supervisor.check()
    assert lines[-1] == "postgres did not start again (next attempt in 0.5s): port in use"
    supervisor.check()  # not before the retry is due
    assert postgres.starts == 1
    clock.now += 0.5
    supervisor.check()
    assert postgres.starts == 2 and not postgres.running
    assert lines[-1] == "postgres did not start again (next attempt in 1s): port in use"
    clock.now += 0.75
    supervisor.check()
    assert postgres.starts == 2
    clock.now += 0.25
    supervisor.check()
    assert postgres.running and postgres.starts == 3 and lines[-1] == "postgres restarted: pid 103"


def test_one_failing_child_does_not_stop_the_others() -> None:
    class Broken(FakeChild):
        def down(self) -> str | None:
            raise OSError("cannot read status")

    broken, redis = Broken("broken"), FakeChild("redis")
    supervisor, _clock, lines = make(broken, redis)
    redis.running = False
    supervisor.check()
    assert redis.running
    assert lines[0] == "supervising broken failed: OSError: cannot read status"


def test_exit_codes_are_described() -> None:
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(1) == "exited with code 1"
