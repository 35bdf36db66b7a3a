"""The authorization code flow: the authorization endpoint (RFC 6749 section 4.1, PKCE,
RFC 9207 iss), the consent decision, the authorization_code and refresh_token grants, ID
tokens, userinfo, and OpenID Connect discovery."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import structlog

from services.common.cookies import cookie_path, session_cookie_value
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header
from services.common.directory import TenantInfo
from services.common.revocation import is_revoked, read_revocation
from services.common.tenancy import tenant_prefix
from services.common.tokens import AccessTokenVerifier, InvalidToken
from services.token.applications.model import DEVICE_CODE, Application
from services.token.applications.redirects import redirect_uri_matches
from services.token.keys.usecases import SigningKeys
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.endpoints import Applications, OAuthEndpoints, RevokeToken, SecurityEvents, TokenEvent
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.forms import parse_form
from services.token.oauth.grants_store import CodeGrant, PgGrantStore, RefreshGrant
from services.token.oauth.pages import HttpAnswer, consent_page, error_page, login_redirect, redirect
from services.token.oauth.pkce import valid_challenge, verifier_matches
from services.token.oauth.platform import PlatformGateway, claims_for_scopes

_log = structlog.get_logger("oauth")
CODE_TTL_DEFAULT = 60
ID_TOKEN_ALGORITHM = "RS256"
AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"
PROMPTS = frozenset({"none", "login", "consent"})
# Parameters of the authorization request we do not support and refuse when present.
UNSUPPORTED_FIELDS = ("request", "request_uri", "registration")
AUTHORIZE_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
                    "code_challenge_method", "prompt", "max_age", "login_hint", "ui_locales", "response_mode")


def token_hash(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


@dataclass(frozen=True)
class AuthorizationRequest:
    client: Application
    redirect_uri: str
    scopes: list[str]
    state: str
    nonce: str
    code_challenge: str
    prompt: frozenset[str]
    max_age: int | None


def _outcome(answer: HttpAnswer) -> str:
    """The metric label of an authorization answer."""
    location = dict(answer.headers).get("location", "")
    if answer.status == 302:
        query = urlsplit(location).query
        return "code" if "code=" in query else (query.split("error=", 1)[-1].split("&", 1)[0] or "error")
    return {303: "login", 200: "consent"}.get(answer.status, "error_page")


class _Refused(Exception):
    """An authorization error to send back to the (verified) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class AuthorizationFlows:
    def __init__(self, endpoints: OAuthEndpoints, applications: Applications, grants: PgGrantStore,
                 keys: SigningKeys, issuer: AccessTokenIssuer, verifier: AccessTokenVerifier,
                 platform: PlatformGateway, redis: Any, revoke_token: RevokeToken, csrf: CsrfTokens,
                 secure_cookies: bool, events: SecurityEvents,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 count: Callable[[str], None] | None = None) -> None:
        self._events = events
        self._count = count
        self._endpoints = endpoints
        self._applications = applications
        self._grants = grants
        self._keys = keys
        self._issuer = issuer
        self._verifier = verifier
        self._platform = platform
        self._redis = redis
        self._revoke_token = revoke_token
        self._csrf = csrf
        self._secure = secure_cookies
        self._clock = clock

    # --- discovery ---------------------------------------------------------------------------
    def discovery(self, tenant: TenantInfo) -> dict[str, Any]:
        issuer = self._endpoints.issuer(tenant)
        metadata = self._endpoints.metadata(tenant)
        return {
            **metadata,
            "authorization_endpoint": f"{issuer}/oauth2/authorize",
            "userinfo_endpoint": f"{issuer}/oauth2/userinfo",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": [g for g in (AUTHORIZATION_CODE, REFRESH_TOKEN, "client_credentials", DEVICE_CODE)
                                      if g in self._endpoints.grant_types],
            **({"device_authorization_endpoint": f"{issuer}/oauth2/device_authorization"}
               if DEVICE_CODE in self._endpoints.grant_types else {}),
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ID_TOKEN_ALGORITHM],
            "scopes_supported": ["openid", "profile", "email", "phone", "offline_access"],
            # Public clients of the code and device flows authenticate with nothing.
            "token_endpoint_auth_methods_supported": [*metadata["token_endpoint_auth_methods_supported"], "none"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "at_hash",
                                 "name", "given_name", "family_name", "picture", "locale", "zoneinfo", "updated_at",
                                 "email", "email_verified", "phone_number", "phone_number_verified"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "prompt_values_supported": sorted(PROMPTS),
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
        }

    # --- the authorization endpoint ------------------------------------------------------------
    async def authorize(self, tenant: TenantInfo, params: dict[str, str], cookie_header: str,
                        path_tenant: str, consent_given: bool = False) -> HttpAnswer:
        answer = await self._authorize(tenant, params, cookie_header, path_tenant, consent_given)
        if self._count is not None:
            self._count(_outcome(answer))
        return answer

    async def _authorize(self, tenant: TenantInfo, params: dict[str, str], cookie_header: str,
                         path_tenant: str, consent_given: bool) -> HttpAnswer:
        name = tenant.display_name or tenant.tenant_id
        client = await self._applications.find(tenant.tenant_id, params.get("client_id", ""))
        if client is None:
            return error_page(name, "unknown client_id")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri and len(client.redirect_uris) == 1:
            redirect_uri = client.redirect_uris[0]
        if not redirect_uri or not redirect_uri_matches(list(client.redirect_uris), redirect_uri):
            # Never redirect to a URI that is not registered, not even to report the error.
            return error_page(name, "the redirect_uri is not registered for this client")
        issuer = self._endpoints.issuer(tenant)
        state = params.get("state", "")

        def back(**values: str) -> HttpAnswer:
            query = {**values, **({"state": state} if state else {}), "iss": issuer}
            separator = "&" if urlsplit(redirect_uri).query else "?"
            return redirect(redirect_uri + separator + urlencode(query))

        try:
            request = self._validate(client, redirect_uri, params)
        except _Refused as refused:
            return back(error=refused.error, error_description=refused.description)
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        now = self._clock()
        too_old = (signed_in is not None and request.max_age is not None
                   and now - signed_in.auth_time > timedelta(seconds=request.max_age))
        if signed_in is None or too_old or ("login" in request.prompt and not consent_given):
            if "none" in request.prompt:
                return back(error="login_required", error_description="the user must sign in")
            return self._to_login(params, path_tenant)
        claims = await self._platform.claims(tenant.tenant_id, signed_in.user_id)
        if claims is None:
            return back(error="access_denied", error_description="the account cannot sign in")
        remembered = await self._grants.consent(tenant.tenant_id, signed_in.user_id, client.client_id)
        needs_consent = not client.first_party and (
            not set(request.scopes) <= remembered or "consent" in request.prompt)
        if needs_consent and not consent_given:
            if "none" in request.prompt:
                return back(error="consent_required", error_description="the user must consent")
            return self._consent(tenant, client, request, params, cookie_header, path_tenant)
        if consent_given:
            await self._grants.remember_consent(tenant.tenant_id, signed_in.user_id, client.client_id,
                                                request.scopes, now)
            self._events.report(tenant.tenant_id, TokenEvent.CONSENT_GRANTED, user_id=signed_in.user_id,
                                client_id=client.client_id, scope=" ".join(request.scopes))
        code = secrets.token_urlsafe(32)
        ttl = int(tenant.settings.get("tokens", {}).get("authorization_code_ttl_seconds", CODE_TTL_DEFAULT))
        await self._grants.save_code(tenant.tenant_id, token_hash(code), CodeGrant(
            client.client_id, signed_in.user_id, redirect_uri, " ".join(request.scopes), request.nonce,
            request.code_challenge, signed_in.auth_time, signed_in.amr, signed_in.session_id, claims),
            now, now + timedelta(seconds=min(max(ttl, 10), 600)))
        _log.info("authorization code issued", client_id=client.client_id)
        return back(code=code)

    def _validate(self, client: Application, redirect_uri: str, params: dict[str, str]) -> AuthorizationRequest:
        for name in UNSUPPORTED_FIELDS:
            if params.get(name):
                # Ignoring a request object would act on the outer parameters it may contradict.
                raise _Refused(f"{name}_not_supported", f"the {name} parameter is not supported")
        if params.get("response_type") != "code":
            raise _Refused("unsupported_response_type", "only response_type=code is supported")
        if params.get("response_mode", "query") != "query":
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
        max_age: int | None = None
        if params.get("max_age"):
            if not params["max_age"].isdigit():
                raise _Refused("invalid_request", "max_age must be a number of seconds")
            max_age = int(params["max_age"])
        return AuthorizationRequest(client, redirect_uri, scopes, params.get("state", ""), params.get("nonce", ""),
                                    challenge, prompt, max_age)

    def _to_login(self, params: dict[str, str], path_tenant: str) -> HttpAnswer:
        # Back to this same request after signing in, without prompt=login (or it would loop).
        again = {k: v for k, v in params.items() if k in AUTHORIZE_FIELDS and v and k != "prompt"}
        prompt = " ".join(p for p in params.get("prompt", "").split() if p != "login")
        if prompt:
            again["prompt"] = prompt
        return login_redirect(path_tenant, "/oauth2/authorize?" + urlencode(again))

    def _consent(self, tenant: TenantInfo, client: Application, request: AuthorizationRequest,
                 params: dict[str, str], cookie_header: str, path_tenant: str) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        fields = {k: v for k, v in params.items() if k in AUTHORIZE_FIELDS and v}
        return consent_page(tenant.display_name or tenant.tenant_id, client.display_name, request.scopes,
                            f"{tenant_prefix(path_tenant)}/oauth2/authorize/consent", fields, CSRF_FIELD,
                            token, set_cookie, request.redirect_uri)

    async def consent(self, tenant: TenantInfo, content_type: str, body: bytes, cookie_header: str,
                      path_tenant: str) -> HttpAnswer:
        name = tenant.display_name or tenant.tenant_id
        try:
            form = parse_form(content_type, body)
        except OAuthError:
            return error_page(name, "the form could not be read")
        if not self._csrf.verify(tenant.tenant_id, cookie_from_header(cookie_header), form.get(CSRF_FIELD, "")):
            return error_page(name, "the form expired; start again", 403)
        params = {k: v for k, v in form.items() if k in AUTHORIZE_FIELDS}
        if form.get("decision") != "allow":
            client = await self._applications.find(tenant.tenant_id, params.get("client_id", ""))
            uri = params.get("redirect_uri", "")
            if client is None or not uri or not redirect_uri_matches(list(client.redirect_uris), uri):
                return error_page(name, "the request is not valid")
            query = {"error": "access_denied", "error_description": "the user denied access",
                     **({"state": params["state"]} if params.get("state") else {}),
                     "iss": self._endpoints.issuer(tenant)}
            return redirect(uri + ("&" if urlsplit(uri).query else "?") + urlencode(query))
        return await self.authorize(tenant, params, cookie_header, path_tenant, consent_given=True)

    # --- grants at the token endpoint ----------------------------------------------------------
    async def token(self, tenant: TenantInfo, client: Application, grant: str,
                    form: dict[str, str]) -> dict[str, Any]:
        if grant == AUTHORIZATION_CODE:
            return await self._redeem_code(tenant, client, form)
        return await self._refresh(tenant, client, form)

    async def _redeem_code(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        code = form.get("code", "")
        if not code or len(code) > 128:
            raise invalid_request("code is required")
        now = self._clock()
        hashed = token_hash(code)
        grant, previous = await self._grants.redeem_code(tenant.tenant_id, hashed, now)
        if grant is None:
            if previous is not None and previous.get("client_id") == client.client_id:
                # A code used twice was stolen or replayed: what it issued is revoked (RFC 9700).
                await self._revoke_issued(tenant.tenant_id, previous, now)
                self._events.report(tenant.tenant_id, TokenEvent.AUTHORIZATION_CODE_REUSED,
                                    user_id=str(previous.get("user_id") or ""), client_id=client.client_id)
            raise OAuthError("invalid_grant", "the code is invalid, expired or already used")
        if grant.client_id != client.client_id or form.get("redirect_uri", "") != grant.redirect_uri:
            raise OAuthError("invalid_grant", "the code was issued to another client or redirect_uri")
        verifier = form.get("code_verifier", "")
        if grant.code_challenge:
            if not verifier_matches(verifier, grant.code_challenge):
                raise OAuthError("invalid_grant", "the code_verifier does not match")
        elif verifier:
            raise OAuthError("invalid_grant", "no code_challenge was sent for this code")
        response, family, jti, access_expire = await self.issue_tokens(
            tenant, client, grant.user_id, grant.scope.split(), grant.claims, grant.auth_time, grant.amr,
            grant.nonce, family_id=None, now=now)
        await self._grants.record_issued(tenant.tenant_id, hashed, family or "", jti, access_expire)
        return response

    async def revoke_refresh(self, tenant: TenantInfo, client: Application, token: str) -> bool:
        """RFC 7009 for refresh tokens: the client's own token ends its whole family."""
        if not token or len(token) > 128:
            return False
        grant = await self._grants.refresh_by_hash(tenant.tenant_id, token_hash(token))
        if grant is None or grant.client_id != client.client_id:
            return False
        await self._grants.revoke_family(tenant.tenant_id, grant.family_id, self._clock())
        return True

    async def _revoke_issued(self, tenant_id: str, previous: dict[str, Any], now: datetime) -> None:
        if previous.get("family_id"):
            await self._grants.revoke_family(tenant_id, previous["family_id"], now)
        if previous.get("access_jti") and previous.get("access_expire_time"):
            await self._revoke_token(tenant_id, previous["access_jti"], previous["access_expire_time"])
        _log.warning("authorization code replayed; tokens revoked")

    async def _refresh(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        if not token or len(token) > 128:
            raise invalid_request("refresh_token is required")
        now = self._clock()
        hashed = token_hash(token)
        # Checks that do not use the token up come first: a bad scope must not burn it.
        peeked = await self._grants.refresh_by_hash(tenant.tenant_id, hashed)
        if peeked is None or peeked.client_id != client.client_id:
            raise OAuthError("invalid_grant", "the refresh token is invalid")
        granted = peeked.scope.split()
        requested = form.get("scope", "").split() or granted
        if not set(requested) <= set(granted):
            raise OAuthError("invalid_scope", "a refresh cannot add scopes")
        grant, fresh = await self._grants.use_refresh(tenant.tenant_id, hashed, now)
        if grant is None or not fresh:
            if grant is not None and not grant.revoked:
                # A rotated refresh token came back: the family is compromised.
                await self._grants.revoke_family(tenant.tenant_id, grant.family_id, now)
                _log.warning("refresh token reused; family revoked", client_id=client.client_id)
                self._events.report(tenant.tenant_id, TokenEvent.REFRESH_TOKEN_REUSED, user_id=grant.user_id,
                                    client_id=client.client_id)
            raise OAuthError("invalid_grant", "the refresh token is invalid")
        if now >= grant.expire_time or now >= grant.family_expire_time:
            raise OAuthError("invalid_grant", "the refresh token has expired")
        _loaded, _denied, not_before = await read_revocation(self._redis, tenant.tenant_id, "", grant.user_id)
        if is_revoked(False, not_before, grant.auth_time):
            # Password reset, disable or "sign out everywhere" since this sign-in.
            await self._grants.revoke_family(tenant.tenant_id, grant.family_id, now)
            raise OAuthError("invalid_grant", "the refresh token was revoked")
        response, _family, _jti, _exp = await self.issue_tokens(
            tenant, client, grant.user_id, requested, grant.claims, grant.auth_time, grant.amr, "",
            family_id=grant.family_id, now=now, family_expire=grant.family_expire_time)
        return response

    async def issue_tokens(self, tenant: TenantInfo, client: Application, user_id: str, scopes: list[str],
                     claims: dict[str, Any], auth_time: datetime, amr: tuple[str, ...], nonce: str, *,
                     family_id: str | None, now: datetime,
                     family_expire: datetime | None = None) -> tuple[dict[str, Any], str | None, str, datetime]:
        lifetimes = client.token_lifetimes.effective(tenant.settings.get("tokens"))
        issuer = self._endpoints.issuer(tenant)
        access = await self._issuer.issue(
            tenant.tenant_id, issuer, subject=user_id, client_id=client.client_id, scopes=scopes, audience=issuer,
            ttl_seconds=lifetimes["access_token_ttl_seconds"], now=now,
            extra={"auth_time": int(auth_time.timestamp()), "amr": list(amr)})
        response: dict[str, Any] = {"access_token": access.token, "token_type": "Bearer",
                                    "expires_in": access.ttl_seconds, "scope": " ".join(scopes)}
        if "openid" in scopes:
            response["id_token"] = await self._id_token(tenant, client, user_id, scopes, claims, auth_time, amr,
                                                        nonce, access.token, lifetimes["id_token_ttl_seconds"], now)
        if client.allows_grant(REFRESH_TOKEN):
            family = family_id or secrets.token_urlsafe(12)
            refresh = secrets.token_urlsafe(32)
            absolute = family_expire or now + timedelta(seconds=lifetimes["refresh_token_absolute_ttl_seconds"])
            await self._grants.save_refresh(tenant.tenant_id, token_hash(refresh), RefreshGrant(
                family, client.client_id, user_id, " ".join(scopes), auth_time, amr, claims,
                min(now + timedelta(seconds=lifetimes["refresh_token_idle_ttl_seconds"]), absolute), absolute,
                False, False), now)
            response["refresh_token"] = refresh
            family_id = family
        return response, family_id, access.jti, access.expires_at

    async def _id_token(self, tenant: TenantInfo, client: Application, user_id: str, scopes: list[str],
                        claims: dict[str, Any], auth_time: datetime, amr: tuple[str, ...], nonce: str,
                        access_token: str, ttl: int, now: datetime) -> str:
        kid, key = await self._keys.signer(tenant.tenant_id, ID_TOKEN_ALGORITHM)
        issued = int(now.timestamp())
        body: dict[str, Any] = {
            **claims_for_scopes(claims, scopes), "iss": self._endpoints.issuer(tenant), "sub": user_id,
            "aud": client.client_id, "azp": client.client_id, "iat": issued, "exp": issued + ttl,
            "auth_time": int(auth_time.timestamp()), "amr": list(amr), "acr": "1" if "mfa" not in amr else "2",
            "at_hash": at_hash(access_token),
        }
        if nonce:
            body["nonce"] = nonce
        return jwt.encode(body, key, algorithm=ID_TOKEN_ALGORITHM, headers={"kid": kid, "typ": "JWT"})

    # --- userinfo ---------------------------------------------------------------------------------
    async def userinfo(self, tenant: TenantInfo, authorization: str, content_type: str,
                       body: bytes) -> dict[str, Any]:
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        if not token and body:
            token = parse_form(content_type, body).get("access_token", "")
        if not token:
            raise OAuthError("invalid_token", "a bearer access token is required", 401,
                             'Bearer realm="binoauth"')
        try:
            verified = await self._verifier.verify(token, issuer=self._endpoints.issuer(tenant), audience=None)
        except InvalidToken:
            raise OAuthError("invalid_token", "the access token is invalid", 401,
                             'Bearer realm="binoauth", error="invalid_token"') from None
        if "openid" not in verified.scopes or verified.subject == verified.client_id:
            raise OAuthError("insufficient_scope", "the token has no openid scope", 403,
                             'Bearer realm="binoauth", error="insufficient_scope", scope="openid"')
        claims = await self._platform.claims(tenant.tenant_id, verified.subject)
        if claims is None:
            raise OAuthError("invalid_token", "the user is no longer active", 401,
                             'Bearer realm="binoauth", error="invalid_token"')
        return claims_for_scopes(claims, sorted(verified.scopes))
