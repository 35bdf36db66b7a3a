"""The form of the introspection and revocation endpoints (RFC 7662 section 2.1, RFC 7009
section 2.1): an authenticated client and the token it asks about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.common.directory import TenantInfo
from services.common.tokens import AccessTokenVerifier, InvalidToken
from services.token.applications.model import Application
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.errors import invalid_client, invalid_request
from services.token.oauth.forms import client_credentials, parse_form
from services.token.oauth.grant_records import StoredRefresh
from services.token.oauth.grants.refresh_token import MAX_TOKEN_LENGTH as MAX_REFRESH_TOKEN_LENGTH
from services.token.oauth.issuer import token_hash
from services.token.oauth.ports import RefreshStore

MAX_TOKEN_LENGTH = 8192


@dataclass(frozen=True)
class PresentedToken:
    client: Application
    token: str

    @property
    def is_jwt(self) -> bool:
        # Access tokens are JWTs; refresh tokens are opaque. token_type_hint is only a hint
        # (RFC 7662 section 2.1), so the token's own shape decides where to look.
        return self.token.count(".") == 2


async def presented_token(clients: ClientAuthenticator, tenant: TenantInfo, content_type: str, body: bytes,
                          authorization: str, public_allowed: bool) -> PresentedToken:
    form = parse_form(content_type, body)
    client = await clients.authenticate(tenant, client_credentials(authorization, form))
    if not client.confidential and not public_allowed:
        raise invalid_client(authorization[:6].lower() == "basic ")
    token = form.get("token", "")
    if not token:
        raise invalid_request("token is required")
    if len(token) > MAX_TOKEN_LENGTH:
        raise invalid_request("token is too long")
    return PresentedToken(client, token)


async def own_refresh_token(store: RefreshStore, tenant_id: str, presented: PresentedToken) -> StoredRefresh | None:
    """The stored refresh token the presenting client owns; None for anything else."""
    if len(presented.token) > MAX_REFRESH_TOKEN_LENGTH:
        return None
    stored = await store.refresh_by_hash(tenant_id, token_hash(presented.token))
    return stored if stored is not None and stored.grant.client_id == presented.client.client_id else None


async def own_access_claims(verifier: AccessTokenVerifier, presented: PresentedToken,
                            issuer: str) -> dict[str, Any] | None:
    """The claims of a valid, unrevoked access token issued to the presenting client; None for
    anything else (a client learns nothing about other clients' tokens)."""
    try:
        verified = await verifier.verify(presented.token, issuer=issuer, audience=None)
    except InvalidToken:
        return None
    claims = verified.claims
    return claims if claims.get("client_id") == presented.client.client_id else None
