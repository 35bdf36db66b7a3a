"""The scenarios of `make bench` (issue 13): client_credentials, introspection, refresh, the
authorization-code round trip, password sign-in and a management read, each through Envoy
with the raw keep-alive load client (tools/bench_load.py). Each reports throughput, p50, p99
and the CPU microseconds per request of every process (Envoy, each service replica, Redis,
PostgreSQL with its backends, the load client) read from /proc before and after.

Beside them, in the same run: panva's oidc-provider (tools/bench-peer) for client_credentials
(ES256 JWT access tokens) and introspection, measured with the same load client in slices
interleaved with ours so that both see the same machine; and argon2id alone beside sign-in.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import secrets
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tools.bench_code_flow import create_s256_code_challenge
from tools.bench_load import Call, Connection, LoadResult, run, run_load
from tools.bench_peer import Peer
from tools.bench_support import CpuMeter, markdown_table
from tools.stack import Stack

CALLBACK = "https://app.example.com/callback"
PASSWORD = "violet harbour lantern quietly"  # noqa: S105 - a throwaway bench user
FORM = "application/x-www-form-urlencoded"
UNLIMITED = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
ROUNDS = 3  # interleaved slices of ours and the peer's
SIGN_IN = "password sign-in"


@dataclass
class Measured:
    name: str
    result: LoadResult = field(default_factory=LoadResult)
    cpu_us: dict[str, float] = field(default_factory=dict)  # process -> total CPU in the run

    def cpu_per_request(self) -> dict[str, float]:
        return {p: us / max(self.result.operations, 1) for p, us in self.cpu_us.items()}

    def server_cpu_per_request(self) -> float:
        """Summed over every process but the load client: what one request costs the platform."""
        return sum(us for p, us in self.cpu_per_request().items() if p != "client")


@dataclass
class World:
    """One tenant lifted out of the rate limits' way, with what every scenario needs."""

    tenant: str
    machine_basic: str  # client_credentials client, client_secret_basic
    web_id: str
    web_secret: str
    email: str
    session_cookie: str
    platform: dict[str, str]


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def make_world(stack: Stack) -> World:
    tenant = f"bench-scn-{secrets.token_hex(3)}"
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    email = f"bench-{secrets.token_hex(4)}@example.com"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant, "settings": {"rate_limits": {
            "token": UNLIMITED, "login": UNLIMITED, "management": UNLIMITED}}}).raise_for_status()
        user = client.post(f"/tenant/{tenant}/api/v1/users", headers=platform, json={
            "user": {"email": email, "name": "Bench"}, "password": PASSWORD, "email_verified": True})
        if user.status_code != 200:
            raise RuntimeError(f"creating the bench user: {user.status_code} {user.text[:300]}")
        machine = client.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json={
            "display_name": "bench machine", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["bench"]})
        machine.raise_for_status()
        web = client.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json={
            "display_name": "bench web", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "redirect_uris": [CALLBACK],
            "grant_types": ["authorization_code", "refresh_token"], "allowed_scopes": ["openid", "offline_access"],
            "first_party": True})
        web.raise_for_status()
        login = client.post(f"/tenant/{tenant}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
    return World(tenant, _basic(machine.json()["application"]["client_id"], machine.json()["client_secret"]),
                 web.json()["application"]["client_id"], web.json()["client_secret"], email,
                 login.cookies.get("binoauth_session") or "", platform)


async def _code_round_trip(conn: Connection, world: World, scope: str) -> dict[str, object] | None:
    """authorize (signed-in session, first-party: no consent) -> code -> token, with PKCE."""
    verifier = secrets.token_urlsafe(48)
    query = urlencode({"response_type": "code", "client_id": world.web_id, "redirect_uri": CALLBACK,
                       "scope": scope, "state": "s", "code_challenge": create_s256_code_challenge(verifier),
                       "code_challenge_method": "S256"})
    base = f"/tenant/{world.tenant}/oauth2"
    answer = await conn.request("GET", f"{base}/authorize?{query}",
                                {"Cookie": f"binoauth_session={world.session_cookie}"})
    if answer.status != 302:
        return None
    code = parse_qs(urlsplit(answer.headers.get("location", "")).query).get("code", [""])[0]
    body = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                      "code_verifier": verifier}).encode()
    token = await conn.request("POST", f"{base}/token", {
        "Authorization": _basic(world.web_id, world.web_secret), "Content-Type": FORM}, body)
    return json.loads(token.body) if token.status == 200 else None


