"""The session service's internal RPCs, as the identity use cases need them."""

from __future__ import annotations

from typing import Any

from grpc import StatusCode, aio

from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from services.common.clients import ServiceChannels, outgoing_metadata
from services.common.context import call_timeout
from services.common.errors import Unavailable
from services.identity.ports import CurrentSession, StartedSession

_TIMEOUT = 5.0


class GrpcSessionGateway:
    def __init__(self, channels: ServiceChannels) -> None:
        self._stub = session_grpc.SessionInternalServiceStub(channels.channel("session"))

    async def create(self, tenant_id: str, user_id: str, amr: list[str], ip_address: str,
                     user_agent: str) -> StartedSession:
        reply = await self._call(self._stub.CreateSession, session_pb.CreateSessionRequest(
            tenant_id=tenant_id, user_id=user_id, amr=amr, ip_address=ip_address, user_agent=user_agent))
        session = reply.session
        max_age = int((session.expire_time.ToDatetime() - session.create_time.ToDatetime()).total_seconds())
        return StartedSession(session.session_id, reply.secret, max_age)

    async def validate(self, tenant_id: str, secret: str) -> CurrentSession | None:
        try:
            reply = await self._stub.ValidateSession(
                session_pb.ValidateSessionRequest(tenant_id=tenant_id, secret=secret), timeout=call_timeout(_TIMEOUT),
                metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            if error.code() in (StatusCode.NOT_FOUND, StatusCode.INVALID_ARGUMENT):
                return None
            raise _unavailable() from None
        return CurrentSession(reply.session.session_id, reply.session.user_id, tuple(reply.session.amr))

    async def revoke(self, tenant_id: str, session_id: str) -> None:
        await self._call(self._stub.RevokeSession,
                         session_pb.RevokeSessionRequest(tenant_id=tenant_id, session_id=session_id))

    async def revoke_user(self, tenant_id: str, user_id: str, except_session_id: str = "") -> int:
        reply = await self._call(self._stub.RevokeUserSessions, session_pb.RevokeUserSessionsRequest(
            tenant_id=tenant_id, user_id=user_id, except_session_id=except_session_id))
        return int(reply.revoked_count)

    async def _call(self, method: Any, request: Any) -> Any:
        try:
            return await method(request, timeout=call_timeout(_TIMEOUT), metadata=outgoing_metadata())
        except aio.AioRpcError:
            raise _unavailable() from None


def _unavailable() -> Unavailable:
    return Unavailable("the session service is unavailable; try again", reason="SESSION_SERVICE_UNAVAILABLE")
