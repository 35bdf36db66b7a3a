"""The device flow with in-memory fakes: endpoint answer, device page (login, CSRF, brute
force budget, approval, denial) and the token endpoint polling through to single-use tokens."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest

from services.common.csrf import CSRF_COOKIE, CsrfTokens, derive_key
from services.common.directory import TenantInfo
from services.common.settings import Secret
from services.token.applications.model import Application, ClientType
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.device import DEVICE_CODE_GRANT, SESSION_FAILURE_BUDGET, DeviceFlow
from services.token.oauth.device_codes import (
    Approval,
    DeviceGrant,
    PendingDevice,
    PollResult,
    decide_poll,
    normalise_user_code,
)
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import ClientCredentials
from services.token.oauth.grants.device_code import DeviceCodeGrant
from services.token.oauth.issuer import TokenIssuer
from services.token.oauth.platform import SignedIn
from tests.unit.oauth_fakes import FakeGrantStore, FakeSigner, issuer_for

pytestmark = pytest.mark.unit
T0 = datetime(2026, 1, 1, tzinfo=UTC)
TENANT = TenantInfo("acme", "Acme", True, False, "", {})
FORM = "application/x-www-form-urlencoded"
APP = Application("app_1", "TV app", ClientType.PUBLIC, grant_types=(DEVICE_CODE_GRANT, "refresh_token"),
                  allowed_scopes=("openid", "profile"), token_endpoint_auth_method="none")


class Store:
    def __init__(self) -> None:
        self.rows: dict[bytes, tuple[bytes, DeviceGrant]] = {}

    async def create(self, tenant_id: str, pending: PendingDevice, now: datetime) -> bool:
        self.rows[pending.device_code_hash] = (pending.user_code_hash, DeviceGrant(
            pending.client_id, pending.scope, "pending", pending.interval, None, pending.expire_time))
        return True

    def _by_user(self, user_hash: bytes) -> bytes | None:
        return next((k for k, (u, _g) in self.rows.items() if u == user_hash), None)

    async def find_pending(self, tenant_id: str, user_code_hash: bytes, now: datetime) -> DeviceGrant | None:
        key = self._by_user(user_code_hash)
        grant = self.rows[key][1] if key else None
        return grant if grant and grant.status == "pending" and now < grant.expire_time else None

    async def decide(self, tenant_id: str, user_code_hash: bytes, approval: Approval | None, now: datetime) -> bool:
        key = self._by_user(user_code_hash)
        if key is None or self.rows[key][1].status != "pending":
            return False
        user, grant = self.rows[key]
        if approval is None:
            self.rows[key] = (user, replace(grant, status="denied"))
        else:
            self.rows[key] = (user, replace(grant, status="approved", user_id=approval.user_id,
                                            auth_time=approval.auth_time, amr=approval.amr, claims=approval.claims))
        return True

    async def poll(self, tenant_id: str, device_code_hash: bytes, client_id: str,
                   now: datetime) -> tuple[PollResult, DeviceGrant | None]:
        user, grant = self.rows.get(device_code_hash, (b"", None))
        result = decide_poll(grant, client_id, now)
        if grant is not None and result.outcome != "invalid_grant":
            self.rows[device_code_hash] = (user, replace(grant, status=result.status, interval=result.interval,
                                                         last_poll_time=now))
        return result, grant


class Clients:
    async def authenticate(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        if credentials.client_id != APP.client_id:
            raise OAuthError("invalid_client", "client authentication failed", 401)
        return APP


class Applications:
    async def find(self, tenant_id: str, client_id: str) -> Application | None:
        return APP if client_id == APP.client_id else None


class Platform:
    def __init__(self) -> None:
        self.signed_in: SignedIn | None = SignedIn("s1", "u1", T0, ("pwd",))

    async def session(self, tenant_id: str, secret: str) -> SignedIn | None:
        return self.signed_in if secret else None

    async def claims(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        return {"sub": user_id, "email": "ada@example.com"}


class Failures:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    async def failures(self, key: str) -> int:
        return self.counts.get(key, 0)

    async def record_failure(self, key: str, window_seconds: int) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


class World:
    def __init__(self) -> None:
        self.now = T0
        self.store = Store()
        self.platform = Platform()
        self.failures = Failures()
        self.grants = FakeGrantStore()
        self.issued: list[tuple[str, list[str]]] = []
        self.csrf = CsrfTokens(derive_key(Secret("k" * 40)))
        self.cookie = CsrfTokens.new_cookie()
        self.flow = DeviceFlow(Clients(), Applications(), self.store, issuer_for,  # type: ignore[arg-type]
                               self.platform, self.failures, self.csrf, True, clock=lambda: self.now)
        signer = FakeSigner()
        self.grant = DeviceCodeGrant(self.store, self.grants,
                                     TokenIssuer(signer, AccessTokenIssuer(signer), issuer_for), lambda: self.now)

    @property
    def cookies(self) -> str:
        return f"binoauth_session=secret; {CSRF_COOKIE}={self.cookie}"

    async def submit(self, user_code: str, decision: str = "allow", csrf: str | None = None) -> Any:
        body = urlencode({"user_code": user_code, "decision": decision,
                          "csrf_token": csrf if csrf is not None else self.csrf.token_for("acme", self.cookie)})
        return await self.flow.submit(TENANT, FORM, body.encode(), self.cookies, "acme", "10.0.0.1")

    async def poll(self, device_code: str) -> str:
        try:
            answer = await self.grant.handle(TENANT, APP, {"device_code": device_code})
        except OAuthError as error:
            return error.error
        claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
        self.issued.append((claims["sub"], claims["scope"].split()))
        assert answer["refresh_token"] and answer["id_token"]
        return "tokens"

    async def start(self, scope: str = "openid") -> dict[str, Any]:
        return await self.flow.authorize(TENANT, FORM, urlencode({"client_id": "app_1", "scope": scope}).encode(), "")


async def test_device_authorization_answer() -> None:
    world = World()
    answer = await world.start()
    assert set(answer) == {"device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in",
                           "interval"}
    assert len(answer["device_code"]) >= 43 and answer["expires_in"] == 600 and answer["interval"] == 5
    assert answer["verification_uri"] == "https://id.example.com/tenant/acme/device"
    query = parse_qs(urlsplit(answer["verification_uri_complete"]).query)
    assert query["user_code"] == [answer["user_code"]] and normalise_user_code(answer["user_code"])
    with pytest.raises(OAuthError) as refused:
        await world.start("openid admin")
    assert refused.value.error == "invalid_scope"


async def test_poll_approve_issue_once() -> None:
    world = World()
    answer = await world.start("openid profile")
    assert await world.poll(answer["device_code"]) == "authorization_pending"
    world.now += timedelta(seconds=1)
    assert await world.poll(answer["device_code"]) == "slow_down"
    page = await world.submit(answer["user_code"].lower().replace("-", ""))
    assert page.status == 200 and b"Device connected" in page.body
    assert await world.poll(answer["device_code"]) == "tokens"
    assert world.issued == [("u1", ["openid", "profile"])]
    assert await world.poll(answer["device_code"]) == "invalid_grant"
    assert await world.poll("nonsense") == "invalid_grant"


async def test_deny_and_expiry() -> None:
    world = World()
    denied = await world.start()
    page = await world.submit(denied["user_code"], decision="deny")
    assert page.status == 200 and b"denied" in page.body
    assert await world.poll(denied["device_code"]) == "access_denied"
    late = await world.start()
    world.now += timedelta(seconds=601)
    assert await world.poll(late["device_code"]) == "expired_token"
    # An expired code looks exactly like a wrong one on the page.
    expired_page = await world.submit(late["user_code"])
    wrong_page = await world.submit("BBBB-BBBB")
    assert expired_page.status == wrong_page.status == 400
    assert b"not valid or has expired" in expired_page.body and b"not valid or has expired" in wrong_page.body


async def test_wrong_codes_are_budgeted_per_session() -> None:
    world = World()
    answer = await world.start()
    for _ in range(SESSION_FAILURE_BUDGET):
        assert (await world.submit("BBBB-BBBB")).status == 400
    blocked = await world.submit(answer["user_code"])  # even the right code, once over the budget
    assert blocked.status == 429
    assert await world.poll(answer["device_code"]) == "authorization_pending"


async def test_csrf_and_login_are_required() -> None:
    world = World()
    answer = await world.start()
    forged = await world.submit(answer["user_code"], csrf="x" * 43)
    assert forged.status == 403
    world.platform.signed_in = None
    page = await world.flow.page(TENANT, answer["user_code"], "", "acme")
    assert page.status == 303
    location = dict(page.headers)["location"]
    assert location.startswith("/tenant/acme/login?")
    assert parse_qs(urlsplit(location).query)["return_to"] == [f"/device?user_code={answer['user_code']}"]
    world.platform.signed_in = SignedIn("s1", "u1", T0, ("pwd",))
    form = await world.flow.page(TENANT, answer["user_code"], world.cookies, "acme")
    assert form.status == 200 and answer["user_code"].encode() in form.body
    assert b'name="csrf_token"' in form.body and "frame-ancestors 'none'" in dict(form.headers)[
        "content-security-policy"]
