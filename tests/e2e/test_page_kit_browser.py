"""Every hosted page of both services in a real browser (Playwright + the system Chromium),
as one product: the shared stylesheet and the tenant's colour apply under the strict CSP
(no violation), the layout fits 320 px phones and desktops, light and dark, in English and
German; axe-core finds no serious or critical accessibility problem.

Screenshots of every page x language x width x colour scheme are kept in
build/screenshots/pages/ (test artifacts; .ci/run leaves them there)."""

from __future__ import annotations

import base64
import json
import re
import secrets
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from services.identity import totp
from tests.e2e.helpers import assert_envelope
from tests.e2e.test_oauth_code_flow import CALLBACK, PASSWORD, setup_world
from tests.e2e.test_oauth_device_flow import setup_device_world, start
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots" / "pages"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BRAND = "#7c3aed"
BRAND_RGB = "rgb(124, 58, 237)"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG (the tenant's uploaded logo in these tests)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


LOGO = "data:image/png;base64," + base64.b64encode(png(96, 32, (124, 58, 237))).decode()
BRANDING = {"primary_color": BRAND, "logo_image": LOGO, "support_url": "https://support.example.com/",
            "privacy_policy_url": "https://example.com/privacy", "footer": "Müller & Co GmbH · Berlin",
            "scope_descriptions": {"orders:read": "See your orders"}}
WIDTHS = {"phone": 320, "desktop": 1280}
# Words each page must show, per language: the page is translated, not only its chrome.
TITLES = {
    "login": {"en": "Sign in", "de": "Anmelden"},
    "signup": {"en": "Create an account", "de": "Konto erstellen"},
    "forgot-password": {"en": "Forgot your password?", "de": "Passwort vergessen?"},
    "reset-password": {"en": "Choose a new password", "de": "Neues Passwort wählen"},
    "magic-link": {"en": "Email me a sign-in link", "de": "Anmeldelink per E-Mail senden"},
    "verify-email": {"en": "Verify your email", "de": "E-Mail-Adresse bestätigen"},
    "error": {"en": "Sign-in error", "de": "Anmeldefehler"},
    "login-error": {"en": "Sign in", "de": "Anmelden"},
    "account": {"en": "You are signed in", "de": "Sie sind angemeldet"},
    "consent": {"en": "Allow access?", "de": "Zugriff erlauben?"},
    "device": {"en": "Connect a device", "de": "Gerät verbinden"},
    "device-review": {"en": "Living-room TV wants access to your account",
                      "de": "Living-room TV möchte auf Ihr Konto zugreifen"},
    "device-done": {"en": "Device connected", "de": "Gerät verbunden"},
    "logout-confirm": {"en": "Sign out?", "de": "Abmelden?"},
    "signed-out": {"en": "Signed out", "de": "Abgemeldet"},
    "mfa": {"en": "Two-step verification", "de": "Bestätigung in zwei Schritten"},
    "mfa-error": {"en": "Two-step verification", "de": "Bestätigung in zwei Schritten"},
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (npm install; package.json lists it)")
    return AXE.read_text()


@pytest.fixture
def world(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
          new_tenant: Callable[..., dict[str, Any]]) -> Iterator[dict[str, str]]:
    tenant = str(new_tenant(display_name="Müller & Co", settings={"branding": BRANDING})["tenant_id"])
    email, client_id, _ = setup_world(stack, gateway, platform_headers, tenant)
    _, device_client, _ = setup_device_world(gateway, platform_headers, tenant)
    # The device app's user signs in with the first user (same tenant): one account.
    yield {"tenant": tenant, "email": email, "client_id": client_id, "device_client": device_client}


class Pages:
    """One browser context (one language) walking through the pages and checking each."""

    def __init__(self, browser: Any, stack: Stack, world: dict[str, str], language: str, axe: str) -> None:
        self.stack, self.world, self.language, self.axe = stack, world, language, axe
        self.base = f"{stack.gateway_url}/tenant/{world['tenant']}"
        self.context = browser.new_context(locale={"en": "en-US", "de": "de-DE"}[language])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400
                     and r.request.resource_type == "stylesheet" else None)
        self.seen: list[str] = []

    def close(self) -> None:
        self.context.close()

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        assert page.locator("h2").first.inner_text() == TITLES[name][self.language], (name, page.url)
        assert page.evaluate("document.documentElement.lang") == self.language
        assert page.locator("h1").first.inner_text() == "Müller & Co"
        # The tenant's colour on the main button, where there is one.
        buttons = page.locator("button[type=submit]")
        if buttons.count():
            assert buttons.first.evaluate("b => getComputedStyle(b).backgroundColor") == BRAND_RGB, name
        # The tenant's logo, from the pages' own origin.
        assert page.locator("header img").evaluate("i => i.complete && i.naturalWidth") == 96, name
        footer = page.locator("footer")
        assert "Müller & Co GmbH" in footer.inner_text()
        backgrounds = {}
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
                # Nothing wider than the phone: no sideways scrolling at 320 px.
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width_name)
                page.screenshot(path=str(SHOTS / f"{name}-{self.language}-{width_name}-{scheme}.png"), full_page=True)
        assert backgrounds["light"] != backgrounds["dark"], name
        page.emulate_media(color_scheme="light")
        self.accessible(name)
        self.seen.append(name)

    def accessible(self, name: str) -> None:
        # Evaluated through the DevTools protocol, so the page's CSP (no script) stays as it is.
        if not self.page.evaluate("() => typeof axe !== 'undefined'"):
            self.page.evaluate(self.axe + "\n;0")
        result = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                    ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], (name, self.language, bad)

    def open(self, path: str, name: str) -> None:
        self.page.goto(self.base + path)
        self.check(name)

    def walk(self) -> None:
        world, page = self.world, self.page
        for path, name in (("/signup", "signup"), ("/forgot-password", "forgot-password"),
                           ("/reset-password", "reset-password"), ("/magic-link", "magic-link"),
                           ("/verify-email", "verify-email"),
                           ("/oauth2/authorize?client_id=nobody&response_type=code", "error")):
            self.open(path, name)
        # Sign in through the form, with one wrong password first (the error page).
        self.open("/login", "login")
        page.fill("#email", world["email"])
        page.fill("#password", "wrong password")
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
        self.check("login-error")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base}/account")
        self.check("account")
        # Two-step verification for the pages at the end: enrol TOTP with this session.
        enrolled = page.request.post(f"{self.base}/api/v1/users/me/mfa/totp:enroll", data="{}",
                                     headers={"content-type": "application/json"})
        assert enrolled.ok, enrolled.text()
        confirmed = page.request.post(
            f"{self.base}/api/v1/users/me/mfa/totp:confirm", headers={"content-type": "application/json"},
            data=json.dumps({"code": totp.code_at(enrolled.json()["secret"], datetime.now(UTC))}))
        assert confirmed.ok, confirmed.text()
        # Consent: the scopes in words, who is signing in, "not you?".
        self.open("/oauth2/authorize?" + urlencode({
            "response_type": "code", "client_id": world["client_id"], "redirect_uri": CALLBACK,
            "scope": "openid profile email offline_access", "state": "s", "nonce": "n",
            "code_challenge": create_s256_code_challenge(secrets.token_urlsafe(48)),
            "code_challenge_method": "S256"}), "consent")
        text = page.locator("main").inner_text()
        assert world["email"] in text
        words = {"en": ["See your email address", "Keep access while you are not using it", "Not you?"],
                 "de": ["Ihre E-Mail-Adresse sehen", "Nicht Sie?"]}[self.language]
        assert all(w in text for w in words), text
        assert "/login?return_to=" in (page.locator("a", has_text=words[-1]).get_attribute("href") or "")
        # Device: the code form, the review, the result.
        answer = start(self.stack, world["tenant"], world["device_client"])
        self.open("/device", "device")
        page.fill("#user_code", answer["user_code"])
        page.click("button[value=review]")
        self.check("device-review")
        page.click("button[value=allow]")
        self.check("device-done")
        # Logout without a hint asks first; then the signed-out page.
        self.open("/oauth2/logout", "logout-confirm")
        page.click("button[value=logout]")
        self.check("signed-out")
        # Sign in again: the second step, then a wrong code shown at its field.
        page.goto(self.base + "/login")
        page.fill("#email", world["email"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#code")
        self.check("mfa")
        page.fill("#code", "000000")
        page.click("button[type=submit]")
        page.wait_for_selector("#code[aria-invalid=true]")
        assert page.locator("#code-error").inner_text() == {"en": "The code is wrong.",
                                                             "de": "Der Code ist falsch."}[self.language]
        self.check("mfa-error")


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_page_in_a_browser(chromium: Any, stack: Stack, world: dict[str, str], axe_source: str,
                                 language: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = Pages(chromium, stack, world, language, axe_source)
    try:
        pages.walk()
        csp = [m for m in pages.console if "Content Security Policy" in m or "Refused to" in m]
        assert csp == [], csp
        assert pages.failed == [], pages.failed
        assert len(pages.seen) == len(TITLES)
    finally:
        pages.close()


def test_stylesheets_are_served_same_origin(stack: Stack, gateway: httpx.Client, world: dict[str, str]) -> None:
    login = gateway.get(f"/tenant/{world['tenant']}/login")
    csp = login.headers["content-security-policy"]
    assert "style-src 'self';" in csp and "nonce" not in csp and "frame-ancestors 'none'" in csp
    assert "<style" not in login.text and " style=" not in login.text
    href = re.search(r'<link rel="stylesheet" href="(/assets/pages\.css\?v=[0-9a-f]+)">', login.text)
    assert href, login.text
    css = gateway.get(href.group(1).replace("&amp;", "&"))
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"] and len(css.content) > 5000
    # The uploaded logo lives apart from the settings, at a path carrying its hash.
    logo = re.search(r'<img class="[^"]*" src="(/tenant/[^"]+/branding/logos/[0-9a-f]{32})" alt="">', login.text)
    assert logo, login.text
    image = gateway.get(logo.group(1))
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content == base64.b64decode(LOGO.split(",", 1)[1])
    assert image.headers["x-content-type-options"] == "nosniff" and "immutable" in image.headers["cache-control"]
    assert gateway.get(f"/tenant/{world['tenant']}/branding/logos/{'0' * 32}").status_code == 404
    assert gateway.get("/tenant/nobody-here/branding/logo").status_code == 404
    brand = gateway.get(f"/tenant/{world['tenant']}/branding.css")
    assert brand.status_code == 200 and brand.headers["content-type"].startswith("text/css")
    assert brand.text == f":root{{--brand:{BRAND};--brand-fg:#ffffff}}\n"


def test_language_follows_ui_locales_then_accept_language_then_the_tenant(
        stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str], world: dict[str, str]) -> None:
    tenant = world["tenant"]
    assert 'lang="en"' in gateway.get(f"/tenant/{tenant}/login").text
    assert 'lang="de"' in gateway.get(f"/tenant/{tenant}/login", headers={"Accept-Language": "de-CH, en;q=0.5"}).text
    spanish = gateway.get(f"/tenant/{tenant}/login", headers={"Accept-Language": "es-MX"}).text
    assert 'lang="es"' in spanish and ">Iniciar sesión<" in spanish
    # ui_locales of the authorization request reaches the sign-in page it leads to.
    start_url = f"/tenant/{tenant}/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": world["client_id"], "redirect_uri": CALLBACK, "scope": "openid",
        "code_challenge": create_s256_code_challenge(secrets.token_urlsafe(48)), "code_challenge_method": "S256",
        "ui_locales": "de"})
    to_login = gateway.get(start_url, headers={"Accept-Language": "en"})
    assert to_login.status_code == 303
    login = gateway.get(to_login.headers["location"], headers={"Accept-Language": "en"})
    assert 'lang="de"' in login.text and ">Anmelden<" in login.text
    # The tenant's default language when the browser names none the pages offer.
    changed = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                            params={"update_mask": "settings.branding.default_language"},
                            json={"settings": {"branding": {"default_language": "de"}}})
    assert changed.status_code == 200, changed.text
    text = ""
    for _ in range(50):  # the services' tenant caches are invalidated asynchronously
        text = gateway.get(f"/tenant/{tenant}/login", headers={"Accept-Language": "fr"}).text
        if 'lang="de"' in text:
            break
        time.sleep(0.2)
    assert 'lang="de"' in text


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.mark.parametrize(("branding", "field"), [
    ({"logo_image": "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()}, "logo_image"),
    ({"logo_image": "data:image/png;base64," + base64.b64encode(SVG).decode()}, "logo_image"),
    ({"logo_image": "data:image/png;base64," + base64.b64encode(png(8, 8, (0, 0, 0)) + bytes(300_000)).decode()},
     "logo_image"),
    ({"logo_url": "http://cdn.example.com/logo.png"}, "logo_url"),
    ({"primary_color": "#facc15"}, "primary_color"),
    ({"support_url": "http://support.example.com/"}, "support_url"),
    ({"privacy_policy_url": "javascript:alert(1)"}, "privacy_policy_url"),
    ({"default_language": "tlh"}, "default_language"),
])
def test_bad_branding_is_refused_with_a_clear_error(gateway: httpx.Client, platform_headers: dict[str, str],
                                                    new_tenant: Callable[..., dict[str, Any]],
                                                    branding: dict[str, str], field: str) -> None:
    tenant = str(new_tenant()["tenant_id"])
    answer = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                           params={"update_mask": f"settings.branding.{field}"},
                           json={"settings": {"branding": branding}})
    error = assert_envelope(answer, 400)
    assert error["message"].startswith(f"settings.branding.{field} "), error
    assert error["details"]["field"] == f"settings.branding.{field}", error


def test_a_20_mb_logo_is_refused_with_a_clear_error(gateway: httpx.Client, platform_headers: dict[str, str],
                                                   new_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = str(new_tenant()["tenant_id"])
    huge = "data:image/png;base64," + base64.b64encode(png(8, 8, (0, 0, 0)) + bytes(20 * 1024 * 1024)).decode()
    answer = gateway.patch(f"/api/v1/tenants/{tenant}", headers=platform_headers,
                           params={"update_mask": "settings.branding.logo_image"},
                           json={"settings": {"branding": {"logo_image": huge}}})
    # The gateway's body limit answers first (a 300 KB one reaches the service: INVALID_BRANDING).
    assert_envelope(answer, 413, "PAYLOAD_TOO_LARGE")
