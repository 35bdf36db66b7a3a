"""`make bench-console`: the admin console's performance targets (issue 11).

1. Initial load: the compressed JavaScript the console's index.html loads before any page's
   own chunk (its module scripts and modulepreloads, gzip as Envoy serves them), from
   build/static/console after `make console`. Target: <= 250 KB.
2. Every page interactive within 1 s with 10,000 tenants and 100,000 users in one tenant. On
   a stack of its own (free loopback ports), it provisions the tenants through the gateway, 4
   at a time (as `make bench-tenants` does), and creates the users of one tenant through the
   admin API (no password, no invitation: no argon2id hash and no mail per user; the rows,
   the search index and the security events are the same), bounded by --seed-minutes. Then
   the built console in the system Chromium (Playwright, as tests/e2e/test_console_browser.py)
   signs a platform administrator in and loads every page several times: the time from the
   navigation to the page's data on screen (its heading there and no loading indicator left),
   the median and the slowest of --loads loads after one warm-up load.

Loopback only; bounded in time and count. Prints markdown tables ready for the README.

    python -m tools.bench_console --tenants 10000 --users 100000
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tools.bench_support import markdown_table
from tools.bench_tenants import provision, provision_many, tenant_id
from tools.stack import Stack, StackConfig

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "static" / "console"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
BIG = "console-big"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway bench administrator
TARGET_JS_KB = 250
TARGET_PAGE_MS = 1000
# Ready: the page's heading is there and nothing on it still says it is loading (the route's
# chunk, then each of its fetches, shows a "Loading…" status until its data is there).
READY = """() => {
  const main = document.querySelector('main') ?? document.body;
  return main.querySelector('h1') !== null && !/Loading/.test(main.innerText);
}"""


def initial_js_kb(build: Path = BUILD) -> tuple[float, list[str]]:
    """KB (1000 bytes) of gzip-compressed JavaScript index.html makes the browser load up front,
    and the files: <script type=module src> and <link rel=modulepreload href>."""
    html = (build / "index.html").read_text()
    paths = re.findall(r'<script[^>]*\ssrc="/console/([^"]+\.js)"', html)
    paths += re.findall(r'<link[^>]*rel="modulepreload"[^>]*href="/console/([^"]+\.js)"', html)
    total = 0
    for path in paths:
        compressed = build / f"{path}.gz"
        if not compressed.exists():
            raise SystemExit(f"{compressed} is missing: run `make console`")
        total += compressed.stat().st_size
    return total / 1000, paths


@dataclass
class Seeded:
    tenants: int
    users: int
    seconds: float
    client_id: str = ""
    user_id: str = ""


async def create_users(gateway: str, platform: dict[str, str], count: int, deadline: float,
                       concurrency: int = 8) -> int:
    """Users user-000000..count-1 in the big tenant, `concurrency` at a time, until `deadline`."""
    next_n = 0
    made = 0

    async def worker() -> None:
        nonlocal next_n, made
        async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
            while next_n < count and time.monotonic() < deadline:
                n = next_n
                next_n += 1
                response = await client.post(f"/tenant/{BIG}/api/v1/users", headers=platform, json={
                    "user": {"email": f"user-{n:06d}@{BIG}.example.com", "name": f"Bench User {n:06d}"},
                    "email_verified": True})
                response.raise_for_status()
                made += 1
                if made % 10_000 == 0:
                    print(f"  {made} users created", file=sys.stderr, flush=True)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return made


def seed(stack: Stack, tenants: int, users: int, seed_minutes: float) -> Seeded:
    started = time.perf_counter()
    deadline = time.monotonic() + seed_minutes * 60
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    with httpx.Client(base_url=stack.gateway_url, timeout=120) as client:
        provision(client, platform, BIG)
        app = client.post(f"/tenant/{BIG}/api/v1/applications", headers=platform, json={
            "display_name": "Console bench", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["bench"]})
        app.raise_for_status()
        client_id = app.json()["application"]["client_id"]
        client.post(f"/api/v1/tenants/{BIG}/apiKeys", headers=platform, json={
            "display_name": "bench", "scopes": ["users:read"]}).raise_for_status()
    print(f"creating up to {users} users in {BIG}", file=sys.stderr, flush=True)
    made = asyncio.run(create_users(stack.gateway_url, platform, users, deadline))
    provisioned = 1
    if tenants > 1:
        print(f"provisioning tenants #2..#{tenants} (4 in parallel)", file=sys.stderr, flush=True)
        provisioned += len(provision_many(stack, platform, 2, tenants, {}))
    with httpx.Client(base_url=stack.gateway_url, timeout=120) as client:
        found = client.get(f"/tenant/{BIG}/api/v1/users", headers=platform, params={"page_size": 1})
        found.raise_for_status()
        user_id = found.json()["users"][0]["user_id"]
    return Seeded(provisioned, made, time.perf_counter() - started, client_id, user_id)


def make_admin(stack: Stack) -> str:
    email = "console-bench@example.com"
    response = httpx.post(f"{stack.gateway_url}/api/v1/adminUsers", timeout=60,
                          headers={"Authorization": f"Bearer {stack.bootstrap_api_key}"},
                          json={"admin_user": {"email": email, "tenant_id": "", "scopes": [
                              "tenants:read", "tenants:write", "api_keys:read", "admins:read", "users:read",
                              "events:read", "applications:read", "sessions:read", "analytics:read"]},
                                "password": PASSWORD})
    response.raise_for_status()
    return email


def pages(seeded: Seeded) -> list[tuple[str, str]]:
    big = f"/t/{BIG}"
    return [
        ("tenants (list)", "/tenants"),
        ("tenants (search)", f"/tenants?q={tenant_id(max(seeded.tenants - 1, 1))}"),
        ("analytics, platform-wide", "/analytics"),
        ("administrators", "/admins"),
        ("tenant settings", f"{big}/settings"),
        ("applications", f"{big}/applications"),
        ("application", f"{big}/applications/{seeded.client_id}"),
        ("users (list)", f"{big}/users"),
        ("users (search)", f"{big}/users?q=user-077777"),
        ("user", f"{big}/users/{seeded.user_id}"),
        ("API keys", f"{big}/api-keys"),
        ("tenant administrators", f"{big}/admins"),
        ("signing keys", f"{big}/signing-keys"),
        ("security events", f"{big}/events"),
        ("analytics, tenant", f"{big}/analytics"),
    ]


def route(path: str, seeded: Seeded) -> str:
    """The page's route, without the ids of this run."""
    return path.replace(seeded.client_id, ":clientId").replace(seeded.user_id, ":userId")


