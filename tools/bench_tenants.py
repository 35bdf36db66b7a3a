"""`make bench-tenants N=10000`: what N tenants cost (issue 13's 10,000-tenant targets).

On a fresh stack (PostgreSQL, Redis, every service, Envoy, free loopback ports) it measures a
lone tenant (#1), provisions tenants #2..#N through the gateway, 4 at a time (p50 per tenant),
then measures tenant #1 and tenant #N again: the p50 of a client_credentials token request
and of a password sign-in (sequential requests, so the figure is latency, not contention),
the start-up time of every service (one replica stopped and started again: process start to
SERVING), the RSS of each process, and the PostgreSQL catalog (pg_class rows, schemas,
database size). Prints a markdown table ready for the README.

Before the latencies it waits (up to --settle seconds) for PostgreSQL's autovacuum to finish:
N provisionings add ~90 catalog rows per tenant per service, and the vacuum and analyse of
pg_attribute, pg_class and pg_depend that follow take a core for a while. Measured during
them, a sign-in (argon2id, CPU-bound) reads the catch-up, not what serving N tenants costs;
the wait is reported, so a catch-up that grew with N would show.

Bounded: each latency figure takes at most --samples requests; the provisioning runs N - 2
requests. Loopback only. Run it on a quiet machine: the figures are for comparison between
runs on the same machine, not absolute promises.

    python -m tools.bench_tenants --tenants 10000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tools.bench_scenarios import stack_processes
from tools.bench_support import CpuMeter, markdown_table, rss_mib
from tools.stack import SERVICES, Stack, StackConfig

PASSWORD = "amber meadow compass slowly"  # noqa: S105 - a throwaway bench user
PARALLEL = 4
UNLIMITED = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}


def tenant_id(n: int) -> str:
    return f"bench-{n:05d}"


@dataclass
class BenchTenant:
    """A tenant with a confidential client (client_credentials) and a verified user."""

    tenant_id: str
    basic: str
    email: str


@dataclass
class Snapshot:
    """Everything measured at one point (1 tenant, or N)."""

    tenants: int
    token_ms: dict[str, float] = field(default_factory=dict)  # tenant id -> p50
    sign_in_ms: dict[str, float] = field(default_factory=dict)
    start_s: dict[str, float] = field(default_factory=dict)  # service -> seconds to SERVING
    rss_mib: dict[str, float] = field(default_factory=dict)  # process -> MiB
    catalog: dict[str, float] = field(default_factory=dict)
    settle_s: float = 0.0  # waited for autovacuum before the latencies


def provision(client: httpx.Client, platform: dict[str, str], tenant: str) -> float:
    """Creates a tenant through the gateway; seconds it took (the provisioning of its schemas
    in identity, token and session included)."""
    started = time.perf_counter()
    response = client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant, "settings": {
        "rate_limits": {"token": UNLIMITED, "login": UNLIMITED, "management": UNLIMITED}}})
    took = time.perf_counter() - started
    response.raise_for_status()
    return took


def equip(client: httpx.Client, platform: dict[str, str], tenant: str) -> BenchTenant:
    created = client.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json={
        "display_name": "bench", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
        "grant_types": ["client_credentials"], "allowed_scopes": ["bench"]})
    created.raise_for_status()
    body = created.json()
    basic = base64.b64encode(f"{body['application']['client_id']}:{body['client_secret']}".encode()).decode()
    email = f"bench-user@{tenant}.example.com"
    client.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
        "user": {"email": email, "name": "Bench"}, "password": PASSWORD,
        "email_verified": True}).raise_for_status()
    return BenchTenant(tenant, basic, email)


def p50_ms(call: Callable[[], httpx.Response], samples: int, seconds: float) -> float:
    """Median of up to `samples` sequential calls within `seconds` (after two warm-up calls)."""
    for _ in range(2):
        call().raise_for_status()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(latencies) < samples and time.perf_counter() < deadline:
        started = time.perf_counter()
        response = call()
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(latencies) * 1000


def measure_tenant(client: httpx.Client, tenant: BenchTenant, samples: int, seconds: float,
                   snapshot: Snapshot) -> None:
    base = f"/tenant/{tenant.tenant_id}"
    headers = {"Authorization": f"Basic {tenant.basic}", "Content-Type": "application/x-www-form-urlencoded"}
    snapshot.token_ms[tenant.tenant_id] = p50_ms(
        lambda: client.post(f"{base}/oauth2/token", headers=headers, content=b"grant_type=client_credentials"),
        samples, seconds)
    login = {"email": tenant.email, "password": PASSWORD}
    # A sign-in costs an argon2id verification (~20-60 ms): fewer samples in the same time.
    snapshot.sign_in_ms[tenant.tenant_id] = p50_ms(
        lambda: client.post(f"{base}/api/v1/auth/login", json=login), max(5, samples // 5), seconds)


def measure_start_up(stack: Stack, snapshot: Snapshot) -> None:
    """Each service's replica 0 stopped (SIGTERM) and started again: seconds until SERVING."""
    for service in SERVICES:
        replica = stack.replicas[service][0]
        stack.kill_replica(service, 0, sig=15)
        started = time.perf_counter()
        stack.start_replica(replica)
        stack.wait_serving(replica, timeout=600)
        snapshot.start_s[service] = time.perf_counter() - started
    stack.wait_gateway(timeout=120)


