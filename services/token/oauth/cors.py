"""CORS for the token service's endpoints that browser code calls (single-page apps).

Public documents (discovery, JWKS) may be read from any origin. The token, revocation and
userinfo answers only from an origin the application concerned registered
(`allowed_origins`); never with credentials (cookies), which these endpoints do not use.
Preflight requests are answered by the gateway (gateway/filter.lua): a preflight grants
nothing by itself, since the browser still needs these headers on the answer to read it."""

from __future__ import annotations

from typing import Final, Protocol

import jwt

from services.token.applications.model import Application
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import client_credentials, parse_form

Headers = tuple[tuple[str, str], ...]
PUBLIC: Final[Headers] = (("access-control-allow-origin", "*"),)


class Applications(Protocol):
    async def find(self, tenant_id: str, client_id: str) -> Application | None: ...


def form_client(content_type: str, body: bytes, authorization: str) -> str:
    """The client a form request names (client_id, Basic or an assertion's subject); "" if none."""
    try:
        return client_credentials(authorization, parse_form(content_type, body)).client_id
    except OAuthError:
        return ""


def bearer_client(authorization: str) -> str:
    """The client_id an access token was issued to, read without verification: it only decides
    whether the browser may read the answer, which for a forged token is an error anyway."""
    if authorization[:7].lower() != "bearer ":
        return ""
    try:
        claims = jwt.decode(authorization[7:].strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    client_id = claims.get("client_id")
    return client_id if isinstance(client_id, str) else ""


class CorsPolicy:
    def __init__(self, applications: Applications) -> None:
        self._applications = applications

    async def headers(self, tenant_id: str, origin: str, client_id: str) -> Headers:
        if not origin or not client_id:
            return ()
        app = await self._applications.find(tenant_id, client_id)
        if app is None or origin not in app.allowed_origins:
            return ()
        return (("access-control-allow-origin", origin), ("vary", "origin"),
                ("access-control-expose-headers", "www-authenticate"))
