"""Composition root of the tenant service: settings → stores → use cases → servicers."""

from __future__ import annotations

import os
from pathlib import Path

from binoauth.tenant.v1 import (
    admin_user_service_pb2_grpc as admin_grpc,
)
from binoauth.tenant.v1 import (
    api_key_service_pb2_grpc as key_grpc,
)
from binoauth.tenant.v1 import (
    tenant_internal_service_pb2_grpc as internal_grpc,
)
from binoauth.tenant.v1 import (
    tenant_service_pb2_grpc as tenant_grpc,
)
from services.common.failures import RedisFailureCounter
from services.common.migrations import MigrationRunner
from services.common.passwords import PasswordHashing
from services.common.ratelimit import rate_limit_gate
from services.common.server import Runtime, ServiceParts
from services.tenant.console import ConsoleTimeouts
from services.tenant.directory import local_tenant_directory
from services.tenant.logos import PgLogoStore
from services.tenant.ports import Provisioner
from services.tenant.provisioner import GrpcProvisioner
from services.tenant.servicers import (
    AdminUserServicer,
    ApiKeyServicer,
    TenantInternalServicer,
    TenantServicer,
)
from services.tenant.store import PgAdminStore, PgApiKeyStore, PgConsoleSessionStore, PgTenantStore
from services.tenant.usecases import CredentialUseCases, TenantUseCases

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = [
    "binoauth.tenant.v1.TenantService",
    "binoauth.tenant.v1.ApiKeyService",
    "binoauth.tenant.v1.AdminUserService",
    "binoauth.tenant.v1.TenantInternalService",
]


def build(runtime: Runtime, provisioner: Provisioner | None = None) -> ServiceParts:
    settings = runtime.settings
    tenants_store = PgTenantStore(runtime.pool)
    passwords = PasswordHashing()
    notify = runtime.invalidation.publish
    tenants = TenantUseCases(tenants_store, provisioner or GrpcProvisioner(runtime.channels), settings.base_domain,
                             notify=notify, logos=PgLogoStore(runtime.pool))
    credentials = CredentialUseCases(
        PgApiKeyStore(runtime.pool), PgAdminStore(runtime.pool), tenants_store, passwords,
        RedisFailureCounter(runtime.redis, "admin-login"), notify=notify,
        console=PgConsoleSessionStore(runtime.pool), console_timeouts=ConsoleTimeouts.from_env(os.environ),
    )
    # As for end users' session cookie (services/identity/bootstrap.py): Secure behind https.
    secure = settings.public_url.startswith("https://")
    runner = MigrationRunner(runtime.pool, "tenant", MIGRATIONS)

    async def on_ready() -> None:
        if settings.migrate_on_start:
            await runner.start()
        if settings.bootstrap_api_key:
            await credentials.bootstrap(settings.bootstrap_api_key.reveal())

    async def on_stop() -> None:
        passwords.close()

    return ServiceParts(
        registrations=[
            lambda s: tenant_grpc.add_TenantServiceServicer_to_server(
                TenantServicer(tenants, credentials, settings), s),
            lambda s: key_grpc.add_ApiKeyServiceServicer_to_server(ApiKeyServicer(credentials), s),
            lambda s: admin_grpc.add_AdminUserServiceServicer_to_server(AdminUserServicer(credentials, secure), s),
            lambda s: internal_grpc.add_TenantInternalServiceServicer_to_server(
                TenantInternalServicer(tenants, credentials, settings), s),
        ],
        service_names=SERVICE_NAMES,
        on_ready=[on_ready],
        on_stop=[on_stop],
        rate_limits=rate_limit_gate(runtime, local_tenant_directory(runtime, tenants), runtime.analytics),
    )
