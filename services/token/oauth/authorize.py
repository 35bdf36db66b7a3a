"""The authorization endpoint (RFC 6749 section 4.1.1, OpenID Connect Core section 3.1.2):
response_type=code with PKCE (RFC 7636), RFC 9207 `iss` on every response, the hosted
sign-in when the user has no (fresh enough) session, and the consent decision.

Requests come as GET query parameters or a form POST (OpenID Connect Core 3.1.2.1). A sign-in
that `max_age` or `prompt=login` asked for satisfies the request that asked: the way back
from the hosted login carries `login_after`, the time the user was sent there, and a session
that signed in since then is fresh enough (without it, max_age=0 would send the user round
for ever)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from urllib.parse import urlencode, urlsplit

import structlog

from services.common.cookies import cookie_path, session_cookie_value
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header
from services.common.directory import TenantInfo
from services.common.form_targets import FormTargets
from services.common.tenancy import tenant_prefix
from services.token.applications.model import AUTHORIZATION_CODE, Application
from services.token.oauth.app_logos import logo_path
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import parse_form
from services.token.oauth.grant_records import CodeGrant
from services.token.oauth.issuer import token_hash
from services.token.oauth.pages import (
    Consent,
    HttpAnswer,
    consent_page,
    error_page,
    login_redirect,
    login_url,
    look_for,
    redirect,
)
from services.token.oauth.pkce import valid_challenge
from services.token.oauth.platform import PlatformGateway, SignedIn
from services.token.oauth.ports import Applications, CodeStore, ConsentStore, SecurityEvents, TokenEvent

_log = structlog.get_logger("oauth")
CODE_TTL_DEFAULT: Final = 60
PROMPTS: Final = frozenset({"none", "login", "consent"})
RESPONSE_TYPES: Final = ("code",)
RESPONSE_MODES: Final = ("query",)
# Parameters of the authorization request we do not support and refuse when present.
UNSUPPORTED_FIELDS: Final = ("request", "request_uri", "registration")
AUTHORIZE_FIELDS: Final = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                           "code_challenge", "code_challenge_method", "prompt", "max_age", "login_hint",
                           "ui_locales", "response_mode", "login_after",
                           # Names the tenant's external identity provider to sign in with
                           # (services/identity/federation): carried to the login page.
                           "idp_hint")
# Far beyond any session's lifetime, far below what a timedelta or an int64 can hold.
MAX_AGE_LIMIT: Final = 10 * 366 * 86400
MAX_PARAMETER_LENGTH: Final = 4096


@dataclass(frozen=True)
class AuthorizationRequest:
    client: Application
    redirect_uri: str
    redirect_uri_sent: bool
    scopes: list[str]
    state: str
    nonce: str
    code_challenge: str
    prompt: frozenset[str]
    max_age: int | None
    login_after: int | None


class _Refused(Exception):
    """An authorization error to send back to the (verified) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def _outcome(answer: HttpAnswer) -> str:
    """The metric label of an authorization answer."""
    location = dict(answer.headers).get("location", "")
    if answer.status == 302:
        query = urlsplit(location).query
        return "code" if "code=" in query else (query.split("error=", 1)[-1].split("&", 1)[0] or "error")
    return {303: "login", 200: "consent"}.get(answer.status, "error_page")


def authorization_params(content_type: str, body: bytes) -> dict[str, str] | None:
    """The parameters of a POSTed authorization request; None when the body is not a form."""
    try:
        form = parse_form(content_type, body)
    except OAuthError:
        return None
    return {k: v for k, v in form.items() if k in (*AUTHORIZE_FIELDS, *UNSUPPORTED_FIELDS) and v}


def _number(value: str, name: str, limit: int) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) > limit:
        raise _Refused("invalid_request", f"{name} must be a whole number of seconds up to {limit}")
    return int(value)


