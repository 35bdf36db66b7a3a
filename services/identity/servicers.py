"""Thin gRPC servicers of the identity service."""

from __future__ import annotations

from typing import Any

from google.protobuf import empty_pb2

from binoauth.identity.v1 import auth_service_pb2 as auth_pb
from binoauth.identity.v1 import auth_service_pb2_grpc as auth_grpc
from binoauth.identity.v1 import event_service_pb2 as event_pb
from binoauth.identity.v1 import event_service_pb2_grpc as event_grpc
from binoauth.identity.v1 import identity_internal_service_pb2 as internal_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as internal_grpc
from binoauth.identity.v1 import user_admin_service_pb2 as admin_pb
from binoauth.identity.v1 import user_admin_service_pb2_grpc as admin_grpc
from binoauth.identity.v1 import user_self_service_pb2 as self_pb
from binoauth.identity.v1 import user_self_service_pb2_grpc as self_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.context import RequestMeta, current_request
from services.common.cookies import clear_session_cookie, cookie_path, session_cookie_value, set_session_cookie
from services.common.directory import TenantSelector, admin_tenant
from services.common.errors import InvalidArgument
from services.common.provisioning import ProvisioningHandler, ProvisioningRpcs
from services.common.tenancy import require_tenant_id, select_tenant
from services.identity.account import AccountUseCases
from services.identity.admin import UPDATABLE, UserAdminUseCases
from services.identity.auth import AuthUseCases, LoginResult, Tenant
from services.identity.events import EventLog, EventType
from services.identity.mapping import event_to_proto, struct_to_dict, user_changes, user_to_proto
from services.identity.users import PROFILE_FIELDS, UserState

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any
SENT = "sent"



class _TenantScoped:
    def __init__(self, auth: AuthUseCases, base_domain: str, secure_cookies: bool) -> None:
        self._auth = auth
        self._base_domain = base_domain
        self._secure = secure_cookies

    async def _tenant(self, context: Context) -> tuple[Tenant, RequestMeta]:
        meta = current_request(context)
        return await self._auth.tenant(select_tenant(meta, self._base_domain)), meta

    async def _login_reply(self, context: Context, meta: RequestMeta, result: LoginResult) -> Any:
        if result.session is None:
            return auth_pb.LoginResponse(mfa_required=True, mfa_token=result.mfa_token)
        cookie = set_session_cookie(result.session.secret, result.session.max_age_seconds, self._secure,
                                    cookie_path(meta.path_tenant))
        await context.send_initial_metadata((("set-cookie", cookie), ("cache-control", "no-store")))
        assert result.user is not None
        return auth_pb.LoginResponse(user=user_to_proto(result.user), session_id=result.session.session_id)


