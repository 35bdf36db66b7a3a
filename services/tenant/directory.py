"""The tenant service's own TenantDirectory: what other services ask it over gRPC, read from
its store in process (its rate limits need a tenant's settings on every request)."""

from __future__ import annotations

from services.common.directory import Resolve, TenantDirectory, TenantInfo, cached_tenant_directory, tenant_info
from services.common.errors import dependency_failure
from services.common.server import Runtime
from services.tenant import mapping
from services.tenant.usecases import TenantUseCases


def local_tenant_directory(runtime: Runtime, tenants: TenantUseCases) -> TenantDirectory:
    settings = runtime.settings

    async def resolve(tenant_id: str, host: str) -> TenantInfo:
        try:
            tenant = await tenants.resolve(tenant_id, host)
        except Exception as error:
            # As over gRPC: a store that cannot answer is Unavailable, which the directory
            # answers from its stale entry (stale-if-error) instead of failing the request.
            unavailable = dependency_failure(error)
            if unavailable is None:
                raise
            raise unavailable from None
        return tenant_info(mapping.tenant_to_proto(tenant, settings.issuer_for(tenant.tenant_id)))

    local: Resolve = resolve
    return cached_tenant_directory(local, settings.tenant_cache_ttl_seconds, runtime.invalidation, runtime.registry)
