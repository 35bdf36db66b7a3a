"""CSP form-action of the hosted sign-in forms (services/common/form_targets.py): the token
service vouches for a validated redirect URI's origin, the hosted pages add it to the header
only when the voucher verifies; a tampered, foreign or expired one never reaches the header."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from services.common.context import RequestMeta
from services.common.form_targets import LIFETIME_SECONDS, PARAMETER, FormTargets, derive_key, origin_of
from services.common.pages.kit import content_security_policy
from services.common.settings import Secret, SettingsError
from services.identity.auth import Tenant
from services.identity.pages.servicer import HostedPagesServicer, Reply, Request
from services.token.applications.model import Application, ApplicationType, ClientType
from tests.unit.oauth_fakes import T0, Clock
from tests.unit.test_oauth_authorize import CALLBACK, World, location

pytestmark = pytest.mark.unit
KEY = derive_key(Secret("k" * 40))
ORIGIN = "https://app.example.com"


def targets(clock: Clock | None = None) -> FormTargets:
    return FormTargets(KEY, clock or Clock(T0))


def authorize_path(client_id: str = "app_1", **extra: str) -> str:
    return "/oauth2/authorize?" + urlencode({"response_type": "code", "client_id": client_id,
                                             "redirect_uri": CALLBACK, **extra})


def vouched_path(client_id: str = "app_1", redirect_uri: str = CALLBACK, tenant_id: str = "acme") -> str:
    return authorize_path(client_id, **targets().vouch(tenant_id, client_id, redirect_uri))


def test_a_voucher_round_trips_for_its_tenant_and_client_only() -> None:
    path = vouched_path()
    assert targets().origin("acme", path) == ORIGIN
    assert targets().origin("other", path) == ""  # another tenant
    assert targets().origin("acme", path.replace("client_id=app_1", "client_id=app_2")) == ""  # another client
    assert FormTargets(derive_key(Secret("z" * 40)), Clock(T0)).origin("acme", path) == ""  # another key
    later = Clock(T0 + timedelta(seconds=LIFETIME_SECONDS + 1))
    assert targets(later).origin("acme", path) == ""  # expired
    assert targets().origin("acme", path.replace("/oauth2/authorize", "/account")) == ""  # not an authorization


def tampered() -> list[str]:
    value = parse_qs(urlsplit(vouched_path()).query)[PARAMETER][0]
    expiry, mac, origin = value.split(".", 2)
    return [
        f"{expiry}.{mac}.https://evil.example",  # another origin under the same MAC
        f"{int(expiry) + 1}.{mac}.{origin}",  # a later expiry
        f"{expiry}.{mac[:-2]}AA.{origin}",  # another MAC
        f"{expiry}..{origin}", f"{expiry}.{mac}.", ".{mac}.{origin}", "x", "", f"{expiry}.{mac}.{origin} *",
        f"{expiry}.{mac}.{origin}; script-src *", "1" * 40 + f".{mac}.{origin}",
    ]


@pytest.mark.parametrize("value", tampered())
def test_a_tampered_voucher_is_nothing(value: str) -> None:
    assert targets().origin("acme", authorize_path(**{PARAMETER: value})) == ""


def test_an_origin_without_a_voucher_or_with_two_is_nothing() -> None:
    assert targets().origin("acme", authorize_path()) == ""
    good = parse_qs(urlsplit(vouched_path()).query)[PARAMETER][0]
    twice = vouched_path() + "&" + urlencode({PARAMETER: good})
    assert targets().origin("acme", twice) == ""


@pytest.mark.parametrize("uri, origin", [
    ("https://app.example.com/cb?x=1", "https://app.example.com"),
    ("http://127.0.0.1:8123/callback", "http://127.0.0.1:8123"),
    ("com.example.app:/oauth2redirect", "com.example.app:"),
    ("https://a b.example/", ""), ("/relative", ""), ("", ""), ("https://x.example';/", ""),
])
def test_origin_of(uri: str, origin: str) -> None:
    assert origin_of(uri) == origin


class Context:
    def __init__(self) -> None:
        self.metadata: tuple[tuple[str, str], ...] = ()

    async def send_initial_metadata(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self.metadata = metadata


def page_request() -> Request:
    meta = RequestMeta("r", "127.0.0.1", "test", "", True, "acme", "", "", "")
    request = Request(Tenant("acme", "Acme", "http://x/tenant/acme", {}), meta, "csrf")
    checker = targets()
    request.vouched = lambda value: checker.origin("acme", value)
    return request


async def csp_of_login_form(return_to: str) -> str:
    """The CSP header the hosted pages send with a sign-in form that carries `return_to`."""
    request = page_request()
    page = request.page("Sign in", forms=[request.form("/login", [], "Sign in", return_to=return_to)])
    context = Context()
    await HostedPagesServicer._send(context, Reply(200, page, form_targets=request.form_targets), [])
    return dict(context.metadata)["content-security-policy"]


async def test_the_sign_in_page_allows_only_a_vouched_origin() -> None:
    allowed = await csp_of_login_form(vouched_path())
    assert allowed == ("default-src 'none'; style-src 'self'; img-src 'self'; "
                       f"form-action 'self' {ORIGIN}; frame-ancestors 'none'; base-uri 'none'")
    for value in tampered():
        assert "form-action 'self';" in await csp_of_login_form(authorize_path(**{PARAMETER: value}))
    # A voucher of another tenant, or for a URI the request does not name, adds nothing here.
    assert "form-action 'self';" in await csp_of_login_form(vouched_path(tenant_id="other"))
    assert "form-action 'self';" in await csp_of_login_form(authorize_path())
    assert "form-action 'self';" in await csp_of_login_form("/account")


async def test_the_authorization_endpoint_vouches_for_the_validated_redirect_uri_only() -> None:
    loopback = "http://127.0.0.1:8123/cb"
    app = Application("app_1", "App", ClientType.CONFIDENTIAL, redirect_uris=(CALLBACK, loopback), first_party=True,
                      allowed_scopes=("openid", "email"), application_type=ApplicationType.WEB)
    world = World(app)
    endpoint: Any = world.endpoint
    endpoint._form_targets = FormTargets(KEY, world.clock)
    world.platform.signed_in = None  # type: ignore[assignment]
    answer = await world.authorize(redirect_uri=loopback)
    assert answer.status == 303
    return_to = parse_qs(urlsplit(location(answer)).query)["return_to"][0]
    assert FormTargets(KEY, world.clock).origin("acme", return_to) == "http://127.0.0.1:8123"
    # An unregistered redirect URI: an error page, never a voucher.
    refused = await world.authorize(redirect_uri="https://evil.example/cb")
    assert refused.status == 400 and "location" not in dict(refused.headers)


def test_several_targets_each_validated_once() -> None:
    csp = content_security_policy("https://a.example/cb", "https://idp.example/authorize", "https://a.example/x",
                                  "https://bad host'/", "")
    assert "form-action 'self' https://a.example https://idp.example; frame-ancestors" in csp


def test_no_key_without_a_key_encryption_key() -> None:
    with pytest.raises(SettingsError):
        derive_key(Secret(""))
    assert derive_key(Secret("a" * 40)) != derive_key(Secret("b" * 40))
    with pytest.raises(ValueError):
        FormTargets(b"short", Clock(T0))
