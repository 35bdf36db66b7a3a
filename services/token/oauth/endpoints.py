"""The OAuth 2.0 endpoints' behaviour: token (client_credentials), introspection, revocation,
and the metadata that lists exactly what is supported."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

import structlog

from services.common.directory import TenantInfo
from services.common.errors import Unauthenticated
from services.common.timestamps import utcnow
from services.common.tokens import AccessTokenVerifier, InvalidToken
from services.token.applications.client_keys import ALGORITHMS as ASSERTION_ALGORITHMS
from services.token.applications.model import PRIVATE_KEY_JWT, Application
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.client_assertions import AssertionRejected, ClientAssertions
from services.token.oauth.errors import OAuthError, invalid_client, invalid_request
from services.token.oauth.forms import ClientCredentials, client_credentials, parse_form

_log = structlog.get_logger("oauth")
CLIENT_CREDENTIALS = "client_credentials"
SUPPORTED_GRANTS = (CLIENT_CREDENTIALS,)
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")
# OpenID Connect scopes describe a user: a client acting for itself cannot ask for them.
USER_SCOPES = frozenset({"openid", "profile", "email", "phone", "address", "offline_access"})
ASSERTION_AUDIENCE_PATHS = ("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/device_authorization")
_SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")


class Applications(Protocol):
    async def find(self, tenant_id: str, client_id: str) -> Application | None: ...
    async def authenticate_client(self, tenant_id: str, client_id: str, secret: str) -> Application: ...


class TokenEvent(StrEnum):
    """The security events the token service reports (a subset of the identity service's
    EventService types; tests/unit/test_events.py keeps them in step)."""

    REFRESH_TOKEN_REUSED = "REFRESH_TOKEN_REUSED"
    AUTHORIZATION_CODE_REUSED = "AUTHORIZATION_CODE_REUSED"
    CONSENT_GRANTED = "CONSENT_GRANTED"
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CLIENT_AUTH_FAILED = "CLIENT_AUTH_FAILED"


class SecurityEvents(Protocol):
    def report(self, tenant_id: str, event_type: TokenEvent, *, user_id: str = "", **details: str) -> None:
        """Records an event for the tenant's administrators, in the background."""
        ...


class OAuthMetrics(Protocol):
    def issued(self, grant_type: str, result: str) -> None: ...
    def introspected(self, active: bool) -> None: ...
    def revoked(self) -> None: ...


RevokeToken = Callable[[str, str, datetime], Awaitable[None]]
RefreshRevoker = Callable[[TenantInfo, Application, str], Awaitable[bool]]
GrantHandler = Callable[[TenantInfo, Application, str, dict[str, str]], Awaitable[dict[str, Any]]]




