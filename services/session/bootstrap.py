"""Composition root of the session service."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from binoauth.session.v1 import session_internal_service_pb2_grpc as internal_grpc
from binoauth.session.v1 import session_service_pb2_grpc as public_grpc
from services.common.directory import grpc_credential_verifier, tenant_directory
from services.common.migrations import MigrationRunner
from services.common.provisioning import ProvisioningHandler, in_order
from services.common.ratelimit import rate_limit_gate
from services.common.ratelimit.policy import is_tenant_budget
from services.common.redis import purge_keys, tenant_scan_pattern
from services.common.server import Runtime, ServiceParts
from services.common.timestamps import utcnow
from services.session.live import RedisLiveState
from services.session.metrics import PromSessionMetrics
from services.session.servicers import SessionInternalServicer, SessionServicer
from services.session.store import PgRevocationStore, PgSessionStore
from services.session.usecases import Revocation, Sessions

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.session.v1.SessionService", "binoauth.session.v1.SessionInternalService"]
ACTIVE_SAMPLE_SECONDS = 60.0


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings
    runner = MigrationRunner(runtime.pool, "session", MIGRATIONS)
    metrics = PromSessionMetrics(runtime.registry)
    live = RedisLiveState(runtime.redis)
    directory = tenant_directory(runtime.channels, settings.tenant_cache_ttl_seconds, runtime.invalidation,
                                 runtime.registry)
    session_store = PgSessionStore(runtime.pool)
    revocation = Revocation(live, PgRevocationStore(runtime.pool), runner, metrics)
    sessions = Sessions(live, session_store, revocation, directory, metrics)
    tasks: list[asyncio.Task[None]] = []

    async def sample_active_sessions() -> None:
        while True:
            total = 0
            for tenant_id in await runner.tenant_ids():
                with contextlib.suppress(Exception):
                    total += await session_store.count_live(tenant_id, utcnow())
            metrics.active.set(total)
            await asyncio.sleep(ACTIVE_SAMPLE_SECONDS)

    async def on_ready() -> None:
        if settings.migrate_on_start:
            await runner.start()
        tasks.append(asyncio.create_task(sample_active_sessions()))

    async def on_stop() -> None:
        for task in tasks:
            task.cancel()

    async def purge_budgets(tenant_id: str) -> int:
        return await purge_keys(runtime.redis, tenant_scan_pattern(tenant_id),
                                lambda key: is_tenant_budget(key, tenant_id))

    # Deleting a tenant leaves nothing in Redis for a new tenant with the same id to inherit.
    internal = SessionInternalServicer(sessions, revocation, ProvisioningHandler(
        runner, on_deprovisioned=in_order(live.purge_tenant, purge_budgets)))
    credentials = grpc_credential_verifier(runtime.channels, runtime.invalidation)
    public = SessionServicer(sessions, credentials, directory, settings.base_domain)
    return ServiceParts(
        registrations=[
            lambda s: internal_grpc.add_SessionInternalServiceServicer_to_server(internal, s),
            lambda s: public_grpc.add_SessionServiceServicer_to_server(public, s),
        ],
        service_names=SERVICE_NAMES,
        on_ready=[on_ready],
        on_stop=[on_stop],
        rate_limits=rate_limit_gate(runtime, directory, runtime.analytics),
    )
