"""The OAuthService: RFC wire formats over google.api.HttpBody. Protocol errors are answers
(JSON with the RFC status via x-http-status), not gRPC errors."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from google.api import httpbody_pb2

from binoauth.token.v1 import oauth_service_pb2 as oauth_pb
from binoauth.token.v1 import oauth_service_pb2_grpc as oauth_grpc
from services.common.context import current_request
from services.common.directory import TenantDirectory, TenantInfo
from services.common.tenancy import select_tenant
from services.token.oauth.consents import ConsentUseCases
from services.token.oauth.cors import PUBLIC, CorsPolicy, bearer_client, form_client
from services.token.oauth.device import DeviceFlow, unavailable
from services.token.oauth.endpoints import OAuthEndpoints
from services.token.oauth.errors import OAuthError
from services.token.oauth.flows import AUTHORIZE_FIELDS, UNSUPPORTED_FIELDS, AuthorizationFlows
from services.token.oauth.logout import EndSessionFlow, LogoutRequest
from services.token.oauth.pages import HttpAnswer, error_page

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any
NO_STORE = (("cache-control", "no-store"), ("pragma", "no-cache"))


class OAuthServicer(oauth_grpc.OAuthServiceServicer):
    def __init__(self, endpoints: OAuthEndpoints, flows: AuthorizationFlows, directory: TenantDirectory,
                 base_domain: str, cors: CorsPolicy, logout: EndSessionFlow | None = None,
                 consents: ConsentUseCases | None = None, device: DeviceFlow | None = None) -> None:
        self._endpoints = endpoints
        self._cors = cors
        self._device = device
        self._logout = logout
        self._consents = consents
        self._flows = flows
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
        """`client` names the application whose registered origins may read the answer."""
        try:
            payload = await run()
        except OAuthError as error:
            headers = [*NO_STORE, ("x-http-status", str(error.status))]
            if error.www_authenticate:
                headers.append(("www-authenticate", error.www_authenticate))
            await context.send_initial_metadata((*headers, *await self._cors_headers(context, client)))
            return _json(error.body())
        done = NO_STORE if status == 200 else (*NO_STORE, ("x-http-status", str(status)))
        await context.send_initial_metadata((*done, *await self._cors_headers(context, client)))
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
        return await self._discovery(context)

    async def GetOpenIdConfiguration(self, request: Any, context: Context) -> Any:
        return await self._discovery(context)

    async def _discovery(self, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        await context.send_initial_metadata((("cache-control", "public, max-age=300"), *PUBLIC))
        return _json(self._flows.discovery(tenant))

    async def Authorize(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        params = {f: getattr(request, f) for f in (*AUTHORIZE_FIELDS, *UNSUPPORTED_FIELDS) if getattr(request, f)}
        return await _send(context, await self._flows.authorize(tenant, params, meta.cookie, meta.path_tenant))

    async def SubmitConsent(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        answer = await self._flows.consent(tenant, request.body.content_type, request.body.data, meta.cookie,
                                           meta.path_tenant)
        return await _send(context, answer)

    async def UserInfo(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._flows.userinfo(tenant, authorization, request.body.content_type, request.body.data)

        return await self._answer(context, run, client=lambda: bearer_client(current_request(context).authorization))

    async def DeviceAuthorization(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            if self._device is None:
                raise unavailable()
            return await self._device.authorize(tenant, request.body.content_type, request.body.data,
                                                authorization)

        return await self._answer(context, run)

    async def GetDevicePage(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        if self._device is None:
            return await _send(context, error_page(tenant.display_name or tenant.tenant_id, "not available", 503))
        return await _send(context, await self._device.page(tenant, request.user_code, meta.cookie,
                                                            meta.path_tenant))

    async def SubmitDevicePage(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        if self._device is None:
            return await _send(context, error_page(tenant.display_name or tenant.tenant_id, "not available", 503))
        return await _send(context, await self._device.submit(
            tenant, request.body.content_type, request.body.data, meta.cookie, meta.path_tenant, meta.ip_address))

    async def Token(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._endpoints.token(tenant, request.body.content_type, request.body.data, authorization)

        return await self._answer(context, run, client=lambda: self._form_client(request, context))

    async def Introspect(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            return await self._endpoints.introspect(tenant, request.body.content_type, request.body.data,
                                                    authorization)

        return await self._answer(context, run)

    async def Revoke(self, request: Any, context: Context) -> Any:
        async def run() -> Any:
            tenant, authorization = await self._tenant(context)
            await self._endpoints.revoke(tenant, request.body.content_type, request.body.data, authorization)
            return {}

        return await self._answer(context, run, client=lambda: self._form_client(request, context))

    @staticmethod
    def _form_client(request: Any, context: Context) -> str:
        return form_client(request.body.content_type, request.body.data, current_request(context).authorization)

    async def EndSession(self, request: Any, context: Context) -> Any:
        assert self._logout is not None
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        logout = LogoutRequest(request.id_token_hint, request.post_logout_redirect_uri, request.state,
                               request.client_id)
        return await _send(context, await self._logout.end_session(tenant, logout, meta.cookie, meta.path_tenant))

    async def ListMyConsents(self, request: Any, context: Context) -> Any:
        assert self._consents is not None
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        consents = await self._consents.list(tenant.tenant_id, meta.cookie)
        return oauth_pb.ListMyConsentsResponse(consents=[
            oauth_pb.Consent(client_id=c.client_id, client_name=c.client_name, scopes=c.scopes) for c in consents])

    async def RevokeMyConsent(self, request: Any, context: Context) -> Any:
        assert self._consents is not None
        meta = current_request(context)
        tenant = await self._directory.select(select_tenant(meta, self._base_domain))
        await self._consents.revoke(tenant.tenant_id, meta.cookie, request.client_id)
        return oauth_pb.RevokeMyConsentResponse()


def _json(payload: dict[str, Any]) -> httpbody_pb2.HttpBody:
    return httpbody_pb2.HttpBody(content_type="application/json",
                                 data=json.dumps(payload, separators=(",", ":")).encode())


async def _send(context: Context, answer: HttpAnswer) -> httpbody_pb2.HttpBody:
    await context.send_initial_metadata((*answer.headers, ("x-http-status", str(answer.status))))
    return httpbody_pb2.HttpBody(content_type=answer.content_type, data=answer.body)
