"""RFC 8628 device authorization grant: the device authorization endpoint, the user-code page
behind the hosted login (CSRF-protected, brute force budgeted), and the polling grant at the
token endpoint (authorization_pending, slow_down, expired_token, access_denied, single use)."""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import structlog

from services.common.cookies import cookie_path, session_cookie_value
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header
from services.common.directory import TenantInfo
from services.common.tenancy import tenant_prefix
from services.token.applications.model import Application
from services.token.oauth.endpoints import Applications, OAuthEndpoints
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.forms import client_credentials, parse_form
from services.token.oauth.pages import HttpAnswer, login_redirect, page
from services.token.oauth.platform import PlatformGateway

_log = structlog.get_logger("oauth")
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# No vowels (no words), no look-alikes (0/O, 1/I/L... only consonants that read unambiguously).
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
EXPIRES_IN = 600
INTERVAL = 5
SLOW_DOWN_STEP = 5
# Wrong user codes on the device page: per session and per client address, per window.
FAILURE_WINDOW_SECONDS = 900
SESSION_FAILURE_BUDGET = 5
ADDRESS_FAILURE_BUDGET = 20
_SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
_NOT_FOUND = "That code is not valid or has expired. Check the code shown on your device."


def _hash(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def new_user_code() -> str:
    """8 characters from the unambiguous alphabet (20^8, about 37 bits), normalised form."""
    return "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))


def format_user_code(code: str) -> str:
    """XXXX-XXXX, as the device shows it."""
    half = USER_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_user_code(value: str) -> str:
    """What the user typed as the stored form: case, dashes and spaces do not matter; ""
    when it cannot be a user code."""
    if len(value) > 32:
        return ""
    code = "".join(c for c in value.upper() if c not in "- \t")
    if len(code) != USER_CODE_LENGTH or any(c not in USER_CODE_ALPHABET for c in code):
        return ""
    return code


# --- the polling state machine ---------------------------------------------------------------
@dataclass(frozen=True)
class DeviceGrant:
    client_id: str
    scope: str
    status: str  # pending, approved, denied, issued
    interval: int
    last_poll_time: datetime | None
    expire_time: datetime
    user_id: str = ""
    auth_time: datetime | None = None
    amr: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PollResult:
    outcome: str  # "issue" or the RFC 8628 / RFC 6749 error code
    status: str  # the request's status after this poll
    interval: int  # the polling interval after this poll


def decide_poll(grant: DeviceGrant | None, client_id: str, now: datetime) -> PollResult:
    """One poll of the token endpoint (RFC 8628 section 3.5). Pure: the store applies the
    resulting status, interval and poll time atomically."""
    if grant is None or grant.client_id != client_id or grant.status == "issued":
        return PollResult("invalid_grant", grant.status if grant else "", grant.interval if grant else INTERVAL)
    if now >= grant.expire_time:
        return PollResult("expired_token", grant.status, grant.interval)
    if grant.status == "denied":
        return PollResult("access_denied", grant.status, grant.interval)
    if grant.status == "approved":
        return PollResult("issue", "issued", grant.interval)
    if grant.last_poll_time is not None and now - grant.last_poll_time < timedelta(seconds=grant.interval):
        return PollResult("slow_down", grant.status, grant.interval + SLOW_DOWN_STEP)
    return PollResult("authorization_pending", grant.status, grant.interval)


_POLL_ERRORS = {
    "invalid_grant": "the device code is invalid, expired or already used",
    "expired_token": "the device code has expired; start again",
    "access_denied": "the user denied the request",
    "slow_down": "polling too fast; the interval was raised",
    "authorization_pending": "the user has not approved the request yet",
}


# --- collaborators -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PendingDevice:
    device_code_hash: bytes
    user_code_hash: bytes
    client_id: str
    scope: str
    interval: int
    expire_time: datetime


@dataclass(frozen=True)
class Approval:
    user_id: str
    auth_time: datetime
    amr: tuple[str, ...]
    session_id: str
    claims: dict[str, Any]


class DeviceStore(Protocol):
    async def create(self, tenant_id: str, pending: PendingDevice, now: datetime) -> bool: ...
    async def find_pending(self, tenant_id: str, user_code_hash: bytes, now: datetime) -> DeviceGrant | None: ...
    async def decide(self, tenant_id: str, user_code_hash: bytes, approval: Approval | None,
                     now: datetime) -> bool: ...
    async def poll(self, tenant_id: str, device_code_hash: bytes, client_id: str,
                   now: datetime) -> tuple[PollResult, DeviceGrant | None]: ...


class FailureCounter(Protocol):
    async def failures(self, key: str) -> int: ...
    async def record_failure(self, key: str, window_seconds: int) -> int: ...


# AuthorizationFlows.issue_tokens: (response, family, jti, access expiry).
IssueTokens = Callable[..., Awaitable[tuple[dict[str, Any], str | None, str, datetime]]]


class DeviceFlow:
    def __init__(self, endpoints: OAuthEndpoints, applications: Applications, store: DeviceStore,
                 issue: IssueTokens, platform: PlatformGateway, failures: FailureCounter, csrf: CsrfTokens,
                 secure_cookies: bool, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._endpoints = endpoints
        self._applications = applications
        self._store = store
        self._issue = issue
        self._platform = platform
        self._failures = failures
        self._csrf = csrf
        self._secure = secure_cookies
        self._clock = clock

    def metadata(self, tenant: TenantInfo) -> dict[str, Any]:
        return {"device_authorization_endpoint": f"{self._endpoints.issuer(tenant)}/oauth2/device_authorization"}

    # --- the device authorization endpoint ---------------------------------------------------
    async def authorize(self, tenant: TenantInfo, content_type: str, body: bytes,
                        authorization: str) -> dict[str, Any]:
        form = parse_form(content_type, body)
        credentials = client_credentials(authorization, form)
        client = await self._endpoints._client(tenant, credentials)
        if not client.allows_grant(DEVICE_CODE_GRANT):
            raise OAuthError("unauthorized_client", "this client may not use the device authorization grant")
        scopes = self._scopes(client, form.get("scope", ""))
        now = self._clock()
        device_code = secrets.token_urlsafe(32)  # 256 bits
        for _ in range(5):
            user_code = new_user_code()
            pending = PendingDevice(_hash(device_code), _hash(user_code), client.client_id, " ".join(scopes),
                                    INTERVAL, now + timedelta(seconds=EXPIRES_IN))
            if await self._store.create(tenant.tenant_id, pending, now):
                break
        else:  # pragma: no cover - 20^8 codes
            raise OAuthError("temporarily_unavailable", "try again", 503)
        uri = f"{self._endpoints.issuer(tenant)}/device"
        shown = format_user_code(user_code)
        _log.info("device authorization started", client_id=client.client_id)
        return {"device_code": device_code, "user_code": shown, "verification_uri": uri,
                "verification_uri_complete": f"{uri}?{urlencode({'user_code': shown})}",
                "expires_in": EXPIRES_IN, "interval": INTERVAL}

    @staticmethod
    def _scopes(client: Application, requested: str) -> list[str]:
        if not requested.strip():
            return list(client.allowed_scopes)
        wanted = list(dict.fromkeys(requested.split()))
        if any(not _SCOPE_TOKEN.match(s) for s in wanted):
            raise OAuthError("invalid_scope", "the scope parameter is malformed")
        if any(s not in client.allowed_scopes for s in wanted):
            raise OAuthError("invalid_scope", "this client may not request these scopes")
        return wanted

    # --- the token endpoint grant --------------------------------------------------------------
    async def token(self, tenant: TenantInfo, client: Application, grant: str,
                    form: dict[str, str]) -> dict[str, Any]:
        device_code = form.get("device_code", "")
        if not device_code or len(device_code) > 128:
            raise invalid_request("device_code is required")
        now = self._clock()
        result, found = await self._store.poll(tenant.tenant_id, _hash(device_code), client.client_id, now)
        if result.outcome != "issue" or found is None or found.auth_time is None:
            raise OAuthError(result.outcome if result.outcome in _POLL_ERRORS else "invalid_grant",
                             _POLL_ERRORS.get(result.outcome, "the device code is invalid"))
        response, _family, _jti, _expires = await self._issue(
            tenant, client, found.user_id, found.scope.split(), found.claims, found.auth_time, found.amr, "",
            family_id=None, now=now)
        _log.info("device authorization redeemed", client_id=client.client_id)
        return response

    # --- the device page ---------------------------------------------------------------------
    def _to_login(self, user_code: str, path_tenant: str) -> HttpAnswer:
        code = normalise_user_code(user_code)
        return_to = "/device" + (f"?{urlencode({'user_code': format_user_code(code)})}" if code else "")
        return login_redirect(path_tenant, return_to)

    async def page(self, tenant: TenantInfo, user_code: str, cookie_header: str, path_tenant: str) -> HttpAnswer:
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is None:
            return self._to_login(user_code, path_tenant)
        code = normalise_user_code(user_code)
        return self._form(tenant, format_user_code(code) if code else "", cookie_header, path_tenant)

    async def submit(self, tenant: TenantInfo, content_type: str, body: bytes, cookie_header: str,
                     path_tenant: str, address: str) -> HttpAnswer:
        name = tenant.display_name or tenant.tenant_id
        try:
            form = parse_form(content_type, body)
        except OAuthError:
            return _message(name, "Device sign-in", "The form could not be read.", 400)
        typed = form.get("user_code", "")
        if not self._csrf.verify(tenant.tenant_id, cookie_from_header(cookie_header), form.get(CSRF_FIELD, "")):
            return _message(name, "Device sign-in", "The form expired; start again.", 403)
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is None:
            return self._to_login(typed, path_tenant)
        keys = [f"{tenant.tenant_id}:session:{signed_in.session_id}", f"{tenant.tenant_id}:address:{address}"]
        budgets = (SESSION_FAILURE_BUDGET, ADDRESS_FAILURE_BUDGET)
        for key, budget in zip(keys, budgets, strict=True):
            if await self._failures.failures(key) >= budget:
                return self._form(tenant, "", cookie_header, path_tenant,
                                  "Too many wrong codes. Wait a few minutes and try again.", 429)
        now = self._clock()
        code = normalise_user_code(typed)
        found = await self._store.find_pending(tenant.tenant_id, _hash(code), now) if code else None
        if found is None:
            # Wrong, expired and used codes answer alike; every miss is counted.
            for key in keys:
                await self._failures.record_failure(key, FAILURE_WINDOW_SECONDS)
            return self._form(tenant, "", cookie_header, path_tenant, _NOT_FOUND, 400)
        client = await self._applications.find(tenant.tenant_id, found.client_id)
        client_name = client.display_name if client else "The device"
        decision = form.get("decision")
        if decision not in ("allow", "deny"):
            # RFC 8628 section 5.4: say who is asking, and for what, before anyone approves.
            return self._review(tenant, format_user_code(code), client_name, found.scope.split(), cookie_header,
                                path_tenant)
        if decision != "allow":
            await self._store.decide(tenant.tenant_id, _hash(code), None, now)
            _log.info("device authorization denied", client_id=found.client_id)
            return _message(name, "Request denied", f"{client_name} was not given access. You can close this page.")
        claims = await self._platform.claims(tenant.tenant_id, signed_in.user_id)
        if claims is None:
            return _message(name, "Device sign-in", "This account cannot sign in.", 403)
        approval = Approval(signed_in.user_id, signed_in.auth_time, signed_in.amr, signed_in.session_id, claims)
        if not await self._store.decide(tenant.tenant_id, _hash(code), approval, now):
            return self._form(tenant, "", cookie_header, path_tenant, _NOT_FOUND, 400)
        _log.info("device authorization approved", client_id=found.client_id)
        return _message(name, "Device connected",
                        f"{client_name} now has access to your account. Return to your device.")

    def _form(self, tenant: TenantInfo, user_code: str, cookie_header: str, path_tenant: str, error: str = "",
              status: int = 200) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        extra = (("set-cookie", set_cookie),) if set_cookie else ()
        action = f"{tenant_prefix(path_tenant)}/device"
        body = (f"<h1>{html.escape(tenant.display_name or tenant.tenant_id)}</h1>"
                + (f"<p class=\"error\" role=\"alert\">{html.escape(error)}</p>" if error else "")
                + "<p>Enter the code shown on your device. Only continue if you started this sign-in "
                "yourself.</p>"
                f"<form method=\"post\" action=\"{html.escape(action)}\">"
                f"<input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{html.escape(token)}\">"
                "<label for=\"user_code\">Code</label> "
                f"<input id=\"user_code\" name=\"user_code\" value=\"{html.escape(user_code)}\" "
                "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"16\" required>"
                "<p><button type=\"submit\" name=\"decision\" value=\"review\">Continue</button></p></form>")
        return _page("Connect a device", body, status, extra)

    def _review(self, tenant: TenantInfo, user_code: str, client_name: str, scopes: list[str], cookie_header: str,
                path_tenant: str) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        extra = (("set-cookie", set_cookie),) if set_cookie else ()
        action = f"{tenant_prefix(path_tenant)}/device"
        asked = "".join(f"<li>{html.escape(scope)}</li>" for scope in scopes)
        body = (f"<h1>{html.escape(tenant.display_name or tenant.tenant_id)}</h1>"
                f"<h2>{html.escape(client_name)} wants access to your account</h2>"
                f"<p>Only allow it if your device shows the code <strong>{html.escape(user_code)}</strong>.</p>"
                + (f"<p>It asks for:</p><ul>{asked}</ul>" if asked else "")
                + f"<form method=\"post\" action=\"{html.escape(action)}\">"
                f"<input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{html.escape(token)}\">"
                f"<input type=\"hidden\" name=\"user_code\" value=\"{html.escape(user_code)}\">"
                "<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
                "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p></form>")
        return _page("Connect a device", body, 200, extra)


# On top of the shared page style (pages.py): the code input and the error line.
_STYLE = "input{font-size:1.2rem;letter-spacing:.1rem}.error{color:#a00}"


def _page(title: str, body: str, status: int, extra: tuple[tuple[str, str], ...] = ()) -> HttpAnswer:
    return page(title, body, status, extra, style=_STYLE)


def _message(tenant_name: str, title: str, message: str, status: int = 200) -> HttpAnswer:
    return _page(title, f"<h1>{html.escape(tenant_name)}</h1><h2>{html.escape(title)}</h2>"
                        f"<p>{html.escape(message)}</p>", status)


def unavailable() -> OAuthError:
    """What the device RPCs answer when the flow is not wired."""
    return OAuthError("temporarily_unavailable", "the device authorization grant is not available", 503)

