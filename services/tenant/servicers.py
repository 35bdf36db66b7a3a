"""Thin gRPC servicers: request → domain call → response. Errors are mapped by the
shared interceptor; nothing here catches exceptions."""

from __future__ import annotations

from typing import Any

from google.api import httpbody_pb2
from google.protobuf import empty_pb2

from binoauth.tenant.v1 import (
    admin_user_service_pb2 as admin_pb,
)
from binoauth.tenant.v1 import (
    admin_user_service_pb2_grpc as admin_grpc,
)
from binoauth.tenant.v1 import (
    api_key_service_pb2 as key_pb,
)
from binoauth.tenant.v1 import (
    api_key_service_pb2_grpc as key_grpc,
)
from binoauth.tenant.v1 import (
    tenant_internal_service_pb2 as internal_pb,
)
from binoauth.tenant.v1 import (
    tenant_internal_service_pb2_grpc as internal_grpc,
)
from binoauth.tenant.v1 import (
    tenant_service_pb2 as tenant_pb,
)
from binoauth.tenant.v1 import (
    tenant_service_pb2_grpc as tenant_grpc,
)
from services.common.auth import Principal, PrincipalKind, missing_credential
from services.common.context import RequestMeta, current_request
from services.common.cookies import clear_console_cookie, console_cookie_value, set_console_cookie
from services.common.settings import Settings
from services.common.tenancy import select_tenant
from services.common.timestamps import from_timestamp, to_timestamp, utcnow
from services.tenant import mapping
from services.tenant.admins import AdminState, AdminUser
from services.tenant.console import ConsoleSession
from services.tenant.usecases import CredentialUseCases, TenantUseCases

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any


def _meta(context: Context) -> RequestMeta:
    return current_request(context)


class _Authenticated:
    def __init__(self, credentials: CredentialUseCases) -> None:
        self._credentials = credentials

    async def principal(self, context: Context) -> Principal:
        credential = _meta(context).credential
        if not credential:
            raise missing_credential()
        principal, _ttl = await self._credentials.authenticate(credential)
        return principal


class TenantServicer(tenant_grpc.TenantServiceServicer, _Authenticated):
    def __init__(self, tenants: TenantUseCases, credentials: CredentialUseCases, settings: Settings) -> None:
        super().__init__(credentials)
        self._tenants = tenants
        self._settings = settings

    def _out(self, tenant: Any) -> Any:
        return mapping.tenant_to_proto(tenant, self._settings.issuer_for(tenant.tenant_id))

    async def CreateTenant(self, request: tenant_pb.CreateTenantRequest, context: Context) -> Any:
        t = request.tenant
        tenant = await self._tenants.create(
            await self.principal(context), t.tenant_id, t.display_name, mapping.settings_input(t),
            list(t.custom_domains),
        )
        return self._out(tenant)

    async def GetTenant(self, request: tenant_pb.GetTenantRequest, context: Context) -> Any:
        return self._out(await self._tenants.get(await self.principal(context), request.tenant_id))

    async def ListTenants(self, request: tenant_pb.ListTenantsRequest, context: Context) -> Any:
        tenants, token = await self._tenants.list(await self.principal(context), request.page_size,
                                                  request.page_token, request.query,
                                                  mapping.state_filter(request.state))
        return tenant_pb.ListTenantsResponse(tenants=[self._out(t) for t in tenants], next_page_token=token)

    async def UpdateTenant(self, request: tenant_pb.UpdateTenantRequest, context: Context) -> Any:
        changes = mapping.update_changes(request.tenant, request.update_mask, request.HasField("update_mask"))
        tenant = await self._tenants.update(await self.principal(context), request.tenant.tenant_id, changes)
        return self._out(tenant)

    async def DeleteTenant(self, request: tenant_pb.DeleteTenantRequest, context: Context) -> Any:
        await self._tenants.delete(await self.principal(context), request.tenant_id)
        return empty_pb2.Empty()

    async def SuspendTenant(self, request: tenant_pb.SuspendTenantRequest, context: Context) -> Any:
        return self._out(await self._tenants.suspend(await self.principal(context), request.tenant_id))

    async def ResumeTenant(self, request: tenant_pb.ResumeTenantRequest, context: Context) -> Any:
        return self._out(await self._tenants.resume(await self.principal(context), request.tenant_id))

    async def GetCurrentTenant(self, request: tenant_pb.GetCurrentTenantRequest, context: Context) -> Any:
        tenant = await self._tenants.current(select_tenant(_meta(context), self._settings.base_domain))
        return mapping.public_tenant(tenant, self._settings.issuer_for(tenant.tenant_id))

    async def GetTenantLogo(self, request: tenant_pb.GetTenantLogoRequest, context: Context) -> Any:
        logo = await self._tenants.logo(select_tenant(_meta(context), self._settings.base_domain), request.logo_hash)
        # Only checked raster bytes go out, typed by what they are, never rendered as a page.
        headers = (("x-content-type-options", "nosniff"), ("content-security-policy", "default-src 'none'"),
                   ("cross-origin-resource-policy", "same-origin"))
        if logo is None:
            await context.send_initial_metadata((("x-http-status", "404"), ("cache-control", "no-store"), *headers))
            return httpbody_pb2.HttpBody(content_type="text/plain; charset=utf-8", data=b"")
        await context.send_initial_metadata((("cache-control", "public, max-age=31536000, immutable"), *headers))
        return httpbody_pb2.HttpBody(content_type=logo.media_type, data=logo.data)


