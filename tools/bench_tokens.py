"""client_credentials tokens and introspections per second through the gateway, next to the
ES256 signatures and verifications per second this machine does alone, and what client
authentication by private_key_jwt costs next to a client secret (for `make bench`)."""

from __future__ import annotations

import base64
import secrets
import time

import httpx
import jwt

from services.token.keys.model import generate, public_jwk
from tools.bench_support import closed_loop, operations_per_second
from tools.stack import Stack

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _client(stack: Stack) -> tuple[str, dict[str, str]]:
    tenant_id = f"bench-tokens-{secrets.token_hex(3)}"
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    unlimited = {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        client.post("/api/v1/tenants", headers=platform, json={"tenant_id": tenant_id, "settings": {
            "rate_limits": {"token": unlimited, "management": unlimited}}}).raise_for_status()
        created = client.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform, json={
            "display_name": "bench", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["bench"]})
        created.raise_for_status()
    client_id, secret = created.json()["application"]["client_id"], created.json()["client_secret"]
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return tenant_id, {"Authorization": f"Basic {basic}", **FORM}


def bench_tokens(stack: Stack, seconds: float, concurrency: int) -> list[tuple[str, float, float]]:
    tenant_id, headers = _client(stack)
    base = f"{stack.gateway_url}/tenant/{tenant_id}/oauth2"

    def issue(client: httpx.Client, _n: int) -> bool:
        response = client.post(f"{base}/token", headers=headers, content=b"grant_type=client_credentials")
        return response.status_code == 200

    tokens, token_ms, token_failures = closed_loop(issue, seconds, concurrency)
    keyed, keyed_ms, keyed_failures = _bench_private_key_jwt(stack, tenant_id, seconds, concurrency)
    with httpx.Client(timeout=30) as client:
        token = client.post(f"{base}/token", headers=headers, content=b"grant_type=client_credentials").json()[
            "access_token"]

    def introspect(client: httpx.Client, _n: int) -> bool:
        response = client.post(f"{base}/introspect", headers=headers, data={"token": token})
        return response.status_code == 200 and response.json().get("active") is True

    introspections, introspect_ms, introspect_failures = closed_loop(introspect, seconds, concurrency)
    key = generate("ES256")
    sample = jwt.encode({"sub": "x", "aud": "a", "iss": "i", "exp": 2**31}, key, algorithm="ES256")
    public = key.public_key()
    signs, sign_ms = operations_per_second(lambda: jwt.encode({"sub": "x"}, key, algorithm="ES256"), seconds / 2)
    verifies, verify_ms = operations_per_second(
        lambda: jwt.decode(sample, public, algorithms=["ES256"], audience="a", issuer="i"), seconds / 2)
    print(f"client_credentials through the gateway: {tokens:.0f}/s ({token_failures} failed) vs ES256 signatures "
          f"alone {signs:.0f}/s: ratio {tokens / signs:.3f}; introspections {introspections:.0f}/s "
          f"({introspect_failures} failed) vs ES256 verifications alone {verifies:.0f}/s: "
          f"ratio {introspections / verifies:.3f}; with private_key_jwt {keyed:.0f}/s ({keyed_failures} failed): "
          f"ratio to client_secret_basic {keyed / tokens:.2f}")
    return [(f"client_credentials tokens through Envoy ({concurrency} clients)", tokens, token_ms),
            (f"... same, private_key_jwt ({concurrency} clients)", keyed, keyed_ms),
            ("ES256 signatures alone (one thread)", signs, sign_ms),
            (f"introspections through Envoy ({concurrency} clients)", introspections, introspect_ms),
            ("ES256 verifications alone (one thread)", verifies, verify_ms)]


def _bench_private_key_jwt(stack: Stack, tenant_id: str, seconds: float,
                           concurrency: int) -> tuple[float, float, int]:
    """The same grant, the client authenticated by a fresh signed assertion per request."""
    key = generate("ES256")
    public = public_jwk("ES256", key)
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        created = client.post(f"/tenant/{tenant_id}/api/v1/applications", headers=platform, json={
            "display_name": "bench keys", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
            "grant_types": ["client_credentials"], "allowed_scopes": ["bench"],
            "token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": [public]}})
        created.raise_for_status()
    client_id = created.json()["application"]["client_id"]
    audience = f"{stack.public_url}/tenant/{tenant_id}/oauth2/token"
    header = {"kid": public["kid"]}

    def issue(client: httpx.Client, _n: int) -> bool:
        now = int(time.time())
        assertion = jwt.encode({"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60,
                                "jti": secrets.token_urlsafe(16)}, key, algorithm="ES256", headers=header)
        response = client.post(f"{stack.gateway_url}/tenant/{tenant_id}/oauth2/token", headers=FORM, data={
            "grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion})
        return response.status_code == 200

    return closed_loop(issue, seconds, concurrency)
