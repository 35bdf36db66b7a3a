"""A small, bounded load driver for the fault tier (tests/faults) and `make soak`: a few
client threads send mixed traffic through the gateway while a scenario breaks something, and
every answer is recorded with its time, so that a scenario can report what its clients saw.

Traffic (weights in MIX): client_credentials tokens (some revoked at once), sign-ins,
refresh-token rotation, management reads and writes (users created). What a client was told
succeeded (users, sessions, revocations) is kept in `Acknowledged` and checked afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

PASSWORD = "correct horse battery staple"  # noqa: S105 - the load's test users
CALLBACK = "https://app.example.com/callback"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Operation -> weight. Sign-ins cost an argon2 hash each: kept to a share the 2 cores can carry.
MIX: dict[str, int] = {"client_credentials": 4, "sign_in": 2, "refresh": 1, "read": 3, "write": 1}


@dataclass(frozen=True)
class Result:
    op: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all (connection refused/reset, timeout)
    error: str = ""  # the envelope's code, the OAuth error, or the exception's name
    retry_after: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Acknowledged:
    """What clients were told succeeded, to check afterwards that none of it was lost."""

    users: list[str] = field(default_factory=list)
    sessions: list[tuple[str, str]] = field(default_factory=list)  # (user id, session id)
    revoked: list[str] = field(default_factory=list)  # access tokens revoked with a 200
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class World:
    """One tenant's fixtures for the driver."""

    gateway_url: str
    tenant_id: str
    admin: dict[str, str]  # management headers (a tenant API key)
    cc_client: tuple[str, str]  # client_credentials application (id, secret)
    code_client: tuple[str, str]  # authorization_code + refresh_token application
    users: list[tuple[str, str]]  # (email, user id) that sign in


@dataclass(frozen=True)
class Report:
    name: str
    requests: int
    failures: dict[str, int]  # "503", "500", "0:ConnectError" ... -> count
    longest_error_window_s: float
    recovery_s: float | None  # fault over -> last failure answered (None: no fault marked)
    by_op: dict[str, int]
    latency_p99_ms: float
    failed_ops: dict[str, int] = field(default_factory=dict)  # "sign_in 503 UNAVAILABLE" -> count

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def success_ratio(self) -> float:
        return 1.0 if not self.requests else (self.requests - self.failed) / self.requests

    def line(self) -> str:
        recovery = "-" if self.recovery_s is None else f"{self.recovery_s:.2f}s"
        return (f"[faults] {self.name}: {self.requests} requests, {self.failed} failed "
                f"({self.success_ratio:.4%} ok) {dict(sorted(self.failures.items()))}, longest error window "
                f"{self.longest_error_window_s:.2f}s, recovery {recovery}, p99 {self.latency_p99_ms:.0f} ms, "
                f"mix {dict(sorted(self.by_op.items()))}, failed {dict(sorted(self.failed_ops.items()))}")


def analyse(name: str, results: list[Result], fault_over: float | None) -> Report:
    done = sorted(results, key=lambda r: r.ended)
    failures = Counter(str(r.status) if r.status else f"0:{r.error}" for r in done if not r.ok)
    # Longest stretch in which every answer was a failure: first failed request sent ->
    # last failed answer before the next success.
    longest, start, last_end = 0.0, None, 0.0
    for r in done:
        if r.ok:
            if start is not None:
                longest = max(longest, last_end - start)
            start = None
        else:
            start = r.started if start is None else min(start, r.started)
            last_end = r.ended
    if start is not None:
        longest = max(longest, last_end - start)
    recovery = None
    if fault_over is not None:
        after = [r.ended for r in done if not r.ok and r.ended >= fault_over]
        recovery = max(after) - fault_over if after else 0.0
    latencies = sorted(r.ended - r.started for r in done)
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    failed_ops = Counter(f"{r.op} {r.status} {r.error}" for r in done if not r.ok)
    return Report(name, len(done), dict(failures), longest, recovery, dict(Counter(r.op for r in done)), p99,
                  dict(failed_ops))


