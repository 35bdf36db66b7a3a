"""Use cases of applications: the admin API and client authentication for the token endpoint."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, Protocol

import structlog

from services.common.directory import TenantInfo
from services.common.errors import InvalidArgument, NotFound, Unauthenticated
from services.common.pagination import decode_page_token, encode_page_token, page_size
from services.common.search import like_pattern
from services.common.tenancy import TenantSelection
from services.common.timestamps import Clock, utcnow
from services.token.applications.model import (
    LIFETIME_RANGES,
    Application,
    ApplicationType,
    ClientType,
    SecretState,
    TokenLifetimes,
    is_client_id,
    new_client_id,
    new_client_secret,
    overlap_seconds,
    parse_application_type,
    secret_matches,
    validated,
)
from services.token.applications.presentation import LINKS
from services.token.applications.store import PgApplicationStore

_log = structlog.get_logger("token")
PRESENTATION_FIELDS = ("logo_url", "logo_image", *LINKS, "scope_descriptions")
UPDATABLE = ("display_name", "redirect_uris", "post_logout_redirect_uris", "grant_types", "allowed_scopes",
             "token_lifetimes", *(f"token_lifetimes.{name}" for name in LIFETIME_RANGES), "first_party",
             "token_endpoint_auth_method", "jwks", "jwks_uri", "allowed_origins",
             # Safe to change, unlike client_type: it only decides which redirect URIs are
             # allowed and how they match, and whoever may update an application may already
             # register any redirect URI; the new set is validated against the new type.
             "application_type", *PRESENTATION_FIELDS)


class Tenants(Protocol):
    async def select(self, candidates: list[TenantSelection]) -> TenantInfo: ...


def application_not_found() -> NotFound:
    return NotFound("application not found", reason="APPLICATION_NOT_FOUND")


def invalid_client() -> Unauthenticated:
    # One answer for unknown client, public client, wrong or expired secret (RFC 6749 §5.2).
    return Unauthenticated("client authentication failed", reason="INVALID_CLIENT")


def _tokens(tenant: TenantInfo) -> dict[str, Any]:
    tokens = tenant.settings.get("tokens") if isinstance(tenant.settings, dict) else None
    return tokens if isinstance(tokens, dict) else {}


APPLICATIONS_TOPIC = "application"
# The token endpoint reads clients from this in-process cache; every change is pushed to all
# replicas (APPLICATIONS_TOPIC), so the TTL only bounds a lost invalidation message.
CLIENT_CACHE_SECONDS = 30.0


class ApplicationUseCases:
    def __init__(self, store: PgApplicationStore, clock: Clock = utcnow,
                 notify: Callable[[str, str], Awaitable[None]] | None = None,
                 monotonic: Callable[[], float] = time.monotonic, allow_http_jwks_uri: bool = False) -> None:
        self._store = store
        self._allow_http_jwks_uri = allow_http_jwks_uri
        self._clock = clock
        self._notify = notify
        self._monotonic = monotonic
        self._cache: dict[tuple[str, str], tuple[float, Application | None]] = {}
        # Counts invalidations: a client read while one ran may predate it, so it is not cached.
        self._forgotten = 0

    def forget(self, key: str) -> None:
        """Invalidation message: "<tenant id> <client id>"."""
        tenant_id, _, client_id = key.partition(" ")
        self._forgotten += 1
        self._cache.pop((tenant_id, client_id), None)

    def forget_tenant(self, tenant_id: str) -> None:
        """Invalidation message (TENANT_TOPIC): the tenant changed, or was deleted and maybe
        created again under the same id; none of its cached clients may be served."""
        self._forgotten += 1
        for key in [k for k in self._cache if k[0] == tenant_id]:
            self._cache.pop(key, None)

    async def _changed(self, tenant_id: str, client_id: str) -> None:
        self._cache.pop((tenant_id, client_id), None)
        if self._notify is not None:
            await self._notify(APPLICATIONS_TOPIC, f"{tenant_id} {client_id}")

    # --- admin API ------------------------------------------------------------------------
    async def find(self, tenant_id: str, client_id: str, fresh: bool = False,
                   full: bool = False) -> Application | None:
        """The application, or None (also for a malformed client_id, before any SQL); from
        the in-process cache unless `fresh`. Without `full`, without its uploaded logo image
        (up to ~350 KB, which the cache does not keep; pages link the logo by its hash)."""
        if not is_client_id(client_id):
            return None
        key = (tenant_id, client_id)
        hit = self._cache.get(key)
        if hit is not None and not fresh and not full and hit[0] > self._monotonic():
            return hit[1]
        forgotten = self._forgotten
        app = await self._store.get(tenant_id, client_id)
        slim = without_logo_image(app)
        if len(self._cache) > 50_000:
            self._cache.clear()
        if forgotten == self._forgotten:
            self._cache[key] = (self._monotonic() + CLIENT_CACHE_SECONDS, slim)
        return app if full else slim

    async def get(self, tenant_id: str, client_id: str) -> Application:
        app = await self.find(tenant_id, client_id, fresh=True, full=True)
        if app is None:
            raise application_not_found()
        return app

    async def list(self, tenant_id: str, size: int, token: str, query: str = "",
                   client_type: ClientType | None = None,
                   application_type: ApplicationType | None = None) -> tuple[list[Application], str]:
        """One page, filtered by `query` (substring of client id or name) and the types; the
        token is the last client id, so the filters must stay the same from page to page."""
        limit = page_size(size)
        after = decode_page_token(token)
        if after is not None and not isinstance(after, str):
            raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
        found = await self._store.list(tenant_id, after, limit + 1, like_pattern(query), client_type,
                                       application_type)
        next_token = encode_page_token(found[limit - 1].client_id) if len(found) > limit else ""
        return found[:limit], next_token

    async def create(self, tenant: TenantInfo, draft: Application) -> tuple[Application, str]:
        """Registers `draft` (its client_id, times and secret are ignored); returns the
        application and, for a confidential client, its secret (to show once)."""
        now = self._clock()
        app = validated(replace(draft, create_time=now, update_time=now, secret=None), _tokens(tenant),
                        allow_http_jwks_uri=self._allow_http_jwks_uri)
        secret = ""
        if app.confidential:
            secret, digest = new_client_secret()
            app = replace(app, secret=SecretState(digest, now))
        for _attempt in range(3):
            app = replace(app, client_id=new_client_id())
            if await self._store.insert(tenant.tenant_id, app):
                _log.info("application created", client_id=app.client_id, client_type=app.client_type.value,
                          application_type=app.application_type.value if app.application_type else "")
                return app, secret
        raise RuntimeError("could not allocate a client_id")  # pragma: no cover - 2^96 space

    async def update(self, tenant: TenantInfo, client_id: str, changes: dict[str, Any]) -> Application:
        unknown = sorted(set(changes) - set(UPDATABLE))
        if unknown:
            raise InvalidArgument(f"field {unknown[0]!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": unknown[0]})
        if not is_client_id(client_id):
            raise application_not_found()

        def change(app: Application) -> Application:
            return validated(apply_changes(app, changes), _tokens(tenant),
                             allow_http_jwks_uri=self._allow_http_jwks_uri)

        saved = await self._store.update(tenant.tenant_id, client_id, change, self._clock())
        if saved is None:
            raise application_not_found()
        await self._changed(tenant.tenant_id, client_id)
        _log.info("application updated", client_id=client_id, fields=",".join(sorted(changes)))
        return saved

    async def delete(self, tenant_id: str, client_id: str) -> None:
        if not is_client_id(client_id) or not await self._store.delete(tenant_id, client_id):
            raise application_not_found()
        await self._changed(tenant_id, client_id)
        _log.info("application deleted", client_id=client_id)

    async def rotate_secret(self, tenant_id: str, client_id: str,
                            overlap: int | None = None) -> tuple[Application, str]:
        """A new secret (returned once); the current one stays valid for `overlap` seconds
        (default 24 h, 0 = revoke it now). A secret still in an earlier overlap is dropped."""
        seconds = overlap_seconds(overlap)
        if not is_client_id(client_id):
            raise application_not_found()
        now = self._clock()
        secret, digest = new_client_secret()

        def change(app: Application) -> Application:
            if not app.confidential or app.secret is None:
                raise InvalidArgument("a public client has no secret to rotate", reason="PUBLIC_CLIENT_HAS_NO_SECRET",
                                      details={"client_id": client_id})
            previous = app.secret.secret_hash if seconds else None
            return replace(app, secret=SecretState(digest, now, previous,
                                                   now + timedelta(seconds=seconds) if previous else None))

        saved = await self._store.update(tenant_id, client_id, change, now)
        if saved is None:
            raise application_not_found()
        await self._changed(tenant_id, client_id)
        _log.info("client secret rotated", client_id=client_id, overlap_seconds=seconds)
        return saved, secret

    # --- for the token endpoint -----------------------------------------------------------
    async def authenticate_client(self, tenant_id: str, client_id: str, secret: str) -> Application:
        """The confidential client whose current secret, or previous secret within its
        overlap window, is `secret` (compared in constant time); otherwise Unauthenticated
        INVALID_CLIENT, the same for every kind of failure."""
        app = await self.find(tenant_id, client_id) if isinstance(client_id, str) else None
        state = app.secret if app is not None and app.confidential else None
        if not secret_matches(state, secret, self._clock()) or app is None:
            raise invalid_client()
        return app


def without_logo_image(app: Application | None) -> Application | None:
    """`app` without its uploaded logo image (up to ~350 KB): what the client cache keeps."""
    if isinstance(app, Application) and app.presentation.logo_image:
        return replace(app, presentation=app.presentation.slim())
    return app


def apply_changes(app: Application, changes: dict[str, Any]) -> Application:
    """`app` with the (not yet validated) changes of an update."""
    fields: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    lifetimes = app.token_lifetimes
    for name, value in changes.items():
        if name == "token_lifetimes":
            lifetimes = value if isinstance(value, TokenLifetimes) else TokenLifetimes(**(value or {}))
        elif name.startswith("token_lifetimes."):
            lifetimes = replace(lifetimes, **{name.split(".", 1)[1]: value or None})
        elif name in ("redirect_uris", "post_logout_redirect_uris", "grant_types", "allowed_scopes", "allowed_origins"):
            fields[name] = tuple(value or ())
        elif name == "first_party":
            fields[name] = bool(value)
        elif name == "jwks":
            fields[name] = tuple(value or ())
        elif name == "application_type":
            fields[name] = parse_application_type(value)
        elif name in PRESENTATION_FIELDS:
            shown[name] = tuple(sorted(dict(value or {}).items())) if name == "scope_descriptions" \
                else str(value or "")
        else:
            fields[name] = str(value or "")
    return replace(app, **fields, token_lifetimes=lifetimes, presentation=replace(app.presentation, **shown))
