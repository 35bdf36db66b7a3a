"""Between the application protobuf messages and the domain objects."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.struct_pb2 import Struct

from binoauth.token.v1 import application_pb2
from services.common.errors import InvalidArgument
from services.common.timestamps import to_timestamp
from services.token.applications.model import Application, ApplicationType, ClientType, TokenLifetimes
from services.token.applications.presentation import Presentation

_TYPES = {ClientType.CONFIDENTIAL: application_pb2.CLIENT_TYPE_CONFIDENTIAL,
          ClientType.PUBLIC: application_pb2.CLIENT_TYPE_PUBLIC}
_FROM_PROTO = {v: k for k, v in _TYPES.items()}
_APP_TYPES = {ApplicationType.WEB: application_pb2.APPLICATION_TYPE_WEB,
              ApplicationType.NATIVE: application_pb2.APPLICATION_TYPE_NATIVE}
_APP_TYPES_FROM_PROTO = {v: k for k, v in _APP_TYPES.items()}
_OUTPUT_ONLY = {"client_id", "create_time", "update_time", "secret_create_time", "previous_secret_expire_time"}
_IMMUTABLE = {"client_type"}




def application_to_proto(app: Application) -> application_pb2.Application:
    lt = app.token_lifetimes
    secret = app.secret
    return application_pb2.Application(
        client_id=app.client_id, display_name=app.display_name, client_type=_TYPES[app.client_type],
        redirect_uris=list(app.redirect_uris), post_logout_redirect_uris=list(app.post_logout_redirect_uris),
        grant_types=list(app.grant_types), allowed_scopes=list(app.allowed_scopes),
        token_lifetimes=application_pb2.TokenLifetimes(
            access_token_ttl_seconds=lt.access_token_ttl_seconds or 0,
            id_token_ttl_seconds=lt.id_token_ttl_seconds or 0,
            refresh_token_idle_ttl_seconds=lt.refresh_token_idle_ttl_seconds or 0,
            refresh_token_absolute_ttl_seconds=lt.refresh_token_absolute_ttl_seconds or 0),
        first_party=app.first_party, token_endpoint_auth_method=app.token_endpoint_auth_method,
        create_time=to_timestamp(app.create_time), update_time=to_timestamp(app.update_time),
        secret_create_time=to_timestamp(secret.created_at) if secret else None,
        previous_secret_expire_time=(
            to_timestamp(secret.previous_expires_at) if secret and secret.previous_hash else None),
        jwks=_jwks_to_struct(app.jwks), jwks_uri=app.jwks_uri, allowed_origins=list(app.allowed_origins),
        application_type=(_APP_TYPES[app.application_type] if app.application_type
                          else application_pb2.APPLICATION_TYPE_UNSPECIFIED),
        logo_url=app.presentation.logo_url, logo_image=app.presentation.logo_image,
        homepage_url=app.presentation.homepage_url, privacy_policy_url=app.presentation.privacy_policy_url,
        terms_of_service_url=app.presentation.terms_of_service_url,
        scope_descriptions=app.presentation.descriptions,
    )


def _jwks_to_struct(keys: tuple[dict[str, Any], ...]) -> Struct | None:
    if not keys:
        return None
    struct = Struct()
    struct.update({"keys": [dict(key) for key in keys]})
    return struct


def _jwks_from_struct(message: application_pb2.Application) -> tuple[dict[str, Any], ...]:
    """The JWK Set's keys, each checked later by the registration rules."""
    if not message.HasField("jwks"):
        return ()
    value = json_format.MessageToDict(message.jwks)
    if not value:
        return ()
    keys = value.get("keys")
    if set(value) != {"keys"} or not isinstance(keys, list):
        raise InvalidArgument('jwks must be a JWK Set: {"keys": [...]}', reason="INVALID_JWKS",
                              details={"field": "jwks"})
    return tuple(keys)


def _lifetimes(message: application_pb2.TokenLifetimes) -> TokenLifetimes:
    return TokenLifetimes(message.access_token_ttl_seconds or None, message.id_token_ttl_seconds or None,
                          message.refresh_token_idle_ttl_seconds or None,
                          message.refresh_token_absolute_ttl_seconds or None)


