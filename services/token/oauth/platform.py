"""The identity and session services as the authorization endpoint needs them (a hop is fine
there; the token endpoint itself uses the snapshot taken here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format
from grpc import StatusCode, aio

from binoauth.identity.v1 import identity_internal_service_pb2 as identity_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as identity_grpc
from binoauth.session.v1 import session_internal_service_pb2 as session_pb
from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
from services.common.clients import ServiceChannels, outgoing_metadata
from services.common.context import call_timeout

_TIMEOUT = 5.0


@dataclass(frozen=True)
class SignedIn:
    session_id: str
    user_id: str
    auth_time: datetime
    amr: tuple[str, ...]


class PlatformGateway:
    def __init__(self, channels: ServiceChannels) -> None:
        self._sessions = session_grpc.SessionInternalServiceStub(channels.channel("session"))
        self._identity = identity_grpc.IdentityInternalServiceStub(channels.channel("identity"))

    async def session(self, tenant_id: str, secret: str) -> SignedIn | None:
        if not secret:
            return None
        try:
            reply = await self._sessions.ValidateSession(
                session_pb.ValidateSessionRequest(tenant_id=tenant_id, secret=secret), timeout=call_timeout(_TIMEOUT),
                metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            if error.code() in (StatusCode.NOT_FOUND, StatusCode.INVALID_ARGUMENT):
                return None
            raise
        s = reply.session
        return SignedIn(s.session_id, s.user_id, s.auth_time.ToDatetime(tzinfo=UTC), tuple(s.amr))

    async def end_session(self, tenant_id: str, session_id: str) -> bool:
        """Ends one session (idempotent). False when it was not live any more."""
        reply = await self._sessions.RevokeSession(
            session_pb.RevokeSessionRequest(tenant_id=tenant_id, session_id=session_id), timeout=call_timeout(_TIMEOUT),
            metadata=outgoing_metadata())
        return bool(reply.revoked)

    async def claims(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        """The user's OpenID Connect claims, or None if the user is gone or disabled."""
        try:
            reply = await self._identity.GetUserClaims(
                identity_pb.GetUserClaimsRequest(tenant_id=tenant_id, user_id=user_id), timeout=call_timeout(_TIMEOUT),
                metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            if error.code() == StatusCode.NOT_FOUND:
                return None
            raise
        user = json_format.MessageToDict(reply.user, preserving_proto_field_name=True)
        if user.get("state") not in ("USER_STATE_ACTIVE", "USER_STATE_LOCKED"):
            return None
        return openid_claims(user)


def openid_claims(user: dict[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": user["user_id"], "email": user.get("email", ""),
                              "email_verified": bool(user.get("email_verified"))}
    for name in ("name", "given_name", "family_name", "picture", "locale", "zoneinfo"):
        if user.get(name):
            claims[name] = user[name]
    if user.get("phone_number"):
        claims["phone_number"] = user["phone_number"]
        claims["phone_number_verified"] = bool(user.get("phone_verified"))
    if user.get("update_time"):
        claims["updated_at"] = int(datetime.fromisoformat(user["update_time"].replace("Z", "+00:00")).timestamp())
    return claims


SCOPE_CLAIMS = {
    "profile": ("name", "given_name", "family_name", "picture", "locale", "zoneinfo", "updated_at"),
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
}


def claims_for_scopes(claims: dict[str, Any], scopes: list[str]) -> dict[str, Any]:
    out = {"sub": claims["sub"]}
    for scope in scopes:
        for name in SCOPE_CLAIMS.get(scope, ()):
            if name in claims:
                out[name] = claims[name]
    return out
