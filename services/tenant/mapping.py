"""Between protobuf messages and the tenant service's domain objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.protobuf import json_format
from google.protobuf.field_mask_pb2 import FieldMask

from binoauth.tenant.v1 import admin_user_pb2, api_key_pb2, tenant_pb2, tenant_service_pb2
from services.common.errors import InvalidArgument
from services.common.timestamps import to_timestamp
from services.tenant.admins import AdminState, AdminUser
from services.tenant.credentials import ApiKey, ApiKeyState
from services.tenant.tenants import Tenant, TenantState

_TENANT_STATES = {
    TenantState.PROVISIONING: tenant_pb2.TENANT_STATE_PROVISIONING,
    TenantState.ACTIVE: tenant_pb2.TENANT_STATE_ACTIVE,
    TenantState.SUSPENDED: tenant_pb2.TENANT_STATE_SUSPENDED,
    TenantState.DELETING: tenant_pb2.TENANT_STATE_DELETING,
}
_KEY_STATES = {
    ApiKeyState.ACTIVE: api_key_pb2.API_KEY_STATE_ACTIVE,
    ApiKeyState.REVOKED: api_key_pb2.API_KEY_STATE_REVOKED,
    ApiKeyState.EXPIRED: api_key_pb2.API_KEY_STATE_EXPIRED,
}
_ADMIN_STATES = {
    AdminState.ACTIVE: admin_user_pb2.ADMIN_USER_STATE_ACTIVE,
    AdminState.DISABLED: admin_user_pb2.ADMIN_USER_STATE_DISABLED,
}






def tenant_to_proto(tenant: Tenant, issuer: str) -> tenant_pb2.Tenant:
    message = tenant_pb2.Tenant(
        tenant_id=tenant.tenant_id,
        display_name=tenant.display_name,
        state=_TENANT_STATES[tenant.state],
        custom_domains=list(tenant.custom_domains),
        issuer=issuer,
        create_time=to_timestamp(tenant.create_time),
        update_time=to_timestamp(tenant.update_time),
    )
    json_format.ParseDict(tenant.settings.to_dict(), message.settings)
    return message


def state_filter(value: int) -> TenantState | None:
    """ListTenants' `state`: None (every state) when unspecified. Only ACTIVE and SUSPENDED
    are offered: the other two are short transitions an operator cannot act on."""
    if value == tenant_pb2.TENANT_STATE_UNSPECIFIED:
        return None
    for state, number in _TENANT_STATES.items():
        if number == value and state in (TenantState.ACTIVE, TenantState.SUSPENDED):
            return state
    raise InvalidArgument("state must be ACTIVE or SUSPENDED", reason="INVALID_STATE", details={"field": "state"})


def public_tenant(tenant: Tenant, issuer: str) -> tenant_service_pb2.PublicTenant:
    return tenant_service_pb2.PublicTenant(
        tenant_id=tenant.tenant_id, display_name=tenant.display_name, issuer=issuer,
        state=_TENANT_STATES[tenant.state],
    )


def settings_input(message: tenant_pb2.Tenant) -> dict[str, Any]:
    """Only the settings a caller set: zero numbers and unset optional booleans are left
    out, so they take the platform default."""
    if not message.HasField("settings"):
        return {}
    return json_format.MessageToDict(message.settings, preserving_proto_field_name=True)


def update_changes(message: tenant_pb2.Tenant, mask: FieldMask, has_mask: bool) -> dict[str, Any]:
    """{field path: value} from an update request (AIP-134: no mask = every populated field)."""
    full = json_format.MessageToDict(message, preserving_proto_field_name=True,
                                     always_print_fields_with_no_presence=True)
    if not has_mask or not mask.paths:
        present = json_format.MessageToDict(message, preserving_proto_field_name=True)
        present.pop("tenant_id", None)
        changes: dict[str, Any] = {}
        for key, value in present.items():
            if key == "settings":
                changes.update({f"settings.{k}": v for k, v in _leaves(value).items()})
            else:
                changes[key] = value
        return changes
    sparse = json_format.MessageToDict(message, preserving_proto_field_name=True)
    changes = {}
    for path in mask.paths:
        if path in ("tenant_id", "state", "issuer", "create_time", "update_time"):
            raise InvalidArgument(f"field {path!r} is not updatable", reason="INVALID_UPDATE_MASK",
                                  details={"field": path})
        value = _lookup(full, path)
        if isinstance(value, dict):
            # A whole group of settings: what the caller left unset takes the default.
            value = _lookup(sparse, path) or {}
        changes[path] = value
    return changes


def _lookup(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# Map settings: replaced as a whole, never merged key by key.
MAP_SETTINGS = frozenset({"branding.scope_descriptions"})


def _leaves(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and f"{prefix}{key}" not in MAP_SETTINGS:
            out.update(_leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def api_key_to_proto(key: ApiKey, now: datetime) -> api_key_pb2.ApiKey:
    return api_key_pb2.ApiKey(
        api_key_id=key.api_key_id, tenant_id=key.tenant_id, display_name=key.display_name,
        scopes=sorted(key.scopes), state=_KEY_STATES[key.state(now)], create_time=to_timestamp(key.create_time),
        expire_time=to_timestamp(key.expire_time), revoke_time=to_timestamp(key.revoke_time),
    )


def admin_to_proto(admin: AdminUser) -> admin_user_pb2.AdminUser:
    return admin_user_pb2.AdminUser(
        admin_user_id=admin.admin_user_id, email=admin.email, tenant_id=admin.tenant_id,
        scopes=sorted(admin.scopes), state=_ADMIN_STATES[admin.state], create_time=to_timestamp(admin.create_time),
        last_login_time=to_timestamp(admin.last_login_time),
    )