class AuthServicer(auth_grpc.AuthServiceServicer, _TenantScoped):
    async def SignUp(self, request: auth_pb.SignUpRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        await self._auth.signup(tenant, request.email, request.password, {
            "name": request.name, "given_name": request.given_name, "family_name": request.family_name,
            "locale": request.locale})
        return auth_pb.SignUpResponse(status="verification_sent")

    async def Login(self, request: auth_pb.LoginRequest, context: Context) -> Any:
        tenant, meta = await self._tenant(context)
        result = await self._auth.login(tenant, request.email, request.password, meta.ip_address, meta.user_agent)
        return await self._login_reply(context, meta, result)

    async def CompleteMfaLogin(self, request: auth_pb.CompleteMfaLoginRequest, context: Context) -> Any:
        tenant, meta = await self._tenant(context)
        result = await self._auth.complete_mfa(tenant, request.mfa_token, request.code, meta.ip_address,
                                               meta.user_agent)
        return await self._login_reply(context, meta, result)

    async def Logout(self, request: auth_pb.LogoutRequest, context: Context) -> Any:
        tenant, meta = await self._tenant(context)
        await self._auth.logout(tenant, session_cookie_value(meta.cookie))
        await context.send_initial_metadata(
            (("set-cookie", clear_session_cookie(self._secure, cookie_path(meta.path_tenant))),))
        return auth_pb.LogoutResponse()

    async def VerifyEmail(self, request: auth_pb.VerifyEmailRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        return auth_pb.VerifyEmailResponse(email=await self._auth.verify_email(tenant, request.code))

    async def ResendVerification(self, request: auth_pb.ResendVerificationRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        await self._auth.resend_verification(tenant, request.email)
        return auth_pb.ResendVerificationResponse(status=SENT)

    async def SendMagicLink(self, request: auth_pb.SendMagicLinkRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        await self._auth.send_magic_link(tenant, request.email, request.return_to)
        return auth_pb.SendMagicLinkResponse(status=SENT)

    async def ConsumeMagicLink(self, request: auth_pb.ConsumeMagicLinkRequest, context: Context) -> Any:
        tenant, meta = await self._tenant(context)
        result = await self._auth.consume_magic_link(tenant, request.code, meta.ip_address, meta.user_agent)
        return await self._login_reply(context, meta, result)

    async def RequestPasswordReset(self, request: auth_pb.RequestPasswordResetRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        await self._auth.request_reset(tenant, request.email)
        return auth_pb.RequestPasswordResetResponse(status=SENT)

    async def ConfirmPasswordReset(self, request: auth_pb.ConfirmPasswordResetRequest, context: Context) -> Any:
        tenant, _ = await self._tenant(context)
        await self._auth.confirm_reset(tenant, request.code, request.new_password)
        return auth_pb.ConfirmPasswordResetResponse()


class UserSelfServicer(self_grpc.UserSelfServiceServicer, _TenantScoped):
    def __init__(self, auth: AuthUseCases, account: AccountUseCases, base_domain: str, secure: bool) -> None:
        super().__init__(auth, base_domain, secure)
        self._account = account

    async def _me(self, context: Context) -> Any:
        tenant, meta = await self._tenant(context)
        user, current = await self._account.me(tenant, session_cookie_value(meta.cookie))
        return tenant, user, current

    async def GetMe(self, request: Any, context: Context) -> Any:
        _, user, _ = await self._me(context)
        return user_to_proto(user)

    async def UpdateMe(self, request: self_pb.UpdateMeRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        changes = user_changes(request.user, request.update_mask, request.HasField("update_mask"), PROFILE_FIELDS)
        return user_to_proto(await self._account.update_profile(tenant, user, changes))

    async def ChangePassword(self, request: self_pb.ChangePasswordRequest, context: Context) -> Any:
        tenant, user, current = await self._me(context)
        revoked = await self._account.change_password(tenant, user, current, request.current_password,
                                                      request.new_password)
        return self_pb.ChangePasswordResponse(revoked_sessions=revoked)

    async def ChangeEmail(self, request: self_pb.ChangeEmailRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        return user_to_proto(await self._account.change_email(tenant, user, request.new_email,
                                                              request.current_password))

    async def SendPhoneCode(self, request: self_pb.SendPhoneCodeRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        await self._account.send_phone_code(tenant, user, request.phone_number)
        return self_pb.SendPhoneCodeResponse(status=SENT)

    async def VerifyPhone(self, request: self_pb.VerifyPhoneRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        return user_to_proto(await self._account.verify_phone(tenant, user, request.code))

    async def EnrollTotp(self, request: Any, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        secret, uri = await self._account.enroll_totp(tenant, user)
        await context.send_initial_metadata((("cache-control", "no-store"),))
        return self_pb.EnrollTotpResponse(secret=secret, otpauth_uri=uri)

    async def ConfirmTotp(self, request: self_pb.ConfirmTotpRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        codes = await self._account.confirm_totp(tenant, user, request.code)
        await context.send_initial_metadata((("cache-control", "no-store"),))
        return self_pb.ConfirmTotpResponse(recovery_codes=codes)

    async def DisableTotp(self, request: self_pb.DisableTotpRequest, context: Context) -> Any:
        tenant, user, _ = await self._me(context)
        await self._account.disable_totp(tenant, user, request.code)
        return self_pb.DisableTotpResponse()


class AdminScoped:
    """The tenant an administrator's call acts on, once its credential holds `scope` (the user
    admin API here and the identity-provider APIs in federation/servicers.py)."""

    def __init__(self, auth: AuthUseCases, credentials: CachedCredentialVerifier, tenants: TenantSelector,
                 base_domain: str) -> None:
        self._auth = auth
        self._credentials = credentials
        self._tenants = tenants
        self._base_domain = base_domain

    async def _tenant(self, context: Context, scope: str) -> Tenant:
        info, _ = await admin_tenant(current_request(context), self._credentials, self._tenants,
                                     self._base_domain, scope)
        return self._auth.tenant_of(info)


class UserAdminServicer(admin_grpc.UserAdminServiceServicer, AdminScoped):
    def __init__(self, auth: AuthUseCases, admin: UserAdminUseCases, credentials: CachedCredentialVerifier,
                 tenants: TenantSelector, base_domain: str) -> None:
        AdminScoped.__init__(self, auth, credentials, tenants, base_domain)
        self._admin = admin

    async def ListUsers(self, request: admin_pb.ListUsersRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:read")
        users, token = await self._admin.list(tenant, request.query, request.page_size, request.page_token)
        return admin_pb.ListUsersResponse(users=[user_to_proto(u) for u in users], next_page_token=token)

    async def GetUser(self, request: admin_pb.GetUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:read")
        return user_to_proto(await self._admin.get(tenant, request.user_id))

    async def CreateUser(self, request: admin_pb.CreateUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        u = request.user
        fields = {"email": u.email, "phone_number": u.phone_number, "metadata": struct_to_dict(u),
                  **{f: getattr(u, f) for f in PROFILE_FIELDS}}
        user = await self._admin.create(tenant, fields, request.password, request.send_invite,
                                        request.email_verified)
        return user_to_proto(user)

    async def UpdateUser(self, request: admin_pb.UpdateUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        changes = user_changes(request.user, request.update_mask, request.HasField("update_mask"), UPDATABLE)
        return user_to_proto(await self._admin.update(tenant, request.user.user_id, changes))

    async def DeleteUser(self, request: admin_pb.DeleteUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        await self._admin.delete(tenant, request.user_id)
        return empty_pb2.Empty()

    async def DisableUser(self, request: admin_pb.DisableUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        return user_to_proto(await self._admin.set_state(tenant, request.user_id, UserState.DISABLED))

    async def EnableUser(self, request: admin_pb.EnableUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        return user_to_proto(await self._admin.set_state(tenant, request.user_id, UserState.ACTIVE))

    async def UnlockUser(self, request: admin_pb.UnlockUserRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        return user_to_proto(await self._admin.unlock(tenant, request.user_id))

    async def ResetUserMfa(self, request: admin_pb.ResetUserMfaRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        return user_to_proto(await self._admin.reset_mfa(tenant, request.user_id))


class EventServicer(event_grpc.EventServiceServicer):
    def __init__(self, events: EventLog, credentials: CachedCredentialVerifier, tenants: TenantSelector,
                 base_domain: str) -> None:
        self._events = events
        self._credentials = credentials
        self._tenants = tenants
        self._base_domain = base_domain

    async def ListEvents(self, request: event_pb.ListEventsRequest, context: Context) -> Any:
        info, _ = await admin_tenant(current_request(context), self._credentials, self._tenants,
                                     self._base_domain, "events:read", require_active=False)
        events, token = await self._events.page(info.tenant_id, user_id=request.user_id, event_type=request.type,
                                                size=request.page_size, token=request.page_token,
                                                start_time=request.start_time, end_time=request.end_time)
        return event_pb.ListEventsResponse(events=[event_to_proto(e) for e in events], next_page_token=token)


class IdentityInternalServicer(ProvisioningRpcs, internal_grpc.IdentityInternalServiceServicer):
    def __init__(self, admin: UserAdminUseCases, auth: AuthUseCases, provisioning: ProvisioningHandler,
                 events: EventLog) -> None:
        self._admin = admin
        self._auth = auth
        self._provisioning = provisioning
        self._events = events
        self._messages = internal_pb

    async def GetUserClaims(self, request: internal_pb.GetUserClaimsRequest, context: Context) -> Any:
        tenant = await self._auth.tenant_by_id(request.tenant_id)
        return internal_pb.GetUserClaimsResponse(user=user_to_proto(await self._admin.get(tenant, request.user_id)))

    async def CheckUserActive(self, request: internal_pb.CheckUserActiveRequest, context: Context) -> Any:
        tenant = await self._auth.tenant_by_id(request.tenant_id)
        return internal_pb.CheckUserActiveResponse(active=await self._admin.is_active(tenant, request.user_id))

    async def RecordEvent(self, request: internal_pb.RecordEventRequest, context: Context) -> Any:
        tenant_id = require_tenant_id(request.tenant_id)
        if request.type not in EventType.__members__:
            raise InvalidArgument(f"unknown event type {request.type[:64]!r}", reason="INVALID_EVENT_TYPE",
                                  details={"field": "type"})
        await self._events.record_reported(tenant_id, EventType(request.type), user_id=request.user_id,
                                           ip_address=request.ip_address, user_agent=request.user_agent,
                                           details=dict(request.details))
        return internal_pb.RecordEventResponse()