class ApiKeyServicer(key_grpc.ApiKeyServiceServicer, _Authenticated):
    async def CreateApiKey(self, request: key_pb.CreateApiKeyRequest, context: Context) -> Any:
        k = request.api_key
        expire = from_timestamp(k.expire_time, k.HasField("expire_time"))
        key, secret = await self._credentials.create_key(
            await self.principal(context), k.tenant_id, k.display_name, list(k.scopes), expire
        )
        return key_pb.CreateApiKeyResponse(api_key=mapping.api_key_to_proto(key, utcnow()), secret=secret)

    async def GetApiKey(self, request: key_pb.GetApiKeyRequest, context: Context) -> Any:
        key = await self._credentials.get_key(await self.principal(context), request.api_key_id)
        return mapping.api_key_to_proto(key, utcnow())

    async def ListApiKeys(self, request: key_pb.ListApiKeysRequest, context: Context) -> Any:
        keys, token = await self._credentials.list_keys(
            await self.principal(context), request.tenant_id, request.page_size, request.page_token
        )
        now = utcnow()
        return key_pb.ListApiKeysResponse(api_keys=[mapping.api_key_to_proto(k, now) for k in keys],
                                          next_page_token=token)

    async def RevokeApiKey(self, request: key_pb.RevokeApiKeyRequest, context: Context) -> Any:
        key = await self._credentials.revoke_key(await self.principal(context), request.api_key_id)
        return mapping.api_key_to_proto(key, utcnow())


