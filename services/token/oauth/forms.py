"""Form-encoded request bodies and client authentication (RFC 6749 sections 2.3.1 and 3.2)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from services.token.oauth.client_assertions import CLIENT_ASSERTION_TYPE, assertion_subject
from services.token.oauth.errors import invalid_request

MAX_BODY = 16 * 1024


def parse_form(content_type: str, body: bytes) -> dict[str, str]:
    """Parameters of a form POST; repeated parameters are refused (RFC 6749 section 3.2)."""
    if content_type.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
        raise invalid_request("the request body must be application/x-www-form-urlencoded")
    if len(body) > MAX_BODY:
        raise invalid_request("the request body is too large")
    try:
        pairs = parse_qsl(body.decode("utf-8", errors="strict"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise invalid_request("the request body is not valid form encoding") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise invalid_request(f"parameter {name!r} is repeated")
        form[name] = value
    return form


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    secret: str  # the client secret, or the signed assertion for private_key_jwt
    method: str  # client_secret_basic, client_secret_post, private_key_jwt or none


def client_credentials(authorization: str, form: dict[str, str]) -> ClientCredentials:
    """The one client authentication a request carries; using two methods is an error."""
    basic = authorization[:6].lower() == "basic "
    assertion = "client_assertion" in form or "client_assertion_type" in form
    if sum((basic, "client_secret" in form, assertion)) > 1:
        raise invalid_request("use only one client authentication method")
    if assertion:
        return _assertion_credentials(form)
    if basic:
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise invalid_request("malformed Basic authorization") from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise invalid_request("malformed Basic authorization")
        # RFC 6749 section 2.3.1: both parts are form-encoded before Basic encoding.
        client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        if form.get("client_id") not in (None, client_id):
            raise invalid_request("client_id does not match the authorization header")
        return ClientCredentials(client_id, secret, "client_secret_basic")
    if "client_secret" in form:
        return ClientCredentials(form.get("client_id", ""), form["client_secret"], "client_secret_post")
    return ClientCredentials(form.get("client_id", ""), "", "none")


def _assertion_credentials(form: dict[str, str]) -> ClientCredentials:
    """RFC 7523 section 2.2: client_assertion_type, client_assertion, client_id optional."""
    if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
        raise invalid_request(f"client_assertion_type must be {CLIENT_ASSERTION_TYPE}")
    assertion = form.get("client_assertion", "")
    if not assertion:
        raise invalid_request("client_assertion is required")
    subject = assertion_subject(assertion)
    if form.get("client_id") not in (None, subject):
        raise invalid_request("client_id does not match the client assertion")
    return ClientCredentials(subject, assertion, "private_key_jwt")
