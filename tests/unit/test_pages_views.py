"""HTML of the hosted pages (services/common/pages/kit.py): escaping, the CSP (same-origin
stylesheets only), forms with the CSRF field, and form parsing."""

from __future__ import annotations

import pytest
from google.api import httpbody_pb2

from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator
from services.common.pages.kit import Field, Look, Page, content_security_policy, esc, form
from services.identity.pages.servicer import FormError, parse_form

pytestmark = pytest.mark.unit
EVIL = '<script>alert("x")</script> & \'Co\''
LOOK = Look(Translator(), Branding("x"), "/tenant/acme")


def test_tenant_name_and_values_are_escaped() -> None:
    html = Page(EVIL, EVIL, message=EVIL, error=True, paragraphs=[EVIL],
                forms=[form('/login"><x', ("csrf_token", "tok\"en"), [Field("email", EVIL, "email", EVIL)], EVIL,
                            {"return_to": EVIL})],
                links=[('javascript:"x"', EVIL)]).render(LOOK)
    assert "<script" not in html and "alert(\"x\")" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in html
    assert 'action="/login&quot;&gt;&lt;x"' in html and 'value="tok&quot;en"' in html
    assert html.startswith("<!DOCTYPE html>") and "<style" not in html and " style=" not in html
    assert '<link rel="stylesheet" href="/assets/pages.css?v=' in html
    assert '<link rel="stylesheet" href="/tenant/acme/branding.css">' in html
    assert 'name="csrf_token"' in html


def test_csp() -> None:
    assert content_security_policy() == ("default-src 'none'; style-src 'self'; img-src 'self'; "
                                         "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    assert "form-action 'self' https://app.example.com;" in content_security_policy("https://app.example.com/cb?x")
    assert "form-action 'self';" in content_security_policy("https://bad host'/")
    assert esc("<>&\"'") == "&lt;&gt;&amp;&quot;&#x27;"


def test_field_errors_are_tied_to_their_field() -> None:
    html = form("/signup", ("csrf_token", "t"), [Field("email", "Email", "email", error="Taken")], "Go")
    assert 'aria-invalid="true" aria-describedby="email-error"' in html
    assert '<p id="email-error"' in html and ">Taken</p>" in html


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
