"""Composition root of the identity service."""

from __future__ import annotations

import os
from pathlib import Path

from binoauth.identity.v1 import analytics_service_pb2_grpc as analytics_grpc
from binoauth.identity.v1 import auth_service_pb2_grpc as auth_grpc
from binoauth.identity.v1 import event_service_pb2_grpc as event_grpc
from binoauth.identity.v1 import hosted_pages_service_pb2_grpc as pages_grpc
from binoauth.identity.v1 import identity_internal_service_pb2_grpc as internal_grpc
from binoauth.identity.v1 import identity_provider_service_pb2_grpc as fed_grpc
from binoauth.identity.v1 import user_admin_service_pb2_grpc as admin_grpc
from binoauth.identity.v1 import user_self_service_pb2_grpc as self_grpc
from services.common.crypto import SecretBox
from services.common.csrf import CsrfTokens, derive_key
from services.common.directory import grpc_credential_verifier, tenant_directory
from services.common.form_targets import FormTargets
from services.common.form_targets import derive_key as form_target_key
from services.common.migrations import MigrationRunner
from services.common.outbound import OutboundPolicy
from services.common.pages.logos import LogoSource
from services.common.passwords import PasswordHashing
from services.common.provisioning import ProvisioningHandler, in_order
from services.common.ratelimit import rate_limit_gate
from services.common.server import Runtime, ServiceParts
from services.common.timestamps import utcnow
from services.identity.account import AccountUseCases, TotpFactor
from services.identity.admin import UserAdminUseCases
from services.identity.analytics.parts import SERVICE_NAME as ANALYTICS_SERVICE
from services.identity.analytics.parts import analytics_parts
from services.identity.auth import AuthUseCases
from services.identity.events import EventLog, retention_from_env
from services.identity.events_store import PgEventStore
from services.identity.federation.flows import RedisFlows
from services.identity.federation.metrics import PromFederationMetrics
from services.identity.federation.pages import FederatedSignInServicer, connections, provider_choice
from services.identity.federation.servicers import FederatedIdentityServicer, IdentityProviderServicer
from services.identity.federation.store import PgFederationStore
from services.identity.federation.upstream import HttpUpstream
from services.identity.federation.usecases import FederationUseCases
from services.identity.lockout import AccountLockout
from services.identity.messaging.mail import MailSettings, SmtpMailer
from services.identity.messaging.sms import sms_sender_from_env
from services.identity.metrics import PromIdentityMetrics
from services.identity.outbox import DurableOutbox
from services.identity.outbox_store import PgOutboxStore
from services.identity.pages.servicer import HostedPagesServicer
from services.identity.password_policy import common_passwords
from services.identity.protection import RedisLockout
from services.identity.servicers import (
    AuthServicer,
    EventServicer,
    IdentityInternalServicer,
    UserAdminServicer,
    UserSelfServicer,
)
from services.identity.sessions_client import GrpcSessionGateway
from services.identity.store import PgUserStore