def our_scenarios(stack: Stack, world: World, concurrency: int) -> dict[str, Call]:
    """name -> one operation. Setup that needs the gateway (a token to introspect, a refresh
    token per worker) happens here, before any measuring."""
    base = f"/tenant/{world.tenant}"
    machine = {"Authorization": world.machine_basic, "Content-Type": FORM}
    web = {"Authorization": _basic(world.web_id, world.web_secret), "Content-Type": FORM}
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        issued = client.post(f"{base}/oauth2/token", headers=machine, content=b"grant_type=client_credentials")
        issued.raise_for_status()
    introspect_body = urlencode({"token": issued.json()["access_token"]}).encode()

    async def refresh_chains() -> list[str]:
        conn = Connection(*_host_port(stack.gateway_url))
        try:
            chains = []
            for _ in range(concurrency):
                token = await _code_round_trip(conn, world, "openid offline_access")
                if token is None or "refresh_token" not in token:
                    raise RuntimeError("no refresh token from the authorization-code flow")
                chains.append(str(token["refresh_token"]))
            return chains
        finally:
            conn.close()

    chains = asyncio.run(refresh_chains())

    async def client_credentials(conn: Connection, _n: int) -> bool:
        answer = await conn.request("POST", f"{base}/oauth2/token", machine, b"grant_type=client_credentials")
        return answer.status == 200

    async def introspection(conn: Connection, _n: int) -> bool:
        answer = await conn.request("POST", f"{base}/oauth2/introspect", machine, introspect_body)
        return answer.status == 200 and json.loads(answer.body).get("active") is True

    async def refresh(conn: Connection, n: int) -> bool:
        body = urlencode({"grant_type": "refresh_token", "refresh_token": chains[n]}).encode()
        answer = await conn.request("POST", f"{base}/oauth2/token", web, body)
        if answer.status != 200:
            return False
        chains[n] = json.loads(answer.body)["refresh_token"]  # rotation: the next one uses the new token
        return True

    async def code_flow(conn: Connection, _n: int) -> bool:
        token = await _code_round_trip(conn, world, "openid")
        return token is not None and "id_token" in token

    login = json.dumps({"email": world.email, "password": PASSWORD}).encode()

    async def sign_in(conn: Connection, _n: int) -> bool:
        answer = await conn.request("POST", f"{base}/api/v1/auth/login", {"Content-Type": "application/json"}, login)
        return answer.status == 200

    async def management_read(conn: Connection, _n: int) -> bool:
        answer = await conn.request("GET", f"{base}/api/v1/applications?page_size=10", world.platform)
        return answer.status == 200

    return {"client_credentials": client_credentials, "introspection": introspection, "refresh": refresh,
            "authorization-code round trip": code_flow, SIGN_IN: sign_in,
            "management read (list applications)": management_read}


def peer_scenarios(peer: Peer) -> dict[str, Call]:
    auth = {"Authorization": _basic(peer.client_id, peer.client_secret), "Content-Type": FORM}
    with httpx.Client(base_url=peer.url, timeout=30) as client:
        opaque = client.post("/token", headers=auth, content=b"grant_type=client_credentials&scope=bench"
                                                              b"&resource=urn%3Abench%3Aopaque")
        opaque.raise_for_status()
        jwt_token = client.post("/token", headers=auth, content=b"grant_type=client_credentials&scope=bench")
        jwt_token.raise_for_status()
        if jwt_token.json()["access_token"].count(".") != 2:
            raise RuntimeError("the peer did not issue a JWT access token")
    introspect_body = urlencode({"token": opaque.json()["access_token"]}).encode()

    async def client_credentials(conn: Connection, _n: int) -> bool:
        answer = await conn.request("POST", "/token", auth, b"grant_type=client_credentials&scope=bench")
        return answer.status == 200

    async def introspection(conn: Connection, _n: int) -> bool:
        answer = await conn.request("POST", "/token/introspection", auth, introspect_body)
        return answer.status == 200 and json.loads(answer.body).get("active") is True

    return {"client_credentials": client_credentials, "introspection": introspection}


def stack_processes(stack: Stack) -> dict[str, tuple[int, bool]]:
    found: dict[str, tuple[int, bool]] = {}
    if stack.envoy is not None:
        found["envoy"] = (stack.envoy.pid, False)
    for replicas in stack.replicas.values():
        for replica in replicas:
            if replica.process is not None:
                found[replica.name] = (replica.process.pid, False)
    if stack.redis is not None and stack.redis.pid is not None:
        found["redis"] = (stack.redis.pid, False)
    if stack.postgres is not None and stack.postgres.pid is not None:
        found["postgres"] = (stack.postgres.pid, True)
    found["client"] = (os.getpid(), False)
    return found


def measure(base_url: str, call: Call, meter: CpuMeter, into: Measured, seconds: float, concurrency: int,
            max_requests: int) -> None:
    before = meter.read()
    result = run(run_load(base_url, call, seconds, concurrency, max_requests))
    after = meter.read()
    into.result.add(result)
    for name in before:
        into.cpu_us[name] = into.cpu_us.get(name, 0.0) + after[name] - before[name]


