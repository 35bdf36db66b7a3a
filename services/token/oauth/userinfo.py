"""OpenID Connect Core section 5.3: the userinfo endpoint. The bearer token comes in the
Authorization header (GET or POST) or, RFC 6750 section 2.2, in a form body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.common.directory import TenantInfo
from services.common.tokens import AccessTokenVerifier, InvalidToken
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import parse_form
from services.token.oauth.platform import PlatformGateway, claims_for_scopes

_CHALLENGE = 'Bearer realm="binoauth"'


class UserInfoEndpoint:
    def __init__(self, verifier: AccessTokenVerifier, platform: PlatformGateway,
                 issuer_for: Callable[[str], str]) -> None:
        self._verifier = verifier
        self._platform = platform
        self._issuer_for = issuer_for

    async def userinfo(self, tenant: TenantInfo, authorization: str, content_type: str,
                       body: bytes) -> dict[str, Any]:
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        if not token and body:
            token = parse_form(content_type, body).get("access_token", "")
        if not token:
            raise OAuthError("invalid_token", "a bearer access token is required", 401, _CHALLENGE)
        try:
            verified = await self._verifier.verify(token, issuer=self._issuer_for(tenant.tenant_id), audience=None)
        except InvalidToken:
            raise OAuthError("invalid_token", "the access token is invalid", 401,
                             f'{_CHALLENGE}, error="invalid_token"') from None
        if "openid" not in verified.scopes or verified.subject == verified.client_id:
            raise OAuthError("insufficient_scope", "the token has no openid scope", 403,
                             f'{_CHALLENGE}, error="insufficient_scope", scope="openid"')
        claims = await self._platform.claims(tenant.tenant_id, verified.subject)
        if claims is None:
            raise OAuthError("invalid_token", "the user is no longer active", 401,
                             f'{_CHALLENGE}, error="invalid_token"')
        return claims_for_scopes(claims, sorted(verified.scopes))
