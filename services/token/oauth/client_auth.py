"""Client authentication at the back-channel endpoints (RFC 6749 section 2.3.1,
client_secret_basic / client_secret_post; RFC 7523 private_key_jwt; `none` for public
clients). A failure answers 401 invalid_client and is reported as a security event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import structlog

from services.common.directory import TenantInfo
from services.common.errors import Unauthenticated
from services.token.applications.client_keys import ALGORITHMS as ASSERTION_ALGORITHMS
from services.token.applications.model import (
    CLIENT_SECRET_BASIC,
    CLIENT_SECRET_POST,
    NONE,
    PRIVATE_KEY_JWT,
    Application,
)
from services.token.oauth.client_assertions import AssertionRejected, ClientAssertions
from services.token.oauth.errors import OAuthError, invalid_client
from services.token.oauth.forms import ClientCredentials
from services.token.oauth.ports import Applications, SecurityEvents, TokenEvent

_log = structlog.get_logger("oauth")
# What a confidential client may authenticate with; public clients send their client_id only.
CONFIDENTIAL_METHODS: Final = (CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT)
PUBLIC_METHOD: Final = NONE
SIGNING_ALGORITHMS: Final = tuple(ASSERTION_ALGORITHMS)
# RFC 7523bis: the issuer; for interoperability also each endpoint that takes client auth.
ASSERTION_AUDIENCE_PATHS: Final = ("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke",
                                   "/oauth2/device_authorization")


class ClientAuthenticator:
    def __init__(self, applications: Applications, assertions: ClientAssertions, events: SecurityEvents,
                 issuer_for: Callable[[str], str]) -> None:
        self._applications = applications
        self._assertions = assertions
        self._events = events
        self._issuer_for = issuer_for

    async def authenticate(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        try:
            return await self._authenticate(tenant, credentials)
        except OAuthError as error:
            if error.error == "invalid_client":
                self._events.report(tenant.tenant_id, TokenEvent.CLIENT_AUTH_FAILED,
                                    client_id=credentials.client_id[:64], method=credentials.method)
            raise

    async def _authenticate(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        basic = credentials.method == CLIENT_SECRET_BASIC
        if not credentials.client_id:
            raise invalid_client(basic)
        if credentials.method == PUBLIC_METHOD:
            # Only public clients authenticate with nothing; a confidential client must prove itself.
            client = await self._applications.find(tenant.tenant_id, credentials.client_id)
            if client is None or client.confidential:
                raise invalid_client(basic)
            return client
        if credentials.method == PRIVATE_KEY_JWT:
            return await self._by_assertion(tenant, credentials)
        try:
            client = await self._applications.authenticate_client(tenant.tenant_id, credentials.client_id,
                                                                  credentials.secret)
        except Unauthenticated:
            raise invalid_client(basic) from None
        if (client.token_endpoint_auth_method or CLIENT_SECRET_BASIC) != credentials.method:
            raise invalid_client(basic)
        return client

    async def _by_assertion(self, tenant: TenantInfo, credentials: ClientCredentials) -> Application:
        client = await self._applications.find(tenant.tenant_id, credentials.client_id)
        if client is None or not client.confidential or client.token_endpoint_auth_method != PRIVATE_KEY_JWT:
            raise invalid_client(False)
        issuer = self._issuer_for(tenant.tenant_id)
        audiences = {issuer, *(f"{issuer}{path}" for path in ASSERTION_AUDIENCE_PATHS)}
        try:
            await self._assertions.verify(tenant.tenant_id, client, credentials.secret, audiences)
        except AssertionRejected as rejected:
            _log.info("client assertion rejected", client_id=client.client_id, why=str(rejected))
            raise invalid_client(False) from None
        return client
