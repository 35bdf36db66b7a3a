"""Password logins per second through the gateway, next to the argon2id hashes per second
this machine computes alone with the service's parameters (for `make bench`).

Every login costs one argon2id verification (m=19 MiB, t=2, p=1), so hashes/s alone is the
ceiling; the ratio says how much of it the rest of the path (Envoy, rate limiting, gRPC,
PostgreSQL, Redis lockout counters, the session service) leaves.
"""

from __future__ import annotations

import os
import secrets
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tools.bench_support import closed_loop
from tools.stack import Stack

PASSWORD = "benchmark passphrase for logins"  # noqa: S105 - a throwaway bench user
USERS = 8


def _setup(stack: Stack) -> tuple[str, list[str]]:
    """A tenant without rate limiting in the way, and verified users with a password."""
    tenant_id = f"bench-login-{secrets.token_hex(3)}"
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    # Lift the login budget (20 per minute per IP by default) as a tenant override too, so the
    # numbers never depend on BINOAUTH_RATE_LIMIT_SCALE reaching tenant traffic.
    unlimited = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        created = client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant_id, "settings": {
            "rate_limits": {"login": unlimited, "management": unlimited}}})
        created.raise_for_status()
        emails = []
        for n in range(USERS):
            email = f"bench-{n}-{secrets.token_hex(3)}@example.com"
            response = client.post(f"/tenant/{tenant_id}/api/v1/users", headers=platform, json={
                "user": {"email": email, "name": f"Bench {n}"}, "password": PASSWORD, "email_verified": True})
            response.raise_for_status()
            emails.append(email)
        check = client.post(f"/tenant/{tenant_id}/api/v1/auth/login", json={"email": emails[0], "password": PASSWORD})
        check.raise_for_status()
    return tenant_id, emails


def login_rate(stack: Stack, seconds: float, concurrency: int) -> tuple[float, float, int]:
    """(logins per second, median ms, non-200 answers) of `concurrency` closed-loop clients."""
    tenant_id, emails = _setup(stack)
    url = f"{stack.gateway_url}/tenant/{tenant_id}/api/v1/auth/login"

    def login(client: httpx.Client, n: int) -> bool:
        body = {"email": emails[n % len(emails)], "password": PASSWORD}
        return client.post(url, json=body).status_code == 200

    return closed_loop(login, seconds, concurrency)


def hash_rate(seconds: float) -> tuple[float, float, int]:
    """(argon2id hashes per second, median ms, workers) with the service's parameters, one
    worker per core, nothing else running."""
    from argon2 import PasswordHasher

    from services.common.passwords import OWASP_MEMORY_KIB, OWASP_PARALLELISM, OWASP_TIME_COST

    hasher = PasswordHasher(time_cost=OWASP_TIME_COST, memory_cost=OWASP_MEMORY_KIB, parallelism=OWASP_PARALLELISM)
    workers = os.cpu_count() or 2
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(_: int) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            hasher.hash(PASSWORD)
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, workers


def bench_login(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    logins, login_ms, failed = login_rate(stack, seconds, concurrency)
    hashes, hash_ms, workers = hash_rate(seconds)
    ratio = logins / hashes if hashes else 0.0
    print(f"password logins through the gateway: {logins:.1f}/s, median {login_ms:.1f} ms "
          f"({concurrency} clients, {failed} non-200); argon2id alone: {hashes:.1f} hashes/s on {workers} "
          f"threads, median {hash_ms:.1f} ms; ratio logins/s / hashes/s = {ratio:.2f}")
    return [(f"password logins through Envoy ({concurrency} clients)", logins, login_ms),
            (f"argon2id hashes alone (m=19MiB t=2 p=1, {workers} threads)", hashes, hash_ms)]