def bench_scenarios(stack: Stack, seconds: float, concurrency: int, *, peer: bool = True,
                    max_requests: int = 200_000, only: Callable[[str], bool] = lambda _n: True) -> str:
    """Runs every scenario and prints (and returns) the markdown tables."""
    from tools.bench_login import hash_rate

    world = make_world(stack)
    ours = {name: call for name, call in our_scenarios(stack, world, concurrency).items() if only(name)}
    meter = CpuMeter(stack_processes(stack))
    results: dict[str, Measured] = {}
    peers: dict[str, Measured] = {}
    hash_slices: list[tuple[float, float, int]] = []  # argon2id alone: (hashes/s, median ms, workers)
    why_no_peer = Peer.available() if peer else "--no-peer"
    with Peer() if why_no_peer is None else contextlib.nullcontext() as running:
        theirs = peer_scenarios(running) if running is not None else {}
        peer_meter = CpuMeter({"oidc-provider": (running.process.pid, False), "client": (os.getpid(), False)}
                              ) if running is not None and running.process is not None else None
        for name, call in ours.items():
            results[name] = Measured(name)
            variants: list[tuple[str, Call, CpuMeter, Measured]] = []
            if name in theirs and running is not None and peer_meter is not None:
                peers[name] = Measured(f"oidc-provider {name}")
                variants.append((running.url, theirs[name], peer_meter, peers[name]))
            if not variants and name != SIGN_IN:
                measure(stack.gateway_url, call, meter, results[name], seconds, concurrency, max_requests)
                continue
            for _ in range(ROUNDS):  # interleaved slices: every variant sees the same noise
                measure(stack.gateway_url, call, meter, results[name], seconds / ROUNDS, concurrency,
                        max_requests // ROUNDS)
                for url, variant, variant_meter, into in variants:
                    measure(url, variant, variant_meter, into, seconds / ROUNDS, concurrency, max_requests // ROUNDS)
                if name == SIGN_IN:  # argon2id alone, in slices between sign-in's (not after everything)
                    hash_slices.append(hash_rate(seconds / ROUNDS))
    lines = [_summary(results, peers, concurrency), "", _cpu_table([*results.values(), *peers.values()])]
    if hash_slices:
        hashes = statistics.mean(rate for rate, _ms, _workers in hash_slices)
        hash_ms = statistics.median(ms for _rate, ms, _workers in hash_slices)
        workers = hash_slices[0][2]
        sign_ins = results[SIGN_IN].result.per_second
        lines += ["", f"password sign-in {sign_ins:.1f}/s vs argon2id alone (same parameters, {workers} threads) "
                      f"{hashes:.1f}/s, median {hash_ms:.1f} ms: ratio {sign_ins / hashes if hashes else 0:.2f}"]
    if why_no_peer is not None:
        lines += ["", f"peer comparison skipped: {why_no_peer}"]
    text = "\n".join(lines)
    print(text)
    return text


def _summary(results: dict[str, Measured], peers: dict[str, Measured], concurrency: int) -> str:
    rows = []
    for name, measured in results.items():
        r = measured.result
        total = measured.server_cpu_per_request()
        peer = peers.get(name)
        rows.append([name, f"{r.per_second:.0f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}", str(r.failures),
                     f"{total:.0f}", f"{peer.result.per_second:.0f}" if peer else "",
                     f"{r.per_second / peer.result.per_second:.2f}" if peer and peer.result.per_second else ""])
        if peer:
            p = peer.result
            rows.append([f"oidc-provider {name}" + (" (opaque token)" if name == "introspection" else ""),
                         f"{p.per_second:.0f}", f"{p.p50_ms:.2f}", f"{p.p99_ms:.2f}", str(p.failures),
                         f"{peer.server_cpu_per_request():.0f}", "", ""])
    return markdown_table(["scenario (through Envoy unless named)", "req/s", "p50 ms", "p99 ms", "failed",
                           "server CPU µs/req (all but the client)", "oidc-provider req/s", "ratio"], rows) + (
        f"\n\n{concurrency} keep-alive connections, raw HTTP/1.1 load client on uvloop.")


def _cpu_table(measured: list[Measured]) -> str:
    processes: list[str] = []
    for m in measured:
        processes += [p for p in m.cpu_us if p not in processes]
    rows = []
    for m in measured:
        per = m.cpu_per_request()
        rows.append([m.name, *(f"{per[p]:.0f}" if p in per else "" for p in processes)])
    return "CPU µs per request, per process (from /proc/<pid>/stat):\n\n" + markdown_table(
        ["scenario", *processes], rows)


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80

