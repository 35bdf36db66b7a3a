"""Thin gRPC servicers of the identity provider admin API and of users' linked identities,
and the mapping between their messages and the domain objects."""

from __future__ import annotations

from typing import Any

from google.protobuf import empty_pb2, json_format

from binoauth.identity.v1 import identity_provider_service_pb2 as pb
from binoauth.identity.v1 import identity_provider_service_pb2_grpc as fed_grpc
from services.common.auth import CachedCredentialVerifier
from services.common.context import current_request
from services.common.cookies import session_cookie_value
from services.common.directory import TenantSelector
from services.common.errors import InvalidArgument
from services.common.tenancy import select_tenant
from services.common.timestamps import to_timestamp
from services.identity.account import AccountUseCases
from services.identity.admin import UserAdminUseCases
from services.identity.auth import AuthUseCases, Tenant
from services.identity.federation.icons import icon_path
from services.identity.federation.model import IdentityProvider, ProviderType
from services.identity.federation.store import LinkedIdentity
from services.identity.federation.usecases import FederationUseCases, provider_changes
from services.identity.servicers import AdminScoped

Context = Any
_TYPES = {ProviderType.OIDC: pb.PROVIDER_TYPE_OIDC, ProviderType.GOOGLE: pb.PROVIDER_TYPE_GOOGLE,
          ProviderType.MICROSOFT: pb.PROVIDER_TYPE_MICROSOFT, ProviderType.APPLE: pb.PROVIDER_TYPE_APPLE,
          ProviderType.GITHUB: pb.PROVIDER_TYPE_GITHUB}
_FROM_PROTO = {v: k for k, v in _TYPES.items()}
# Fields an update may name (the rest are immutable, output only, or the input-only secrets
# handled on their own).
WRITABLE = ("display_name", "enabled", "display_order", "issuer", "client_id", "client_auth_method", "key_id",
            "team_id", "scopes", "claim_mapping", "allowed_email_domains", "link_by_verified_email",
            "trust_upstream_mfa", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
SECRETS = ("client_secret", "private_key")
# Input: an upload or the current path; output: the path (federation/icons.py).
ICON = "icon_image"
_TUPLES = ("scopes", "allowed_email_domains")


def provider_to_proto(provider: IdentityProvider, callback_url: str) -> pb.IdentityProvider:
    return pb.IdentityProvider(
        provider_id=provider.provider_id, provider_type=_TYPES[provider.provider_type],
        display_name=provider.display_name, enabled=provider.enabled, display_order=provider.display_order,
        issuer=provider.issuer, client_id=provider.client_id, client_auth_method=provider.client_auth_method,
        key_id=provider.key_id, team_id=provider.team_id, scopes=list(provider.scopes),
        claim_mapping=provider.claim_mapping, allowed_email_domains=list(provider.allowed_email_domains),
        link_by_verified_email=provider.link_by_verified_email, trust_upstream_mfa=provider.trust_upstream_mfa,
        authorization_endpoint=provider.authorization_endpoint, token_endpoint=provider.token_endpoint,
        userinfo_endpoint=provider.userinfo_endpoint, jwks_uri=provider.jwks_uri,
        client_secret_set=provider.sealed_client_secret is not None,
        private_key_set=provider.sealed_private_key is not None, callback_url=callback_url,
        create_time=to_timestamp(provider.create_time), update_time=to_timestamp(provider.update_time),
        icon_image=icon_path(provider.provider_id, provider.icon_hash))


def _field_value(message: pb.IdentityProvider, name: str) -> Any:
    value = getattr(message, name)
    if name in _TUPLES:
        return tuple(value)
    if name == "claim_mapping":
        return dict(value)
    return value


def provider_from_proto(message: pb.IdentityProvider) -> IdentityProvider:
    kind = _FROM_PROTO.get(message.provider_type)
    if kind is None:
        raise InvalidArgument("provider_type is required", reason="INVALID_IDENTITY_PROVIDER",
                              details={"field": "provider_type"})
    fields = {name: _field_value(message, name) for name in WRITABLE}
    return IdentityProvider(provider_id=message.provider_id, provider_type=kind, **fields)


def _update_paths(message: pb.IdentityProvider, paths: list[str]) -> list[str]:
    """AIP-134: without a mask, every populated field."""
    if paths:
        return paths
    present = json_format.MessageToDict(message, preserving_proto_field_name=True)
    return [p for p in present if p != "provider_id"]


def icon_update(message: pb.IdentityProvider, paths: list[str]) -> str | None:
    """The icon_image of an update; None when the update does not touch the icon."""
    return message.icon_image if ICON in _update_paths(message, paths) else None


def provider_update(message: pb.IdentityProvider, paths: list[str]) -> dict[str, Any]:
    """{field: value} of an update (secrets and the icon are handled on their own)."""
    changes: dict[str, Any] = {}
    for path in _update_paths(message, paths):
        if path in SECRETS or path == ICON:
            continue
        if path not in WRITABLE:
            raise InvalidArgument(f"field {path[:64]!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": path[:64]})
        changes[path] = _field_value(message, path)
    return provider_changes(changes)


