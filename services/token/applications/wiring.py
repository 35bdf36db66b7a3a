"""How the token service's composition root (services/token/bootstrap.py) adds applications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grpc import aio

from binoauth.token.v1 import application_service_pb2_grpc as pb_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.directory import TENANT_TOPIC, TenantDirectory, grpc_credential_verifier, tenant_directory
from services.common.server import Runtime
from services.token.applications.servicer import ApplicationServicer
from services.token.applications.store import PgApplicationStore
from services.token.applications.usecases import APPLICATIONS_TOPIC, ApplicationUseCases

SERVICE_NAME = "binoauth.token.v1.ApplicationService"


@dataclass(frozen=True)
class ApplicationsParts:
    # Registers the servicer: add it to ServiceParts.registrations.
    registration: Callable[[aio.Server], None]
    # Add to the health service names (SERVICE_NAMES).
    service_name: str
    # For the token endpoint: authenticate_client(), find().
    use_cases: ApplicationUseCases


def build_applications(runtime: Runtime, directory: TenantDirectory | None = None,
                       credentials: CachedCredentialVerifier | None = None) -> ApplicationsParts:
    """Pass the service's shared TenantDirectory / credential verifier if it has them."""
    directory = directory or tenant_directory(runtime.channels, runtime.settings.tenant_cache_ttl_seconds,
                                              runtime.invalidation)
    credentials = credentials or grpc_credential_verifier(runtime.channels, runtime.invalidation)
    use_cases = ApplicationUseCases(PgApplicationStore(runtime.pool), notify=runtime.invalidation.publish,
                                    allow_http_jwks_uri=runtime.settings.outbound_allow_private)
    runtime.invalidation.subscribe(APPLICATIONS_TOPIC, use_cases.forget)
    # A tenant deleted (and perhaps created again with the same id) keeps no client here.
    runtime.invalidation.subscribe(TENANT_TOPIC, use_cases.forget_tenant)
    servicer = ApplicationServicer(use_cases, credentials, directory, runtime.settings.base_domain)
    return ApplicationsParts(
        registration=lambda server: pb_grpc.add_ApplicationServiceServicer_to_server(servicer, server),
        service_name=SERVICE_NAME,
        use_cases=use_cases,
    )
