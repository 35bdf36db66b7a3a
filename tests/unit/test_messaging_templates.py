"""services.identity.messaging.templates: escaping, links from configuration only, branding."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from services.identity.messaging.templates import TEMPLATES, build_link, render

pytestmark = pytest.mark.unit

BASE = "https://auth.example.com/tenant/acme"
HOSTILE_TENANT = 'Acme <script>alert(1)</script> & "Co" \'x\''

LINKS = {
    "verify_email": {"verify": f"{BASE}/verify-email?code=abc"},
    "magic_link": {"login": f"{BASE}/magic?code=abc"},
    "password_reset": {"reset": f"{BASE}/reset-password?code=abc"},
    "invite": {"accept": f"{BASE}/invite?code=abc"},
    "email_changed_notice": {},
    "signup_existing_account": {"login": f"{BASE}/login", "reset": f"{BASE}/forgot-password"},
}
VALUES = {
    "verify_email": {"code": "123456"},
    "magic_link": {},
    "password_reset": {"code": "654321"},
    "invite": {},
    "email_changed_notice": {},
    "signup_existing_account": {},
}


def test_every_template_is_covered() -> None:
    assert set(TEMPLATES) == set(LINKS) == set(VALUES)


@pytest.mark.parametrize("name", sorted(LINKS))
def test_subject_text_html_and_sender_carry_the_tenant_name(name: str) -> None:
    mail = render(name, tenant_name="Acme Corp", to="u@example.com", links=LINKS[name], values=VALUES[name])
    assert "Acme Corp" in mail.subject
    assert "Acme Corp" in mail.text
    assert "Acme Corp" in mail.html
    assert mail.from_name == "Acme Corp"
    assert mail.to == "u@example.com"
    assert mail.template == name
    for link in LINKS[name].values():
        assert link in mail.text
    for value in VALUES[name].values():
        assert value in mail.text and value in mail.html


@pytest.mark.parametrize("name", sorted(LINKS))
def test_html_escapes_the_tenant_name(name: str) -> None:
    mail = render(name, tenant_name=HOSTILE_TENANT, to="u@example.com", links=LINKS[name], values=VALUES[name])
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; &#x27;x&#x27;" in mail.html


def test_html_escapes_values_and_links() -> None:
    link = f"{BASE}/verify-email?code=%22%3E&x=1"
    hostile_link = link + '"onmouseover="alert(1)'
    mail = render("verify_email", tenant_name="Acme", to="u@example.com",
                  links={"verify": link}, values={"code": "<img src=x onerror=alert(1)>"})
    assert "<img" not in mail.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in mail.html
    assert 'href="https://auth.example.com/tenant/acme/verify-email?code=%22%3E&amp;x=1"' in mail.html
    with pytest.raises(ValueError):  # a quote or space cannot come out of build_link
        render("verify_email", tenant_name="Acme", to="u@example.com",
               links={"verify": hostile_link.replace('"', " ")}, values={"code": "1"})


def test_control_characters_cannot_inject_headers_or_lines() -> None:
    mail = render("magic_link", tenant_name="Acme\r\nBcc: victim@example.com", to="u@example.com",
                  links=LINKS["magic_link"], values={})
    assert "\r" not in mail.subject and "\n" not in mail.subject
    assert mail.subject == "Sign in to Acme Bcc: victim@example.com"
    code = render("verify_email", tenant_name="Acme", to="u@example.com", links=LINKS["verify_email"],
                  values={"code": "1\n\nVisit https://evil.example"})
    assert "Or enter this code: 1 Visit" in code.text


def test_links_must_be_http_urls() -> None:
    for bad in ("javascript:alert(1)", "/relative/path", "data:text/html,x", "https://"):
        with pytest.raises(ValueError):
            render("magic_link", tenant_name="Acme", to="u@example.com", links={"login": bad}, values={})


def test_missing_or_unknown_links_and_values_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown email template"):
        render("nope", tenant_name="Acme", to="u@example.com", links={}, values={})
    with pytest.raises(ValueError, match="links"):
        render("password_reset", tenant_name="Acme", to="u@example.com", links={}, values={"code": "1"})
    with pytest.raises(ValueError, match="links"):
        render("magic_link", tenant_name="Acme", to="u@example.com",
               links={"login": BASE, "extra": BASE}, values={})
    with pytest.raises(ValueError, match="values"):
        render("password_reset", tenant_name="Acme", to="u@example.com", links=LINKS["password_reset"], values={})
    with pytest.raises(ValueError, match="values"):
        render("magic_link", tenant_name="Acme", to="u@example.com", links=LINKS["magic_link"],
               values={"typo": "1"})


def test_optional_values_have_defaults_and_can_be_overridden() -> None:
    default = render("magic_link", tenant_name="Acme", to="u@example.com", links=LINKS["magic_link"], values={})
    assert "expires in 10 minutes" in default.text
    custom = render("magic_link", tenant_name="Acme", to="u@example.com", links=LINKS["magic_link"],
                    values={"expires_minutes": "5"})
    assert "expires in 5 minutes" in custom.text


def test_signup_existing_account_does_not_look_like_a_failed_signup() -> None:
    mail = render("signup_existing_account", tenant_name="Acme", to="u@example.com",
                  links=LINKS["signup_existing_account"], values={})
    assert mail.subject == "Your Acme account"
    assert "Someone tried to create" in mail.text
    assert f"{BASE}/login" in mail.text and f"{BASE}/forgot-password" in mail.text


def test_empty_tenant_name_falls_back() -> None:
    mail = render("magic_link", tenant_name=" \n ", to="u@example.com", links=LINKS["magic_link"], values={})
    assert mail.subject == "Sign in to BinoAuth"


# --- build_link ---------------------------------------------------------------------------

def test_build_link_joins_base_path_and_encoded_params() -> None:
    link = build_link(BASE + "/", "/verify-email", code="a b&c=d/é?#", email="u+1@example.com")
    assert link == ("https://auth.example.com/tenant/acme/verify-email"
                    "?code=a%20b%26c%3Dd%2F%C3%A9%3F%23&email=u%2B1%40example.com")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "auth.example.com", "/tenant/acme/verify-email")
    assert parse_qs(parts.query) == {"code": ["a b&c=d/é?#"], "email": ["u+1@example.com"]}


def test_build_link_without_params_and_on_http_base() -> None:
    assert build_link("http://localhost:8080/tenant/t1", "/login") == "http://localhost:8080/tenant/t1/login"


@pytest.mark.parametrize("base", [
    "javascript:alert(1)", "JAVASCRIPT://example.com/%0aalert(1)", "data:text/html,hi", "ftp://example.com",
    "/tenant/acme", "tenant/acme", "//evil.example/tenant", "", "https://", "https:///path",
    "https://user:pw@auth.example.com", "https://evil.example@auth.example.com",
    "https://auth.example.com/?next=x", "https://auth.example.com/#frag",
    "https://auth.example.com/\r\nX: y", "https://auth example.com", "https:\\\\evil.example",
])
def test_build_link_refuses_bases_that_are_not_plain_http_urls(base: str) -> None:
    with pytest.raises(ValueError):
        build_link(base, "/verify-email", code="1")


@pytest.mark.parametrize("path", [
    "verify", "//evil.example/x", "/a/../b", "/a?x=1", "/a#f", "/a b", "/a\\b", "", "https://evil.example",
])
def test_build_link_refuses_paths_that_are_not_plain(path: str) -> None:
    with pytest.raises(ValueError):
        build_link(BASE, path)


def test_build_link_wants_string_params() -> None:
    with pytest.raises(TypeError):
        build_link(BASE, "/x", code=123)  # type: ignore[arg-type]
