"""Full authorization-code round trips per second through the gateway (session already
established, first-party client so no consent: authorize -> code -> token exchange with
PKCE), next to what the signatures of one round trip (one RS256 ID token + one ES256 access
token) cost alone on this machine (for `make bench`)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

from services.token.keys.model import generate
from tools.bench_support import closed_loop, operations_per_second
from tools.stack import Stack

CALLBACK = "https://app.example.com/callback"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway bench user


def create_s256_code_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _world(stack: Stack) -> tuple[str, str, str, str]:
    """(tenant, client_id, client_secret, session cookie value)."""
    tenant_id = f"bench-code-{secrets.token_hex(3)}"
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    unlimited = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
    email = f"bench-{secrets.token_hex(4)}@example.com"
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant_id, "settings": {
            "rate_limits": {"token": unlimited, "management": unlimited}}},
        ).raise_for_status()
        client.post(f"/tenant/{tenant_id}/api/v1/users", headers=platform, json={
            "user": {"email": email, "name": "Bench"}, "password": PASSWORD, "email_verified": True},
        ).raise_for_status()
        created = client.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform, json={
            "display_name": "bench", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "redirect_uris": [CALLBACK],
            "grant_types": ["authorization_code"], "allowed_scopes": ["openid"], "first_party": True})
        created.raise_for_status()
        login = client.post(f"/tenant/{tenant_id}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        session = login.cookies.get("binoauth_session") or ""
    return tenant_id, created.json()["application"]["client_id"], created.json()["client_secret"], session


def bench_code_flow(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    tenant_id, client_id, secret, session = _world(stack)
    base = f"{stack.gateway_url}/tenant/{tenant_id}/oauth2"
    cookie = {"Cookie": f"binoauth_session={session}"}

    def round_trip(client: httpx.Client, _n: int) -> bool:
        verifier = secrets.token_urlsafe(48)
        response = client.get(f"{base}/authorize", headers=cookie, params={
            "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid",
            "state": "s", "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})
        if response.status_code != 302:
            return False
        code = parse_qs(urlsplit(response.headers["location"]).query).get("code", [""])[0]
        token = client.post(f"{base}/token", auth=(client_id, secret), data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier})
        return token.status_code == 200 and "id_token" in token.json()

    trips, trip_ms, failures = closed_loop(round_trip, seconds, concurrency)
    rsa, ec = generate("RS256"), generate("ES256")
    claims = {"sub": "x", "aud": "a", "iss": "i", "exp": 2**31}

    def both() -> None:
        jwt.encode(claims, rsa, algorithm="RS256")
        jwt.encode(claims, ec, algorithm="ES256")

    signs, sign_ms = operations_per_second(both, seconds / 2)
    print(f"authorization-code round trips through the gateway: {trips:.0f}/s ({failures} failed) vs RS256+ES256 "
          f"signature pairs alone {signs:.0f}/s: ratio {trips / signs:.3f}")
    return [(f"auth-code round trips through Envoy ({concurrency} clients)", trips, trip_ms),
            ("RS256 + ES256 signature pairs alone (one thread)", signs, sign_ms)]