def measure_pages(stack: Stack, email: str, seeded: Seeded, loads: int) -> list[tuple[str, str, float, float]]:
    """(name, path, median ms, slowest ms) of each page, after one warm-up load."""
    from playwright.sync_api import sync_playwright

    base = f"{stack.gateway_url}/console"
    results: list[tuple[str, str, float, float]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page: Any = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{base}/sign-in")
            page.get_by_label("Email", exact=True).fill(email)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Tenants", exact=True).first.wait_for()
            for name, path in pages(seeded):
                took: list[float] = []
                for n in range(loads + 1):
                    started = time.perf_counter()
                    page.goto(base + path)
                    page.wait_for_function(READY, polling=10)
                    if n:  # the first load warms the route's chunk and the server's caches
                        took.append((time.perf_counter() - started) * 1000)
                results.append((name, path, statistics.median(took), max(took)))
                print(f"  {name}: median {results[-1][2]:.0f} ms, slowest {results[-1][3]:.0f} ms",
                      file=sys.stderr, flush=True)
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_console")
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100_000, help="users in the one big tenant")
    parser.add_argument("--seed-minutes", type=float, default=25.0, help="cap on creating the users")
    parser.add_argument("--loads", type=int, default=5, help="measured loads per page (after one warm-up)")
    parser.add_argument("--replicas", type=int, default=2, help="per service (2 = the `make run` topology)")
    args = parser.parse_args(argv)
    kb, files = initial_js_kb()
    print(f"initial load: {kb:.1f} KB of gzip JavaScript ({', '.join(files)}); target <= {TARGET_JS_KB} KB",
          file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="binoauth-bench-console-") as folder, Stack(StackConfig(
        data_dir=Path(folder), free_ports=True, durable=False, replicas=args.replicas, drain_seconds=0.5,
        supervise=False, extra_env={"BINOAUTH_LOG_LEVEL": "WARNING", "BINOAUTH_RATE_LIMIT_SCALE": "1000000"},
    )) as stack:
        seeded = seed(stack, args.tenants, args.users, args.seed_minutes)
        print(f"seeded {seeded.tenants} tenants and {seeded.users} users in {seeded.seconds:.0f} s",
              file=sys.stderr, flush=True)
        timings = measure_pages(stack, make_admin(stack), seeded, args.loads)
    print(f"\n# make bench-console, {datetime.now(UTC):%Y-%m-%d}, {args.replicas} replica(s) per service, "
          f"{seeded.tenants} tenants, {seeded.users} users in {BIG}\n")
    print(markdown_table(["measure", "result", "target"], [
        ["initial console load, gzip JavaScript", f"{kb:.1f} KB", f"<= {TARGET_JS_KB} KB"]]))
    print()
    print(markdown_table(
        ["page", f"median ms ({args.loads} loads)", "slowest ms", f"<= {TARGET_PAGE_MS} ms"],
        [[f"{name} (`{route(path, seeded)}`)", f"{median:.0f}", f"{slowest:.0f}",
          "yes" if median <= TARGET_PAGE_MS else "no"] for name, path, median, slowest in timings]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
