"""The identity service's internal RPCs (what the token service relies on) and its admin
gRPC API, in-process against real PostgreSQL and Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import grpc
import pytest
from grpc import aio

from binoauth.identity.v1 import identity_internal_service_pb2 as internal_pb
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as internal_grpc
from binoauth.identity.v1 import user_admin_service_pb2 as admin_pb
from binoauth.identity.v1 import user_admin_service_pb2_grpc as admin_grpc
from binoauth.identity.v1 import user_pb2
from binoauth.tenant.v1 import tenant_pb2
from binoauth.tenant.v1 import tenant_service_pb2 as tenant_pb
from binoauth.tenant.v1 import tenant_service_pb2_grpc as tenant_grpc
from services.common.errors import error_info
from services.common.server import ServiceServer
from tests.integration.conftest import Services, service_settings

pytestmark = pytest.mark.integration


def reason_of(error: aio.AioRpcError) -> str:
    details = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    assert isinstance(details, bytes), "every error carries google.rpc.Status details"
    info = error_info(details)
    assert info is not None
    return str(info.reason)


@pytest.fixture(scope="module")
async def identity_target(services: Services) -> AsyncIterator[str]:
    """An identity replica wired to the in-process tenant and session services.

    The `services` fixture starts identity before tenant, so its identity server looks for the
    tenant service at the default address (127.0.0.1:50051) and cannot resolve tenants or API
    keys; this second replica shares the same database and knows the real addresses."""
    from services.identity.bootstrap import build

    addresses = {f"BINOAUTH_{n.upper()}_ADDR": services.target(n) for n in ("tenant", "session", "token")}
    server = ServiceServer(service_settings("identity", services.database_url,
                                            _redis_url(services), **addresses), build)
    await server.start()
    await server.wait_ready()
    yield f"127.0.0.1:{server.port}"
    await server.stop(drain=False)


def _redis_url(services: Services) -> str:
    return services.servers["identity"].settings.redis_url.reveal()


@pytest.fixture(scope="module")
async def tenant_id(services: Services) -> str:
    tenant = f"idint-{secrets.token_hex(3)}"
    async with aio.insecure_channel(services.target("tenant")) as channel:
        created = await tenant_grpc.TenantServiceStub(channel).CreateTenant(
            tenant_pb.CreateTenantRequest(tenant=tenant_pb2.Tenant(tenant_id=tenant, display_name="Internal")),
            metadata=(("authorization", f"Bearer {services.bootstrap_api_key}"),))
    assert created.state == tenant_pb2.TENANT_STATE_ACTIVE
    return tenant


async def test_claims_and_activity_follow_the_admin_api(services: Services, identity_target: str,
                                                       tenant_id: str) -> None:
    admin_md = (("authorization", f"Bearer {services.bootstrap_api_key}"), ("x-tenant-id", tenant_id))
    email = f"claims-{secrets.token_hex(3)}@example.com"
    async with aio.insecure_channel(identity_target) as channel:
        admin = admin_grpc.UserAdminServiceStub(channel)
        internal = internal_grpc.IdentityInternalServiceStub(channel)
        user = await admin.CreateUser(admin_pb.CreateUserRequest(
            user=user_pb2.User(email=email, name="Grace Hopper", given_name="Grace", family_name="Hopper",
                               locale="en-US", phone_number="+14155550123"),
            password="a long enough passphrase", email_verified=True), metadata=admin_md)
        assert user.user_id.startswith("usr_") and user.state == user_pb2.USER_STATE_ACTIVE

        claims = await internal.GetUserClaims(internal_pb.GetUserClaimsRequest(tenant_id=tenant_id,
                                                                               user_id=user.user_id))
        assert claims.user.user_id == user.user_id
        assert claims.user.email == email and claims.user.email_verified is True
        assert (claims.user.name, claims.user.given_name, claims.user.family_name, claims.user.locale) == (
            "Grace Hopper", "Grace", "Hopper", "en-US")
        assert claims.user.phone_number == "+14155550123" and claims.user.phone_verified is False
        active = await internal.CheckUserActive(internal_pb.CheckUserActiveRequest(tenant_id=tenant_id,
                                                                                   user_id=user.user_id))
        assert active.active is True

        disabled = await admin.DisableUser(admin_pb.DisableUserRequest(user_id=user.user_id), metadata=admin_md)
        assert disabled.state == user_pb2.USER_STATE_DISABLED
        after = await internal.CheckUserActive(internal_pb.CheckUserActiveRequest(tenant_id=tenant_id,
                                                                                  user_id=user.user_id))
        assert after.active is False
        # Claims are still readable (the token service decides what to do with a disabled user).
        still = await internal.GetUserClaims(internal_pb.GetUserClaimsRequest(tenant_id=tenant_id,
                                                                              user_id=user.user_id))
        assert still.user.state == user_pb2.USER_STATE_DISABLED

        await admin.EnableUser(admin_pb.EnableUserRequest(user_id=user.user_id), metadata=admin_md)
        assert (await internal.CheckUserActive(internal_pb.CheckUserActiveRequest(
            tenant_id=tenant_id, user_id=user.user_id))).active is True

        await admin.DeleteUser(admin_pb.DeleteUserRequest(user_id=user.user_id), metadata=admin_md)
        gone = await internal.CheckUserActive(internal_pb.CheckUserActiveRequest(tenant_id=tenant_id,
                                                                                 user_id=user.user_id))
        assert gone.active is False


async def test_admin_api_needs_a_credential(identity_target: str, tenant_id: str) -> None:
    async with aio.insecure_channel(identity_target) as channel:
        with pytest.raises(aio.AioRpcError) as missing:
            await admin_grpc.UserAdminServiceStub(channel).ListUsers(
                admin_pb.ListUsersRequest(), metadata=(("x-tenant-id", tenant_id),))
    assert missing.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert reason_of(missing.value) == "CREDENTIAL_MISSING"


async def test_unknown_user_is_not_found(identity_target: str, tenant_id: str) -> None:
    async with aio.insecure_channel(identity_target) as channel:
        internal = internal_grpc.IdentityInternalServiceStub(channel)
        for user_id in ("usr_000000000000000000000000", "x" * 65):
            with pytest.raises(aio.AioRpcError) as error:
                await internal.GetUserClaims(internal_pb.GetUserClaimsRequest(tenant_id=tenant_id, user_id=user_id))
            assert error.value.code() == grpc.StatusCode.NOT_FOUND
            assert reason_of(error.value) == "USER_NOT_FOUND"
            inactive = await internal.CheckUserActive(internal_pb.CheckUserActiveRequest(tenant_id=tenant_id,
                                                                                         user_id=user_id))
            assert inactive.active is False


async def test_unknown_tenant_is_not_found(identity_target: str) -> None:
    async with aio.insecure_channel(identity_target) as channel:
        with pytest.raises(aio.AioRpcError) as error:
            await internal_grpc.IdentityInternalServiceStub(channel).GetUserClaims(
                internal_pb.GetUserClaimsRequest(tenant_id="no-such-tenant", user_id="usr_1"))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert reason_of(error.value) == "TENANT_NOT_FOUND"


@pytest.mark.parametrize("bad_tenant", ["", "Bad Tenant!", "x" * 200])
async def test_invalid_tenant_id_is_invalid_argument(identity_target: str, bad_tenant: str) -> None:
    async with aio.insecure_channel(identity_target) as channel:
        internal = internal_grpc.IdentityInternalServiceStub(channel)
        for call in (
            internal.GetUserClaims(internal_pb.GetUserClaimsRequest(tenant_id=bad_tenant, user_id="usr_1")),
            internal.CheckUserActive(internal_pb.CheckUserActiveRequest(tenant_id=bad_tenant, user_id="usr_1")),
        ):
            with pytest.raises(aio.AioRpcError) as error:
                await call
            assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT, error.value.details()
            assert reason_of(error.value) == "INVALID_TENANT_ID"



async def test_reported_events_are_listed_and_unknown_types_refused(services: Services, identity_target: str,
                                                                     tenant_id: str) -> None:
    from binoauth.identity.v1 import event_service_pb2 as event_pb
    from binoauth.identity.v1 import event_service_pb2_grpc as event_grpc

    admin_md = (("authorization", f"Bearer {services.bootstrap_api_key}"), ("x-tenant-id", tenant_id))
    async with aio.insecure_channel(identity_target) as channel:
        internal = internal_grpc.IdentityInternalServiceStub(channel)
        await internal.RecordEvent(internal_pb.RecordEventRequest(
            tenant_id=tenant_id, type="REFRESH_TOKEN_REUSED", user_id="usr_x", ip_address="198.51.100.4",
            user_agent="agent/1", details={"client_id": "app_y"}))
        with pytest.raises(aio.AioRpcError) as unknown:
            await internal.RecordEvent(internal_pb.RecordEventRequest(tenant_id=tenant_id, type="MADE_UP"))
        assert unknown.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert reason_of(unknown.value) == "INVALID_EVENT_TYPE"
        with pytest.raises(aio.AioRpcError) as bad_tenant:
            await internal.RecordEvent(internal_pb.RecordEventRequest(tenant_id="Bad Tenant", type="CONSENT_GRANTED"))
        assert reason_of(bad_tenant.value) == "INVALID_TENANT_ID"

        listed = await event_grpc.EventServiceStub(channel).ListEvents(
            event_pb.ListEventsRequest(type="REFRESH_TOKEN_REUSED"), metadata=admin_md)
        [event] = listed.events
        assert (event.user_id, event.ip_address, event.user_agent, dict(event.details)) == (
            "usr_x", "198.51.100.4", "agent/1", {"client_id": "app_y"})
