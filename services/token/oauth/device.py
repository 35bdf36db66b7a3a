"""RFC 8628 device authorization: the device authorization endpoint and the user-code page
behind the hosted login (CSRF-protected, brute force budgeted). The polling grant at the
token endpoint is grants/device_code.py; the code format and state machine device_codes.py."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import structlog

from services.common.cookies import cookie_path, session_cookie_value
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header
from services.common.directory import TenantInfo
from services.common.pages.kit import Button, Field, Page, form, paragraph, scope_list, strong_paragraph
from services.common.pages.scopes import describe
from services.common.tenancy import tenant_prefix
from services.token.applications.model import DEVICE_CODE
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.device_codes import (
    EXPIRES_IN,
    INTERVAL,
    Approval,
    DeviceStore,
    PendingDevice,
    device_hash,
    format_user_code,
    new_user_code,
    normalise_user_code,
)
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import client_credentials, parse_form
from services.token.oauth.pages import (
    HttpAnswer,
    ask_language,
    asked_language,
    login_redirect,
    look_for,
    message_page,
    render,
)
from services.token.oauth.platform import PlatformGateway
from services.token.oauth.ports import Applications
from services.token.oauth.scopes import requested_scopes

_log = structlog.get_logger("oauth")
DEVICE_CODE_GRANT = DEVICE_CODE
# Wrong user codes on the device page: per session and per client address, per window.
FAILURE_WINDOW_SECONDS = 900
SESSION_FAILURE_BUDGET = 5
ADDRESS_FAILURE_BUDGET = 20
_NOT_FOUND = "That code is not valid or has expired. Check the code shown on your device."


class FailureCounter(Protocol):
    async def failures(self, key: str) -> int: ...
    async def record_failure(self, key: str, window_seconds: int) -> int: ...


class DeviceFlow:
    def __init__(self, clients: ClientAuthenticator, applications: Applications, store: DeviceStore,
                 issuer_for: Callable[[str], str], platform: PlatformGateway, failures: FailureCounter,
                 csrf: CsrfTokens, secure_cookies: bool,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._clients = clients
        self._applications = applications
        self._store = store
        self._issuer_for = issuer_for
        self._platform = platform
        self._failures = failures
        self._csrf = csrf
        self._secure = secure_cookies
        self._clock = clock

    # --- the device authorization endpoint ---------------------------------------------------
    async def authorize(self, tenant: TenantInfo, content_type: str, body: bytes,
                        authorization: str) -> dict[str, Any]:
        form = parse_form(content_type, body)
        client = await self._clients.authenticate(tenant, client_credentials(authorization, form))
        if not client.allows_grant(DEVICE_CODE_GRANT):
            raise OAuthError("unauthorized_client", "this client may not use the device authorization grant")
        scopes = requested_scopes(form.get("scope", ""), client.allowed_scopes, client.allowed_scopes)
        now = self._clock()
        device_code = secrets.token_urlsafe(32)  # 256 bits
        for _ in range(5):
            user_code = new_user_code()
            pending = PendingDevice(device_hash(device_code), device_hash(user_code), client.client_id,
                                    " ".join(scopes), INTERVAL, now + timedelta(seconds=EXPIRES_IN))
            if await self._store.create(tenant.tenant_id, pending, now):
                break
        else:  # pragma: no cover - 20^8 codes
            raise OAuthError("temporarily_unavailable", "try again", 503)
        uri = f"{self._issuer_for(tenant.tenant_id)}/device"
        shown = format_user_code(user_code)
        _log.info("device authorization started", client_id=client.client_id)
        return {"device_code": device_code, "user_code": shown, "verification_uri": uri,
                "verification_uri_complete": f"{uri}?{urlencode({'user_code': shown})}",
                "expires_in": EXPIRES_IN, "interval": INTERVAL}

    # --- the device page ---------------------------------------------------------------------
    def _to_login(self, user_code: str, path_tenant: str) -> HttpAnswer:
        code = normalise_user_code(user_code)
        query = {"user_code": format_user_code(code) if code else "", "ui_locales": asked_language()}
        query = {k: v for k, v in query.items() if v}
        return_to = "/device" + (f"?{urlencode(query)}" if query else "")
        return login_redirect(path_tenant, return_to)

    async def page(self, tenant: TenantInfo, user_code: str, cookie_header: str, path_tenant: str) -> HttpAnswer:
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is None:
            return self._to_login(user_code, path_tenant)
        code = normalise_user_code(user_code)
        return self._form(tenant, format_user_code(code) if code else "", cookie_header, path_tenant)

    async def submit(self, tenant: TenantInfo, content_type: str, body: bytes, cookie_header: str,
                     path_tenant: str, address: str) -> HttpAnswer:
        look = look_for(tenant, path_tenant)
        t = look.t
        try:
            form = parse_form(content_type, body)
        except OAuthError:
            return message_page(look, t("Device sign-in"), t("The form could not be read."), 400, error=True)
        if ask_language(form.get("ui_locales", "")):
            look = look_for(tenant, path_tenant)
            t = look.t
        typed = form.get("user_code", "")
        if not self._csrf.verify(tenant.tenant_id, cookie_from_header(cookie_header), form.get(CSRF_FIELD, "")):
            return message_page(look, t("Device sign-in"), t("The form expired; start again."), 403, error=True)
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is None:
            return self._to_login(typed, path_tenant)
        keys = [f"{tenant.tenant_id}:session:{signed_in.session_id}", f"{tenant.tenant_id}:address:{address}"]
        budgets = (SESSION_FAILURE_BUDGET, ADDRESS_FAILURE_BUDGET)
        for key, budget in zip(keys, budgets, strict=True):
            if await self._failures.failures(key) >= budget:
                return self._form(tenant, "", cookie_header, path_tenant,
                                  t("Too many wrong codes. Wait a few minutes and try again."), 429)
        now = self._clock()
        code = normalise_user_code(typed)
        found = await self._store.find_pending(tenant.tenant_id, device_hash(code), now) if code else None
        if found is None:
            # Wrong, expired and used codes answer alike; every miss is counted.
            for key in keys:
                await self._failures.record_failure(key, FAILURE_WINDOW_SECONDS)
            return self._form(tenant, "", cookie_header, path_tenant, t(_NOT_FOUND), 400)
        client = await self._applications.find(tenant.tenant_id, found.client_id)
        client_name = client.display_name if client else t("The device")
        decision = form.get("decision")
        if decision not in ("allow", "deny"):
            # RFC 8628 section 5.4: say who is asking, and for what, before anyone approves.
            return self._review(tenant, format_user_code(code), client_name, found.scope.split(), cookie_header,
                                path_tenant, client.presentation.descriptions if client else {})
        if decision != "allow":
            await self._store.decide(tenant.tenant_id, device_hash(code), None, now)
            _log.info("device authorization denied", client_id=found.client_id)
            return message_page(look, t("Request denied"),
                                t("{client} was not given access. You can close this page.", client=client_name))
        claims = await self._platform.claims(tenant.tenant_id, signed_in.user_id)
        if claims is None:
            return message_page(look, t("Device sign-in"), t("This account cannot sign in."), 403, error=True)
        approval = Approval(signed_in.user_id, signed_in.auth_time, signed_in.amr, signed_in.session_id, claims)
        if not await self._store.decide(tenant.tenant_id, device_hash(code), approval, now):
            return self._form(tenant, "", cookie_header, path_tenant, t(_NOT_FOUND), 400)
        _log.info("device authorization approved", client_id=found.client_id)
        return message_page(look, t("Device connected"),
                            t("{client} now has access to your account. Return to your device.", client=client_name))

    def _form(self, tenant: TenantInfo, user_code: str, cookie_header: str, path_tenant: str, error: str = "",
              status: int = 200) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        extra = (("set-cookie", set_cookie),) if set_cookie else ()
        look = look_for(tenant, path_tenant)
        t = look.t
        code = Field("user_code", t("Code"), "text", user_code, "off", error=error,
                     extra='autocapitalize="characters" spellcheck="false" maxlength="16"')
        page = Page(look.branding.display_name, t("Connect a device"), paragraphs=[
            t("Enter the code shown on your device. Only continue if you started this sign-in yourself.")],
            forms=[form(f"{tenant_prefix(path_tenant)}/device", (CSRF_FIELD, token), [code],
                        [Button(t("Continue"), "decision", "review")], {"ui_locales": asked_language()})])
        return render(look, page, status, extra)

    def _review(self, tenant: TenantInfo, user_code: str, client_name: str, scopes: list[str], cookie_header: str,
                path_tenant: str, client_words: dict[str, str]) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        extra = (("set-cookie", set_cookie),) if set_cookie else ()
        look = look_for(tenant, path_tenant)
        t = look.t
        parts = [strong_paragraph(t("Only allow it if your device shows the code {value}."), user_code)]
        if scopes:
            parts += [paragraph(t("It will be able to:")),
                      scope_list(describe(scopes, t, {**dict(look.branding.scope_descriptions), **client_words}))]
        page = Page(look.branding.display_name, t("{client} wants access to your account", client=client_name),
                    parts=parts, forms=[form(f"{tenant_prefix(path_tenant)}/device", (CSRF_FIELD, token), [],
                                             [Button(t("Allow"), "decision", "allow"),
                                              Button(t("Deny"), "decision", "deny", primary=False)],
                                             {"user_code": user_code, "ui_locales": asked_language()})])
        return render(look, page, 200, extra)


def unavailable() -> OAuthError:
    """What the device RPCs answer when the flow is not wired."""
    return OAuthError("temporarily_unavailable", "the device authorization grant is not available", 503)

