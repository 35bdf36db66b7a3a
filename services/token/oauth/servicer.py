"""The OAuthService: RFC wire formats over google.api.HttpBody. Protocol errors are answers
(JSON with the RFC status via x-http-status), not gRPC errors."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from google.api import httpbody_pb2
from google.protobuf import empty_pb2

from binoauth.token.v1 import oauth_service_pb2 as oauth_pb
from binoauth.token.v1 import oauth_service_pb2_grpc as oauth_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.context import current_request
from services.common.cookies import session_cookie_value
from services.common.csrf import CSRF_FIELD
from services.common.directory import TenantDirectory, TenantInfo, admin_tenant
from services.common.tenancy import TenantSelection, select_tenant, tenant_prefix
from services.token.oauth.app_logos import ApplicationLogos
from services.token.oauth.authorize import (
    AUTHORIZE_FIELDS,
    UNSUPPORTED_FIELDS,
    AuthorizationEndpoint,
    authorization_params,
)
from services.token.oauth.consents import ConsentUseCases
from services.token.oauth.cors import PUBLIC, CorsPolicy, bearer_client, form_client
from services.token.oauth.device import DeviceFlow
from services.token.oauth.discovery import Discovery
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import parse_form
from services.token.oauth.introspection import IntrospectionEndpoint
from services.token.oauth.logout import LOGOUT_FIELDS, EndSessionFlow, logout_request
from services.token.oauth.pages import HttpAnswer, ask_language, error_page, look_for, redirect
from services.token.oauth.revocation import RevocationEndpoint
from services.token.oauth.token_endpoint import TokenEndpoint
from services.token.oauth.userinfo import UserInfoEndpoint

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any


@dataclass(frozen=True)
class OAuthParts:
    """The endpoints the servicer maps requests to (each built in bootstrap.py)."""

    discovery: Discovery
    authorization: AuthorizationEndpoint
    token: TokenEndpoint
    userinfo: UserInfoEndpoint
    introspection: IntrospectionEndpoint
    revocation: RevocationEndpoint
    logout: EndSessionFlow
    consents: ConsentUseCases
    device: DeviceFlow
    logos: ApplicationLogos


class OAuthServicer(oauth_grpc.OAuthServiceServicer):
    def __init__(self, parts: OAuthParts, directory: TenantDirectory, base_domain: str, cors: CorsPolicy,
                 credentials: CachedCredentialVerifier) -> None:
        self._parts = parts
        # Management credentials, for the administrators' consent methods only.
        self._credentials = credentials
        self._cors = cors
        self._directory = directory
        self._base_domain = base_domain

    async def _tenant(self, context: Context) -> tuple[TenantInfo, str]:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        if not tenant.active:
            raise OAuthError("invalid_request", "this tenant is suspended", 400)
        return tenant, meta.authorization

    async def _answer(self, context: Context, run: Callable[[], Awaitable[Any]], status: int = 200,
                      client: Callable[[], str] | None = None) -> Any:
        """`client` names the application whose registered origins may read the answer.

        Cache-Control: no-store and Pragma: no-cache (RFC 6749 5.1) come from the gateway's route
        (the methods' no_store option), so a plain 200 sends no initial metadata: a separate
        send costs the token service ~8 % of its CPU per token."""
        try:
            payload = await run()
        except OAuthError as error:
            headers = [("x-http-status", str(error.status))]
            if error.www_authenticate:
                headers.append(("www-authenticate", error.www_authenticate))
            await context.send_initial_metadata((*headers, *await self._cors_headers(context, client)))
            return _json(error.body())
        done = () if status == 200 else (("x-http-status", str(status)),)
        cors = await self._cors_headers(context, client)
        if done or cors:
            await context.send_initial_metadata((*done, *cors))
        return _json(payload if payload is not None else {})

    async def _cors_headers(self, context: Context, client: Callable[[], str] | None) -> tuple[tuple[str, str], ...]:
        meta = current_request(context)
        if client is None or not meta.origin:
            return ()
        try:
            tenant = await self._directory.select(select_tenant(meta, self._base_domain))
            return await self._cors.headers(tenant.tenant_id, meta.origin, client())
        except Exception:  # noqa: BLE001 - without CORS headers the browser just cannot read the answer
            return ()

    async def GetAuthorizationServerMetadata(self, request: Any, context: Context) -> Any:
        # RFC 8414 section 3.1: the issuer's path after the well-known segment.
        selection = [TenantSelection("path", tenant_id=request.tenant_id)] if request.tenant_id else None
        return await self._discovery(context, selection)

    async def GetOpenIdConfiguration(self, request: Any, context: Context) -> Any:
        return await self._discovery(context)

    async def _discovery(self, context: Context, selection: list[TenantSelection] | None = None) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(selection or select_tenant(meta, self._base_domain))
        await context.send_initial_metadata((("cache-control", "public, max-age=300"), *PUBLIC))
        return _json(self._parts.discovery.metadata(tenant.tenant_id))

    async def Authorize(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        if request.body.data:  # a form POST (a GET has an empty body)
            params = authorization_params(request.body.content_type, request.body.data)
            if params is None:
                return await _send(context, error_page(look_for(tenant, meta.path_tenant),
                                                       "the request body must be a form"))
        else:
            params = {f: getattr(request, f) for f in (*AUTHORIZE_FIELDS, *UNSUPPORTED_FIELDS) if getattr(request, f)}
        return await _send(context, await self._parts.authorization.authorize(tenant, params, meta.cookie,
                                                                              meta.path_tenant))

    async def SubmitConsent(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        answer = await self._parts.authorization.consent(tenant, request.body.content_type, request.body.data,
                                                         meta.cookie, meta.path_tenant)
        return await _send(context, answer)

    async def UserInfo(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._parts.userinfo.userinfo(tenant, authorization, request.body.content_type,
                                                       request.body.data)

        return await self._answer(context, run, client=lambda: bearer_client(current_request(context).authorization))

    async def DeviceAuthorization(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._parts.device.authorize(tenant, request.body.content_type, request.body.data,
                                                authorization)

        return await self._answer(context, run)

    async def GetDevicePage(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        ask_language(request.ui_locales)
        return await _send(context, await self._parts.device.page(tenant, request.user_code, meta.cookie,
                                                            meta.path_tenant))

    async def GetApplicationLogo(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        return await _send(context, await self._parts.logos.answer(tenant.tenant_id, request.client_id))

    async def SubmitDevicePage(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        return await _send(context, await self._parts.device.submit(
            tenant, request.body.content_type, request.body.data, meta.cookie, meta.path_tenant, meta.ip_address))

    async def Token(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._parts.token.token(tenant, request.body.content_type, request.body.data, authorization)

        return await self._answer(context, run, client=lambda: self._form_client(request, context))

    async def Introspect(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._parts.introspection.introspect(tenant, request.body.content_type, request.body.data,
                                                    authorization)

        return await self._answer(context, run)

    async def Revoke(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            await self._parts.revocation.revoke(tenant, request.body.content_type, request.body.data, authorization)
            return {}

        return await self._answer(context, run, client=lambda: self._form_client(request, context))

    @staticmethod
    def _form_client(request: Any, context: Context) -> str:
        return form_client(request.body.content_type, request.body.data, current_request(context).authorization)

    async def EndSession(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        logout = self._parts.logout
        if not request.body.data:
            params = {f: getattr(request, f) for f in LOGOUT_FIELDS}
            ask_language(request.ui_locales)
            return await _send(context, await logout.end_session(tenant, logout_request(params), meta.cookie,
                                                                 meta.path_tenant))
        try:
            form = parse_form(request.body.content_type, request.body.data)
        except OAuthError:
            return await _send(context, error_page(look_for(tenant, meta.path_tenant),
                                                   "the request body must be a form"))
        ask_language(form.get("ui_locales", ""))
        if CSRF_FIELD in form:
            return await _send(context, await logout.confirm(tenant, form, meta.cookie, meta.path_tenant))
        if not session_cookie_value(meta.cookie):
            # A cross-site form POST carries no SameSite=Lax cookie; the same request as a
            # top-level GET does, so the session it means can be found.
            query = urlencode({k: v for k, v in form.items() if k in LOGOUT_FIELDS and v})
            return await _send(context, redirect(f"{tenant_prefix(meta.path_tenant)}/oauth2/logout?{query}", 303))
        return await _send(context, await logout.end_session(tenant, logout_request(form), meta.cookie,
                                                             meta.path_tenant))

    async def ListMyConsents(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        consents = await self._parts.consents.list(tenant.tenant_id, meta.cookie)
        return oauth_pb.ListMyConsentsResponse(consents=[
            oauth_pb.Consent(client_id=c.client_id, client_name=c.client_name, scopes=c.scopes) for c in consents])

    async def RevokeMyConsent(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        await self._parts.consents.revoke(tenant.tenant_id, meta.cookie, request.client_id)
        return oauth_pb.RevokeMyConsentResponse()

    async def _admin_tenant(self, context: Context, scope: str) -> TenantInfo:
        tenant, _ = await admin_tenant(current_request(context), self._credentials, self._directory,
                                       self._base_domain, scope, require_active=False)
        return tenant

    async def ListUserConsents(self, request: Any, context: Context) -> Any:
        tenant = await self._admin_tenant(context, "users:read")
        consents = await self._parts.consents.list_of(tenant.tenant_id, request.user_id)
        return oauth_pb.ListUserConsentsResponse(consents=[
            oauth_pb.Consent(client_id=c.client_id, client_name=c.client_name, scopes=c.scopes) for c in consents])

    async def RevokeUserConsent(self, request: Any, context: Context) -> Any:
        tenant = await self._admin_tenant(context, "users:write")
        await self._parts.consents.revoke_of(tenant.tenant_id, request.user_id, request.client_id)
        return empty_pb2.Empty()


def _json(payload: dict[str, Any]) -> httpbody_pb2.HttpBody:
    return httpbody_pb2.HttpBody(content_type="application/json",
                                 data=json.dumps(payload, separators=(",", ":")).encode())


async def _send(context: Context, answer: HttpAnswer) -> httpbody_pb2.HttpBody:
    await context.send_initial_metadata((*answer.headers, ("x-http-status", str(answer.status))))
    return httpbody_pb2.HttpBody(content_type=answer.content_type, data=answer.body)
