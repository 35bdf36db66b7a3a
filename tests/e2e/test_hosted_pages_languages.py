"""Hosted pages, the rest of issue 16, end to end through Envoy: an application's own logo,
links and scope words on consent (its logo served from the tenant's origin at a hashed,
long-cached URL); bad application presentation refused with a clear error; `?ui_locales=` on the
pages themselves (carried on by their links and forms); mails in the language of the page that
caused them; Arabic right to left in Chromium (screenshots kept in build/screenshots/pages/rtl-*,
axe-core clean)."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from tests.e2e.helpers import assert_envelope
from tests.e2e.test_oauth_code_flow import CALLBACK, PASSWORD, Browser, setup_world
from tests.e2e.test_page_kit_browser import AXE, png
from tools.mailsink import html_of, text_of
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots" / "pages"
APP_LOGO_PNG = png(64, 64, (5, 150, 105))
APP_LOGO = "data:image/png;base64," + base64.b64encode(APP_LOGO_PNG).decode()
TENANT_LOGO = "data:image/png;base64," + base64.b64encode(png(96, 32, (29, 78, 216))).decode()
PRESENTATION = {"logo_image": APP_LOGO, "homepage_url": "https://app.example.com/",
                "privacy_policy_url": "https://app.example.com/privacy",
                "terms_of_service_url": "https://app.example.com/terms",
                "scope_descriptions": {"orders:read": "See your orders"}}
SCOPES = "openid email orders:read stock:read"


@pytest.fixture
def world(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
          new_tenant: Callable[..., dict[str, Any]]) -> Iterator[dict[str, str]]:
    tenant = str(new_tenant(display_name="Nordwind", settings={"branding": {
        "logo_image": TENANT_LOGO, "scope_descriptions": {"stock:read": "See the stock"}}})["tenant_id"])
    email, client_id, _ = setup_world(stack, gateway, platform_headers, tenant, display_name="Orders app",
                                      allowed_scopes=["openid", "email", "orders:read", "stock:read"],
                                      **PRESENTATION)
    yield {"tenant": tenant, "email": email, "client_id": client_id}


@pytest.fixture
def plain_world(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
                new_tenant: Callable[..., dict[str, Any]]) -> dict[str, str]:
    """A tenant named Nordwind with one user and an application without presentation."""
    tenant = str(new_tenant(display_name="Nordwind")["tenant_id"])
    email, client_id, _ = setup_world(stack, gateway, platform_headers, tenant)
    return {"tenant": tenant, "email": email, "client_id": client_id}


def authorize_url(stack: Stack, world: dict[str, str], origin: str = "", **extra: str) -> str:
    return f"{origin or stack.public_url}/tenant/{world['tenant']}/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": world["client_id"], "redirect_uri": CALLBACK, "scope": SCOPES,
        "state": "s", "nonce": "n", "code_challenge": create_s256_code_challenge(secrets.token_urlsafe(48)),
        "code_challenge_method": "S256", **extra})


def test_consent_shows_the_applications_logo_links_and_words(
        stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], world: dict[str, str]) -> None:
    tenant, client_id = world["tenant"], world["client_id"]
    shown = gateway.get(f"/tenant/{tenant}/api/v1/applications/{client_id}", headers=platform_headers).json()
    assert {k: shown[k] for k in PRESENTATION} == PRESENTATION
    browser = Browser(stack, tenant)
    page = browser.authorize(authorize_url(stack, world, ui_locales="de"), world["email"], consent=None)
    assert page.status_code == 200, page.text
    html = page.text
    assert 'lang="de"' in html and ">Orders app<" in html
    # The application's words win for its scope; the tenant's describe the other one.
    assert "See your orders" in html and "See the stock" in html
    for href, text in (("https://app.example.com/", "Website"), ("https://app.example.com/privacy",
                                                                 "Datenschutzerklärung"),
                       ("https://app.example.com/terms", "Nutzungsbedingungen")):
        assert f'href="{href}">{text}</a>' in html, text
    found = re.search(r'<img class="[^"]*" src="(/tenant/[^"]+/oauth2/applications/(app_[0-9a-f]+)/logo'
                      r'\?v=([0-9a-f]{12}))" alt="">', html)
    assert found and found.group(2) == client_id, html
    logo = browser.http.get(unescape(found.group(1)))
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/png"
    assert logo.content == APP_LOGO_PNG
    assert "immutable" in logo.headers["cache-control"] and logo.headers["x-content-type-options"] == "nosniff"
    # Another logo: another hash in the page; no logo: no image and a 404.
    other = "data:image/png;base64," + base64.b64encode(png(32, 32, (0, 0, 0))).decode()
    changed = gateway.patch(f"/tenant/{tenant}/api/v1/applications/{client_id}", headers=platform_headers,
                            params={"update_mask": "logo_image"}, json={"logo_image": other})
    assert changed.status_code == 200, changed.text
    again = browser.authorize(authorize_url(stack, world), world["email"], consent=None).text
    assert f"/logo?v={found.group(3)}" not in again and f"/oauth2/applications/{client_id}/logo?v=" in again
    removed = gateway.patch(f"/tenant/{tenant}/api/v1/applications/{client_id}", headers=platform_headers,
                            params={"update_mask": "logo_image"}, json={"logo_image": ""})
    assert removed.status_code == 200, removed.text
    assert "/logo?v=" not in browser.authorize(authorize_url(stack, world), world["email"], consent=None).text.split(
        "<header")[1].split("</header>")[1]
    assert browser.http.get(f"/tenant/{tenant}/oauth2/applications/{client_id}/logo").status_code == 404
    assert browser.http.get(f"/tenant/{tenant}/oauth2/applications/app_{'0' * 24}/logo").status_code == 404


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.mark.parametrize(("fields", "field"), [
    ({"logo_image": "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()}, "logo_image"),
    ({"logo_image": "data:image/png;base64," + base64.b64encode(SVG).decode()}, "logo_image"),
    ({"logo_image": "data:image/png;base64," + base64.b64encode(png(8, 8, (0, 0, 0)) + bytes(300_000)).decode()},
     "logo_image"),
    ({"logo_url": "http://cdn.example.com/logo.png"}, "logo_url"),
    ({"privacy_policy_url": "javascript:alert(1)"}, "privacy_policy_url"),
    ({"scope_descriptions": {"email": "Read all your mail"}}, "scope_descriptions"),
])
def test_bad_application_presentation_is_refused_with_a_clear_error(
        gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]],
        fields: dict[str, Any], field: str) -> None:
    tenant = str(new_tenant()["tenant_id"])
    answer = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform_headers, json={
        "display_name": "App", "client_type": "CLIENT_TYPE_PUBLIC", "redirect_uris": [CALLBACK], **fields})
    error = assert_envelope(answer, 400)
    assert error["message"].startswith(f"{field} ") and error["details"]["field"] == field, error


def _hidden(html: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


def test_ui_locales_on_the_pages_themselves_and_mails_in_their_language(
        stack: Stack, plain_world: dict[str, str]) -> None:
    assert stack.mail is not None
    world = plain_world
    prefix = f"/tenant/{world['tenant']}"
    english = {"Accept-Language": "en-US"}
    with httpx.Client(base_url=stack.gateway_url, timeout=30, headers=english) as http:
        for path, words in (("/login", ">Anmelden<"), ("/signup", ">Konto erstellen<"),
                            ("/forgot-password", ">Passwort vergessen?<"), ("/magic-link", "Anmeldelink"),
                            ("/verify-email", "E-Mail-Adresse bestätigen"), ("/reset-password", "Neues Passwort")):
            page = http.get(prefix + path, params={"ui_locales": "fr-CA de"})
            assert page.status_code == 200 and 'lang="de"' in page.text and words in page.text, path
            # Links and forms carry the language on (as an offered code, never the raw value).
            assert _hidden(page.text).get("ui_locales") == "de", path
        login = http.get(prefix + "/login", params={"ui_locales": "ar"})
        assert 'lang="ar" dir="rtl"' in login.text and "ui_locales=ar" in login.text
        assert "ui_locales" not in http.get(prefix + "/login", params={"ui_locales": "<x>"}).text
        # A form answer speaks the language the form carried (not Accept-Language).
        form = http.get(prefix + "/login", params={"ui_locales": "de"})
        wrong = http.post(prefix + "/login", data={**_hidden(form.text), "email": world["email"],
                                                   "password": "wrong password"})
        assert wrong.status_code == 401 and "E-Mail-Adresse oder Passwort ist falsch" in wrong.text, wrong.text
        # The token service's pages too: device (to the sign-in, in German) and logout.
        device = http.get(prefix + "/device", params={"ui_locales": "de"})
        assert device.status_code == 303
        return_to = parse_qs(urlsplit(device.headers["location"]).query)["return_to"][0]
        assert "ui_locales=de" in return_to
        assert 'lang="de"' in http.get(device.headers["location"]).text
        signed_out = http.get(prefix + "/oauth2/logout", params={"ui_locales": "es"})
        assert signed_out.status_code == 200 and 'lang="es"' in signed_out.text
        # The mail a page causes is in the page's language.
        since = stack.mail.mark()
        reset = http.get(prefix + "/forgot-password", params={"ui_locales": "de"})
        sent = http.post(prefix + "/forgot-password", data={**_hidden(reset.text), "email": world["email"]})
        assert sent.status_code == 200 and 'lang="de"' in sent.text
        mail = stack.mail.wait_for_blocking(world["email"], timeout=10, since=since)
        assert mail["Subject"] == "Setzen Sie Ihr Nordwind-Passwort zurück"
        assert "Oder geben Sie diesen Code ein:" in text_of(mail) and 'lang="de"' in html_of(mail)
        since = stack.mail.mark()
        magic = http.get(prefix + "/magic-link", params={"ui_locales": "ar"})
        sent = http.post(prefix + "/magic-link", data={**_hidden(magic.text), "email": world["email"]})
        assert sent.status_code == 200
        mail = stack.mail.wait_for_blocking(world["email"], timeout=10, since=since)
        assert mail["Subject"] == "تسجيل الدخول إلى Nordwind" and 'dir="rtl"' in html_of(mail)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (npm install; package.json lists it)")
    return AXE.read_text()


def test_arabic_pages_right_to_left_in_a_browser(chromium: Any, stack: Stack, world: dict[str, str],
                                                 axe_source: str) -> None:
    """Sign-in (with an error), consent and the account page in Arabic: dir="rtl", the layout
    mirrored (labels and text start at the right), axe-core clean, no CSP violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(locale="ar-EG")
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    base = f"{stack.gateway_url}/tenant/{world['tenant']}"

    def check(name: str, title: str) -> None:
        page.wait_for_load_state("load")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        assert page.locator("h2").first.inner_text() == title, name
        # Right to left: the heading's text starts at the card's right edge.
        card = page.locator("main > div").first.bounding_box()
        heading = page.locator("h2").first
        assert heading.evaluate("h => getComputedStyle(h).direction") == "rtl"
        box = heading.evaluate("h => { const r = document.createRange(); r.selectNodeContents(h); "
                               "const b = r.getBoundingClientRect(); return [b.left, b.right]; }")
        assert card is not None and card["x"] + card["width"] - box[1] < 60 < box[0] - card["x"], (name, box, card)
        for width_name, width in (("phone", 320), ("desktop", 1280)):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width_name)
            page.screenshot(path=str(SHOTS / f"rtl-{name}-ar-{width_name}-light.png"), full_page=True)
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(axe_source + "\n;0")
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                               ".violations.map(v => ({id: v.id, impact: v.impact}))")
        assert [v for v in result if v["impact"] in ("serious", "critical")] == [], (name, result)

    try:
        page.goto(authorize_url(stack, world, stack.gateway_url))
        page.wait_for_url(re.compile(r".*/login\?.*"))
        check("login", "تسجيل الدخول")
        page.fill("#email", world["email"])
        page.fill("#password", "wrong password")
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
        check("login-error", "تسجيل الدخول")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("button[value=allow]")
        check("consent", "السماح بالوصول؟")
        assert page.locator("main img[src*='/oauth2/applications/']").evaluate(
            "i => i.complete && i.naturalWidth") == 64
        text = page.locator("main").inner_text()
        assert "الاطلاع على عنوان بريدك الإلكتروني" in text and "See your orders" in text
        page.goto(f"{base}/account")
        check("account", "أنت مسجّل الدخول")
        assert "أُنشئ حسابك في" in page.locator("main").inner_text()
        assert [m for m in console if "Content Security Policy" in m or "Refused to" in m] == []
    finally:
        context.close()


