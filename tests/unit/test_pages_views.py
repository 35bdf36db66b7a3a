"""HTML of the hosted pages: escaping, the CSP nonce, forms with the CSRF field."""

from __future__ import annotations

import pytest
from google.api import httpbody_pb2

from services.identity.pages.servicer import FormError, parse_form
from services.identity.pages.views import Field, Page, content_security_policy, esc, form, new_nonce

pytestmark = pytest.mark.unit
EVIL = '<script>alert("x")</script> & \'Co\''


def test_tenant_name_and_values_are_escaped() -> None:
    html = Page(EVIL, EVIL, message=EVIL, error=True, paragraphs=[EVIL],
                forms=[form('/login"><x', "tok\"en", [Field("email", EVIL, "email", EVIL)], EVIL, {"return_to": EVIL})],
                links=[('javascript:"x"', EVIL)]).render("n0nce")
    assert "<script" not in html and "alert(\"x\")" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in html
    assert 'action="/login&quot;&gt;&lt;x"' in html and 'value="tok&quot;en"' in html
    assert html.startswith("<!DOCTYPE html>") and '<style nonce="n0nce">' in html
    assert 'name="csrf_token"' in html


def test_csp() -> None:
    nonce = new_nonce()
    assert nonce != new_nonce()
    csp = content_security_policy(nonce)
    assert csp == (f"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; "
                   "base-uri 'none'")
    assert esc("<>&\"'") == "&lt;&gt;&amp;&quot;&#x27;"


def test_parse_form() -> None:
    body = httpbody_pb2.HttpBody(content_type="application/x-www-form-urlencoded; charset=UTF-8",
                                 data=b"email=a%40b.example&password=p+w&email=second&empty=")
    assert parse_form(body) == {"email": "a@b.example", "password": "p w", "empty": ""}
    for bad in (httpbody_pb2.HttpBody(content_type="application/json", data=b"{}"),
                httpbody_pb2.HttpBody(content_type="application/x-www-form-urlencoded", data=b"a=%ff"),
                httpbody_pb2.HttpBody(content_type="application/x-www-form-urlencoded", data=b"a=1&" * 100),
                httpbody_pb2.HttpBody(content_type="application/x-www-form-urlencoded", data=b"a=" + b"x" * 20000)):
        with pytest.raises(FormError):
            parse_form(bad)
