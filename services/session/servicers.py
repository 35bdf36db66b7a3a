"""Thin gRPC servicers of the session service."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from google.protobuf import empty_pb2

from binoauth.session.v1 import session_internal_service_pb2 as internal_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as internal_grpc
from binoauth.session.v1 import session_pb2
from binoauth.session.v1 import session_service_pb2 as public_pb
from binoauth.session.v1 import session_service_pb2_grpc as public_grpc
from services.common.auth import CachedCredentialVerifier, Principal
from services.common.context import RequestMeta, current_request
from services.common.cookies import session_cookie_value
from services.common.directory import TenantSelector, admin_tenant
from services.common.errors import Unauthenticated
from services.common.provisioning import ProvisioningHandler, ProvisioningRpcs
from services.common.tenancy import select_tenant
from services.common.timestamps import to_timestamp
from services.session.model import Session, session_invalid
from services.session.usecases import Revocation, Sessions

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any




def session_to_proto(session: Session, current: bool = False) -> session_pb2.Session:
    return session_pb2.Session(
        session_id=session.session_id, user_id=session.user_id, create_time=to_timestamp(session.create_time),
        last_seen_time=to_timestamp(session.last_seen_time), expire_time=to_timestamp(session.expire_time),
        idle_expire_time=to_timestamp(session.idle_expire_time), amr=list(session.amr),
        auth_time=to_timestamp(session.auth_time),
        ip_address=session.ip_address, user_agent=session.user_agent, current=current,
    )


def session_cookie(meta: RequestMeta) -> str:
    return session_cookie_value(meta.cookie)


class SessionInternalServicer(ProvisioningRpcs, internal_grpc.SessionInternalServiceServicer):
    def __init__(self, sessions: Sessions, revocation: Revocation, provisioning: ProvisioningHandler) -> None:
        self._sessions = sessions
        self._revocation = revocation
        self._provisioning = provisioning
        self._messages = internal_pb

    async def CreateSession(self, request: internal_pb.CreateSessionRequest, context: Context) -> Any:
        auth_time = request.auth_time.ToDatetime(tzinfo=UTC) if request.HasField("auth_time") else None
        session, secret = await self._sessions.create(
            request.tenant_id, request.user_id, list(request.amr), auth_time, request.ip_address, request.user_agent)
        return internal_pb.CreateSessionResponse(session=session_to_proto(session), secret=secret)

    async def ValidateSession(self, request: internal_pb.ValidateSessionRequest, context: Context) -> Any:
        session = await self._sessions.validate(request.tenant_id, request.secret)
        return internal_pb.ValidateSessionResponse(session=session_to_proto(session, current=True))

    async def RevokeSession(self, request: internal_pb.RevokeSessionRequest, context: Context) -> Any:
        return internal_pb.RevokeSessionResponse(
            revoked=await self._sessions.revoke(request.tenant_id, request.session_id))

    async def RevokeUserSessions(self, request: internal_pb.RevokeUserSessionsRequest, context: Context) -> Any:
        count = await self._sessions.revoke_user(request.tenant_id, request.user_id, request.except_session_id)
        return internal_pb.RevokeUserSessionsResponse(revoked_count=count)

    async def RevokeToken(self, request: internal_pb.RevokeTokenRequest, context: Context) -> Any:
        await self._revocation.revoke_token(request.tenant_id, request.jti,
                                            request.expire_time.ToDatetime(tzinfo=UTC))
        return internal_pb.RevokeTokenResponse()

    async def RevokeTenant(self, request: internal_pb.RevokeTenantRequest, context: Context) -> Any:
        await self._revocation.revoke_tenant(request.tenant_id)
        return internal_pb.RevokeTenantResponse()

    async def CheckToken(self, request: internal_pb.CheckTokenRequest, context: Context) -> Any:
        revoked = await self._revocation.is_revoked(request.tenant_id, request.jti, request.user_id,
                                                    request.issued_at.ToDatetime(tzinfo=UTC))
        return internal_pb.CheckTokenResponse(revoked=revoked)


class SessionServicer(public_grpc.SessionServiceServicer):
    def __init__(self, sessions: Sessions, credentials: CachedCredentialVerifier, tenants: TenantSelector,
                 base_domain: str) -> None:
        self._sessions = sessions
        self._credentials = credentials
        self._tenants = tenants
        self._base_domain = base_domain

    async def _me(self, context: Context) -> tuple[str, Session]:
        meta = current_request(context)
        secret = session_cookie(meta)
        if not secret:
            raise Unauthenticated("sign in first: no session cookie", reason="SESSION_REQUIRED")
        return await self._sessions.mine(select_tenant(meta, self._base_domain), secret)

    async def _admin(self, context: Context, scope: str) -> tuple[str, Principal]:
        tenant, principal = await admin_tenant(current_request(context), self._credentials, self._tenants,
                                               self._base_domain, scope, require_active=False)
        return tenant.tenant_id, principal

    async def ListMySessions(self, request: Any, context: Context) -> Any:
        tenant_id, current = await self._me(context)
        sessions = await self._sessions.list_for_user(tenant_id, current.user_id)
        return public_pb.ListMySessionsResponse(sessions=[
            session_to_proto(current if s.session_id == current.session_id else s, s.session_id == current.session_id)
            for s in sessions])

    async def RevokeMySession(self, request: public_pb.RevokeMySessionRequest, context: Context) -> Any:
        tenant_id, current = await self._me(context)
        if not await self._sessions.revoke(tenant_id, request.session_id, user_id=current.user_id):
            raise session_invalid()
        return empty_pb2.Empty()

    async def RevokeMyOtherSessions(self, request: Any, context: Context) -> Any:
        tenant_id, current = await self._me(context)
        count = await self._sessions.revoke_user(tenant_id, current.user_id, except_session_id=current.session_id,
                                                 include_tokens=False)
        return public_pb.RevokeMyOtherSessionsResponse(revoked_count=count)

    async def ListUserSessions(self, request: public_pb.ListUserSessionsRequest, context: Context) -> Any:
        tenant_id, _ = await self._admin(context, "sessions:read")
        sessions = await self._sessions.list_for_user(tenant_id, request.user_id)
        return public_pb.ListUserSessionsResponse(sessions=[session_to_proto(s) for s in sessions])

    async def RevokeUserSession(self, request: public_pb.RevokeUserSessionRequest, context: Context) -> Any:
        tenant_id, _ = await self._admin(context, "sessions:write")
        if not await self._sessions.revoke(tenant_id, request.session_id, user_id=request.user_id):
            raise session_invalid()
        return empty_pb2.Empty()

    async def RevokeAllUserSessions(self, request: public_pb.RevokeAllUserSessionsRequest, context: Context) -> Any:
        tenant_id, _ = await self._admin(context, "sessions:write")
        count = await self._sessions.revoke_user(tenant_id, request.user_id)
        return public_pb.RevokeAllUserSessionsResponse(revoked_count=count)
