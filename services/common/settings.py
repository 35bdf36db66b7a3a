"""Settings from environment variables, as one frozen dataclass per process.

Tests build settings from their own mapping instead of the real environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

SERVICES: Final = ("tenant", "identity", "token", "session")


class Secret:
    """A string that never shows up in repr, str or logs; call `reveal()` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


def _positive(value: float, name: str) -> float:
    if value <= 0:
        raise SettingsError(f"{name} must be greater than 0")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _addresses(env: Mapping[str, str]) -> dict[str, str]:
    defaults = {"tenant": "127.0.0.1:50051", "identity": "127.0.0.1:50052",
                "token": "127.0.0.1:50053", "session": "127.0.0.1:50054"}
    return {name: env.get(f"BINOAUTH_{name.upper()}_ADDR", defaults[name]) for name in SERVICES}


@dataclass(frozen=True)
class Settings:
    """Everything a service process reads from its environment.

    One type for all four services keeps the configuration table in one place; a service
    ignores what it does not use."""

    service: str
    database_url: Secret
    redis_url: Secret
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    metrics_port: int = 9101
    log_level: str = "INFO"
    log_json: bool = True
    # gRPC targets of the other services; a comma-separated list of host:port balances
    # round-robin over replicas, "dns:///name:port" resolves a headless Service.
    service_addresses: Mapping[str, str] = field(default_factory=dict)
    # Public URL of the gateway; issuers and links in emails are built from it, never from
    # a request's Host header.
    public_url: str = "http://localhost:8080"
    # Tenants are also selected by subdomain of this domain (acme.<base_domain>).
    base_domain: str = "localhost"
    db_pool_min: int = 1
    db_pool_max: int = 10
    # Seconds between NOT_SERVING and stop on SIGTERM, so the gateway stops routing first.
    drain_seconds: float = 3.0
    # Seconds in-flight RPCs get to finish after the drain.
    stop_grace_seconds: float = 5.0
    migrate_on_start: bool = True
    # The tenant service turns this into a platform API key with every scope at start-up.
    bootstrap_api_key: Secret = field(default_factory=lambda: Secret(""))
    key_encryption_key: Secret = field(default_factory=lambda: Secret(""))
    # How long callers cache tenant resolutions and credential checks.
    tenant_cache_ttl_seconds: float = 5.0
    # Multiplies the platform's default rate limits (never a tenant's own overrides): for
    # test and benchmark stacks whose clients all share one address.
    rate_limit_scale: float = 1.0
    # Development and tests only: lets tenant-configured fetches (an application's jwks_uri)
    # reach http:// URLs and private or loopback addresses.
    outbound_allow_private: bool = False
    # Signing keys older than this are overdue for rotation (a metric and an alert say so).
    signing_key_max_age_days: int = 90

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        if service not in SERVICES:
            raise SettingsError(f"unknown service {service!r}")
        database_url = env.get("DATABASE_URL", "")
        redis_url = env.get("REDIS_URL", "")
        if not database_url:
            raise SettingsError("DATABASE_URL is required")
        if not redis_url:
            raise SettingsError("REDIS_URL is required")
        public_url = env.get("BINOAUTH_PUBLIC_URL", "http://localhost:8080").rstrip("/")
        if not public_url.startswith(("http://", "https://")):
            raise SettingsError("BINOAUTH_PUBLIC_URL must start with http:// or https://")
        level = env.get("BINOAUTH_LOG_LEVEL", "INFO").upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"BINOAUTH_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
        return cls(
            service=service,
            database_url=Secret(database_url),
            redis_url=Secret(redis_url),
            grpc_host=env.get("BINOAUTH_GRPC_HOST", "127.0.0.1"),
            grpc_port=_int(env, "BINOAUTH_GRPC_PORT", 50051 + SERVICES.index(service)),
            metrics_port=_int(env, "BINOAUTH_METRICS_PORT", 9101 + SERVICES.index(service)),
            log_level=level,
            log_json=_bool(env, "BINOAUTH_LOG_JSON", True),
            service_addresses=_addresses(env),
            public_url=public_url,
            base_domain=env.get("BINOAUTH_BASE_DOMAIN", "localhost").lower().strip("."),
            db_pool_min=_int(env, "BINOAUTH_DB_POOL_MIN", 1),
            db_pool_max=_int(env, "BINOAUTH_DB_POOL_MAX", 10),
            drain_seconds=_float(env, "BINOAUTH_DRAIN_SECONDS", 3.0),
            stop_grace_seconds=_float(env, "BINOAUTH_STOP_GRACE_SECONDS", 5.0),
            migrate_on_start=_bool(env, "BINOAUTH_MIGRATE_ON_START", True),
            bootstrap_api_key=Secret(env.get("BINOAUTH_BOOTSTRAP_API_KEY", "")),
            key_encryption_key=Secret(env.get("BINOAUTH_KEY_ENCRYPTION_KEY", "")),
            tenant_cache_ttl_seconds=_float(env, "BINOAUTH_TENANT_CACHE_TTL_SECONDS", 5.0),
            rate_limit_scale=_positive(_float(env, "BINOAUTH_RATE_LIMIT_SCALE", 1.0), "BINOAUTH_RATE_LIMIT_SCALE"),
            outbound_allow_private=_bool(env, "BINOAUTH_OUTBOUND_ALLOW_PRIVATE", False),
            signing_key_max_age_days=int(_positive(_int(env, "BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS", 90),
                                                   "BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS")),
        )

    def issuer_for(self, tenant_id: str) -> str:
        return f"{self.public_url}/tenant/{tenant_id}"