class AuthorizationEndpoint:
    def __init__(self, applications: Applications, codes: CodeStore, consents: ConsentStore,
                 platform: PlatformGateway, csrf: CsrfTokens, secure_cookies: bool, events: SecurityEvents,
                 issuer_for: Callable[[str], str], clock: Callable[[], datetime],
                 count: Callable[[str], None] | None = None, form_targets: FormTargets | None = None) -> None:
        self._applications = applications
        self._form_targets = form_targets
        self._codes = codes
        self._consents = consents
        self._platform = platform
        self._csrf = csrf
        self._secure = secure_cookies
        self._events = events
        self._issuer_for = issuer_for
        self._clock = clock
        self._count = count

    async def authorize(self, tenant: TenantInfo, params: dict[str, str], cookie_header: str,
                        path_tenant: str, consent_given: bool = False) -> HttpAnswer:
        answer = await self._authorize(tenant, params, cookie_header, path_tenant, consent_given)
        if self._count is not None:
            self._count(_outcome(answer))
        return answer

    async def _redirect_target(self, tenant: TenantInfo, params: dict[str, str]) -> tuple[Application, str, bool] | str:
        """(client, redirect URI, whether the request named it), or why there is none to trust."""
        client = await self._applications.find(tenant.tenant_id, params.get("client_id", ""))
        if client is None:
            return "unknown client_id"
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri:
            if "openid" in params.get("scope", "").split():
                return "redirect_uri is required (OpenID Connect Core 3.1.2.1)"
            if len(client.redirect_uris) != 1:
                return "redirect_uri is required: the client registered more than one"
            return client, client.redirect_uris[0], False
        if not client.accepts_redirect_uri(redirect_uri):
            # Never redirect to a URI that is not registered, not even to report the error.
            return "the redirect_uri is not registered for this client"
        return client, redirect_uri, True

    async def _authorize(self, tenant: TenantInfo, params: dict[str, str], cookie_header: str,
                         path_tenant: str, consent_given: bool) -> HttpAnswer:
        target = await self._redirect_target(tenant, params)
        if isinstance(target, str):
            return error_page(look_for(tenant, path_tenant, params.get("ui_locales", "")), target)
        client, redirect_uri, sent = target
        back = self._back(tenant, redirect_uri, params.get("state", ""))
        try:
            request = self._validate(client, redirect_uri, sent, params)
        except _Refused as refused:
            return back(error=refused.error, error_description=refused.description)
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        now = self._clock()
        if signed_in is None or not _fresh_enough(signed_in, request, now):
            if "none" in request.prompt:
                return back(error="login_required", error_description="the user must sign in")
            return self._to_login(tenant, request, params, path_tenant, now)
        claims = await self._platform.claims(tenant.tenant_id, signed_in.user_id)
        if claims is None:
            return back(error="access_denied", error_description="the account cannot sign in")
        remembered = await self._consents.consent(tenant.tenant_id, signed_in.user_id, client.client_id)
        needs_consent = not client.first_party and (
            not set(request.scopes) <= remembered or "consent" in request.prompt)
        if needs_consent and not consent_given:
            if "none" in request.prompt:
                return back(error="consent_required", error_description="the user must consent")
            return self._consent(tenant, client, request, params, cookie_header, path_tenant,
                                 str(claims.get("email") or ""), now)
        if consent_given:
            await self._consents.remember_consent(tenant.tenant_id, signed_in.user_id, client.client_id,
                                                  request.scopes, now)
            self._events.report(tenant.tenant_id, TokenEvent.CONSENT_GRANTED, user_id=signed_in.user_id,
                                client_id=client.client_id, scope=" ".join(request.scopes))
        code = secrets.token_urlsafe(32)
        ttl = int(tenant.settings.get("tokens", {}).get("authorization_code_ttl_seconds", CODE_TTL_DEFAULT))
        await self._codes.save_code(tenant.tenant_id, token_hash(code), CodeGrant(
            client.client_id, signed_in.user_id, redirect_uri, " ".join(request.scopes), request.nonce,
            request.code_challenge, signed_in.auth_time, signed_in.amr, signed_in.session_id, claims,
            request.redirect_uri_sent), now, now + timedelta(seconds=min(max(ttl, 10), 600)))
        _log.info("authorization code issued", client_id=client.client_id)
        return back(code=code)

    def _back(self, tenant: TenantInfo, redirect_uri: str, state: str) -> Callable[..., HttpAnswer]:
        issuer = self._issuer_for(tenant.tenant_id)

        def back(**values: str) -> HttpAnswer:
            query = {**values, **({"state": state} if state else {}), "iss": issuer}
            separator = "&" if urlsplit(redirect_uri).query else "?"
            return redirect(redirect_uri + separator + urlencode(query))

        return back

    @staticmethod
    def _validate(client: Application, redirect_uri: str, sent: bool, params: dict[str, str]) -> AuthorizationRequest:
        for name in UNSUPPORTED_FIELDS:
            if params.get(name):
                # Ignoring a request object would act on the outer parameters it may contradict.
                raise _Refused(f"{name}_not_supported", f"the {name} parameter is not supported")
        if any(len(v) > MAX_PARAMETER_LENGTH for v in params.values()):
            raise _Refused("invalid_request", f"a parameter is longer than {MAX_PARAMETER_LENGTH} characters")
        if params.get("response_type") not in RESPONSE_TYPES:
            raise _Refused("unsupported_response_type", "only response_type=code is supported")
        if params.get("response_mode", "query") not in RESPONSE_MODES:
            raise _Refused("invalid_request", "only response_mode=query is supported")
        if not client.allows_grant(AUTHORIZATION_CODE):
            raise _Refused("unauthorized_client", "this client may not use the authorization code flow")
        scopes = list(dict.fromkeys(params.get("scope", "").split()))
        if not scopes:
            raise _Refused("invalid_scope", "scope is required")
        if any(s not in client.allowed_scopes for s in scopes):
            raise _Refused("invalid_scope", "this client may not request these scopes")
        challenge = params.get("code_challenge", "")
        method = params.get("code_challenge_method", "")
        if challenge:
            if method != "S256":
                raise _Refused("invalid_request", "code_challenge_method must be S256")
            if not valid_challenge(challenge):
                raise _Refused("invalid_request", "code_challenge is malformed")
        elif method:
            raise _Refused("invalid_request", "code_challenge_method without code_challenge")
        elif client.public:
            raise _Refused("invalid_request", "PKCE (S256) is required for public clients")
        prompt = frozenset(params.get("prompt", "").split())
        if not prompt <= PROMPTS or ("none" in prompt and len(prompt) > 1):
            raise _Refused("invalid_request", "prompt is not valid")
        max_age = _number(params["max_age"], "max_age", MAX_AGE_LIMIT) if params.get("max_age") else None
        login_after = (_number(params["login_after"], "login_after", 2**40)
                       if params.get("login_after") else None)
        return AuthorizationRequest(client, redirect_uri, sent, scopes, params.get("state", ""),
                                    params.get("nonce", ""), challenge, prompt, max_age, login_after)

    @staticmethod
    def _again(params: dict[str, str], now: datetime, **more: str) -> str:
        # Back to this same request once signed in, saying when the user was sent: the sign-in
        # that follows is what prompt=login and max_age asked for (and coming back without
        # one is not).
        again = {k: v for k, v in params.items() if k in AUTHORIZE_FIELDS and v and k != "login_after"}
        again["login_after"] = str(int(now.timestamp()))
        return "/oauth2/authorize?" + urlencode({**again, **more})

    def _to_login(self, tenant: TenantInfo, request: AuthorizationRequest, params: dict[str, str],
                  path_tenant: str, now: datetime) -> HttpAnswer:
        # The sign-in form's answer ends at the redirect URI (validated above): vouch for its
        # origin so the login page may allow it in CSP form-action (services/common/form_targets.py).
        vouched = (self._form_targets.vouch(tenant.tenant_id, request.client.client_id, request.redirect_uri)
                   if self._form_targets is not None else {})
        return login_redirect(path_tenant, self._again(params, now, **vouched))

    def _consent(self, tenant: TenantInfo, client: Application, request: AuthorizationRequest,
                 params: dict[str, str], cookie_header: str, path_tenant: str, email: str,
                 now: datetime) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        fields = {k: v for k, v in params.items() if k in AUTHORIZE_FIELDS and v}
        # "Not you?": the sign-in page, then this request again with prompt=login, so the
        # account that comes back is the one just signed in.
        switch = login_url(path_tenant, self._again(params, now, prompt="login"))
        shown = client.presentation
        return consent_page(look_for(tenant, path_tenant, params.get("ui_locales", "")), Consent(
            client.display_name, request.scopes, email, f"{tenant_prefix(path_tenant)}/oauth2/authorize/consent",
            fields, (CSRF_FIELD, token), switch, set_cookie, request.redirect_uri,
            logo_path(tenant_prefix(path_tenant), client), shown.homepage_url, shown.privacy_policy_url,
            shown.terms_of_service_url, shown.descriptions))

    async def consent(self, tenant: TenantInfo, content_type: str, body: bytes, cookie_header: str,
                      path_tenant: str) -> HttpAnswer:
        look = look_for(tenant, path_tenant)
        try:
            form = parse_form(content_type, body)
            look = look_for(tenant, path_tenant, form.get("ui_locales", ""))
        except OAuthError:
            return error_page(look, "the form could not be read")
        if not self._csrf.verify(tenant.tenant_id, cookie_from_header(cookie_header), form.get(CSRF_FIELD, "")):
            return error_page(look, "the form expired; start again", 403)
        params = {k: v for k, v in form.items() if k in AUTHORIZE_FIELDS}
        if form.get("decision") != "allow":
            target = await self._redirect_target(tenant, params)
            if isinstance(target, str):
                return error_page(look_for(tenant, path_tenant, params.get("ui_locales", "")),
                                  "the request is not valid")
            _client, uri, _sent = target
            return self._back(tenant, uri, params.get("state", ""))(
                error="access_denied", error_description="the user denied access")
        return await self.authorize(tenant, params, cookie_header, path_tenant, consent_given=True)


def _fresh_enough(signed_in: SignedIn, request: AuthorizationRequest, now: datetime) -> bool:
    """Whether this session satisfies prompt=login and max_age."""
    if request.login_after is not None and int(signed_in.auth_time.timestamp()) >= request.login_after:
        return True  # the sign-in this request sent the user to
    if "login" in request.prompt:
        return False
    return request.max_age is None or now - signed_in.auth_time <= timedelta(seconds=request.max_age)


