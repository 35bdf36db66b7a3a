"""The gRPC surface: errors carry google.rpc.Status with an ErrorInfo reason, health and
provisioning behave as the tenant service and Kubernetes probes rely on."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path

import asyncpg
import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from binoauth.identity.v1 import identity_internal_service_pb2 as identity_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as identity_grpc
from binoauth.tenant.v1 import tenant_internal_service_pb2 as internal_pb
from binoauth.tenant.v1 import tenant_internal_service_pb2_grpc as internal_grpc
from binoauth.tenant.v1 import tenant_pb2
from binoauth.tenant.v1 import tenant_service_pb2 as tenant_pb
from binoauth.tenant.v1 import tenant_service_pb2_grpc as tenant_grpc
from services.common.errors import error_info
from services.common.server import ServiceServer
from tests.integration.conftest import Services, service_settings
from tools.devstack import PostgresServer, RedisServer, free_port

pytestmark = pytest.mark.integration


def reason_of(error: aio.AioRpcError) -> str:
    details = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    assert isinstance(details, bytes), "every error carries google.rpc.Status details"
    info = error_info(details)
    assert info is not None
    return str(info.reason)


async def test_errors_carry_error_info_reasons(services: Services) -> None:
    async with aio.insecure_channel(services.target("tenant")) as channel:
        stub = tenant_grpc.TenantServiceStub(channel)
        with pytest.raises(aio.AioRpcError) as missing:
            await stub.GetTenant(tenant_pb.GetTenantRequest(tenant_id="acme"))
        assert missing.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert reason_of(missing.value) == "CREDENTIAL_MISSING"

        auth = (("authorization", f"Bearer {services.bootstrap_api_key}"),)
        with pytest.raises(aio.AioRpcError) as bad:
            await stub.CreateTenant(tenant_pb.CreateTenantRequest(tenant=tenant_pb2.Tenant(tenant_id="Bad!")),
                                    metadata=auth)
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert reason_of(bad.value) == "INVALID_TENANT_ID"
        # Only gateway requests get the REST envelope in trailers.
        assert "x-error-json" not in dict(bad.value.trailing_metadata() or ())

        with pytest.raises(aio.AioRpcError) as absent:
            await stub.GetTenant(tenant_pb.GetTenantRequest(tenant_id="no-such-tenant"), metadata=auth)
        assert absent.value.code() == grpc.StatusCode.NOT_FOUND
        assert reason_of(absent.value) == "TENANT_NOT_FOUND"


async def test_create_over_grpc_provisions_and_resolves(services: Services) -> None:
    tenant_id = f"grpc-{secrets.token_hex(3)}"
    auth = (("authorization", f"Bearer {services.bootstrap_api_key}"),)
    async with aio.insecure_channel(services.target("tenant")) as channel:
        created = await tenant_grpc.TenantServiceStub(channel).CreateTenant(
            tenant_pb.CreateTenantRequest(tenant=tenant_pb2.Tenant(tenant_id=tenant_id)), metadata=auth)
        assert created.state == tenant_pb2.TENANT_STATE_ACTIVE
        resolved = await internal_grpc.TenantInternalServiceStub(channel).ResolveTenant(
            internal_pb.ResolveTenantRequest(host=f"{tenant_id}.localhost"))
        assert resolved.tenant.tenant_id == tenant_id
        principal = await internal_grpc.TenantInternalServiceStub(channel).AuthenticateCredential(
            internal_pb.AuthenticateCredentialRequest(credential=services.bootstrap_api_key))
        assert principal.principal.tenant_id == "" and "tenants:write" in principal.principal.scopes


async def test_provisioning_is_idempotent_and_deprovisioning_removes_data(services: Services) -> None:
    tenant_id = f"prov-{secrets.token_hex(3)}"
    async with aio.insecure_channel(services.target("identity")) as channel:
        stub = identity_grpc.IdentityInternalServiceStub(channel)
        first = await stub.ProvisionTenant(identity_pb.ProvisionTenantRequest(tenant_id=tenant_id))
        again = await stub.ProvisionTenant(identity_pb.ProvisionTenantRequest(tenant_id=tenant_id))
        assert first.schema == again.schema == f"identity_t_{tenant_id}"
        assert first.schema_version == again.schema_version >= 1
        conn = await asyncpg.connect(services.database_url)
        try:
            await conn.execute(f'INSERT INTO "identity_t_{tenant_id}".users (user_id, email) VALUES ($1, $2)',
                               "u1", "a@example.com")
            gone = await stub.DeprovisionTenant(identity_pb.DeprovisionTenantRequest(tenant_id=tenant_id))
            assert gone.existed is True
            assert not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                                           f"identity_t_{tenant_id}")
        finally:
            await conn.close()
        twice = await stub.DeprovisionTenant(identity_pb.DeprovisionTenantRequest(tenant_id=tenant_id))
        assert twice.existed is False
        with pytest.raises(aio.AioRpcError) as bad:
            await stub.ProvisionTenant(identity_pb.ProvisionTenantRequest(tenant_id='x"; drop schema public; --'))
        assert reason_of(bad.value) == "INVALID_TENANT_ID"


async def test_health_is_not_serving_until_the_database_answers(
    server_dir: Callable[[str], Path], redis_server: RedisServer
) -> None:
    from services.session.bootstrap import build

    port = free_port()
    server = ServiceServer(service_settings("session", f"postgresql://postgres@127.0.0.1:{port}/postgres",
                                            redis_server.url), build)
    await server.start()
    postgres = PostgresServer(server_dir("late-pg") / "data", port, durable=False)
    try:
        async with aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            reply = await health.Check(health_pb2.HealthCheckRequest(service=""))
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
            postgres.start()
            await server.wait_ready()
            named = health_pb2.HealthCheckRequest(service="binoauth.session.v1.SessionInternalService")
            reply = await health.Check(named)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
            await server.stop(drain=False)
    finally:
        postgres.stop()


async def test_a_lost_database_is_unavailable_not_internal_and_the_service_recovers(
    server_dir: Callable[[str], Path], redis_server: RedisServer
) -> None:
    from binoauth.session.v1 import session_internal_service_pb2 as session_pb
    from binoauth.session.v1 import session_internal_service_pb2_grpc as session_grpc
    from services.session.bootstrap import build

    postgres = PostgresServer(server_dir("lost-pg") / "data", free_port(), durable=False)
    postgres.start()
    server = ServiceServer(service_settings("session", postgres.dsn, redis_server.url), build)
    try:
        await server.start()
        await server.wait_ready()
        async with aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = session_grpc.SessionInternalServiceStub(channel)
            request = session_pb.ProvisionTenantRequest(tenant_id=f"lost-{secrets.token_hex(3)}")
            await stub.ProvisionTenant(request)
            postgres.stop()
            with pytest.raises(aio.AioRpcError) as lost:
                await stub.ProvisionTenant(request)
            # Callers (and the gateway's retry policy) treat UNAVAILABLE as "try again".
            assert lost.value.code() == grpc.StatusCode.UNAVAILABLE
            assert reason_of(lost.value) == "DEPENDENCY_UNAVAILABLE"
            postgres.start()
            deadline = asyncio.get_running_loop().time() + 20
            while True:
                try:
                    reply = await stub.ProvisionTenant(request)
                    break
                except aio.AioRpcError as error:
                    assert error.code() == grpc.StatusCode.UNAVAILABLE
                    assert asyncio.get_running_loop().time() < deadline, "the pool reconnects"
                    await asyncio.sleep(0.2)
            assert reply.schema
        await server.stop(drain=False)
    finally:
        postgres.stop()


async def test_other_services_resolve_tenants_and_credentials_through_the_directory(services: Services) -> None:
    from services.common.clients import ServiceChannels
    from services.common.directory import TenantDirectory, grpc_credential_verifier, grpc_tenant_resolver
    from services.common.tenancy import TenantSelection

    tenant_id = f"dir-{secrets.token_hex(3)}"
    auth = (("authorization", f"Bearer {services.bootstrap_api_key}"),)
    channels = ServiceChannels({"tenant": services.target("tenant")})
    try:
        async with aio.insecure_channel(services.target("tenant")) as channel:
            await tenant_grpc.TenantServiceStub(channel).CreateTenant(
                tenant_pb.CreateTenantRequest(tenant=tenant_pb2.Tenant(tenant_id=tenant_id)), metadata=auth)
        directory = TenantDirectory(grpc_tenant_resolver(channels), ttl_seconds=5)
        found = await directory.select([TenantSelection("custom_domain", host="nobody.example.com"),
                                        TenantSelection("header", tenant_id=tenant_id)])
        assert found.tenant_id == tenant_id and found.active
        assert found.settings["password_policy"]["min_length"] == 8
        assert await directory.lookup(tenant_id="missing-tenant") is None

        verifier = grpc_credential_verifier(channels)
        principal = await verifier.authenticate(services.bootstrap_api_key)
        assert principal.is_platform and "tenants:write" in principal.scopes
        with pytest.raises(Exception) as bad:
            await verifier.authenticate("bino_wrong")
        assert "CREDENTIAL_INVALID" in str(bad.value)
    finally:
        await channels.close()
