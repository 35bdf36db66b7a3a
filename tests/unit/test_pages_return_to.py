"""Where the hosted pages continue after sign-in: only paths on the same tenant."""

from __future__ import annotations

import pytest

from services.identity.pages.paths import continue_to, page_url, tenant_relative

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", [
    "", "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "evil.example", " /account", "/acc\tount", "/acc\nount", "/a\\b",
    "/../tenant/other/x", "/a/%2e%2e/%2E%2E/tenant/other", "/./x", "/a%2fb", "/a%5Cb",
    "/tenant/other/account", "/tenant/acmex/account", "/tenant", "/x#frag", "/" + "a" * 3000,
])
def test_refused(value: str) -> None:
    assert tenant_relative(value, "acme") == ""
    assert continue_to(value, "acme") == "/tenant/acme/account"


@pytest.mark.parametrize("value, path_tenant, expected", [
    ("/account", "acme", "/tenant/acme/account"),
    ("/oauth/authorize?client_id=x&state=a%2Fb", "acme", "/tenant/acme/oauth/authorize?client_id=x&state=a%2Fb"),
    ("/tenant/acme/account?x=1", "acme", "/tenant/acme/account?x=1"),
    ("/tenant/acme", "acme", "/tenant/acme/"),
    ("/account", "", "/account"),
    ("/settings?tab=mfa", "", "/settings?tab=mfa"),
])
def test_accepted(value: str, path_tenant: str, expected: str) -> None:
    assert continue_to(value, path_tenant) == expected


def test_without_path_tenant_no_tenant_paths() -> None:
    # Selected by subdomain or custom domain: a /tenant/<id>/ path would switch tenants.
    assert continue_to("/tenant/acme/account", "") == "/account"
    assert page_url("", "/login") == "/login" and page_url("acme", "/login") == "/tenant/acme/login"