def on_database(stack: Stack, work: Callable[[Any], Awaitable[None]]) -> None:
    """Runs `work` with a connection of its own to the stack's database."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(stack.database_url)
        try:
            await work(conn)
        finally:
            await conn.close()

    asyncio.run(run())


def settle(stack: Stack, snapshot: Snapshot, limit_s: float) -> None:
    """Waits until no autovacuum worker has run for 3 s in a row (at most `limit_s`)."""

    async def wait(conn: Any) -> None:
        started = quiet_since = time.perf_counter()
        while time.perf_counter() - started < limit_s:
            busy = await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            now = time.perf_counter()
            if busy:
                quiet_since = now
            elif now - quiet_since >= 3:
                break
            await asyncio.sleep(0.25)
        snapshot.settle_s = time.perf_counter() - started

    on_database(stack, wait)


def measure_processes(stack: Stack, snapshot: Snapshot) -> None:
    for service, replicas in stack.replicas.items():
        for replica in replicas:
            if replica.process is not None:
                snapshot.rss_mib[f"{service}-{replica.index}"] = rss_mib(replica.process.pid)
    if stack.envoy is not None:
        snapshot.rss_mib["envoy"] = rss_mib(stack.envoy.pid)
    if stack.redis is not None and stack.redis.pid is not None:
        snapshot.rss_mib["redis"] = rss_mib(stack.redis.pid)


def measure_catalog(stack: Stack, snapshot: Snapshot) -> None:
    async def read(conn: Any) -> None:
        snapshot.catalog["pg_class rows"] = await conn.fetchval("SELECT count(*) FROM pg_class")
        snapshot.catalog["schemas"] = await conn.fetchval("SELECT count(*) FROM pg_namespace")
        snapshot.catalog["database MiB"] = await conn.fetchval(
            "SELECT pg_database_size(current_database())") / 2**20
        snapshot.catalog["pg_catalog MiB"] = await conn.fetchval(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'") / 2**20

    on_database(stack, read)


def provision_many(stack: Stack, platform: dict[str, str], first: int, last: int,
                   cpu_ms: dict[str, float]) -> list[float]:
    """Tenants first..last, PARALLEL at a time; each one's seconds. cpu_ms gets the CPU
    milliseconds per tenant of every process (PostgreSQL with its backends), from /proc."""
    took: list[float] = []
    lock = threading.Lock()
    numbers = iter(range(first, last + 1))
    started = time.perf_counter()

    def worker(_: int) -> None:
        with httpx.Client(base_url=stack.gateway_url, timeout=120) as client:
            while True:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    return
                seconds = provision(client, platform, tenant_id(n))
                with lock:
                    took.append(seconds)
                    if len(took) % 500 == 0:
                        rate = len(took) / (time.perf_counter() - started)
                        print(f"  {len(took)} tenants provisioned ({rate:.1f}/s)", file=sys.stderr, flush=True)

    meter = CpuMeter(stack_processes(stack))
    before = meter.read()
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(worker, range(PARALLEL)))
    cpu_ms.update({name: us / 1000 for name, us in CpuMeter.per_operation(before, meter.read(), len(took)).items()})
    return took


def report(n: int, alone: Snapshot, full: Snapshot, provisioning: list[float], first: str, last: str,
           cpu_ms: dict[str, float]) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{b / a:.2f}x" if a else ""

    ordered = sorted(provisioning)
    rows: list[list[str]] = [[
        f"provisioning p50 / p99 ms ({PARALLEL} in parallel, {len(provisioning)} tenants)", "",
        f"{statistics.median(provisioning) * 1000:.0f} / {ordered[int(len(ordered) * 0.99) - 1] * 1000:.0f}"
        if provisioning else "", ""]]
    if cpu_ms:
        spent = {name: ms for name, ms in cpu_ms.items() if name != "client"}
        rows.append(["provisioning CPU ms per tenant, every process but the load client", "",
                     f"{sum(spent.values()):.1f}", ""])
        rows.append(["  of which " + ", ".join(f"{name} {ms:.1f}" for name, ms in spent.items()), "", "", ""])
    rows.append(["s waited for PostgreSQL's autovacuum before the latencies (3 s quiet included)",
                 f"{alone.settle_s:.1f}", f"{full.settle_s:.1f}", ""])
    for label, values in (("client_credentials token p50 ms", "token_ms"), ("password sign-in p50 ms", "sign_in_ms")):
        lone = getattr(alone, values)[first]
        rows.append([f"{label}, tenant #1", f"{lone:.2f}", f"{getattr(full, values)[first]:.2f}",
                     ratio(lone, getattr(full, values)[first])])
        rows.append([f"{label}, tenant #{n}", "", f"{getattr(full, values)[last]:.2f}",
                     ratio(lone, getattr(full, values)[last])])
    for service in SERVICES:
        rows.append([f"start-up s (process start to SERVING), {service}", f"{alone.start_s[service]:.2f}",
                     f"{full.start_s[service]:.2f}", ratio(alone.start_s[service], full.start_s[service])])
    for process in full.rss_mib:
        before = alone.rss_mib.get(process, 0.0)
        rows.append([f"RSS MiB, {process}", f"{before:.0f}", f"{full.rss_mib[process]:.0f}",
                     ratio(before, full.rss_mib[process])])
    for name, value in full.catalog.items():
        before = alone.catalog.get(name, 0.0)
        rows.append([f"PostgreSQL {name}", f"{before:.0f}", f"{value:.0f}", ratio(before, value)])
    return markdown_table(["measure", "1 tenant", f"{n} tenants", "ratio"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_tenants")
    parser.add_argument("--tenants", type=int, default=10_000, help="N: tenants to provision (>= 2)")
    parser.add_argument("--samples", type=int, default=200, help="requests per token p50 (sign-in: a fifth)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time cap per p50")
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--settle", type=float, default=600.0, help="max seconds to wait for autovacuum")
    args = parser.parse_args(argv)
    n = max(2, args.tenants)
    with tempfile.TemporaryDirectory(prefix="binoauth-bench-tenants-") as folder, Stack(StackConfig(
        data_dir=Path(folder), free_ports=True, durable=False, replicas=args.replicas, drain_seconds=0.5,
        supervise=False, extra_env={"BINOAUTH_LOG_LEVEL": "WARNING", "BINOAUTH_RATE_LIMIT_SCALE": "1000000"},
    )) as stack:
        platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
        first, last = tenant_id(1), tenant_id(n)
        alone, full = Snapshot(1), Snapshot(n)
        cpu_ms: dict[str, float] = {}
        with httpx.Client(base_url=stack.gateway_url, timeout=120) as client:
            took = [provision(client, platform, first)]
            one = equip(client, platform, first)
            measure_start_up(stack, alone)
            settle(stack, alone, args.settle)
            measure_tenant(client, one, args.samples, args.seconds, alone)
            measure_processes(stack, alone)
            measure_catalog(stack, alone)
            print(f"provisioning tenants #2..#{n} ({PARALLEL} in parallel)", file=sys.stderr, flush=True)
            took += provision_many(stack, platform, 2, n - 1, cpu_ms)
            took.append(provision(client, platform, last))
            final = equip(client, platform, last)
            measure_start_up(stack, full)
            settle(stack, full, args.settle)
        with httpx.Client(base_url=stack.gateway_url, timeout=120) as client:
            measure_tenant(client, one, args.samples, args.seconds, full)
            measure_tenant(client, final, args.samples, args.seconds, full)
            measure_processes(stack, full)
            measure_catalog(stack, full)
    print(f"\n{n} tenants on this machine ({args.replicas} replica(s) per service), "
          f"{time.strftime('%Y-%m-%d')}:\n")
    print(report(n, alone, full, took, first, last, cpu_ms))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
