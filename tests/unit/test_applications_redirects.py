"""Redirect URI rules of applications: registration (security.md) and matching at use; the
loopback port varies only when asked (native apps, RFC 8252 §7.3)."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument
from services.token.applications.redirects import (
    MAX_URI_LENGTH,
    MAX_URIS,
    is_private_use,
    redirect_uri_matches,
    redirect_uri_problem,
    validate_redirect_uris,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("uri", [
    "https://app.example.com/callback",
    "https://app.example.com/callback?tenant=acme&x=1",
    "https://app.example.com:8443/cb",
    "https://app.example.com",
    "https://APP.example.com/cb",
    "https://203.0.113.7/cb",
    "https://[2001:db8::1]:8443/cb",
    "http://localhost/cb",
    "http://localhost:3000/callback",
    "http://127.0.0.1/cb",
    "http://127.0.0.1:51004/oauth2/callback",
    "http://[::1]:8080/cb",
    "http://[::1]/",
    "com.example.app:/oauth2redirect",
    "com.example.app:/callback?x=1",
    "dev.binoauth.mobile-app:/cb",
    "com.example.app:///cb",
])
def test_accepted_redirect_uris(uri: str) -> None:
    assert redirect_uri_problem(uri) is None


@pytest.mark.parametrize(("uri", "why"), [
    ("", "empty"),
    ("/callback", "absolute"),
    ("callback", "absolute"),
    ("//app.example.com/cb", "absolute"),
    ("javascript:alert(1)", "https"),
    ("JavaScript:alert(1)", "lower-case"),
    ("javascript://app.example.com/%0aalert(1)", "https"),
    ("data:text/html,<script>alert(1)</script>", "must not contain"),
    ("data:text/html;base64,PHNjcmlwdD4=", "https"),
    ("file:///etc/passwd", "https"),
    ("vbscript:msgbox", "https"),
    ("ftp://app.example.com/cb", "https"),
    ("ws://localhost/cb", "https"),
    ("myapp:/cb", "https"),  # private-use schemes must be reverse-domain names
    ("http://app.example.com/cb", "http is allowed only"),
    ("http://localhost.example.com/cb", "http is allowed only"),
    ("http://127.0.0.2/cb", "http is allowed only"),
    ("http://0.0.0.0/cb", "http is allowed only"),
    ("https://app.example.com/cb#frag", "fragment"),
    ("https://app.example.com/cb#", "fragment"),
    ("com.example.app:/cb#x", "fragment"),
    ("https://*.example.com/cb", "wildcard"),
    ("https://app.example.com/*", "wildcard"),
    ("https://user:pass@app.example.com/cb", "userinfo"),
    ("https://user@app.example.com/cb", "userinfo"),
    ("http://127.0.0.1:80@evil.example/cb", "userinfo"),
    ("com.example.app://user@host/cb", "userinfo"),
    ("https:///cb", "invalid host"),
    ("https:app.example.com/cb", "must have a host"),
    ("https://app.example.com:99999/cb", "port"),
    ("https://app.example.com:0/cb", "port"),
    ("https://app.example.com:/cb", "port"),
    ("https://app.example.com:80x/cb", "port"),
    ("https://app.exa mple.com/cb", "must not contain"),
    ("https://app.example.com/c b", "must not contain"),
    ("https://app.example.com\\@evil.example/cb", "must not contain"),
    ("https://app.example.com/cb\n", "must not contain"),
    ("https://app.example.com/\x00", "must not contain"),
    ("https://bücher.example/cb", "ASCII"),
    ("https://app_example.com/cb", "invalid host"),
    ("https://[::1/cb", "invalid host"),
    ("com.example.app:", "path"),
    ("com.example.app:cb", "path"),
    ("https://app.example.com/" + "a" * MAX_URI_LENGTH, "at most"),
])
def test_refused_redirect_uris(uri: str, why: str) -> None:
    problem = redirect_uri_problem(uri)
    assert problem is not None and why in problem, (uri, problem)


def test_validate_list_names_the_bad_uri_and_removes_duplicates() -> None:
    assert validate_redirect_uris(["https://a.example/cb", "https://a.example/cb", "http://localhost/cb"],
                                  "redirect_uris") == ["https://a.example/cb", "http://localhost/cb"]
    with pytest.raises(InvalidArgument) as error:
        validate_redirect_uris(["https://a.example/cb", "javascript:alert(1)"], "post_logout_redirect_uris")
    assert error.value.reason == "INVALID_REDIRECT_URI"
    assert error.value.details == {"field": "post_logout_redirect_uris", "index": "1"}
    with pytest.raises(InvalidArgument):
        validate_redirect_uris([f"https://a.example/{i}" for i in range(MAX_URIS + 1)], "redirect_uris")


@pytest.mark.parametrize(("uri", "private"), [
    ("com.example.app:/cb", True), ("dev.binoauth.mobile-app:/cb", True), ("com.example.app:///cb", True),
    ("https://app.example.com/cb", False), ("http://127.0.0.1/cb", False), ("myapp:/cb", False),
    ("", False), ("/cb", False),
])
def test_private_use_schemes(uri: str, private: bool) -> None:
    assert is_private_use(uri) is private


def test_private_use_schemes_only_when_allowed() -> None:
    """Web apps (private_use=False) register https and loopback http but no private-use scheme;
    the refusal names the field and the index, as every other redirect URI problem does."""
    web = ["https://a.example/cb", "http://127.0.0.1:8080/cb", "http://localhost/cb", "http://[::1]/cb"]
    assert validate_redirect_uris(web, "redirect_uris", private_use=False) == web
    with pytest.raises(InvalidArgument) as error:
        validate_redirect_uris(["https://a.example/cb", "com.example.app:/cb"], "post_logout_redirect_uris",
                               private_use=False)
    assert error.value.reason == "INVALID_REDIRECT_URI"
    assert error.value.details == {"field": "post_logout_redirect_uris", "index": "1"}
    assert "post_logout_redirect_uris[1]" in str(error.value) and "native" in str(error.value)
    assert validate_redirect_uris(["com.example.app:/cb"], "redirect_uris") == ["com.example.app:/cb"]


# --- matching at use --------------------------------------------------------------------

REGISTERED = ["https://app.example.com/callback", "https://app.example.com/cb?client=web",
              "http://127.0.0.1:8080/native/cb", "http://localhost/cb", "http://[::1]:1234/cb",
              "com.example.app:/oauth2redirect"]


EXACT = ["https://app.example.com/callback", "https://app.example.com/cb?client=web",
         "com.example.app:/oauth2redirect", "http://127.0.0.1:8080/native/cb", "http://localhost/cb",
         "http://[::1]:1234/cb"]
OTHER_LOOPBACK_PORT = [
    "http://127.0.0.1:51413/native/cb",   # loopback: any port
    "http://127.0.0.1/native/cb",         # ... or none
    "http://localhost:3000/cb",
    "http://[::1]:65535/cb",
    "http://[::1]/cb",
]


@pytest.mark.parametrize("presented", EXACT + OTHER_LOOPBACK_PORT)
def test_matching_redirect_uris_with_loopback_port_variation(presented: str) -> None:
    assert redirect_uri_matches(REGISTERED, presented, vary_loopback_port=True)


@pytest.mark.parametrize("presented", EXACT)
def test_exact_matching_by_default(presented: str) -> None:
    assert redirect_uri_matches(REGISTERED, presented)
    assert redirect_uri_matches(tuple(REGISTERED), presented)


@pytest.mark.parametrize("presented", OTHER_LOOPBACK_PORT)
def test_no_loopback_port_variation_by_default(presented: str) -> None:
    """A web app's loopback URI is a development server on a fixed port: another port is
    another program, which must not receive the code (RFC 8252 §7.3 is for native apps)."""
    assert not redirect_uri_matches(REGISTERED, presented)
    assert not redirect_uri_matches(REGISTERED, presented, vary_loopback_port=False)


@pytest.mark.parametrize("presented", [
    "https://app.example.com/callback/",             # trailing slash
    "https://app.example.com/callback?",             # empty query
    "https://app.example.com/Callback",              # path case
    "https://APP.example.com/callback",              # host case
    "HTTPS://app.example.com/callback",              # scheme case
    "https://app.example.com/callback?x=1",          # extra query
    "https://app.example.com/cb?client=web&x=1",     # extra query parameter
    "https://app.example.com/cb",                    # query missing
    "https://app.example.com/callback#frag",         # fragment
    "https://app.example.com/callback#",             # empty fragment
    "https://user@app.example.com/callback",         # userinfo
    "https://app.example.com:443/callback",          # explicit default port
    "https://app.example.com:8443/callback",         # other port on a non-loopback host
    "https://app.example.com/other",                 # other path
    "https://app.example.com/callback/../callback",  # dot segments
    "https://app.example.com/%63allback",            # percent-encoded variant
    "https://app.example.com.evil.example/callback",  # suffix host
    "https://evil.example/callback",
    "http://app.example.com/callback",               # downgrade to http
    "http://127.0.0.1:8080/native/cb/",              # loopback: only the port may vary
    "http://127.0.0.1:9/native/CB",
    "http://127.0.0.1:9/native/cb?x=1",
    "http://127.0.0.1:9/native/cb#x",
    "http://127.0.0.1:9@evil.example/native/cb",     # loopback + userinfo trick
    "http://evil@127.0.0.1:9/native/cb",
    "http://localhost:8080/native/cb",               # loopback host must stay the same
    "http://[::1]:8080/native/cb",
    "http://127.0.0.1:0/native/cb",                  # invalid ports
    "http://127.0.0.1:70000/native/cb",
    "http://127.0.0.1:08080/native/cb",
    "http://127.0.0.1:/native/cb",
    "https://127.0.0.1:8080/native/cb",              # scheme must stay http
    "http://localhost.:3000/cb",
    "http://LOCALHOST:3000/cb",
    "http://127.0.0.1.evil.example:8080/native/cb",
    "com.example.app:/oauth2redirect/",
    "com.example.app://oauth2redirect",
    "",
    "https://app.example.com/callback" + "x" * 3000,
])
@pytest.mark.parametrize("vary", [False, True])
def test_non_matching_redirect_uris(presented: str, vary: bool) -> None:
    assert not redirect_uri_matches(REGISTERED, presented, vary_loopback_port=vary)


def test_port_variation_only_for_registered_loopback_uris() -> None:
    for vary in (False, True):
        assert not redirect_uri_matches(["https://localhost/cb"], "https://localhost:9999/cb", vary_loopback_port=vary)
        assert not redirect_uri_matches(["https://app.example.com/cb"], "https://app.example.com:9999/cb",
                                        vary_loopback_port=vary)
        assert not redirect_uri_matches([], "http://127.0.0.1:9/cb", vary_loopback_port=vary)
        assert not redirect_uri_matches(["http://127.0.0.1"], "http://127.0.0.1:5000/", vary_loopback_port=vary)
        assert not redirect_uri_matches(["http://127.0.0.1/"], "http://127.0.0.1:5000", vary_loopback_port=vary)
    assert redirect_uri_matches(["http://127.0.0.1/cb"], "http://127.0.0.1:50000/cb", vary_loopback_port=True)
    assert not redirect_uri_matches(["http://127.0.0.1/cb"], "http://127.0.0.1:50000/cb")
    assert not redirect_uri_matches(["http://127.0.0.1:3000/cb"], "http://127.0.0.1/cb")
    # Root path: "/" and "" are different strings and do not match each other.
    assert redirect_uri_matches(["http://127.0.0.1"], "http://127.0.0.1:5000", vary_loopback_port=True)


@pytest.mark.parametrize("vary", [False, True])
def test_matching_never_raises_on_junk(vary: bool) -> None:
    for junk in ["\x00", "http://127.0.0.1:99999999999999999999/cb", "http://[::1", "://", "\u2028", "%"]:
        assert redirect_uri_matches(REGISTERED, junk, vary_loopback_port=vary) is False
