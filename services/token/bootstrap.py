"""Composition root of the token service."""

from __future__ import annotations

from pathlib import Path

from binoauth.token.v1 import oauth_service_pb2_grpc as oauth_grpc
from binoauth.token.v1 import signing_key_service_pb2_grpc as keys_grpc
from binoauth.token.v1 import token_internal_service_pb2 as internal_pb
from binoauth.token.v1 import token_internal_service_pb2_grpc as internal_grpc
from services.common.crypto import SecretBox
from services.common.csrf import CsrfTokens, derive_key
from services.common.directory import grpc_credential_verifier, tenant_directory
from services.common.failures import RedisFailureCounter
from services.common.migrations import MigrationRunner
from services.common.outbound import OutboundPolicy
from services.common.provisioning import ProvisioningHandler, provisioning_servicer
from services.common.server import Runtime, ServiceParts
from services.common.tokens import AccessTokenVerifier
from services.token.applications.wiring import build_applications
from services.token.keys.servicer import SigningKeyServicer
from services.token.keys.store import PgSigningKeyStore
from services.token.keys.usecases import KEYS_TOPIC, SigningKeys
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.client_assertions import ClientAssertions
from services.token.oauth.client_key_sets import FetchedKeySets
from services.token.oauth.consents import ConsentUseCases
from services.token.oauth.cors import CorsPolicy
from services.token.oauth.device import DEVICE_CODE_GRANT, DeviceFlow
from services.token.oauth.device_store import PgDeviceStore
from services.token.oauth.endpoints import OAuthEndpoints
from services.token.oauth.events import EventReporter
from services.token.oauth.flows import AUTHORIZATION_CODE, REFRESH_TOKEN, AuthorizationFlows
from services.token.oauth.grants_store import PgGrantStore
from services.token.oauth.logout import EndSessionFlow
from services.token.oauth.platform import PlatformGateway
from services.token.oauth.servicer import OAuthServicer
from services.token.oauth.support import LocalJwks, PromOAuthMetrics, RedisReplayGuard, Revocation

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.token.v1.TokenInternalService", "binoauth.token.v1.SigningKeyService",
                 "binoauth.token.v1.OAuthService"]


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings
    runner = MigrationRunner(runtime.pool, "token", MIGRATIONS)
    # Signing keys are sealed with the key-encryption key: the service does not start without one.
    keys = SigningKeys(PgSigningKeyStore(runtime.pool), SecretBox(settings.key_encryption_key, "signing-keys"),
                       notify=runtime.invalidation.publish)
    runtime.invalidation.subscribe(KEYS_TOPIC, keys.forget)
    directory = tenant_directory(runtime.channels, settings.tenant_cache_ttl_seconds, runtime.invalidation)
    internal = provisioning_servicer(internal_grpc.TokenInternalServiceServicer,
                                     ProvisioningHandler(runner, on_provisioned=keys.ensure), internal_pb)
    credentials = grpc_credential_verifier(runtime.channels, runtime.invalidation)
    metrics = PromOAuthMetrics(runtime.registry)
    signing = SigningKeyServicer(keys, directory, credentials, settings.base_domain, on_rotated=metrics.key_rotated)
    applications = build_applications(runtime, directory, credentials)
    revocation = Revocation(runtime.redis, runtime.channels)
    issuer = AccessTokenIssuer(keys)
    verifier = AccessTokenVerifier(LocalJwks(keys), revocation=revocation.is_revoked)
    platform = PlatformGateway(runtime.channels)
    grants = PgGrantStore(runtime.pool)
    csrf = CsrfTokens(derive_key(settings.key_encryption_key))
    secure = settings.public_url.startswith("https://")
    reporter = EventReporter(runtime.channels)
    key_sets = FetchedKeySets(OutboundPolicy(allow_private=settings.outbound_allow_private))
    assertions = ClientAssertions(RedisReplayGuard(runtime.redis), key_sets)
    endpoints = OAuthEndpoints(applications.use_cases, issuer, verifier, revocation.revoke, metrics,
                               settings.issuer_for, assertions, reporter)
    flows = AuthorizationFlows(endpoints, applications.use_cases, grants, keys, issuer, verifier, platform,
                               runtime.redis, revocation.revoke, csrf, secure, reporter,
                               count=metrics.authorization)
    endpoints.register_grant(AUTHORIZATION_CODE, flows.token)
    endpoints.register_grant(REFRESH_TOKEN, flows.token)
    endpoints.register_refresh_revoker(flows.revoke_refresh)
    logout = EndSessionFlow(endpoints, applications.use_cases, keys, platform, secure)
    consents = ConsentUseCases(grants, applications.use_cases, platform, reporter)
    device = DeviceFlow(endpoints, applications.use_cases, PgDeviceStore(runtime.pool), flows.issue_tokens, platform,
                        RedisFailureCounter(runtime.redis, "device-code"), csrf, secure)
    endpoints.register_grant(DEVICE_CODE_GRANT, device.token)
    oauth = OAuthServicer(endpoints, flows, directory, settings.base_domain, CorsPolicy(applications.use_cases),
                          logout=logout, consents=consents, device=device)

    async def on_ready() -> None:
        if settings.migrate_on_start:
            await runner.migrate_all()

    return ServiceParts(
        registrations=[
            lambda s: internal_grpc.add_TokenInternalServiceServicer_to_server(internal, s),
            lambda s: keys_grpc.add_SigningKeyServiceServicer_to_server(signing, s),
            applications.registration,
            lambda s: oauth_grpc.add_OAuthServiceServicer_to_server(oauth, s),
        ],
        service_names=[*SERVICE_NAMES, applications.service_name],
        on_ready=[on_ready],
        on_stop=[reporter.drain],
    )
