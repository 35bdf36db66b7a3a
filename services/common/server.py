"""gRPC server start-up shared by all four services.

The server listens at once but reports NOT_SERVING on the health service until the
database and Redis answer and migrations ran; on SIGTERM it flips to NOT_SERVING, waits
for the gateway to notice (drain), then stops with a grace period for in-flight calls."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import redis.asyncio as aioredis
import structlog
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from prometheus_client import CollectorRegistry

from services.common import db, tracing
from services.common import redis as bredis
from services.common.analytics import RedisAnalytics
from services.common.clients import ServiceChannels
from services.common.interceptor import ServerInterceptor
from services.common.invalidation import InvalidationBus
from services.common.logging import configure_logging
from services.common.metrics import DependencyProbe, RpcMetrics, serve_metrics
from services.common.migrations import MigrationRunner
from services.common.ratelimit import RateLimitGate
from services.common.settings import Settings, SettingsError

_log = structlog.get_logger("server")


@dataclass
class Runtime:
    """What a service's composition root builds on."""

    settings: Settings
    pool: asyncpg.Pool
    redis: aioredis.Redis
    registry: CollectorRegistry
    channels: ServiceChannels
    invalidation: InvalidationBus
    # Usage counters for the analytics API, one buffer per process (services/common/analytics.py).
    analytics: RedisAnalytics = field(init=False)

    def __post_init__(self) -> None:
        self.analytics = RedisAnalytics(self.redis)


@dataclass
class ServiceParts:
    """What a composition root hands back: servicers to register and lifecycle hooks."""

    # Each registers one servicer, e.g. lambda s: add_TenantServiceServicer_to_server(x, s).
    registrations: list[Callable[[aio.Server], None]]
    # Fully-qualified service names reported by the health service.
    service_names: list[str]
    # Run once the database and Redis answer (migrations, bootstrap); then SERVING.
    on_ready: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Decides the rate limits of every request the gateway sends to this service's public
    # methods (services/common/ratelimit); None: not limited (tests of a lone service).
    rate_limits: RateLimitGate | None = None


BuildFn = Callable[[Runtime], ServiceParts]


