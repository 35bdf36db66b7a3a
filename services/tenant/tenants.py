"""Tenants and their settings: the rules, free of gRPC and SQL."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

from services.common.errors import InvalidArgument
from services.common.tenancy import require_tenant_id
from services.tenant.branding import Branding, validate_branding


class TenantState(Enum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETING = "deleting"


@dataclass(frozen=True)
class TokenSettings:
    access_token_ttl_seconds: int = 900
    id_token_ttl_seconds: int = 3600
    refresh_token_idle_ttl_seconds: int = 14 * 86400
    refresh_token_absolute_ttl_seconds: int = 30 * 86400
    authorization_code_ttl_seconds: int = 60


@dataclass(frozen=True)
class SessionSettings:
    idle_timeout_seconds: int = 1800
    absolute_lifetime_seconds: int = 12 * 3600


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    max_length: int = 128
    reject_common_passwords: bool = True


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 10
    lockout_seconds: int = 900
    failure_reset_seconds: int = 12 * 3600
    progressive_delay_seconds: int = 1


@dataclass(frozen=True)
class LoginMethods:
    password: bool = True
    magic_link: bool = True
    totp: bool = True
    signup: bool = True


@dataclass(frozen=True)
class RateLimit:
    per_ip_per_minute: int
    per_tenant_per_minute: int


@dataclass(frozen=True)
class RateLimits:
    """Requests per minute per endpoint group; every service's rate-limit gate applies them
    (services/common/ratelimit)."""

    login: RateLimit = field(default_factory=lambda: RateLimit(20, 600))
    signup: RateLimit = field(default_factory=lambda: RateLimit(10, 300))
    token: RateLimit = field(default_factory=lambda: RateLimit(300, 6000))
    verification: RateLimit = field(default_factory=lambda: RateLimit(5, 200))
    management: RateLimit = field(default_factory=lambda: RateLimit(600, 3000))


@dataclass(frozen=True)
class TenantSettings:
    tokens: TokenSettings = field(default_factory=TokenSettings)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    lockout_policy: LockoutPolicy = field(default_factory=LockoutPolicy)
    login_methods: LoginMethods = field(default_factory=LoginMethods)
    sessions: SessionSettings = field(default_factory=SessionSettings)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    branding: Branding = field(default_factory=Branding)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TenantSettings:
        """Stored settings onto today's defaults (a setting added later gets its default)."""
        merged: TenantSettings = _merge(cls(), data, "settings")
        return merged


# Inclusive bounds of every numeric setting; security floors (min password length 8, at
# least 64 characters allowed, code lifetime at most 600 s) are enforced here.
RANGES: dict[str, tuple[int, int]] = {
    "tokens.access_token_ttl_seconds": (60, 86400),
    "tokens.id_token_ttl_seconds": (60, 86400),
    "tokens.refresh_token_idle_ttl_seconds": (300, 365 * 86400),
    "tokens.refresh_token_absolute_ttl_seconds": (300, 365 * 86400),
    "tokens.authorization_code_ttl_seconds": (10, 600),
    "sessions.idle_timeout_seconds": (60, 30 * 86400),
    "sessions.absolute_lifetime_seconds": (300, 365 * 86400),
    "password_policy.min_length": (8, 64),
    "password_policy.max_length": (64, 1024),
    "lockout_policy.max_failures": (3, 100),
    "lockout_policy.lockout_seconds": (30, 86400),
    "lockout_policy.failure_reset_seconds": (60, 30 * 86400),
    "lockout_policy.progressive_delay_seconds": (0, 60),
    **{
        f"rate_limits.{group}.{scope}": (1, 1_000_000)
        for group in ("login", "signup", "token", "verification", "management")
        for scope in ("per_ip_per_minute", "per_tenant_per_minute")
    },
}


