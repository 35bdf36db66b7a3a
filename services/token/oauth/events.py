"""Security events the token service sees, reported to the identity service, which keeps
every event of a tenant in one place (EventService).

Reporting happens in the background: no token answer waits for it, and a failed report is
logged, never the client's problem."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from grpc import aio

from binoauth.identity.v1 import identity_internal_service_pb2 as identity_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as identity_grpc
from services.common.clients import ServiceChannels, outgoing_metadata
from services.common.context import current_request_or_none
from services.token.oauth.ports import TokenEvent

_log = structlog.get_logger("oauth")
_TIMEOUT = 5.0
MAX_PENDING = 1000


class EventReporter:
    def __init__(self, channels: ServiceChannels) -> None:
        self._identity = identity_grpc.IdentityInternalServiceStub(channels.channel("identity"))
        self._pending: set[asyncio.Task[None]] = set()

    def report(self, tenant_id: str, event_type: TokenEvent, *, user_id: str = "", **details: str) -> None:
        """Queues the report of `event_type` (an EventService type) with the current request's
        client address and agent."""
        if len(self._pending) >= MAX_PENDING:
            _log.warning("event dropped: too many reports pending", type=event_type)
            return
        request = current_request_or_none()
        message = identity_pb.RecordEventRequest(
            tenant_id=tenant_id, type=event_type, user_id=user_id,
            ip_address=request.ip_address if request else "", user_agent=request.user_agent if request else "",
            details={k: str(v) for k, v in details.items() if v})
        task = asyncio.get_running_loop().create_task(self._send(message))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _send(self, message: Any) -> None:
        try:
            await self._identity.RecordEvent(message, timeout=_TIMEOUT, metadata=outgoing_metadata())
        except aio.AioRpcError as error:
            _log.warning("event not reported", type=message.type, code=error.code().name)

    async def drain(self) -> None:
        """On shutdown: let pending reports finish (bounded)."""
        if self._pending:
            await asyncio.wait(set(self._pending), timeout=_TIMEOUT)
