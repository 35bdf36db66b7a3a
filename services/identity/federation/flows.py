"""One sign-in through a provider between the redirect out and the callback: PKCE verifier,
nonce, where to go back to, and the browser it belongs to.

The record is stored under a hash of `state` for 10 minutes and taken with GETDEL, so a
state works once. It also holds a hash of a random value kept in a cookie of the browser that
started the flow: a callback URL replayed in, or planted into, another browser (login CSRF,
a code injected from an attacker's own sign-in) does not find its binding."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from typing import Any, Final

import redis.asyncio as aioredis

from services.common.context import cookie_value
from services.common.redis import purge_tenant, tenant_key

FLOW_SECONDS: Final = 600
KIND: Final = "fedflow"
BINDING_COOKIE: Final = "binoauth_federation"
MAX_STATE = 128


@dataclass(frozen=True)
class Flow:
    provider_id: str
    binding_hash: str
    nonce: str
    code_verifier: str
    return_to: str
    started_at: float
    redirect_uri: str
    # A flow that connects the provider to this signed-in user (the account page) instead of
    # signing in; the callback checks that the browser's session is still that user's.
    link_user_id: str = ""
    # The max_age sent to the provider (None: none was); its ID token's auth_time must meet it.
    max_age: int | None = None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def s256(verifier: str) -> str:
    """RFC 7636 4.2 code_challenge for S256."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def binding_hash(binding: str) -> str:
    return hashlib.sha256(b"binoauth-federation:" + binding.encode()).hexdigest()


def bound_to(flow: Flow, binding: str) -> bool:
    return bool(binding) and hmac.compare_digest(flow.binding_hash, binding_hash(binding))


def binding_from_cookies(cookie_header: str) -> str:
    value = cookie_value(cookie_header, BINDING_COOKIE)
    return value if 20 <= len(value) <= 100 else ""


def binding_cookie(value: str, path: str, secure: bool, cross_site_post: bool) -> str:
    """The browser binding. SameSite=Lax reaches a callback that is a top-level GET; a
    form_post callback (Apple) is a cross-site POST, which only a SameSite=None cookie
    reaches, and browsers only keep those when Secure."""
    same_site = "None" if cross_site_post and secure else "Lax"
    attributes = [f"{BINDING_COOKIE}={value}", f"Path={path}", f"Max-Age={FLOW_SECONDS}", "HttpOnly",
                  f"SameSite={same_site}"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def _key(tenant_id: str, state: str) -> str:
    return tenant_key(KIND, tenant_id, hashlib.sha256(state.encode()).hexdigest())


class RedisFlows:
    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client

    async def put(self, tenant_id: str, state: str, flow: Flow) -> None:
        await self._redis.set(_key(tenant_id, state), json.dumps(asdict(flow)), ex=FLOW_SECONDS)

    async def take(self, tenant_id: str, state: str) -> Flow | None:
        """The flow of `state`, once: a second take finds nothing."""
        if not state or len(state) > MAX_STATE:
            return None
        raw: Any = await self._redis.getdel(_key(tenant_id, state))
        if raw is None:
            return None
        return Flow(**json.loads(raw))

    async def purge_tenant(self, tenant_id: str) -> int:
        return await purge_tenant(self._redis, tenant_id, [KIND])
