"""services.common.context.request_meta: what servicers learn from gRPC metadata."""

from __future__ import annotations

import pytest
import structlog

from services.common.context import bind, request_meta

pytestmark = pytest.mark.unit


def test_bearer_authorization_is_the_credential() -> None:
    meta = request_meta([("authorization", "Bearer bino_abc123 ")])
    assert meta.credential == "bino_abc123"


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_bearer_scheme_is_case_insensitive(scheme: str) -> None:
    assert request_meta([("authorization", f"{scheme} tok")]).credential == "tok"


def test_x_api_key_is_the_credential_without_bearer() -> None:
    assert request_meta([("x-api-key", "  bino_key  ")]).credential == "bino_key"


def test_bearer_wins_over_x_api_key() -> None:
    meta = request_meta([("x-api-key", "from-header"), ("authorization", "Bearer from-auth")])
    assert meta.credential == "from-auth"


def test_non_bearer_authorization_falls_back_to_api_key() -> None:
    assert request_meta([("authorization", "Basic dXNlcjpwYXNz")]).credential == ""
    assert request_meta([("authorization", "Basic dXNlcjpwYXNz"), ("x-api-key", "k")]).credential == "k"


def test_no_credential_is_empty() -> None:
    assert request_meta([]).credential == ""
    assert request_meta(None).credential == ""


def test_header_names_are_case_insensitive() -> None:
    meta = request_meta([("Authorization", "Bearer t"), ("X-Request-ID", "rid"), ("User-Agent", "ua")])
    assert meta.credential == "t"
    assert meta.request_id == "rid"
    assert meta.user_agent == "ua"


def test_request_id_is_kept_when_present() -> None:
    assert request_meta([("x-request-id", "abc-123")]).request_id == "abc-123"


def test_request_id_is_generated_when_absent_and_unique() -> None:
    first, second = request_meta([]).request_id, request_meta([]).request_id
    assert first and second and first != second
    assert len(first) == 32 and all(c in "0123456789abcdef" for c in first)


def test_ip_from_envoy_external_address() -> None:
    meta = request_meta([("x-envoy-external-address", "203.0.113.7"), ("x-forwarded-for", "1.1.1.1")],
                        peer="ipv4:10.0.0.5:4000")
    assert meta.ip_address == "203.0.113.7"


def test_x_forwarded_for_ignored_without_gateway_mark() -> None:
    meta = request_meta([("x-forwarded-for", "6.6.6.6")], peer="ipv4:10.0.0.5:4000")
    assert meta.ip_address == "10.0.0.5"


def test_x_forwarded_for_last_hop_used_through_gateway() -> None:
    meta = request_meta([("x-binoauth-gateway", "1"), ("x-forwarded-for", "6.6.6.6, 198.51.100.2")])
    assert meta.ip_address == "198.51.100.2"


@pytest.mark.parametrize(("peer", "ip"), [
    ("ipv4:127.0.0.1:5000", "127.0.0.1"),
    ("ipv6:[::1]:5000", "::1"),
    ("", ""),
])
def test_ip_from_peer(peer: str, ip: str) -> None:
    assert request_meta([], peer=peer).ip_address == ip


def test_gateway_headers_only_count_with_gateway_mark() -> None:
    spoofed = [("x-binoauth-tenant", "victim"), ("x-forwarded-host", "victim.example.com")]
    direct = request_meta(spoofed)
    assert direct.via_gateway is False
    assert direct.path_tenant == ""
    assert direct.forwarded_host == ""
    not_one = request_meta([*spoofed, ("x-binoauth-gateway", "true")])
    assert not_one.via_gateway is False
    assert not_one.path_tenant == ""
    trusted = request_meta([*spoofed, ("x-binoauth-gateway", "1")])
    assert trusted.via_gateway is True
    assert trusted.path_tenant == "victim"
    assert trusted.forwarded_host == "victim.example.com"


def test_forwarded_host_is_lower_cased() -> None:
    meta = request_meta([("x-binoauth-gateway", "1"), ("x-forwarded-host", "Acme.Example.COM")])
    assert meta.forwarded_host == "acme.example.com"


def test_x_tenant_id_header_is_read_without_gateway() -> None:
    assert request_meta([("x-tenant-id", "acme")]).header_tenant == "acme"


def test_binary_metadata_is_skipped_and_first_value_wins() -> None:
    meta = request_meta([("x-request-id", b"binary"), ("x-request-id", "first"), ("x-request-id", "second")])
    assert meta.request_id == "first"


def test_user_agent_is_truncated() -> None:
    assert len(request_meta([("user-agent", "x" * 1000)]).user_agent) == 256


def test_bind_skips_empty_values() -> None:
    structlog.contextvars.clear_contextvars()
    try:
        bind(tenant_id="acme", user_id="")
        assert structlog.contextvars.get_contextvars() == {"tenant_id": "acme"}
    finally:
        structlog.contextvars.clear_contextvars()
