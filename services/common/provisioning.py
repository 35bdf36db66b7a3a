"""The provisioning RPCs that identity, token and session each serve for the tenant
service: the same behaviour behind three generated servicer classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from grpc import aio

from services.common.context import bind
from services.common.migrations import MigrationRunner
from services.common.server import Runtime, ServiceParts
from services.common.tenancy import require_tenant_id


class _ProvisionReply(Protocol):
    def __call__(self, *, schema: str, schema_version: int) -> Any: ...


class _DeprovisionReply(Protocol):
    def __call__(self, *, existed: bool) -> Any: ...


class ProvisioningHandler:
    """Creates and drops a tenant's schema; both idempotent and safe to retry."""

    def __init__(self, runner: MigrationRunner) -> None:
        self._runner = runner

    async def provision(self, tenant_id: str) -> tuple[str, int]:
        require_tenant_id(tenant_id)
        bind(tenant_id=tenant_id)
        return await self._runner.migrate_tenant(tenant_id)

    async def deprovision(self, tenant_id: str) -> bool:
        require_tenant_id(tenant_id)
        bind(tenant_id=tenant_id)
        return await self._runner.drop_tenant(tenant_id)


def provisioning_servicer(
    base: type, handler: ProvisioningHandler, provision_reply: _ProvisionReply,
    deprovision_reply: _DeprovisionReply,
) -> Any:
    """Builds a servicer for a generated `<Service>InternalServiceServicer` base whose
    ProvisionTenant/DeprovisionTenant messages share the field names of the protos."""

    class _Servicer(base):  # type: ignore[misc]
        async def ProvisionTenant(self, request: Any, context: aio.ServicerContext) -> Any:
            schema, version = await handler.provision(request.tenant_id)
            return provision_reply(schema=schema, schema_version=version)

        async def DeprovisionTenant(self, request: Any, context: aio.ServicerContext) -> Any:
            return deprovision_reply(existed=await handler.deprovision(request.tenant_id))

    return _Servicer()


def provisioning_parts(
    runtime: Runtime, service: str, migrations: Path, base: type, add_to_server: Any, messages: Any,
    service_names: list[str],
) -> tuple[MigrationRunner, ServiceParts]:
    """The migration runner and ServiceParts of a service whose only RPCs so far are its
    provisioning ones (identity, token and session start out this way)."""
    runner = MigrationRunner(runtime.pool, service, migrations)
    servicer = provisioning_servicer(
        base, ProvisioningHandler(runner), messages.ProvisionTenantResponse, messages.DeprovisionTenantResponse
    )

    async def migrate() -> None:
        if runtime.settings.migrate_on_start:
            await runner.migrate_all()

    parts = ServiceParts(
        registrations=[lambda server: add_to_server(servicer, server)],
        service_names=service_names,
        on_ready=[migrate],
    )
    return runner, parts