class OAuthEndpoints:
    def __init__(self, applications: Applications, issuer: AccessTokenIssuer, verifier: AccessTokenVerifier,
                 revoke_token: RevokeToken, metrics: OAuthMetrics, issuer_for: Callable[[str], str],
                 assertions: ClientAssertions, events: SecurityEvents,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._events = events
        self._applications = applications
        self._assertions = assertions
        self._issuer = issuer
        self._verifier = verifier
        self._revoke_token = revoke_token
        self._metrics = metrics
        self._issuer_for = issuer_for
        self._clock = clock
        self._grants: dict[str, GrantHandler] = {}
        self._refresh_revoker: RefreshRevoker | None = None

    def register_refresh_revoker(self, revoker: RefreshRevoker) -> None:
        """How the revocation endpoint ends a refresh token's family (the code flow owns them)."""
        self._refresh_revoker = revoker

    def register_grant(self, grant_type: str, handler: GrantHandler) -> None:
        """Adds a grant type (the authorization code flow registers its two)."""
        self._grants[grant_type] = handler

    @property
    def grant_types(self) -> list[str]:
        return [*self._grants, CLIENT_CREDENTIALS]

    def issuer(self, tenant: TenantInfo) -> str:
        # Fixed by configuration, never by the request's Host header.
        return self._issuer_for(tenant.tenant_id)

    def metadata(self, tenant: TenantInfo) -> dict[str, Any]:
        issuer = self.issuer(tenant)
        return {
            "issuer": issuer,
            "token_endpoint": f"{issuer}/oauth2/token",
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "introspection_endpoint": f"{issuer}/oauth2/introspect",
            "revocation_endpoint": f"{issuer}/oauth2/revoke",
            "grant_types_supported": self.grant_types,
            "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "introspection_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "revocation_endpoint_auth_methods_supported": list(AUTH_METHODS),
            **{f"{endpoint}_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS)
               for endpoint in ("token", "introspection", "revocation")},
            "response_types_supported": [],
        }

    # --- token endpoint ---------------------------------------------------------------------
    async def token(self, tenant: TenantInfo, content_type: str, body: bytes, authorization: str) -> dict[str, Any]:
        form = parse_form(content_type, body)
        grant = form.get("grant_type", "")
        if not grant:
            raise invalid_request("grant_type is required")
        client = await self._client(tenant, client_credentials(authorization, form))
        if grant not in self.grant_types:
            self._metrics.issued(grant[:40], "unsupported")
            raise OAuthError("unsupported_grant_type", "this grant type is not supported")
        if not client.allows_grant(grant) or (grant == CLIENT_CREDENTIALS and not client.confidential):
            self._metrics.issued(grant, "unauthorized_client")
            raise OAuthError("unauthorized_client", "this client may not use this grant type")
        if grant in self._grants:
            try:
                response = await self._grants[grant](tenant, client, grant, form)
            except OAuthError as error:
                self._metrics.issued(grant, error.error)
                raise
            self._metrics.issued(grant, "issued")
            return response
        scopes = self._scopes(client, form.get("scope", ""))
        audience = self._audience(tenant, form.get("resource", ""))
        lifetimes = client.token_lifetimes.effective(tenant.settings.get("tokens"))
        issued = await self._issuer.issue(
            tenant.tenant_id, self.issuer(tenant), subject=client.client_id, client_id=client.client_id,
            scopes=scopes, audience=audience, ttl_seconds=lifetimes["access_token_ttl_seconds"], now=self._clock())
        self._metrics.issued(grant, "issued")
        _log.info("token issued", grant_type=grant, client_id=client.client_id)
        return {"access_token": issued.token, "token_type": "Bearer", "expires_in": issued.ttl_seconds,
                "scope": " ".join(scopes)}

    async def _client(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        try:
            return await self._authenticate(tenant, credentials)
        except OAuthError as error:
            if error.error == "invalid_client":
                self._events.report(tenant.tenant_id, TokenEvent.CLIENT_AUTH_FAILED,
                                    client_id=credentials.client_id[:64], method=credentials.method)
            raise

    async def _authenticate(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        basic = credentials.method == "client_secret_basic"
        if not credentials.client_id:
            raise invalid_client(basic)
        if credentials.method == "none":
            # Only public clients authenticate with nothing; they cannot use these endpoints'
            # confidential features, and a confidential client must prove its secret.
            client = await self._applications.find(tenant.tenant_id, credentials.client_id)
            if client is None or client.confidential:
                raise invalid_client(basic)
            return client
        if credentials.method == PRIVATE_KEY_JWT:
            return await self._client_by_assertion(tenant, credentials)
        try:
            client = await self._applications.authenticate_client(tenant.tenant_id, credentials.client_id,
                                                                  credentials.secret)
        except Unauthenticated:
            raise invalid_client(basic) from None
        registered = client.token_endpoint_auth_method or "client_secret_basic"
        if registered != credentials.method:
            raise invalid_client(basic)
        return client

    async def _client_by_assertion(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        client = await self._applications.find(tenant.tenant_id, credentials.client_id)
        if client is None or not client.confidential or client.token_endpoint_auth_method != PRIVATE_KEY_JWT:
            raise invalid_client(False)
        issuer = self.issuer(tenant)
        # The issuer (RFC 7523bis) or any of its endpoints that take client authentication.
        audiences = {issuer, *(f"{issuer}{path}" for path in ASSERTION_AUDIENCE_PATHS)}
        try:
            await self._assertions.verify(tenant.tenant_id, client, credentials.secret, audiences)
        except AssertionRejected as rejected:
            _log.info("client assertion rejected", client_id=client.client_id, why=str(rejected))
            raise invalid_client(False) from None
        return client

    @staticmethod
    def _scopes(client: Application, requested: str) -> list[str]:
        allowed = [s for s in client.allowed_scopes if s not in USER_SCOPES]
        if not requested.strip():
            return allowed
        wanted = requested.split(" ")
        if any(not _SCOPE_TOKEN.match(s) for s in wanted):
            raise OAuthError("invalid_scope", "the scope parameter is malformed")
        unknown = [s for s in dict.fromkeys(wanted) if s not in allowed]
        if unknown:
            raise OAuthError("invalid_scope", "this client may not request these scopes")
        return list(dict.fromkeys(wanted))

    def _audience(self, tenant: TenantInfo, resource: str) -> str:
        """RFC 8707 resource indicator: an absolute URI without fragment; default the issuer."""
        if not resource:
            return self.issuer(tenant)
        parts = urlsplit(resource)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.fragment or len(resource) > 512:
            raise OAuthError("invalid_target", "resource must be an absolute URI without a fragment")
        return resource

    # --- introspection and revocation ----------------------------------------------------------
    async def _presented(self, tenant: TenantInfo, content_type: str, body: bytes, authorization: str,
                         public_allowed: bool = False) -> tuple[Application, str]:
        form = parse_form(content_type, body)
        client = await self._client(tenant, client_credentials(authorization, form))
        if not client.confidential and not public_allowed:
            raise invalid_client(authorization[:6].lower() == "basic ")
        token = form.get("token", "")
        if not token:
            raise invalid_request("token is required")
        return client, token

    async def introspect(self, tenant: TenantInfo, content_type: str, body: bytes,
                         authorization: str) -> dict[str, Any]:
        client, token = await self._presented(tenant, content_type, body, authorization)
        try:
            verified = await self._verifier.verify(token, issuer=self.issuer(tenant), audience=None)
        except InvalidToken:
            self._metrics.introspected(False)
            return {"active": False}
        claims = verified.claims
        if claims.get("client_id") != client.client_id:
            # Policy: a client learns only about its own tokens.
            self._metrics.introspected(False)
            return {"active": False}
        self._metrics.introspected(True)
        return {"active": True, "token_type": "Bearer",
                **{k: claims[k] for k in ("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "nbf", "jti")
                   if k in claims}}

    async def revoke(self, tenant: TenantInfo, content_type: str, body: bytes, authorization: str) -> None:
        """RFC 7009: 200 whether or not the token was valid; only the owning client's tokens
        are revoked."""
        # Public clients may revoke their own (refresh) tokens too, identified by client_id.
        client, token = await self._presented(tenant, content_type, body, authorization, public_allowed=True)
        if token.count(".") != 2:
            # Opaque: a refresh token. Revoking it ends its whole family.
            if self._refresh_revoker is not None and await self._refresh_revoker(tenant, client, token):
                self._metrics.revoked()
                _log.info("refresh token family revoked", client_id=client.client_id)
            return
        try:
            verified = await self._verifier.verify(token, issuer=self.issuer(tenant), audience=None)
        except InvalidToken:
            return
        claims = verified.claims
        if claims.get("client_id") != client.client_id:
            return
        await self._revoke_token(tenant.tenant_id, str(claims["jti"]), datetime.fromtimestamp(claims["exp"], UTC))
        self._metrics.revoked()
        _log.info("token revoked", client_id=client.client_id)