class AdminUserServicer(admin_grpc.AdminUserServiceServicer, _Authenticated):
    def __init__(self, credentials: CredentialUseCases, secure_cookies: bool = False) -> None:
        super().__init__(credentials)
        self._secure = secure_cookies

    async def CreateAdminUser(self, request: admin_pb.CreateAdminUserRequest, context: Context) -> Any:
        a = request.admin_user
        admin = await self._credentials.create_admin(
            await self.principal(context), a.email, a.tenant_id, list(a.scopes), request.password
        )
        return mapping.admin_to_proto(admin)

    async def ListAdminUsers(self, request: admin_pb.ListAdminUsersRequest, context: Context) -> Any:
        admins, token = await self._credentials.list_admins(
            await self.principal(context), request.tenant_id, request.page_size, request.page_token
        )
        return admin_pb.ListAdminUsersResponse(admin_users=[mapping.admin_to_proto(a) for a in admins],
                                               next_page_token=token)

    async def DisableAdminUser(self, request: admin_pb.DisableAdminUserRequest, context: Context) -> Any:
        admin = await self._credentials.set_admin_state(
            await self.principal(context), request.admin_user_id, AdminState.DISABLED
        )
        return mapping.admin_to_proto(admin)

    async def EnableAdminUser(self, request: admin_pb.EnableAdminUserRequest, context: Context) -> Any:
        admin = await self._credentials.set_admin_state(
            await self.principal(context), request.admin_user_id, AdminState.ACTIVE
        )
        return mapping.admin_to_proto(admin)

    async def AdminLogin(self, request: admin_pb.AdminLoginRequest, context: Context) -> Any:
        token, ttl, admin = await self._credentials.admin_login(request.email, request.password)
        await context.send_initial_metadata((("cache-control", "no-store"),))
        return admin_pb.AdminLoginResponse(access_token=token, token_type="Bearer", expires_in=ttl,
                                           admin_user=mapping.admin_to_proto(admin))

    # --- the console's session (services/tenant/console.py) ---------------------------------
    async def CreateAdminSession(self, request: admin_pb.CreateAdminSessionRequest, context: Context) -> Any:
        secret, session, admin = await self._credentials.start_console_session(request.email, request.password)
        max_age = int((session.expire_time - session.create_time).total_seconds())
        await context.send_initial_metadata((
            ("set-cookie", set_console_cookie(secret, max_age, self._secure)), ("cache-control", "no-store")))
        return _admin_session(session, admin)

    async def GetCurrentAdminSession(self, request: admin_pb.GetCurrentAdminSessionRequest, context: Context) -> Any:
        session, admin = await self._credentials.current_console_session(_console_secret(context))
        await context.send_initial_metadata((("cache-control", "no-store"),))
        return _admin_session(session, admin)

    async def EndCurrentAdminSession(self, request: admin_pb.EndCurrentAdminSessionRequest, context: Context) -> Any:
        await self._credentials.end_console_session(_console_secret(context))
        await context.send_initial_metadata((
            ("set-cookie", clear_console_cookie(self._secure)), ("cache-control", "no-store")))
        return empty_pb2.Empty()


_KINDS = {PrincipalKind.API_KEY: internal_pb.PRINCIPAL_KIND_API_KEY,
          PrincipalKind.ADMIN_USER: internal_pb.PRINCIPAL_KIND_ADMIN_USER}


class TenantInternalServicer(internal_grpc.TenantInternalServiceServicer):
    def __init__(self, tenants: TenantUseCases, credentials: CredentialUseCases, settings: Settings) -> None:
        self._tenants = tenants
        self._credentials = credentials
        self._settings = settings

    async def ResolveTenant(self, request: internal_pb.ResolveTenantRequest, context: Context) -> Any:
        tenant = await self._tenants.resolve(request.tenant_id, request.host)
        return internal_pb.ResolveTenantResponse(
            tenant=mapping.tenant_to_proto(tenant, self._settings.issuer_for(tenant.tenant_id))
        )

    async def AuthenticateCredential(self, request: internal_pb.AuthenticateCredentialRequest,
                                     context: Context) -> Any:
        principal, ttl = await self._credentials.authenticate(request.credential)
        return internal_pb.AuthenticateCredentialResponse(principal=internal_pb.Principal(
            principal_id=principal.principal_id, kind=_KINDS[principal.kind], tenant_id=principal.tenant_id,
            scopes=sorted(principal.scopes), cache_ttl_seconds=ttl,
        ))



def _console_secret(context: Context) -> str:
    # These three methods declare cookie use in their proto, so they may read the header.
    return console_cookie_value(_meta(context).cookie)


def _admin_session(session: ConsoleSession, admin: AdminUser) -> admin_pb.AdminSession:
    return admin_pb.AdminSession(admin_user=mapping.admin_to_proto(admin),
                                 expire_time=to_timestamp(session.expire_time),
                                 idle_expire_time=to_timestamp(session.idle_expire_time))
