"""The fault tier's own stack: durable PostgreSQL and Redis (AOF) that the tests own, each
behind a DelayProxy the tests control, 4 services x 2 replicas and Envoy. The stack's
supervisor still restarts replicas and Envoy that die on their own; the datastores are the
tests' (the stack did not start them), so a deliberate outage is not "repaired" behind a
test's back.

Every scenario prints one `[faults] ...` line with its figures (run pytest with -s to see
them; they are also appended to <stack data>/faults-report.txt)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faults.proxy import DelayProxy
from tools.devstack import PostgresServer, RedisServer
from tools.loadgen import Report, World, make_world
from tools.stack import Stack, StackConfig

# The tenant's own limits: far above the platform defaults (20 sign-ins per address and
# minute), so a limit that fell back to a default would show as 429s.
RAISED_LIMITS = {
    group: {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
    for group in ("login", "token", "management", "signup", "verification")
}
LOCKOUT = {"max_failures": 3, "progressive_delay_seconds": 0}


class FaultStack:
    def __init__(self, stack: Stack, postgres: PostgresServer, redis: RedisServer, pg_proxy: DelayProxy,
                 redis_proxy: DelayProxy) -> None:
        self.stack, self.postgres, self.redis = stack, postgres, redis
        self.pg_proxy, self.redis_proxy = pg_proxy, redis_proxy
        self.reports: list[Report] = []

    @property
    def platform(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.stack.bootstrap_api_key}"}

    def world(self, users: int = 4) -> World:
        return make_world(self.stack.gateway_url, self.platform, f"faults-{secrets.token_hex(3)}", users,
                          {"rate_limits": RAISED_LIMITS, "lockout_policy": LOCKOUT})

    def unhandled(self, limit: int = 3) -> list[str]:
        """The services' 'unhandled error' log lines (a 500's cause), for assertion messages."""
        return [line[-600:] for line in self.stack.log_lines() if "unhandled error" in line][-limit:]

    def report(self, report: Report) -> Report:
        print("\n" + report.line(), flush=True)
        with (self.stack.data_dir / "faults-report.txt").open("a") as out:
            out.write(report.line() + "\n")
        self.reports.append(report)
        return report


@pytest.fixture(scope="session")
def faults(server_dir: Callable[[str], Path]) -> Iterator[FaultStack]:
    root = server_dir("faults")
    postgres = PostgresServer(root / "postgres", durable=True)
    redis = RedisServer(root / "redis", persistent=True)
    postgres.start()
    redis.start()
    assert postgres.port is not None and redis.port is not None
    pg_proxy = DelayProxy(postgres.port).start()
    redis_proxy = DelayProxy(redis.port).start()
    postgres.create_database("binoauth")
    config = StackConfig(
        data_dir=root / "stack", free_ports=True, durable=True, drain_seconds=2.0, replicas=2,
        database_url=f"postgresql://postgres@127.0.0.1:{pg_proxy.port}/binoauth",
        redis_url=f"redis://127.0.0.1:{redis_proxy.port}/0",
        bootstrap_api_key="bino_faults_" + secrets.token_urlsafe(32),
    )
    try:
        with Stack(config) as stack:
            yield FaultStack(stack, postgres, redis, pg_proxy, redis_proxy)
    finally:
        pg_proxy.stop()
        redis_proxy.stop()
        redis.stop()
        postgres.stop()
