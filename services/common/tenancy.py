"""Tenant ids, schema names and tenant selection: the rules every service shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from services.common.context import RequestMeta
from services.common.errors import InvalidArgument

# 3-40 characters so that the longest prefixed schema name ("identity_t_" + 40) stays far
# under PostgreSQL's 63-byte identifier limit.
TENANT_ID_MAX: Final = 40
_TENANT_ID = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_TENANT_IDS: Final = frozenset({
    "public", "admin", "administrator", "api", "www", "root", "system", "internal", "default",
    "information-schema", "tenant", "tenants", "static", "assets", "auth", "login", "logout",
    "oauth", "oauth2", "oidc", "well-known", "platform", "binoauth", "localhost", "health",
    "metrics", "status", "mail", "smtp", "postgres", "template0", "template1",
})
_RESERVED_PREFIXES: Final = ("pg-", "pg", "sys-", "xn--")


def tenant_id_problem(tenant_id: str) -> str | None:
    """Why a tenant id is unacceptable, or None. Checked before any SQL sees it."""
    if not isinstance(tenant_id, str) or not tenant_id:
        return "is required"
    if len(tenant_id) > TENANT_ID_MAX:
        return f"must be at most {TENANT_ID_MAX} characters"
    if not _TENANT_ID.fullmatch(tenant_id):
        return ("must be 3-40 lower-case letters, digits or hyphens, start with a letter and "
                "end with a letter or digit")
    if "--" in tenant_id:
        return "must not contain consecutive hyphens"
    if tenant_id in RESERVED_TENANT_IDS or tenant_id.startswith(_RESERVED_PREFIXES):
        return "is reserved"
    return None


def is_valid_tenant_id(tenant_id: str) -> bool:
    return tenant_id_problem(tenant_id) is None


def require_tenant_id(tenant_id: str, field: str = "tenant_id") -> str:
    problem = tenant_id_problem(tenant_id)
    if problem:
        raise InvalidArgument(f"{field} {problem}", reason="INVALID_TENANT_ID", details={"field": field})
    return tenant_id


def tenant_prefix(path_tenant: str) -> str:
    """"/tenant/<id>" when the request selected its tenant by path prefix, else "": how
    links, forms and redirects must address the tenant's pages."""
    return f"/tenant/{path_tenant}" if path_tenant else ""


def tenant_schema(service: str, tenant_id: str) -> str:
    """The (unquoted) schema that holds `service`'s tables for one tenant."""
    require_tenant_id(tenant_id)
    return f"{service}_t_{tenant_id}"


@dataclass(frozen=True)
class TenantSelection:
    """Which tenant a request asks for, and how; selection never grants anything."""

    source: str  # "path", "subdomain", "custom_domain", "header", "credential" or "internal"
    tenant_id: str = ""
    host: str = ""


def no_tenant_selected() -> InvalidArgument:
    return InvalidArgument("no tenant selected: use /tenant/{id}/..., a tenant subdomain or X-Tenant-ID",
                           reason="TENANT_REQUIRED")


def select_tenant(meta: RequestMeta, base_domain: str) -> list[TenantSelection]:
    """The candidates for a request's tenant, in the documented order: path prefix,
    subdomain of the base domain, custom domain, X-Tenant-ID header.

    A path prefix or subdomain decides alone (a client header cannot override it). A custom
    domain is any other host name; if no tenant owns it, the header is used."""
    if meta.path_tenant:
        return [TenantSelection("path", tenant_id=meta.path_tenant)]
    host = meta.forwarded_host.split(":", 1)[0].rstrip(".")
    if host and base_domain and host.endswith("." + base_domain):
        label = host[: -len(base_domain) - 1]
        if label and "." not in label:
            return [TenantSelection("subdomain", tenant_id=label)]
    candidates: list[TenantSelection] = []
    if host and host != base_domain and "." in host and not _is_ip(host):
        candidates.append(TenantSelection("custom_domain", host=host))
    if meta.header_tenant:
        candidates.append(TenantSelection("header", tenant_id=meta.header_tenant))
    return candidates


def _is_ip(host: str) -> bool:
    return bool(re.match(r"^[0-9.]+$", host)) or ":" in host
