"""One server interceptor for every service: request context, rate limits (for requests that
came through the gateway; services/common/ratelimit/gate.py), the canonical log line,
metrics, the mapping of errors to gRPC status + ErrorInfo + REST envelope, and the cookie
policy of each method's proto (services/common/cross_site.py).

Servicers stay thin because nothing else in them catches exceptions."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import structlog
from grpc import aio

from services.common import tracing
from services.common.context import request_meta, set_current_deadline, set_current_request
from services.common.cross_site import CookieUse, cookie_use, refuse_cross_site
from services.common.errors import (
    DomainError,
    ErrorReply,
    dependency_failure,
    internal_reply,
    reply_for,
    retry_after,
)
from services.common.metrics import RpcMetrics
from services.common.ratelimit.gate import RateLimitGate, method_group

_QUIET_PREFIXES = ("/grpc.health.", "/grpc.reflection.")

Behavior = Callable[[Any, aio.ServicerContext], Awaitable[Any]]


class ServerInterceptor(aio.ServerInterceptor):  # type: ignore[misc]
    def __init__(self, service: str, metrics: RpcMetrics, rate_limits: RateLimitGate | None = None) -> None:
        self._service = service
        self._metrics = metrics
        self._rate_limits = rate_limits
        self._log = structlog.get_logger("rpc")
        self._wrapped: dict[str, grpc.RpcMethodHandler] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        method: str = details.method
        cached = self._wrapped.get(method)
        if cached is not None:
            return cached
        handler = await continuation(details)
        if handler is None or handler.unary_unary is None or method.startswith(_QUIET_PREFIXES):
            return handler
        # Built once per method, not per call: this runs on every RPC.
        wrapped = grpc.unary_unary_rpc_method_handler(
            self._wrap(method, handler.unary_unary, cookie_use(method)),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
        self._wrapped[method] = wrapped
        return wrapped

    def _wrap(self, method: str, behavior: Behavior, cookies: CookieUse = CookieUse.NONE) -> Behavior:
        short = method.rsplit("/", 1)[-1]
        # A method whose proto does not declare cookie use cannot read or set one.
        undeclared = method if cookies is CookieUse.NONE else ""
        gate = self._rate_limits
        group = method_group(method) if gate is not None else None

        async def run(request: Any, context: aio.ServicerContext) -> Any:
            meta = request_meta(context.invocation_metadata(), context.peer(), undeclared)
            set_current_request(meta)
            set_current_deadline(context.time_remaining())
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(
                request_id=meta.request_id, ip_address=meta.ip_address, user_agent=meta.user_agent
            )
            if meta.path_tenant:
                structlog.contextvars.bind_contextvars(tenant_id=meta.path_tenant)
            tenant = meta.path_tenant or meta.header_tenant or getattr(request, "tenant_id", "")
            tracing.annotate(tenant_id=tenant if isinstance(tenant, str) else "", request_id=meta.request_id)
            started = time.perf_counter()
            code = "OK"
            limits: tuple[tuple[str, str], ...] = ()
            try:
                if group is not None and gate is not None and meta.via_gateway:
                    with tracing.span("ratelimit", group=group):
                        limits = await gate.admit(group, meta)
                    if limits:
                        # With the status, not as initial metadata of their own (a separate
                        # send per call); the gateway makes them response headers.
                        context.set_trailing_metadata(limits)
                if cookies is CookieUse.JSON_API:
                    refuse_cross_site(meta)
                return await behavior(request, context)
            except DomainError as error:
                reply = reply_for(error, self._service)
                code = reply.code.name
                await self._abort(context, reply, meta.request_id, meta.via_gateway, limits)
            except aio.AbortError:
                code = _code_name(context)
                raise
            except Exception as error:  # noqa: BLE001 - the one place that turns any bug into INTERNAL
                unavailable = dependency_failure(error)
                if unavailable is not None:
                    reply = reply_for(unavailable, self._service)
                    code = reply.code.name
                    self._log.warning("dependency unavailable", method=method, error=type(error).__name__)
                    await self._abort(context, reply, meta.request_id, meta.via_gateway, limits)
                code = "INTERNAL"
                self._log.exception("unhandled error", method=method)
                await self._abort(context, internal_reply(self._service), meta.request_id, meta.via_gateway, limits)
            finally:
                elapsed = time.perf_counter() - started
                self._metrics.observe(self._service, short, code, elapsed)
                self._log.info("rpc", method=method, status=code, duration_ms=round(elapsed * 1000, 2))
                structlog.contextvars.clear_contextvars()

        return run

    @staticmethod
    async def _abort(
        context: aio.ServicerContext, reply: ErrorReply, request_id: str, via_gateway: bool,
        limits: tuple[tuple[str, str], ...] = (),
    ) -> None:
        trailing: list[tuple[str, str | bytes]] = [
            ("grpc-status-details-bin", reply.status_details), *reply.headers, *limits]
        if reply.code is grpc.StatusCode.UNAVAILABLE:
            # Every 503 says when to try again: a trailers-only answer's trailers are its
            # headers, which the gateway passes on to REST clients.
            trailing.append(("retry-after", retry_after(reply.details)))
        if via_gateway and reply.http_override:
            # Before any response metadata (UnsupportedMediaType is raised before the method runs).
            await context.send_initial_metadata((("x-http-status", str(reply.http_override)),))
        if via_gateway:
            # The gateway's Lua filter swaps the transcoder's body for this envelope.
            trailing.append(("x-error-json", reply.envelope_json(request_id)))
        await context.abort(reply.code, reply.message, trailing_metadata=tuple(trailing))


def _code_name(context: aio.ServicerContext) -> str:
    code = context.code()
    return code.name if isinstance(code, grpc.StatusCode) else "UNKNOWN"
