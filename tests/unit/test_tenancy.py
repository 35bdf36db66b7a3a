"""services.common.tenancy: tenant id rules, schema names and tenant selection."""

from __future__ import annotations

import pytest

from services.common.context import request_meta
from services.common.errors import InvalidArgument
from services.common.settings import SERVICES
from services.common.tenancy import (
    TENANT_ID_MAX,
    TenantSelection,
    is_valid_tenant_id,
    require_tenant_id,
    select_tenant,
    tenant_id_problem,
    tenant_schema,
)

pytestmark = pytest.mark.unit

LONGEST = "a" + "b" * (TENANT_ID_MAX - 2) + "9"

GOOD = ["acme", "abc", "a1b", "acme-corp", "a-b-c", "tenant42", "x9z", LONGEST, "my-company-2024"]

BAD = {
    "empty": "",
    "upper case": "Acme",
    "all upper": "ACME",
    "sql quote": "a'; drop",
    "sql comment": "acme--drop",
    "semicolon": "acme;",
    "space": "ac me",
    "underscore": "ac_me",
    "dot": "ac.me",
    "slash": "acme/x",
    "too long": "a" * (TENANT_ID_MAX + 1),
    "far too long": "a" * 200,
    "too short 1": "a",
    "too short 2": "ab",
    "leading digit": "1acme",
    "leading hyphen": "-acme",
    "trailing hyphen": "acme-",
    "double hyphen": "ac--me",
    "reserved public": "public",
    "reserved admin": "admin",
    "reserved api": "api",
    "reserved well-known": "well-known",
    "reserved postgres": "postgres",
    "pg prefix": "pg-anything",
    "pg prefix 2": "pg-catalog",
    "pg_ style": "pgtemp",
    "punycode": "xn--acme",
    "cyrillic a": "\u0430cme",
    "fullwidth": "\uff41cme",
    "turkish dotless i": "adm\u0131n",
    "zero width": "ac\u200bme",
    "nul": "acme\x00",
    "leading space": " acme",
}


@pytest.mark.parametrize("tenant_id", GOOD)
def test_good_ids_are_accepted(tenant_id: str) -> None:
    assert tenant_id_problem(tenant_id) is None
    assert is_valid_tenant_id(tenant_id)
    assert require_tenant_id(tenant_id) == tenant_id


@pytest.mark.parametrize("tenant_id", list(BAD.values()), ids=list(BAD))
def test_bad_ids_are_rejected(tenant_id: str) -> None:
    assert tenant_id_problem(tenant_id)
    assert not is_valid_tenant_id(tenant_id)
    with pytest.raises(InvalidArgument) as caught:
        require_tenant_id(tenant_id)
    assert caught.value.reason == "INVALID_TENANT_ID"
    assert caught.value.details == {"field": "tenant_id"}


@pytest.mark.parametrize("tenant_id", ["acme\n", "public-x\n"])
def test_trailing_newline_is_rejected(tenant_id: str) -> None:
    assert tenant_id_problem(tenant_id) is not None


def test_error_names_the_field() -> None:
    with pytest.raises(InvalidArgument) as caught:
        require_tenant_id("X", field="parent")
    assert caught.value.details == {"field": "parent"}
    assert caught.value.message.startswith("parent ")


def test_problem_messages_explain() -> None:
    assert tenant_id_problem("") == "is required"
    assert tenant_id_problem("a" * 41) == "must be at most 40 characters"
    assert tenant_id_problem("ac--me") == "must not contain consecutive hyphens"
    assert tenant_id_problem("public") == "is reserved"


def test_non_string_is_rejected() -> None:
    assert tenant_id_problem(None) == "is required"  # type: ignore[arg-type]


def test_reserved_with_suffix_is_allowed_unless_prefixed() -> None:
    assert tenant_id_problem("admin-team") is None
    assert tenant_id_problem("public-sector") is None


@pytest.mark.parametrize("service", SERVICES)
def test_schema_of_longest_id_fits_postgres_identifier(service: str) -> None:
    schema = tenant_schema(service, LONGEST)
    assert schema == f"{service}_t_{LONGEST}"
    assert len(schema.encode()) < 63


def test_tenant_schema_validates_the_id() -> None:
    with pytest.raises(InvalidArgument):
        tenant_schema("identity", 'acme"; drop schema public; --')


