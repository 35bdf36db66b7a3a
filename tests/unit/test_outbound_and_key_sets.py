"""Tenant-configured fetches: which targets are refused (SSRF), and how fetched client key
sets are cached (services.common.outbound, services.token.oauth.client_key_sets)."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from services.common.outbound import OutboundPolicy, OutboundRefused, is_public, url_problem
from services.token.oauth.client_key_sets import (
    KEY_SET_TTL,
    MIN_REFETCH_SECONDS,
    FetchedKeySets,
    KeySetUnavailable,
    keys_of,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1", "2001:db8::1",
])
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public(address)


@pytest.mark.parametrize(("url", "problem"), [
    ("", "absolute https URL"), ("jwks.json", "absolute https URL"), ("ftp://a.example/j", "absolute https URL"),
    ("https://u:p@a.example/j", "credentials"), ("https://a.example/j#k", "fragment"),
    ("https://a.example/j k", "spaces"), ("https://a.example:99999/j", "not a valid URL"),
    ("https://a.example/" + "x" * 2000, "at most 2000"),
])
def test_malformed_urls_are_refused_before_any_network_access(url: str, problem: str) -> None:
    found = url_problem(url)
    assert found is not None and problem in found


# --- the key-set cache ----------------------------------------------------------------------

def ec_jwk(kid: str) -> dict[str, Any]:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    return {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public)), "kid": kid}


class Server:
    def __init__(self) -> None:
        self.document: Any = {"keys": [ec_jwk("a")]}
        self.fails = False
        self.fetches = 0

    async def fetch(self, url: str, policy: OutboundPolicy) -> Any:
        self.fetches += 1
        if self.fails:
            raise OutboundRefused("the server answered 503")
        return self.document


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world() -> tuple[Server, Clock, FetchedKeySets]:
    server, clock = Server(), Clock()
    return server, clock, FetchedKeySets(OutboundPolicy(), server.fetch, clock)


URL = "https://backend.example.com/jwks.json"


async def test_a_key_set_is_cached_and_refreshed_at_most_every_30_seconds(world: Any) -> None:
    server, clock, sets = world
    assert list(await sets.keys(URL)) == ["a"]
    assert list(await sets.keys(URL, refresh=True)) == ["a"]  # too soon: the cached set
    assert server.fetches == 1
    server.document = {"keys": [ec_jwk("b")]}
    clock.now += MIN_REFETCH_SECONDS
    assert list(await sets.keys(URL)) == ["a"]  # still within its TTL
    assert list(await sets.keys(URL, refresh=True)) == ["b"]
    clock.now += KEY_SET_TTL
    assert server.fetches == 2
    await sets.keys(URL)
    assert server.fetches == 3  # expired


async def test_a_failed_fetch_is_remembered_so_the_url_is_not_hammered(world: Any) -> None:
    server, clock, sets = world
    server.fails = True
    for _ in range(5):
        with pytest.raises(KeySetUnavailable, match="503"):
            await sets.keys(URL, refresh=True)
    assert server.fetches == 1
    server.fails = False
    clock.now += MIN_REFETCH_SECONDS
    assert list(await sets.keys(URL)) == ["a"]


def test_unusable_keys_in_a_published_set_are_skipped() -> None:
    private = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(
        rsa.generate_private_key(public_exponent=65537, key_size=2048))), "kid": "private"}
    document = {"keys": [ec_jwk("good"), private, {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
                         {**ec_jwk("enc"), "use": "enc"}, "junk", ec_jwk("good")]}
    assert list(keys_of(document)) == ["good"]
    for not_a_set in ([], {"keys": "x"}, "text", None):
        with pytest.raises(KeySetUnavailable):
            keys_of(not_a_set)
