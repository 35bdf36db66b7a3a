"""The provisioning RPCs that identity, token and session each serve for the tenant
service: the same behaviour behind three generated servicer classes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.common.context import bind
from services.common.migrations import MigrationRunner
from services.common.tenancy import require_tenant_id

TenantStep = Callable[[str], Awaitable[object]]


def in_order(*steps: TenantStep) -> Callable[[str], Awaitable[None]]:
    """One on_provisioned/on_deprovisioned hook that runs `steps` one after the other."""

    async def run(tenant_id: str) -> None:
        for step in steps:
            await step(tenant_id)

    return run


class ProvisioningHandler:
    """Creates and drops a tenant's schema; both idempotent and safe to retry."""

    def __init__(self, runner: MigrationRunner,
                 on_provisioned: Callable[[str], Awaitable[None]] | None = None,
                 on_deprovisioned: Callable[[str], Awaitable[object]] | None = None) -> None:
        self._runner = runner
        self._on_provisioned = on_provisioned
        self._on_deprovisioned = on_deprovisioned

    async def provision(self, tenant_id: str) -> tuple[str, int]:
        """Schema and migrations, then the service's own per-tenant set-up (for example the
        token service's signing keys); every step is idempotent, so a retry completes it."""
        require_tenant_id(tenant_id)
        bind(tenant_id=tenant_id)
        schema, version = await self._runner.migrate_tenant(tenant_id)
        if self._on_provisioned is not None:
            await self._on_provisioned(tenant_id)
        return schema, version

    async def deprovision(self, tenant_id: str) -> bool:
        require_tenant_id(tenant_id)
        bind(tenant_id=tenant_id)
        existed = await self._runner.drop_tenant(tenant_id)
        if self._on_deprovisioned is not None:
            # What the service keeps about the tenant outside its schema (idempotent too):
            # its Redis keys and in-process caches on every replica, so that a tenant created
            # again with the same id inherits nothing (no counters, sessions, keys, clients).
            await self._on_deprovisioned(tenant_id)
        return existed


class ProvisioningRpcs:
    """Mixin: ProvisionTenant/DeprovisionTenant for a service's internal servicer. Set
    `_provisioning` (the handler) and `_messages` (the generated *_pb2 module)."""

    _provisioning: ProvisioningHandler
    _messages: Any

    async def ProvisionTenant(self, request: Any, context: Any) -> Any:
        schema, version = await self._provisioning.provision(request.tenant_id)
        return self._messages.ProvisionTenantResponse(schema=schema, schema_version=version)

    async def DeprovisionTenant(self, request: Any, context: Any) -> Any:
        existed = await self._provisioning.deprovision(request.tenant_id)
        return self._messages.DeprovisionTenantResponse(existed=existed)


def provisioning_servicer(base: type, handler: ProvisioningHandler, messages: Any) -> Any:
    """A servicer of a generated `<Service>InternalServiceServicer` base that serves only the
    provisioning RPCs (messages: the generated *_pb2 module with their request/response types)."""

    class _Servicer(ProvisioningRpcs, base):  # type: ignore[misc]
        def __init__(self) -> None:
            self._provisioning = handler
            self._messages = messages

    return _Servicer()
