"""Wiring of the analytics API into the identity service (called by bootstrap.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from services.common.analytics import RedisAnalytics
from services.common.auth import CachedCredentialVerifier
from services.common.directory import TenantDirectory
from services.common.server import Runtime
from services.common.settings import SettingsError
from services.identity.analytics.folding import FOLD_SECONDS, AnalyticsFolder
from services.identity.analytics.queries import AnalyticsQueries, PlatformDistinct
from services.identity.analytics.servicer import AnalyticsServicer
from services.identity.analytics.store import PgAnalyticsStore

SERVICE_NAME = "binoauth.identity.v1.AnalyticsService"


@dataclass(frozen=True)
class AnalyticsParts:
    counts: RedisAnalytics
    store: PgAnalyticsStore
    folder: AnalyticsFolder
    servicer: AnalyticsServicer


def fold_seconds(env: Mapping[str, str]) -> float:
    """BINOAUTH_ANALYTICS_FOLD_SECONDS: how far behind the analytics API may be (default 2)."""
    raw = env.get("BINOAUTH_ANALYTICS_FOLD_SECONDS", "").strip()
    try:
        value = float(raw) if raw else FOLD_SECONDS
    except ValueError:
        value = -1.0
    if not 0.1 <= value <= 3600:
        raise SettingsError(f"BINOAUTH_ANALYTICS_FOLD_SECONDS must be 0.1 to 3600 seconds, got {raw!r}")
    return value


def analytics_parts(runtime: Runtime, directory: TenantDirectory,
                    credentials: CachedCredentialVerifier) -> AnalyticsParts:
    store = PgAnalyticsStore(runtime.pool)

    async def tenant_exists(tenant_id: str) -> bool:
        return await directory.lookup(tenant_id) is not None

    queries = AnalyticsQueries(store, PlatformDistinct(runtime.redis, store), tenant_exists)
    return AnalyticsParts(
        counts=runtime.analytics, store=store,
        folder=AnalyticsFolder(runtime.redis, store, fold_seconds(os.environ)),
        servicer=AnalyticsServicer(queries, credentials))