def identity_to_proto(identity: LinkedIdentity) -> pb.FederatedIdentity:
    return pb.FederatedIdentity(identity_id=identity.identity_id, provider_id=identity.provider_id,
                                subject=identity.subject, email=identity.email,
                                create_time=to_timestamp(identity.create_time),
                                last_login_time=to_timestamp(identity.last_login_time))


class IdentityProviderServicer(fed_grpc.IdentityProviderServiceServicer, AdminScoped):
    def __init__(self, federation: FederationUseCases, auth: AuthUseCases, credentials: CachedCredentialVerifier,
                 tenants: TenantSelector, base_domain: str) -> None:
        super().__init__(auth, credentials, tenants, base_domain)
        self._federation = federation

    def _out(self, tenant: Tenant, provider: IdentityProvider) -> pb.IdentityProvider:
        return provider_to_proto(provider, self._federation.callback_url(tenant, provider.provider_id))

    async def ListIdentityProviders(self, request: Any, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:read")
        found = await self._federation.providers(tenant)
        return pb.ListIdentityProvidersResponse(identity_providers=[self._out(tenant, p) for p in found])

    async def GetIdentityProvider(self, request: pb.GetIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:read")
        return self._out(tenant, await self._federation.get(tenant, request.provider_id))

    async def CreateIdentityProvider(self, request: pb.CreateIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:write")
        given = request.identity_provider
        created = await self._federation.create(tenant, provider_from_proto(given), given.client_secret,
                                                given.private_key, given.icon_image)
        return self._out(tenant, created)

    async def UpdateIdentityProvider(self, request: pb.UpdateIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:write")
        given = request.identity_provider
        paths = list(request.update_mask.paths) if request.HasField("update_mask") else []
        changes = provider_update(given, paths)
        updated = await self._federation.update(tenant, given.provider_id, changes, given.client_secret,
                                                given.private_key, icon_update(given, paths))
        return self._out(tenant, updated)

    async def DeleteIdentityProvider(self, request: pb.DeleteIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:write")
        await self._federation.delete(tenant, request.provider_id)
        return empty_pb2.Empty()

    async def EnableIdentityProvider(self, request: pb.EnableIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:write")
        return self._out(tenant, await self._federation.set_enabled(tenant, request.provider_id, True))

    async def DisableIdentityProvider(self, request: pb.DisableIdentityProviderRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "identity_providers:write")
        return self._out(tenant, await self._federation.set_enabled(tenant, request.provider_id, False))


class FederatedIdentityServicer(fed_grpc.FederatedIdentityServiceServicer, AdminScoped):
    def __init__(self, federation: FederationUseCases, auth: AuthUseCases, account: AccountUseCases,
                 admin: UserAdminUseCases, credentials: CachedCredentialVerifier, tenants: TenantSelector,
                 base_domain: str) -> None:
        super().__init__(auth, credentials, tenants, base_domain)
        self._federation = federation
        self._account = account
        self._admin = admin

    async def _me(self, context: Context) -> Any:
        meta = current_request(context)
        tenant = await self._auth.tenant(select_tenant(meta, self._base_domain))
        user, _ = await self._account.me(tenant, session_cookie_value(meta.cookie))
        return tenant, user

    async def ListMyIdentities(self, request: Any, context: Context) -> Any:
        tenant, user = await self._me(context)
        found = await self._federation.identities(tenant, user.user_id)
        return pb.ListIdentitiesResponse(identities=[identity_to_proto(i) for i in found])

    async def UnlinkMyIdentity(self, request: pb.UnlinkMyIdentityRequest, context: Context) -> Any:
        tenant, user = await self._me(context)
        await self._federation.unlink(tenant, user, request.identity_id, by_admin=False)
        return empty_pb2.Empty()

    async def ListUserIdentities(self, request: pb.ListUserIdentitiesRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:read")
        user = await self._admin.get(tenant, request.user_id)
        found = await self._federation.identities(tenant, user.user_id)
        return pb.ListIdentitiesResponse(identities=[identity_to_proto(i) for i in found])

    async def UnlinkUserIdentity(self, request: pb.UnlinkUserIdentityRequest, context: Context) -> Any:
        tenant = await self._tenant(context, "users:write")
        user = await self._admin.get(tenant, request.user_id)
        await self._federation.unlink(tenant, user, request.identity_id, by_admin=True)
        return empty_pb2.Empty()