def _application_type(value: application_pb2.ApplicationType, required: bool) -> ApplicationType | None:
    """Unspecified: None at creation (the registration rules choose), refused in an update."""
    if value == application_pb2.APPLICATION_TYPE_UNSPECIFIED and not required:
        return None
    if value not in _APP_TYPES_FROM_PROTO:
        raise InvalidArgument("application_type must be APPLICATION_TYPE_WEB or APPLICATION_TYPE_NATIVE",
                              reason="INVALID_APPLICATION_TYPE", details={"field": "application_type"})
    return _APP_TYPES_FROM_PROTO[value]


def list_filter(client_type: int, application_type: int) -> tuple[ClientType | None, ApplicationType | None]:
    """ListApplications' type filters; unspecified means any."""
    by_number: dict[int, ClientType] = {int(v): k for k, v in _TYPES.items()}
    if client_type != application_pb2.CLIENT_TYPE_UNSPECIFIED and client_type not in by_number:
        raise InvalidArgument("client_type must be CLIENT_TYPE_CONFIDENTIAL or CLIENT_TYPE_PUBLIC",
                              reason="INVALID_CLIENT_TYPE", details={"field": "client_type"})
    return by_number.get(client_type), _application_type(application_type, required=False)  # type: ignore[arg-type]


def application_from_proto(message: application_pb2.Application) -> Application:
    """A draft application for CreateApplication (output-only fields are ignored, AIP-203)."""
    if message.client_type not in _FROM_PROTO:
        raise InvalidArgument("client_type must be CLIENT_TYPE_CONFIDENTIAL or CLIENT_TYPE_PUBLIC",
                              reason="INVALID_CLIENT_TYPE", details={"field": "client_type"})
    return Application(
        client_id="", display_name=message.display_name, client_type=_FROM_PROTO[message.client_type],
        redirect_uris=tuple(message.redirect_uris), post_logout_redirect_uris=tuple(message.post_logout_redirect_uris),
        grant_types=tuple(message.grant_types), allowed_scopes=tuple(message.allowed_scopes),
        token_lifetimes=_lifetimes(message.token_lifetimes), first_party=message.first_party,
        token_endpoint_auth_method=message.token_endpoint_auth_method, jwks=_jwks_from_struct(message),
        jwks_uri=message.jwks_uri, allowed_origins=tuple(message.allowed_origins),
        application_type=_application_type(message.application_type, required=False),
        presentation=Presentation(message.logo_url, message.logo_image, message.homepage_url,
                                  message.privacy_policy_url, message.terms_of_service_url,
                                  tuple(sorted(message.scope_descriptions.items()))),
    )


def application_changes(message: application_pb2.Application, mask: FieldMask, has_mask: bool,
                         allowed: tuple[str, ...]) -> dict[str, Any]:
    """{field: value} of an update (AIP-134: without a mask, every populated field)."""
    if not has_mask or not mask.paths:
        present = json_format.MessageToDict(message, preserving_proto_field_name=True)
        paths = [p for p in present if p not in _OUTPUT_ONLY]
    else:
        paths = list(mask.paths)
    changes: dict[str, Any] = {}
    for path in paths:
        if path in _IMMUTABLE:
            raise InvalidArgument(f"field {path!r} cannot be changed after creation", reason="IMMUTABLE_FIELD",
                                  details={"field": path})
        if path in _OUTPUT_ONLY or path not in allowed:
            raise InvalidArgument(f"field {path!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": path})
        if path == "token_lifetimes":
            changes[path] = _lifetimes(message.token_lifetimes)
        elif path == "jwks":
            changes[path] = _jwks_from_struct(message)
        elif path == "application_type":
            changes[path] = _application_type(message.application_type, required=True)
        elif path == "scope_descriptions":
            changes[path] = dict(message.scope_descriptions)
        elif path.startswith("token_lifetimes."):
            changes[path] = getattr(message.token_lifetimes, path.split(".", 1)[1])
        else:
            value = getattr(message, path)
            changes[path] = list(value) if not isinstance(value, (str, bool, int)) else value
    return changes