def test_distinct_tenants_get_distinct_schemas() -> None:
    assert tenant_schema("token", "acme") != tenant_schema("token", "acme-2")
    assert tenant_schema("token", "acme") != tenant_schema("session", "acme")


# --- select_tenant -------------------------------------------------------------------------------

BASE = "binoauth.dev"


def gateway(**headers: str) -> list[tuple[str, str]]:
    md = [("x-binoauth-gateway", "1")]
    names = {"path": "x-binoauth-tenant", "host": "x-forwarded-host", "header": "x-tenant-id"}
    md += [(names[k], v) for k, v in headers.items()]
    return md


def test_path_prefix_wins_over_subdomain_and_header() -> None:
    meta = request_meta(gateway(path="from-path", host="from-sub.binoauth.dev", header="from-header"))
    assert select_tenant(meta, BASE) == [TenantSelection("path", tenant_id="from-path")]


def test_path_prefix_wins_over_custom_domain() -> None:
    meta = request_meta(gateway(path="from-path", host="login.acme.com"))
    assert select_tenant(meta, BASE) == [TenantSelection("path", tenant_id="from-path")]


def test_subdomain_of_base_domain_decides_alone() -> None:
    meta = request_meta(gateway(host="acme.binoauth.dev", header="other"))
    assert select_tenant(meta, BASE) == [TenantSelection("subdomain", tenant_id="acme")]


def test_subdomain_with_port() -> None:
    meta = request_meta(gateway(host="acme.binoauth.dev:8443"))
    assert select_tenant(meta, BASE) == [TenantSelection("subdomain", tenant_id="acme")]


def test_subdomain_with_trailing_dot_and_upper_case() -> None:
    meta = request_meta(gateway(host="ACME.binoauth.dev."))
    assert select_tenant(meta, BASE) == [TenantSelection("subdomain", tenant_id="acme")]


def test_look_alike_base_domain_is_not_a_subdomain() -> None:
    meta = request_meta(gateway(host="acme.evilbinoauth.dev"))
    assert select_tenant(meta, BASE) == [TenantSelection("custom_domain", host="acme.evilbinoauth.dev")]


def test_nested_subdomain_is_a_custom_domain_candidate() -> None:
    meta = request_meta(gateway(host="a.b.binoauth.dev"))
    assert select_tenant(meta, BASE) == [TenantSelection("custom_domain", host="a.b.binoauth.dev")]


def test_custom_domain_candidate_then_header_fallback() -> None:
    meta = request_meta(gateway(host="login.acme.com", header="acme"))
    assert select_tenant(meta, BASE) == [
        TenantSelection("custom_domain", host="login.acme.com"),
        TenantSelection("header", tenant_id="acme"),
    ]


def test_base_domain_itself_falls_back_to_header() -> None:
    meta = request_meta(gateway(host="binoauth.dev", header="acme"))
    assert select_tenant(meta, BASE) == [TenantSelection("header", tenant_id="acme")]


@pytest.mark.parametrize("host", ["10.1.2.3", "10.1.2.3:8080", "[::1]:8080", "localhost"])
def test_ip_and_single_label_hosts_are_not_custom_domains(host: str) -> None:
    meta = request_meta(gateway(host=host, header="acme"))
    assert select_tenant(meta, BASE) == [TenantSelection("header", tenant_id="acme")]


def test_nothing_selects_nothing() -> None:
    assert select_tenant(request_meta([]), BASE) == []
    assert select_tenant(request_meta(gateway()), BASE) == []


def test_header_alone_selects_header() -> None:
    assert select_tenant(request_meta([("x-tenant-id", "acme")]), BASE) == [
        TenantSelection("header", tenant_id="acme")
    ]


def test_spoofed_gateway_headers_without_mark_are_ignored() -> None:
    meta = request_meta([("x-binoauth-tenant", "victim"), ("x-forwarded-host", "victim.binoauth.dev"),
                         ("x-tenant-id", "mine")])
    assert select_tenant(meta, BASE) == [TenantSelection("header", tenant_id="mine")]


def test_localhost_base_domain_subdomains() -> None:
    meta = request_meta(gateway(host="acme.localhost:8080"))
    assert select_tenant(meta, "localhost") == [TenantSelection("subdomain", tenant_id="acme")]
