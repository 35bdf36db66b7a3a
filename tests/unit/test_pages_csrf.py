"""CSRF tokens of the hosted pages: HMAC-bound double-submit cookie."""

from __future__ import annotations

import pytest

from services.common.csrf import (
    CsrfTokens,
    cookie_from_header,
    csrf_cookie_header,
    derive_key,
    well_formed,
)
from services.common.settings import Secret

pytestmark = pytest.mark.unit
KEY = derive_key(Secret("k" * 40))


def test_token_round_trip_and_binding() -> None:
    tokens = CsrfTokens(KEY)
    cookie = tokens.new_cookie()
    assert well_formed(cookie) and cookie != tokens.new_cookie()
    token = tokens.token_for("acme", cookie)
    assert token != cookie and tokens.verify("acme", cookie, token)
    # Another cookie, another tenant, another key: refused.
    assert not tokens.verify("acme", tokens.new_cookie(), token)
    assert not tokens.verify("other", cookie, token)
    assert not CsrfTokens(derive_key(Secret("z" * 40))).verify("acme", cookie, token)


@pytest.mark.parametrize("cookie_ok, token", [(False, "x"), (True, ""), (True, "A" * 43), (True, "A" * 500),
                                              (True, "é")])
def test_verify_refuses(cookie_ok: bool, token: str) -> None:
    tokens = CsrfTokens(KEY)
    cookie = tokens.new_cookie() if cookie_ok else ""
    assert not tokens.verify("acme", cookie, token)


def test_plain_double_submit_is_not_enough() -> None:
    # Field == cookie (the naive scheme) must not pass: the field is an HMAC of the cookie.
    tokens = CsrfTokens(KEY)
    cookie = tokens.new_cookie()
    assert not tokens.verify("acme", cookie, cookie)


def test_keys() -> None:
    assert derive_key(Secret("a" * 40)) != derive_key(Secret("b" * 40))
    assert len(derive_key(Secret(""))) == 32  # development fallback still works
    with pytest.raises(ValueError):
        CsrfTokens(b"short")


def test_cookie_parsing_and_attributes() -> None:
    cookie = CsrfTokens.new_cookie()
    assert cookie_from_header(f"a=b; binoauth_csrf={cookie}; binoauth_session=s") == cookie
    assert cookie_from_header("binoauth_csrf=short") == ""
    assert cookie_from_header('binoauth_csrf="unterminated') == ""
    assert cookie_from_header("") == ""
    header = csrf_cookie_header(cookie, True, "/tenant/acme/")
    assert header == f"binoauth_csrf={cookie}; Path=/tenant/acme/; HttpOnly; SameSite=Strict; Secure"
    assert "Secure" not in csrf_cookie_header(cookie, False, "/")