MIGRATIONS = Path(__file__).parent / "migrations"
SERVICE_NAMES = [
    "binoauth.identity.v1.AuthService",
    "binoauth.identity.v1.HostedPagesService",
    "binoauth.identity.v1.UserSelfService",
    "binoauth.identity.v1.UserAdminService",
    "binoauth.identity.v1.EventService",
    ANALYTICS_SERVICE,
    "binoauth.identity.v1.IdentityInternalService",
    "binoauth.identity.v1.IdentityProviderService",
    "binoauth.identity.v1.FederatedIdentityService",
    "binoauth.identity.v1.FederatedSignInService",
]


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings
    env = os.environ
    runner = MigrationRunner(runtime.pool, "identity", MIGRATIONS)
    metrics = PromIdentityMetrics(runtime.registry)
    users = PgUserStore(runtime.pool)
    passwords = PasswordHashing()
    sessions = GrpcSessionGateway(runtime.channels)
    account_lockout = AccountLockout(runtime.redis)
    directory = tenant_directory(runtime.channels, settings.tenant_cache_ttl_seconds, runtime.invalidation,
                                 runtime.registry)
    credentials = grpc_credential_verifier(runtime.channels, runtime.invalidation)
    analytics = analytics_parts(runtime, directory, credentials)
    lockout = RedisLockout(account_lockout, metrics, analytics.counts)
    outbox_store = PgOutboxStore(runtime.pool)
    outbox = DurableOutbox(outbox_store, SmtpMailer(MailSettings.from_env(env)), sms_sender_from_env(env),
                           SecretBox(settings.key_encryption_key, "outbox"), metrics)
    factor = TotpFactor(users, SecretBox(settings.key_encryption_key, "totp"))
    events = EventLog(PgEventStore(runtime.pool), retention_from_env(env), analytics=analytics.counts)
    auth = AuthUseCases(users, sessions, passwords, lockout, outbox, directory, factor, metrics, settings.issuer_for,
                        events)
    for request, handler in auth.deferred_handlers().items():
        outbox.register(request, handler)
    account = AccountUseCases(users, sessions, passwords, lockout, outbox, factor, metrics, events)
    admin = UserAdminUseCases(users, sessions, passwords, lockout, outbox, metrics, events)
    secure = settings.public_url.startswith("https://")
    outbound = OutboundPolicy(allow_private=settings.outbound_allow_private)
    flows = RedisFlows(runtime.redis)
    federation = FederationUseCases(
        PgFederationStore(runtime.pool), users, auth, flows, HttpUpstream(outbound),
        SecretBox(settings.key_encryption_key, "identity-providers"), lockout, events,
        PromFederationMetrics(runtime.registry), allow_http=settings.outbound_allow_private)

    async def on_ready() -> None:
        common_passwords()  # load the list now, not during someone's first sign-up
        if settings.migrate_on_start:
            await runner.start()
        outbox.start()
        analytics.folder.start()

    async def on_stop() -> None:
        await outbox.stop()
        await analytics.folder.stop()
        passwords.close()

    auth_servicer = AuthServicer(auth, settings.base_domain, secure)
    self_servicer = UserSelfServicer(auth, account, settings.base_domain, secure)
    admin_servicer = UserAdminServicer(auth, admin, credentials, directory, settings.base_domain)
    event_servicer = EventServicer(events, credentials, directory, settings.base_domain)
    pages_servicer = HostedPagesServicer(auth, account, CsrfTokens(derive_key(settings.key_encryption_key)),
                                         settings.base_domain, secure,
                                         LogoSource(outbound), providers=provider_choice(federation),
                                         connections=connections(federation),
                                         form_targets=FormTargets(form_target_key(settings.key_encryption_key),
                                                                  utcnow))
    fed_pages = FederatedSignInServicer(pages_servicer, federation, account, secure)
    providers_servicer = IdentityProviderServicer(federation, auth, credentials, directory, settings.base_domain)
    identities_servicer = FederatedIdentityServicer(federation, auth, account, admin, credentials, directory,
                                                    settings.base_domain)
    provisioning = ProvisioningHandler(runner, on_deprovisioned=in_order(outbox_store.purge_tenant,
                                                                         account_lockout.purge_tenant,
                                                                         flows.purge_tenant,
                                                                         analytics.store.purge_tenant))
    internal = IdentityInternalServicer(admin, auth, provisioning, events)
    return ServiceParts(
        registrations=[
            lambda s: auth_grpc.add_AuthServiceServicer_to_server(auth_servicer, s),
            lambda s: self_grpc.add_UserSelfServiceServicer_to_server(self_servicer, s),
            lambda s: pages_grpc.add_HostedPagesServiceServicer_to_server(pages_servicer, s),
            lambda s: admin_grpc.add_UserAdminServiceServicer_to_server(admin_servicer, s),
            lambda s: event_grpc.add_EventServiceServicer_to_server(event_servicer, s),
            lambda s: analytics_grpc.add_AnalyticsServiceServicer_to_server(analytics.servicer, s),
            lambda s: internal_grpc.add_IdentityInternalServiceServicer_to_server(internal, s),
            lambda s: fed_grpc.add_IdentityProviderServiceServicer_to_server(providers_servicer, s),
            lambda s: fed_grpc.add_FederatedIdentityServiceServicer_to_server(identities_servicer, s),
            lambda s: fed_grpc.add_FederatedSignInServiceServicer_to_server(fed_pages, s),
        ],
        service_names=SERVICE_NAMES,
        on_ready=[on_ready],
        on_stop=[on_stop],
        rate_limits=rate_limit_gate(runtime, directory, analytics.counts),
    )
