"""PostgreSQL store of applications, in the tenant's token schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import asyncpg

from services.common.db import in_tenant
from services.common.pages.logos import logo_version
from services.token.applications.model import Application, ApplicationType, ClientType, SecretState, TokenLifetimes
from services.token.applications.presentation import Presentation

SERVICE = "token"
_COLUMNS = """client_id, display_name, client_type, redirect_uris, post_logout_redirect_uris, grant_types,
    allowed_scopes, token_endpoint_auth_method, first_party, access_token_ttl_seconds, id_token_ttl_seconds,
    refresh_token_idle_ttl_seconds, refresh_token_absolute_ttl_seconds, secret_hash, secret_created_at,
    previous_secret_hash, previous_secret_expires_at, jwks, jwks_uri, allowed_origins, application_type, logo_url,
    logo_image, homepage_url, privacy_policy_url, terms_of_service_url, scope_descriptions, created_at, updated_at"""
_COLUMN_COUNT = len(_COLUMNS.split(","))


def _row_to_app(row: Any) -> Application:
    secret = None
    if row["secret_hash"] is not None:
        secret = SecretState(bytes(row["secret_hash"]), row["secret_created_at"],
                             bytes(row["previous_secret_hash"]) if row["previous_secret_hash"] is not None else None,
                             row["previous_secret_expires_at"])
    return Application(
        client_id=row["client_id"], display_name=row["display_name"], client_type=ClientType(row["client_type"]),
        redirect_uris=tuple(row["redirect_uris"]), post_logout_redirect_uris=tuple(row["post_logout_redirect_uris"]),
        grant_types=tuple(row["grant_types"]), allowed_scopes=tuple(row["allowed_scopes"]),
        token_lifetimes=TokenLifetimes(row["access_token_ttl_seconds"], row["id_token_ttl_seconds"],
                                       row["refresh_token_idle_ttl_seconds"],
                                       row["refresh_token_absolute_ttl_seconds"]),
        first_party=row["first_party"], token_endpoint_auth_method=row["token_endpoint_auth_method"],
        create_time=row["created_at"], update_time=row["updated_at"], secret=secret, jwks=tuple(row["jwks"]),
        jwks_uri=row["jwks_uri"], allowed_origins=tuple(row["allowed_origins"]),
        application_type=ApplicationType(row["application_type"]),
        presentation=Presentation(row["logo_url"], row["logo_image"], row["homepage_url"], row["privacy_policy_url"],
                                  row["terms_of_service_url"], tuple(sorted(row["scope_descriptions"].items())),
                                  logo_version(row["logo_url"], row["logo_image"])),
    )


def _values(app: Application) -> list[Any]:
    s = app.secret
    lt = app.token_lifetimes
    return [
        app.client_id, app.display_name, app.client_type.value, list(app.redirect_uris),
        list(app.post_logout_redirect_uris), list(app.grant_types), list(app.allowed_scopes),
        app.token_endpoint_auth_method, app.first_party, lt.access_token_ttl_seconds, lt.id_token_ttl_seconds,
        lt.refresh_token_idle_ttl_seconds, lt.refresh_token_absolute_ttl_seconds,
        s.secret_hash if s else None, s.created_at if s else None, s.previous_hash if s else None,
        s.previous_expires_at if s else None, list(app.jwks), app.jwks_uri, list(app.allowed_origins),
        _stored_type(app).value, *_presentation(app.presentation), app.create_time, app.update_time,
    ]


def _presentation(p: Presentation) -> list[Any]:
    return [p.logo_url, p.logo_image, p.homepage_url, p.privacy_policy_url, p.terms_of_service_url,
            dict(p.scope_descriptions)]


def _stored_type(app: Application) -> ApplicationType:
    # validated() always sets it; a draft that skipped validation must not reach the table.
    if app.application_type is None:
        raise ValueError("an application is stored only after validation")
    return app.application_type


class PgApplicationStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def insert(self, tenant_id: str, app: Application) -> bool:
        """False when the client_id is taken (a 96-bit collision: the caller retries)."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            placeholders = ", ".join(f"${i}" for i in range(1, _COLUMN_COUNT + 1))
            row = await conn.fetchrow(
                f"INSERT INTO applications ({_COLUMNS}) VALUES ({placeholders}) "
                "ON CONFLICT (client_id) DO NOTHING RETURNING client_id", *_values(app))
        return row is not None

    async def get(self, tenant_id: str, client_id: str) -> Application | None:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM applications WHERE client_id = $1", client_id)
        return _row_to_app(row) if row else None

    async def list(self, tenant_id: str, after: str | None, limit: int, pattern: str | None = None,
                   client_type: ClientType | None = None,
                   application_type: ApplicationType | None = None) -> list[Application]:
        # `pattern` is services.common.search.like_pattern's; the type filters use
        # applications_types (0011). A tenant's applications are few enough that the substring
        # match runs over the client_id-ordered primary key without a trigram index.
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM applications WHERE ($1::text IS NULL OR client_id > $1) "
                "AND ($3::text IS NULL OR lower(client_id) LIKE $3 OR lower(display_name) LIKE $3) "
                "AND ($4::text IS NULL OR client_type = $4) AND ($5::text IS NULL OR application_type = $5) "
                "ORDER BY client_id LIMIT $2", after, limit, pattern,
                client_type.value if client_type else None,
                application_type.value if application_type else None)
        return [_row_to_app(r) for r in rows]

    async def update(self, tenant_id: str, client_id: str, change: Callable[[Application], Application],
                     now: datetime) -> Application | None:
        """Read (locked), change and write one application in one transaction, so two
        concurrent updates or rotations never lose each other's changes. None if absent."""
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            row = await conn.fetchrow(
                f"SELECT {_COLUMNS} FROM applications WHERE client_id = $1 FOR UPDATE", client_id)
            if row is None:
                return None
            updated = change(_row_to_app(row))
            values = _values(updated)[:-2]  # client_id, then every column but the two times
            names = [name.strip() for name in _COLUMNS.split(",")][1:-2]
            sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(names))
            saved = await conn.fetchrow(
                f"UPDATE applications SET {sets}, updated_at = ${len(values) + 1} WHERE client_id = $1 "
                f"RETURNING {_COLUMNS}", *values, now)
        return _row_to_app(saved)

    async def delete(self, tenant_id: str, client_id: str) -> bool:
        async with in_tenant(self._pool, SERVICE, tenant_id) as conn:
            result: str = await conn.execute("DELETE FROM applications WHERE client_id = $1", client_id)
        return result.endswith(" 1")
