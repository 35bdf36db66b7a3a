"""Composition root of the token service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from binoauth.token.v1 import oauth_service_pb2_grpc as oauth_grpc
from binoauth.token.v1 import signing_key_service_pb2_grpc as keys_grpc
from binoauth.token.v1 import token_internal_service_pb2 as internal_pb
from binoauth.token.v1 import token_internal_service_pb2_grpc as internal_grpc
from services.common.crypto import SecretBox
from services.common.csrf import CsrfTokens, derive_key
from services.common.directory import grpc_credential_verifier, tenant_directory
from services.common.failures import RedisFailureCounter
from services.common.form_targets import FormTargets
from services.common.form_targets import derive_key as form_target_key
from services.common.migrations import MigrationRunner
from services.common.outbound import OutboundPolicy
from services.common.pages.logos import LogoSource
from services.common.provisioning import ProvisioningHandler, in_order, provisioning_servicer
from services.common.ratelimit import rate_limit_gate
from services.common.server import Runtime, ServiceParts
from services.common.timestamps import utcnow
from services.common.tokens import AccessTokenVerifier
from services.token.applications.usecases import ApplicationUseCases
from services.token.applications.wiring import build_applications
from services.token.keys.ages import KeyAgeMetrics
from services.token.keys.servicer import SigningKeyServicer
from services.token.keys.store import PgSigningKeyStore
from services.token.keys.usecases import KEYS_TOPIC, SigningKeys
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.app_logos import ApplicationLogos
from services.token.oauth.authorize import AuthorizationEndpoint
from services.token.oauth.client_assertions import ClientAssertions
from services.token.oauth.client_auth import ClientAuthenticator
from services.token.oauth.client_key_sets import FetchedKeySets
from services.token.oauth.consents import ConsentUseCases
from services.token.oauth.cors import CorsPolicy
from services.token.oauth.device import DeviceFlow
from services.token.oauth.device_store import PgDeviceStore
from services.token.oauth.discovery import Discovery
from services.token.oauth.events import EventReporter
from services.token.oauth.grants.authorization_code import AuthorizationCodeGrant
from services.token.oauth.grants.client_credentials import ClientCredentialsGrant
from services.token.oauth.grants.device_code import DeviceCodeGrant
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.grants.refresh_token import RefreshTokenGrant
from services.token.oauth.grants_store import PgGrantStore
from services.token.oauth.introspection import IntrospectionEndpoint
from services.token.oauth.issuer import TokenIssuer
from services.token.oauth.logout import EndSessionFlow
from services.token.oauth.platform import PlatformGateway
from services.token.oauth.revocation import RevocationEndpoint
from services.token.oauth.servicer import OAuthParts, OAuthServicer
from services.token.oauth.support import (
    DEVICE_CODE_FAILURES,
    LocalJwks,
    PromOAuthMetrics,
    RedisReplayGuard,
    Revocation,
    purge_tenant_keys,
)
from services.token.oauth.token_endpoint import TokenEndpoint
from services.token.oauth.userinfo import UserInfoEndpoint

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = ["binoauth.token.v1.TokenInternalService", "binoauth.token.v1.SigningKeyService",
                 "binoauth.token.v1.OAuthService"]


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings
    runner = MigrationRunner(runtime.pool, "token", MIGRATIONS)
    # Signing keys are sealed with the key-encryption key: the service does not start without one.
    key_store = PgSigningKeyStore(runtime.pool)
    keys = SigningKeys(key_store, SecretBox(settings.key_encryption_key, "signing-keys"),
                       notify=runtime.invalidation.publish)
    runtime.invalidation.subscribe(KEYS_TOPIC, keys.forget)
    directory = tenant_directory(runtime.channels, settings.tenant_cache_ttl_seconds, runtime.invalidation,
                                 runtime.registry)
    internal = provisioning_servicer(internal_grpc.TokenInternalServiceServicer, ProvisioningHandler(
        runner, on_provisioned=keys.discard,
        on_deprovisioned=in_order(keys.discard, key_store.forget_ages,
                                   partial(purge_tenant_keys, runtime.redis))),
        internal_pb)
    credentials = grpc_credential_verifier(runtime.channels, runtime.invalidation)
    metrics = PromOAuthMetrics(runtime.registry)
    signing = SigningKeyServicer(keys, directory, credentials, settings.base_domain, on_rotated=metrics.key_rotated)
    applications = build_applications(runtime, directory, credentials)
    reporter = EventReporter(runtime.channels)
    parts = _oauth_parts(runtime, keys, applications.use_cases, metrics, reporter)
    oauth = OAuthServicer(parts, directory, settings.base_domain, CorsPolicy(applications.use_cases), credentials)

    key_ages = KeyAgeMetrics(key_store, runtime.registry, settings.signing_key_max_age_days)

    async def on_ready() -> None:
        if settings.migrate_on_start:
            await runner.start()
        await key_ages.start()

    return ServiceParts(
        registrations=[
            lambda s: internal_grpc.add_TokenInternalServiceServicer_to_server(internal, s),
            lambda s: keys_grpc.add_SigningKeyServiceServicer_to_server(signing, s),
            applications.registration,
            lambda s: oauth_grpc.add_OAuthServiceServicer_to_server(oauth, s),
        ],
        service_names=[*SERVICE_NAMES, applications.service_name],
        on_ready=[on_ready],
        on_stop=[reporter.drain, key_ages.stop],
        rate_limits=rate_limit_gate(runtime, directory, runtime.analytics),
    )


def _oauth_parts(runtime: Runtime, keys: SigningKeys, applications: ApplicationUseCases, metrics: PromOAuthMetrics,
                 events: EventReporter) -> OAuthParts:
    """The OAuth endpoints and the grants behind the token endpoint."""
    settings = runtime.settings
    issuer_for = settings.issuer_for
    clock = utcnow
    revocation = Revocation(runtime.redis, runtime.channels)
    access = AccessTokenIssuer(keys)
    verifier = AccessTokenVerifier(LocalJwks(keys), revocation=revocation.is_revoked)
    platform = PlatformGateway(runtime.channels)
    grants = PgGrantStore(runtime.pool)
    csrf = CsrfTokens(derive_key(settings.key_encryption_key))
    secure = settings.public_url.startswith("https://")
    key_sets = FetchedKeySets(OutboundPolicy(allow_private=settings.outbound_allow_private))
    clients = ClientAuthenticator(applications, ClientAssertions(RedisReplayGuard(runtime.redis), key_sets), events,
                                  issuer_for)
    tokens = TokenIssuer(keys, access, issuer_for)
    revoker = FamilyRevoker(grants, revocation.revoke)
    devices = PgDeviceStore(runtime.pool)
    token = TokenEndpoint(clients, [
        AuthorizationCodeGrant(grants, grants, tokens, revoker, revocation, events, metrics, clock),
        RefreshTokenGrant(grants, tokens, revoker, revocation, events, metrics, clock),
        ClientCredentialsGrant(access, issuer_for, clock),
        DeviceCodeGrant(devices, grants, tokens, clock),
    ], metrics, runtime.analytics)
    return OAuthParts(
        discovery=Discovery(issuer_for, token.grant_types),
        authorization=AuthorizationEndpoint(applications, grants, grants, platform, csrf, secure, events, issuer_for,
                                            clock, count=metrics.authorization,
                                            form_targets=FormTargets(form_target_key(settings.key_encryption_key),
                                                                     clock)),
        token=token,
        userinfo=UserInfoEndpoint(verifier, platform, issuer_for),
        introspection=IntrospectionEndpoint(clients, verifier, grants, revocation, metrics, issuer_for, clock),
        revocation=RevocationEndpoint(clients, verifier, grants, revoker, revocation.revoke, metrics, issuer_for,
                                      clock),
        logout=EndSessionFlow(applications, keys, platform, csrf, secure, issuer_for),
        consents=ConsentUseCases(grants, applications, platform, events, revoker),
        device=DeviceFlow(clients, applications, devices, issuer_for, platform,
                          RedisFailureCounter(runtime.redis, DEVICE_CODE_FAILURES), csrf, secure),
        logos=ApplicationLogos(applications, LogoSource(OutboundPolicy(allow_private=settings.outbound_allow_private))),
    )