def _merge(current: Any, data: dict[str, Any], prefix: str) -> Any:
    if not isinstance(data, dict):
        raise InvalidArgument(f"{prefix} must be an object", reason="INVALID_SETTING", details={"field": prefix})
    known = {f.name: f for f in fields(current)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise InvalidArgument(f"unknown setting {prefix}.{key}", reason="INVALID_SETTING",
                                  details={"field": f"{prefix}.{key}"})
        old = getattr(current, key)
        if is_dataclass(old):
            changes[key] = _merge(old, value or {}, f"{prefix}.{key}")
        else:
            changes[key] = _coerce(old, value, f"{prefix}.{key}")
    return replace(current, **changes)


def _coerce(old: Any, value: Any, path: str) -> Any:
    if isinstance(old, str):
        if not isinstance(value, str):
            raise InvalidArgument(f"{path} must be a string", reason="INVALID_SETTING", details={"field": path})
        return value.strip()
    if isinstance(old, dict):
        # A map setting (settings.branding.scope_descriptions) is replaced as a whole.
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise InvalidArgument(f"{path} must be an object of strings", reason="INVALID_SETTING",
                                  details={"field": path})
        return {str(k): v.strip() for k, v in value.items()}
    if isinstance(old, bool):
        if not isinstance(value, bool):
            raise InvalidArgument(f"{path} must be true or false", reason="INVALID_SETTING", details={"field": path})
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{path} must be an integer", reason="INVALID_SETTING", details={"field": path})
    return value


def validate_settings(settings: TenantSettings) -> TenantSettings:
    flat = _flatten(settings.to_dict())
    for path, (low, high) in RANGES.items():
        value = flat[path]
        if not low <= value <= high:
            raise InvalidArgument(
                f"settings.{path} must be between {low} and {high}", reason="INVALID_SETTING",
                details={"field": f"settings.{path}", "min": str(low), "max": str(high)},
            )
    if settings.password_policy.max_length < settings.password_policy.min_length:
        raise InvalidArgument("settings.password_policy.max_length is below min_length", reason="INVALID_SETTING",
                              details={"field": "settings.password_policy.max_length"})
    tokens = settings.tokens
    if tokens.refresh_token_absolute_ttl_seconds < tokens.refresh_token_idle_ttl_seconds:
        raise InvalidArgument("refresh_token_absolute_ttl_seconds is below refresh_token_idle_ttl_seconds",
                              reason="INVALID_SETTING",
                              details={"field": "settings.tokens.refresh_token_absolute_ttl_seconds"})
    if settings.sessions.absolute_lifetime_seconds < settings.sessions.idle_timeout_seconds:
        raise InvalidArgument("sessions.absolute_lifetime_seconds is below idle_timeout_seconds",
                              reason="INVALID_SETTING",
                              details={"field": "settings.sessions.absolute_lifetime_seconds"})
    validate_branding(settings.branding)
    return settings


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_CUSTOM_DOMAINS = 10


def normalize_domains(domains: list[str] | tuple[str, ...], base_domain: str) -> tuple[str, ...]:
    result: list[str] = []
    for raw in domains:
        domain = str(raw).strip().lower().rstrip(".")
        if not _DOMAIN.match(domain):
            raise InvalidArgument(f"custom domain {raw!r} is not a valid host name", reason="INVALID_DOMAIN",
                                  details={"field": "custom_domains"})
        if base_domain and (domain == base_domain or domain.endswith("." + base_domain)):
            raise InvalidArgument(f"custom domain {domain!r} is under the platform's base domain",
                                  reason="INVALID_DOMAIN", details={"field": "custom_domains"})
        if domain not in result:
            result.append(domain)
    if len(result) > MAX_CUSTOM_DOMAINS:
        raise InvalidArgument(f"at most {MAX_CUSTOM_DOMAINS} custom domains", reason="INVALID_DOMAIN",
                              details={"field": "custom_domains"})
    return tuple(result)


def clean_display_name(name: str, fallback: str) -> str:
    name = (name or "").strip()
    if len(name) > 100:
        raise InvalidArgument("display_name must be at most 100 characters", reason="INVALID_DISPLAY_NAME",
                              details={"field": "display_name"})
    if any(ord(c) < 32 for c in name):
        raise InvalidArgument("display_name must not contain control characters", reason="INVALID_DISPLAY_NAME",
                              details={"field": "display_name"})
    return name or fallback


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    display_name: str
    state: TenantState
    settings: TenantSettings
    custom_domains: tuple[str, ...]
    create_time: datetime
    update_time: datetime

    @property
    def usable(self) -> bool:
        return self.state in (TenantState.ACTIVE, TenantState.SUSPENDED)


@dataclass(frozen=True)
class TenantDraft:
    """A validated request to create a tenant."""

    tenant_id: str
    display_name: str
    settings: TenantSettings
    custom_domains: tuple[str, ...]


def draft_tenant(tenant_id: str, display_name: str, settings: dict[str, Any], domains: list[str],
                 base_domain: str) -> TenantDraft:
    require_tenant_id(tenant_id)
    return TenantDraft(
        tenant_id=tenant_id,
        display_name=clean_display_name(display_name, tenant_id),
        settings=validate_settings(TenantSettings.from_dict(settings)),
        custom_domains=normalize_domains(domains, base_domain),
    )


UPDATABLE = ("display_name", "settings", "custom_domains")


def apply_update(tenant: Tenant, changes: dict[str, Any], base_domain: str) -> tuple[Tenant, bool]:
    """Applies {field path: new value} (paths from an update mask) and validates the result.

    Returns the new tenant and whether custom domains changed. A settings path whose value
    is None resets that setting to its default."""
    settings = tenant.settings.to_dict()
    defaults = TenantSettings().to_dict()
    display_name = tenant.display_name
    domains = tenant.custom_domains
    domains_changed = False
    for path, value in changes.items():
        head, _, rest = path.partition(".")
        if head not in UPDATABLE or (head != "settings" and rest):
            raise InvalidArgument(f"field {path!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": path})
        if head == "display_name":
            display_name = clean_display_name(value or "", tenant.tenant_id)
        elif head == "custom_domains":
            domains = normalize_domains(list(value or []), base_domain)
            domains_changed = True
        else:
            settings = _set_path(settings, defaults, rest.split(".") if rest else [], value, path)
    new_settings = validate_settings(TenantSettings.from_dict(settings))
    return replace(tenant, display_name=display_name, settings=new_settings, custom_domains=domains), domains_changed


def _set_path(
    target: dict[str, Any], defaults: dict[str, Any], parts: list[str], value: Any, path: str
) -> dict[str, Any]:
    if not parts:
        # The whole settings object: unset parts keep their defaults, as on create.
        return TenantSettings.from_dict(value or {}).to_dict()
    head, rest = parts[0], parts[1:]
    if head not in target:
        raise InvalidArgument(f"unknown field {path!r}", reason="INVALID_UPDATE_MASK", details={"field": path})
    result = dict(target)
    if rest:
        if not isinstance(target[head], dict):
            raise InvalidArgument(f"unknown field {path!r}", reason="INVALID_UPDATE_MASK", details={"field": path})
        result[head] = _set_path(target[head], defaults[head], rest, value, path)
    elif isinstance(target[head], dict):
        merged = dict(defaults[head])
        merged.update({k: v for k, v in (value or {}).items()})
        result[head] = merged
    else:
        result[head] = defaults[head] if value is None else value
    return result
