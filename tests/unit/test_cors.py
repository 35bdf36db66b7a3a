"""CORS: which origins an application may register, and who may read an answer."""

from __future__ import annotations

import base64

import jwt
import pytest

from services.common.errors import InvalidArgument
from services.token.applications.model import Application, ClientType
from services.token.applications.origins import clean_origins, origin_problem
from services.token.oauth.cors import CorsPolicy, bearer_client, form_client

pytestmark = pytest.mark.unit
CLIENT = "app_" + "a" * 24
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("origin", ["https://app.example.com", "https://app.example.com:8443",
                                    "http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080"])
def test_accepted_origins(origin: str) -> None:
    assert origin_problem(origin) is None


@pytest.mark.parametrize("origin", [
    "", "*", "null", "app.example.com", "https://app.example.com/", "https://app.example.com/spa",
    "https://app.example.com?x=1", "https://app.example.com#x", "https://u:p@app.example.com",
    "https://*.example.com", "https://App.Example.com", "http://app.example.com", "ftp://app.example.com",
    "https://app.example.com:99999", " https://app.example.com",
])
def test_refused_origins(origin: str) -> None:
    assert origin_problem(origin) is not None
    with pytest.raises(InvalidArgument) as refused:
        clean_origins([origin])
    assert refused.value.reason == "INVALID_ORIGIN"


def test_origins_are_deduplicated_and_bounded() -> None:
    assert clean_origins(["https://a.example", "https://a.example"]) == ("https://a.example",)
    with pytest.raises(InvalidArgument, match="at most 20"):
        clean_origins([f"https://a{n}.example" for n in range(21)])


class Apps:
    async def find(self, tenant_id: str, client_id: str) -> Application | None:
        if (tenant_id, client_id) != ("acme", CLIENT):
            return None
        return Application(CLIENT, "SPA", ClientType.PUBLIC, allowed_origins=("https://app.example.com",))


async def test_only_a_registered_origin_of_the_named_client_may_read() -> None:
    cors = CorsPolicy(Apps())
    allowed = dict(await cors.headers("acme", "https://app.example.com", CLIENT))
    assert allowed["access-control-allow-origin"] == "https://app.example.com" and allowed["vary"] == "origin"
    assert "access-control-allow-credentials" not in allowed
    assert await cors.headers("acme", "https://evil.example", CLIENT) == ()
    assert await cors.headers("globex", "https://app.example.com", CLIENT) == ()  # another tenant's client id
    assert await cors.headers("acme", "https://app.example.com", "") == ()
    assert await cors.headers("acme", "", CLIENT) == ()


def test_the_client_named_by_a_request() -> None:
    assert form_client(FORM, f"grant_type=authorization_code&client_id={CLIENT}".encode(), "") == CLIENT
    basic = "Basic " + base64.b64encode(f"{CLIENT}:secret".encode()).decode()
    assert form_client(FORM, b"grant_type=client_credentials", basic) == CLIENT
    assert form_client("text/plain", b"client_id=x", "") == ""
    token = jwt.encode({"client_id": CLIENT, "sub": "usr_1"}, "k" * 32, algorithm="HS256")
    assert bearer_client(f"Bearer {token}") == CLIENT
    assert bearer_client("Bearer not-a-jwt") == "" and bearer_client("Basic abc") == ""
