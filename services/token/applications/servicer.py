"""The thin gRPC servicer of ApplicationService."""

from __future__ import annotations

from typing import Any

from google.protobuf import empty_pb2

from binoauth.token.v1 import application_service_pb2 as pb
from binoauth.token.v1 import application_service_pb2_grpc as pb_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.context import current_request
from services.common.directory import TenantInfo, TenantSelector, admin_tenant
from services.token.applications.mapping import (
    application_changes,
    application_from_proto,
    application_to_proto,
    list_filter,
)
from services.token.applications.usecases import UPDATABLE, ApplicationUseCases

# grpc ships no type information; the context is a grpc.aio.ServicerContext.
Context = Any
READ, WRITE = "applications:read", "applications:write"


class ApplicationServicer(pb_grpc.ApplicationServiceServicer):
    def __init__(self, applications: ApplicationUseCases, credentials: CachedCredentialVerifier,
                 tenants: TenantSelector, base_domain: str) -> None:
        self._apps = applications
        self._credentials = credentials
        self._tenants = tenants
        self._base_domain = base_domain

    async def _tenant(self, context: Context, scope: str) -> TenantInfo:
        tenant, _ = await admin_tenant(current_request(context), self._credentials, self._tenants,
                                       self._base_domain, scope)
        return tenant

    async def ListApplications(self, request: pb.ListApplicationsRequest, context: Context) -> Any:
        tenant = await self._tenant(context, READ)
        client_type, application_type = list_filter(request.client_type, request.application_type)
        apps, token = await self._apps.list(tenant.tenant_id, request.page_size, request.page_token,
                                            request.query, client_type, application_type)
        return pb.ListApplicationsResponse(applications=[application_to_proto(a) for a in apps],
                                           next_page_token=token)

    async def GetApplication(self, request: pb.GetApplicationRequest, context: Context) -> Any:
        tenant = await self._tenant(context, READ)
        return application_to_proto(await self._apps.get(tenant.tenant_id, request.client_id))

    async def CreateApplication(self, request: pb.CreateApplicationRequest, context: Context) -> Any:
        tenant = await self._tenant(context, WRITE)
        app, secret = await self._apps.create(tenant, application_from_proto(request.application))
        return pb.CreateApplicationResponse(application=application_to_proto(app), client_secret=secret)

    async def UpdateApplication(self, request: pb.UpdateApplicationRequest, context: Context) -> Any:
        tenant = await self._tenant(context, WRITE)
        changes = application_changes(request.application, request.update_mask, request.HasField("update_mask"),
                                      UPDATABLE)
        return application_to_proto(await self._apps.update(tenant, request.application.client_id, changes))

    async def DeleteApplication(self, request: pb.DeleteApplicationRequest, context: Context) -> Any:
        tenant = await self._tenant(context, WRITE)
        await self._apps.delete(tenant.tenant_id, request.client_id)
        return empty_pb2.Empty()

    async def RotateClientSecret(self, request: pb.RotateClientSecretRequest, context: Context) -> Any:
        tenant = await self._tenant(context, WRITE)
        overlap = (request.previous_secret_overlap_seconds
                   if request.HasField("previous_secret_overlap_seconds") else None)
        app, secret = await self._apps.rotate_secret(tenant.tenant_id, request.client_id, overlap)
        return pb.RotateClientSecretResponse(application=application_to_proto(app), client_secret=secret)