class Load:
    """`clients` threads sending MIX until stop(); results() afterwards. Each thread pauses
    `pause` seconds between requests so the shared cores are never saturated."""

    def __init__(self, world: World, clients: int = 4, pause: float = 0.01, mix: dict[str, int] | None = None,
                 timeout: float = 10.0) -> None:
        self.world = world
        self.acknowledged = Acknowledged()
        self._clients = clients
        self._pause = pause
        self._mix = mix or MIX
        self._timeout = timeout
        self._results: list[Result] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Load:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        for n in range(self._clients):
            thread = threading.Thread(target=self._run, args=(n,), name=f"load-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(self._timeout + 5)
        self._threads.clear()

    def results(self) -> list[Result]:
        with self._lock:
            return list(self._results)

    def _run(self, n: int) -> None:
        rng = random.Random(n)  # noqa: S311 - a traffic mix, not security
        ops, weights = zip(*self._mix.items(), strict=True)
        with httpx.Client(base_url=self.world.gateway_url, timeout=self._timeout) as http:
            client = _Client(self.world, http, self.acknowledged, n)
            while not self._stopping.is_set():
                op = rng.choices(ops, weights)[0]
                started = time.monotonic()
                try:
                    status, error, retry_after = client.run(op)
                except httpx.HTTPError as exc:
                    status, error, retry_after = 0, type(exc).__name__, ""
                except Exception as exc:  # noqa: BLE001 - an unexpected answer is recorded, not fatal
                    status, error, retry_after = -1, f"{type(exc).__name__}: {exc}"[:120], ""
                result = Result(op, started, time.monotonic(), status, error, retry_after)
                with self._lock:
                    self._results.append(result)
                self._stopping.wait(self._pause)


Answer = tuple[int, str, str]


def _answer(response: httpx.Response) -> Answer:
    error = ""
    if response.status_code >= 400:
        try:
            body = response.json()
            error = str(body["error"]["code"] if isinstance(body.get("error"), dict) else body.get("error", ""))
        except (ValueError, KeyError, AttributeError):
            error = response.text[:60]
    return response.status_code, error, response.headers.get("retry-after", "")


class _Client:
    """One simulated client: its own refresh-token family and its own sign-in user."""

    def __init__(self, world: World, http: httpx.Client, ack: Acknowledged, n: int) -> None:
        self.world, self.http, self.ack, self.n = world, http, ack, n
        self.base = f"/tenant/{world.tenant_id}"
        self.refresh_token = ""
        self.count = 0

    def run(self, op: str) -> Answer:
        self.count += 1
        handler: Callable[[], Answer] = getattr(self, op)
        return handler()

    def client_credentials(self) -> Answer:
        client_id, secret = self.world.cc_client
        response = self.http.post(f"{self.base}/oauth2/token", auth=(client_id, secret), headers=FORM,
                                  content=b"grant_type=client_credentials")
        if response.status_code != 200 or self.count % 5:
            return _answer(response)
        token = response.json()["access_token"]
        revoked = self.http.post(f"{self.base}/oauth2/revoke", auth=(client_id, secret), headers=FORM,
                                 content=urlencode({"token": token}).encode())
        if revoked.status_code == 200:
            with self.ack.lock:
                self.ack.revoked.append(token)
        return _answer(revoked)

    def sign_in(self) -> Answer:
        email, user_id = self.world.users[self.n % len(self.world.users)]
        # An empty cookie jar per sign-in: every one starts a new session.
        self.http.cookies.clear()
        response = self.http.post(f"{self.base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        self.http.cookies.clear()
        if response.status_code == 200:
            with self.ack.lock:
                self.ack.sessions.append((user_id, response.json()["session_id"]))
        return _answer(response)

    def refresh(self) -> Answer:
        if not self.refresh_token:
            # A new family (sign-in, authorize, code exchange); the load counts it as one refresh.
            token, answer = refresh_family(self.http, self.world, self.n)
            self.refresh_token = token
            return answer
        client_id, secret = self.world.code_client
        response = self.http.post(f"{self.base}/oauth2/token", auth=(client_id, secret), headers=FORM,
                                  content=urlencode({"grant_type": "refresh_token",
                                                     "refresh_token": self.refresh_token}).encode())
        # A failed rotation may have been committed: start a new family rather than present
        # the old token again (that would be reuse, and end the family by design).
        self.refresh_token = response.json()["refresh_token"] if response.status_code == 200 else ""
        return _answer(response)

    def read(self) -> Answer:
        _, user_id = self.world.users[self.count % len(self.world.users)]
        return _answer(self.http.get(f"{self.base}/api/v1/users/{user_id}", headers=self.world.admin))

    def write(self) -> Answer:
        email = f"load-{self.n}-{secrets.token_hex(5)}@example.com"
        response = self.http.post(f"{self.base}/api/v1/users", headers=self.world.admin, json={
            "user": {"email": email, "name": "Load"}, "password": PASSWORD, "email_verified": True})
        if response.status_code == 200:
            with self.ack.lock:
                self.ack.users.append(response.json()["user_id"])
        return _answer(response)


def refresh_family(http: httpx.Client, world: World, n: int) -> tuple[str, Answer]:
    """Signs a user in and runs the authorization code flow with PKCE: (refresh token, the
    answer of the step that ended it)."""
    client_id, secret = world.code_client
    email, _ = world.users[n % len(world.users)]
    base = f"/tenant/{world.tenant_id}"
    http.cookies.clear()
    try:
        return _code_flow(http, base, client_id, secret, email)
    finally:
        http.cookies.clear()


def _code_flow(http: httpx.Client, base: str, client_id: str, secret: str, email: str) -> tuple[str, Answer]:
    login = http.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    if login.status_code != 200:
        return "", _answer(login)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK,
                       "scope": "openid offline_access", "state": secrets.token_urlsafe(8),
                       "code_challenge": challenge, "code_challenge_method": "S256"})
    response = http.get(f"{base}/oauth2/authorize?{query}")
    if response.status_code == 200:  # consent page
        fields = {k: unescape(v) for k, v in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.text)}
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)
        if action is None:
            return "", (response.status_code, "NO_CONSENT_FORM", "")
        target = unescape(action.group(1))
        response = http.post(urlsplit(target).path + ("?" + urlsplit(target).query if urlsplit(target).query else ""),
                             content=urlencode({**fields, "decision": "allow"}).encode(), headers=FORM)
    location = response.headers.get("location", "")
    code = parse_qs(urlsplit(location).query).get("code", [""])[0]
    if response.status_code not in (302, 303) or not code:
        return "", _answer(response) if response.status_code >= 400 else (599, "NO_CODE", "")
    token = http.post(f"{base}/oauth2/token", auth=(client_id, secret), headers=FORM, content=urlencode({
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": verifier}).encode())
    if token.status_code != 200:
        return "", _answer(token)
    return str(token.json()["refresh_token"]), _answer(token)


def make_world(gateway_url: str, platform: dict[str, str], tenant_id: str, users: int = 4,
               settings: dict[str, Any] | None = None) -> World:
    """A tenant with raised limits (so that the platform defaults would throttle this load:
    the 429-after-recovery defect), a tenant API key, two applications and a few users."""
    with httpx.Client(base_url=gateway_url, timeout=30) as http:
        created = http.post("/api/v1/tenants", headers=platform,
                            json={"tenant_id": tenant_id, "display_name": "Faults", "settings": settings or {}})
        assert created.status_code == 200, created.text
        key = http.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform, json={"scopes": [
            "users:read", "users:write", "applications:read", "applications:write", "sessions:read",
            "sessions:write"]})
        assert key.status_code == 200, key.text
        admin = {"Authorization": f"Bearer {key.json()['secret']}"}
        base = f"/tenant/{tenant_id}"
        cc = http.post(f"{base}/api/v1/applications", headers=admin, json={
            "display_name": "Service", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["reports:read"]})
        assert cc.status_code == 200, cc.text
        code = http.post(f"{base}/api/v1/applications", headers=admin, json={
            "display_name": "Web app", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "redirect_uris": [CALLBACK],
            "grant_types": ["authorization_code", "refresh_token"], "allowed_scopes": ["openid", "offline_access"]})
        assert code.status_code == 200, code.text
        people = []
        for n in range(users):
            email = f"user{n}-{secrets.token_hex(3)}@example.com"
            user = http.post(f"{base}/api/v1/users", headers=admin, json={
                "user": {"email": email, "name": f"User {n}"}, "password": PASSWORD, "email_verified": True})
            assert user.status_code == 200, user.text
            people.append((email, str(user.json()["user_id"])))
    return World(gateway_url, tenant_id, admin,
                 (cc.json()["application"]["client_id"], cc.json()["client_secret"]),
                 (code.json()["application"]["client_id"], code.json()["client_secret"]), people)


def lost(world: World, ack: Acknowledged) -> list[str]:
    """What a client was told succeeded and is not there any more (should be empty)."""
    missing: list[str] = []
    base = f"/tenant/{world.tenant_id}"
    with httpx.Client(base_url=world.gateway_url, timeout=30) as http:
        for user_id in ack.users:
            if http.get(f"{base}/api/v1/users/{user_id}", headers=world.admin).status_code != 200:
                missing.append(f"user {user_id}")
        by_user: dict[str, set[str]] = {}
        for user_id, session_id in ack.sessions:
            by_user.setdefault(user_id, set()).add(session_id)
        for user_id, sessions in by_user.items():
            # The newest 500 are listed: a scenario signs each user in far fewer times.
            page = http.get(f"{base}/api/v1/users/{user_id}/sessions", headers=world.admin)
            assert page.status_code == 200, page.text
            listed = {s["session_id"] for s in page.json().get("sessions", [])}
            missing += [f"session {s}" for s in sorted(sessions - listed)]
        client_id, secret = world.cc_client
        for token in ack.revoked:
            answer = http.post(f"{base}/oauth2/introspect", auth=(client_id, secret), headers=FORM,
                               content=urlencode({"token": token}).encode())
            if answer.status_code != 200 or answer.json().get("active") is not False:
                missing.append(f"revocation of a token ({answer.status_code} {answer.text[:80]})")
    return missing