class ServiceServer:
    def __init__(self, settings: Settings, build: BuildFn) -> None:
        self.settings = settings
        self._build = build
        self._server: aio.Server | None = None
        self._health = health.aio.HealthServicer()
        self._parts: ServiceParts | None = None
        self._runtime: Runtime | None = None
        self._ready = asyncio.Event()
        self._ready_task: asyncio.Task[None] | None = None
        self._probe: DependencyProbe | None = None
        self.port = 0

    async def start(self) -> int:
        s = self.settings
        registry = CollectorRegistry()
        pool = await db.create_pool(s.database_url.reveal(), max_size=s.db_pool_max,
                                    application_name=f"binoauth-{s.service}")
        redis_client = bredis.create_redis(s.redis_url.reveal())
        self._runtime = Runtime(s, pool, redis_client, registry, ServiceChannels(s.service_addresses),
                                InvalidationBus(redis_client))
        self._parts = self._build(self._runtime)
        server = aio.server(
            # The trace span (from the caller's traceparent) wraps everything our interceptor does.
            interceptors=[*tracing.server_interceptors(), ServerInterceptor(s.service, RpcMetrics.create(registry),
                                                                          self._parts.rate_limits)],
            options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", 4 * 1024 * 1024)],
        )
        for register in self._parts.registrations:
            register(server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)
        names = [*self._parts.service_names, health.SERVICE_NAME, reflection.SERVICE_NAME]
        reflection.enable_server_reflection(names, server)
        await self._set_health(health_pb2.HealthCheckResponse.NOT_SERVING)
        self.port = server.add_insecure_port(f"{s.grpc_host}:{s.grpc_port}")
        if self.port == 0:
            raise RuntimeError(f"cannot bind {s.grpc_host}:{s.grpc_port}")
        await server.start()
        self._server = server
        serve_metrics(registry, s.grpc_host, s.metrics_port)
        self._probe = DependencyProbe(registry, {"postgres": lambda: db.ping(pool),
                                                 "redis": lambda: bredis.ping(redis_client)})
        self._probe.start()
        self._ready_task = asyncio.create_task(self._become_ready())
        self._runtime.analytics.start()
        _log.info("listening", port=self.port, metrics_port=s.metrics_port)
        return self.port

    async def wait_ready(self) -> None:
        await self._ready.wait()

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "start() first"
        return self._runtime

    async def _become_ready(self) -> None:
        assert self._runtime is not None and self._parts is not None
        delay = 0.2
        while True:
            try:
                await db.ping(self._runtime.pool)
                await bredis.ping(self._runtime.redis)
                for hook in self._parts.on_ready:
                    await hook()
                break
            except Exception as error:  # noqa: BLE001 - any failure means "not yet"
                _log.warning("not ready yet", error=type(error).__name__, detail=str(error)[:200])
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self._runtime.invalidation.start()
        await self._set_health(health_pb2.HealthCheckResponse.SERVING)
        self._ready.set()
        _log.info("serving")

    async def _set_health(self, status: Any) -> None:
        assert self._parts is not None
        for name in ("", *self._parts.service_names):
            await self._health.set(name, status)

    async def stop(self, drain: bool = True) -> None:
        """Graceful stop: NOT_SERVING, drain, finish in-flight calls, close pools."""
        if self._server is None:
            return
        await self._health.enter_graceful_shutdown()
        if drain and self.settings.drain_seconds > 0:
            await asyncio.sleep(self.settings.drain_seconds)
        await self._server.stop(self.settings.stop_grace_seconds)
        self._server = None
        if self._ready_task is not None:
            self._ready_task.cancel()
        if self._probe is not None:
            await self._probe.stop()
        assert self._runtime is not None and self._parts is not None
        for hook in self._parts.on_stop:
            await hook()
        await self._runtime.analytics.stop()  # after the last call that could count
        await self._runtime.invalidation.stop()
        await self._runtime.channels.close()
        await self._runtime.redis.aclose()
        await self._runtime.pool.close()
        tracing.shutdown()
        _log.info("stopped")


def run(settings: Settings, build: BuildFn, migrations: Path, argv: list[str] | None = None) -> None:
    """Process entry point.

    `python -m services.<name>` serves until SIGTERM or SIGINT, then stops gracefully;
    `python -m services.<name> migrate` applies the service's migrations (shared schema and
    every tenant schema) and exits: the Kubernetes init container runs this before a new
    version serves. Both are safe to run concurrently (advisory lock)."""
    command = (sys.argv[1:] if argv is None else argv) or ["serve"]
    if command not in (["serve"], ["migrate"]):
        raise SystemExit(f"usage: python -m services.{settings.service} [serve|migrate]")
    configure_logging(settings.service, settings.log_level, settings.log_json)
    if tracing.configure_tracing(settings.service):
        _log.info("tracing on: spans exported over OTLP")
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is in requirements; keep running without
        pass
    try:
        if command == ["migrate"]:
            asyncio.run(migrate(settings, migrations))
        else:
            asyncio.run(_serve(settings, build))
    except SettingsError as error:
        # A configuration mistake deserves one clear line, not a traceback.
        _log.error("invalid configuration", error=str(error))
        raise SystemExit(2) from None


async def migrate(settings: Settings, migrations: Path) -> None:
    pool = await db.create_pool(settings.database_url.reveal(), max_size=2,
                                application_name=f"binoauth-{settings.service}-migrate")
    try:
        await MigrationRunner(pool, settings.service, migrations).migrate_all()
        _log.info("migrations applied")
    finally:
        await pool.close()


async def _serve(settings: Settings, build: BuildFn) -> None:
    server = ServiceServer(settings, build)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    await stop.wait()
    _log.info("stopping", drain_seconds=settings.drain_seconds)
    await server.stop()