def test_uploaded_tenant_logos_live_apart_from_the_settings(
        gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = str(new_tenant(settings={"branding": {"logo_image": TENANT_LOGO}})["tenant_id"])
    got = gateway.get(f"/api/v1/tenants/{tenant}", headers=platform_headers).json()
    path = got["settings"]["branding"]["logo_image"]
    assert re.fullmatch(r"/branding/logos/[0-9a-f]{32}", path), path
    assert len(json.dumps(got)) < 4000  # the settings every service caches carry no image
    login = gateway.get(f"/tenant/{tenant}/login").text
    assert f'src="/tenant/{tenant}{path}"' in login
    image = gateway.get(f"/tenant/{tenant}{path}")
    assert image.status_code == 200 and image.content == base64.b64decode(TENANT_LOGO.split(",", 1)[1])
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    # Sent back unchanged, the path keeps the logo; a new upload replaces it (the old one goes).
    same = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                         params={"update_mask": "settings.branding.logo_image"},
                         json={"settings": {"branding": {"logo_image": path}}})
    assert same.status_code == 200 and same.json()["settings"]["branding"]["logo_image"] == path, same.text
    new = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                        params={"update_mask": "settings.branding.logo_image"},
                        json={"settings": {"branding": {"logo_image": APP_LOGO}}})
    assert new.status_code == 200, new.text
    new_path = new.json()["settings"]["branding"]["logo_image"]
    assert new_path != path and gateway.get(f"/tenant/{tenant}{new_path}").content == APP_LOGO_PNG
    assert gateway.get(f"/tenant/{tenant}{path}").status_code == 404
    forged = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                           params={"update_mask": "settings.branding.logo_image"},
                           json={"settings": {"branding": {"logo_image": "/branding/logos/../x"}}})
    assert_envelope(forged, 400)
