"""The admin console (console/, served by Envoy at /console/) in the system Chromium against the
real stack: a platform administrator signs in (HttpOnly cookie; a reload keeps the session),
creates a tenant, an application (its secret shown once, and it works), a user who then signs
in through the hosted page and shows up in the security events and the analytics; adds identity
providers (a preset, a generic one with an uploaded icon, an error at its field, reorder,
disable, edit, delete); revokes an API key (its calls fail from then on), rotates the signing
keys, suspends and resumes the tenant; a tenant administrator sees only their tenant. Every
page: a screenshot in build/screenshots/console/ (test artifacts), axe-core without serious or critical violations,
no CSP violation. The gateway's cache headers and CSP for /console/ and the API reference
page (/api/v1/reference, Swagger UI served from the build) are asserted too."""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots" / "console"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUILD = ROOT / "build" / "static" / "console"
PASSWORD = "correct horse battery staple"
ALL_SCOPES = ["tenants:read", "tenants:write", "api_keys:read", "api_keys:write", "admins:read", "admins:write",
              "users:read", "users:write", "events:read", "applications:read", "applications:write",
              "sessions:read", "sessions:write", "signing_keys:write", "analytics:read",
              "identity_providers:read", "identity_providers:write"]
STRICT_CSP = re.compile(r"default-src 'self'")


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), "node_modules/axe-core is missing (npm ci; package.json lists it)"
    assert (BUILD / "index.html").exists(), "the console is not built (make console)"
    return AXE.read_text()


def icon_png() -> bytes:
    """A 16 x 16 purple square: the generic provider's uploaded icon."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x7c\x3a\xed" * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def run_identity_providers(admin: Any, gateway: httpx.Client, platform: dict[str, str], tenant: str) -> None:
    """Identity providers: Google from its preset, a generic OpenID provider with an icon (a
    bad issuer first, shown at its field), reorder, disable, edit (the secret stays hidden),
    delete after typing the id."""
    page = admin.page
    admin.goto(f"/t/{tenant}/identity-providers")
    admin.heading("Identity providers")
    page.get_by_text("No identity providers yet.", exact=False).wait_for()
    admin.check("identity-providers-empty")
    page.get_by_role("button", name="Add a provider").click()
    page.get_by_label("Provider id", exact=True).fill("google")
    page.get_by_label("Client id", exact=True).fill("google-client.apps.example")
    page.get_by_label("Client secret", exact=True).fill("google-secret")
    admin.check("identity-provider-create")
    page.get_by_role("button", name="Add provider").click()
    page.get_by_role("cell", name="Google google").wait_for()

    page.get_by_role("button", name="Add a provider").click()
    page.get_by_label("Provider", exact=True).select_option("PROVIDER_TYPE_OIDC")
    page.get_by_label("Provider id", exact=True).fill("corp")
    page.get_by_label("Button label", exact=True).fill("Corp SSO")
    page.get_by_label("Issuer", exact=True).fill("ftp://sso.corp.example")
    page.get_by_label("Client id", exact=True).fill("corp-client")
    page.get_by_label("Client secret", exact=True).fill("corp-secret")
    page.get_by_label("Upload an icon").set_input_files(
        files=[{"name": "corp.png", "mimeType": "image/png", "buffer": icon_png()}])
    page.get_by_alt_text("Current icon").wait_for()
    page.get_by_role("button", name="Add provider").click()
    page.locator('[data-field-error="issuer"]').wait_for()
    admin.check("identity-provider-create-error")
    page.get_by_label("Issuer", exact=True).fill("https://sso.corp.example")
    page.get_by_role("button", name="Add provider").click()
    page.get_by_role("cell", name="Corp SSO corp").wait_for()
    base = f"/tenant/{tenant}/api/v1/identityProviders"
    listed = gateway.get(base, headers=platform).json()["identity_providers"]
    assert [p["provider_id"] for p in listed] == ["google", "corp"]
    assert all(not p.get("client_secret") for p in listed) and all(p["client_secret_set"] for p in listed)
    # The uploaded icon, served by the identity service through Envoy, is drawn in the list.
    icon = page.get_by_role("cell", name="Corp SSO corp").locator("img")
    page.wait_for_function("i => i.complete && i.naturalWidth === 16", arg=icon.element_handle())
    admin.check("identity-providers")

    page.get_by_role("button", name="Move Corp SSO up").click()
    page.get_by_text("Order saved.").wait_for()
    assert [p["provider_id"] for p in gateway.get(base, headers=platform).json()["identity_providers"]] == \
        ["corp", "google"]
    page.get_by_role("button", name="Disable Google").click()
    page.get_by_role("button", name="Enable Google").wait_for()
    assert gateway.get(f"{base}/google", headers=platform).json().get("enabled", False) is False

    page.get_by_role("button", name="Edit Corp SSO").click()
    assert page.get_by_label("Client secret", exact=True).input_value() == ""
    assert "corp-secret" not in page.content()
    page.locator("[data-callback-url]").wait_for()
    page.get_by_role("checkbox", name=re.compile("Trust the provider's multi-factor")).check()
    admin.check("identity-provider-edit")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Corp SSO saved.").wait_for()
    assert gateway.get(f"{base}/corp", headers=platform).json()["trust_upstream_mfa"] is True

    page.get_by_role("button", name="Delete Google").click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("button", name="Delete provider").is_disabled()
    admin.confirm("Delete provider", typed="google")
    page.get_by_role("cell", name="Google google").wait_for(state="detached")
    assert gateway.get(f"{base}/google", headers=platform).status_code == 404


def make_admin(gateway: httpx.Client, platform: dict[str, str], tenant_id: str, scopes: list[str]) -> str:
    email = f"{unique_id('console')}@example.com"
    created = gateway.post("/api/v1/adminUsers", headers=platform, json={
        "admin_user": {"email": email, "tenant_id": tenant_id, "scopes": scopes}, "password": PASSWORD})
    assert created.status_code == 200, created.text
    return email


class Console:
    """One browser context (one administrator) going through the console's pages."""

    def __init__(self, browser: Any, stack: Stack, axe: str, who: str) -> None:
        self.base = f"{stack.gateway_url}/console"
        self.axe, self.who = axe, who
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text)
                     if m.type == "error" and "Content Security Policy" in m.text else None)
        # Aborted requests are navigation leaving a page mid-fetch, not failures.
        self.page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "")
                     else self.problems.append(f"failed {r.url}: {r.failure}"))

    def close(self) -> None:
        self.context.close()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def heading(self, text: str) -> None:
        self.page.get_by_role("heading", name=text, exact=True).first.wait_for()

    def check(self, name: str, full_page: bool = True) -> None:
        """Screenshot, axe-core (serious/critical fail) and no CSP violation so far."""
        page = self.page
        page.wait_for_load_state("networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.who}-{name}.png"), full_page=full_page)
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(self.axe + "\n;0")
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], (name, bad)
        assert self.problems == [], (name, self.problems)

    def confirm(self, label: str, typed: str | None = None) -> None:
        dialog = self.page.get_by_role("dialog")
        if typed is not None:
            dialog.get_by_role("textbox").fill(typed)
        dialog.get_by_role("button", name=label).click()
        dialog.wait_for(state="detached")

    def api(self, method: str, path: str, tenant: str = "", **kwargs: Any) -> Any:
        """A call with this browser's cookie, as the console makes it (for assertions only)."""
        headers = {"X-BinoAuth-Console": "1", **({"X-Tenant-ID": tenant} if tenant else {})}
        return self.page.request.fetch(self.base.removesuffix("/console") + path, method=method, headers=headers,
                                       **kwargs)


@pytest.fixture
def console(chromium: Any, stack: Stack, axe_source: str) -> Iterator[Any]:
    opened: list[Console] = []

    def open_console(who: str) -> Console:
        opened.append(Console(chromium, stack, axe_source, who))
        return opened[-1]

    yield open_console
    for c in opened:
        c.close()


def test_static_files_cache_headers_and_csp(gateway: httpx.Client) -> None:
    index = gateway.get("/console/")
    assert index.status_code == 200 and index.headers["content-type"] == "text/html; charset=utf-8"
    assert index.headers["cache-control"] == "no-cache"
    assert STRICT_CSP.search(index.headers["content-security-policy"])
    assert "'unsafe-inline'" not in index.headers["content-security-policy"]
    assert index.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in index.text and "http://" not in index.text and "https://" not in index.text
    # A deep link is the same single-page app.
    deep = gateway.get("/console/t/acme/users/usr_1")
    assert deep.status_code == 200 and deep.text == index.text and deep.headers["cache-control"] == "no-cache"
    assets = re.findall(r'(?:src|href)="(/console/assets/[^"]+)"', index.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        got = gateway.get(asset)
        assert got.status_code == 200, asset
        assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-type"] == ("text/javascript; charset=utf-8" if asset.endswith(".js")
                                               else "text/css; charset=utf-8")
    # Browsers get the pre-compressed copy; the first load's JavaScript stays within budget.
    scripts = [a for a in assets if a.endswith(".js")]
    compressed = 0
    for script in scripts:
        raw = gateway.get(script, headers={"Accept-Encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip" and raw.headers["vary"] == "accept-encoding"
        compressed += int(raw.headers["content-length"])
    assert compressed <= 250 * 1024, compressed
    plain = gateway.get(scripts[0], headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    # A missing asset is a 404 (never index.html served as JavaScript); no path escapes the build.
    for missing in ("/console/assets/nope-123.js", "/console/assets/..%2f..%2fopenapi.json", "/api/v1/reference/..%2f"):
        assert gateway.get(missing).status_code == 404, missing
    assert gateway.post("/console/", json={}).status_code == 404
    reference = gateway.get("/api/v1/reference")
    assert reference.status_code == 200 and STRICT_CSP.search(reference.headers["content-security-policy"])
    for src in re.findall(r'(?:src|href)="(/api/v1/reference/[^"?]+)', reference.text):
        assert gateway.get(src).status_code == 200, src
    # Over Envoy's 1 MiB buffer uncompressed: served gzip-encoded only.
    big = gateway.get("/api/v1/reference/swagger-ui-bundle.js", headers={"Accept-Encoding": "identity"})
    assert big.status_code == 406


def test_console_end_to_end(console: Any, stack: Stack, gateway: httpx.Client,
                            platform_headers: dict[str, str]) -> None:
    other = unique_id("other")
    assert gateway.post("/api/v1/tenants", headers=platform_headers, json={"tenant_id": other}).status_code == 200
    root_email = make_admin(gateway, platform_headers, "", ALL_SCOPES)
    tenant = unique_id("console")
    try:
        run_console(console, stack, gateway, platform_headers, root_email, tenant, other)
    finally:
        for t in (tenant, other):
            gateway.delete(f"/api/v1/tenants/{t}", headers=platform_headers)


def run_console(console: Any, stack: Stack, gateway: httpx.Client, platform: dict[str, str],
                root_email: str, tenant: str, other: str) -> None:
    admin = console("platform")
    page = admin.page

    # --- sign-in: the cookie is HttpOnly and SameSite=Strict; nothing in web storage -------
    admin.goto("/")
    page.wait_for_url(re.compile(r"/console/sign-in"))
    admin.heading("Sign in")
    admin.check("sign-in")
    page.get_by_label("Email", exact=True).fill(root_email)
    page.get_by_label("Password", exact=True).fill("wrong password!")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    admin.heading("Tenants")
    cookie = next(c for c in admin.context.cookies() if c["name"] == "binoauth_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert "binoauth_console" not in page.evaluate("() => document.cookie")
    page.reload()
    admin.heading("Tenants")  # the session survives a reload

    # --- tenants: create ---------------------------------------------------------------
    page.get_by_label("Tenant id", exact=True).fill(tenant)
    page.get_by_label("Display name", exact=True).fill("Console & Co")
    page.get_by_role("button", name="Create tenant").click()
    page.get_by_role("link", name=tenant, exact=True).wait_for()
    admin.check("tenants")
    # The search is the server's (ListTenants query): the other tenant is not listed.
    page.get_by_label("Search tenants").fill("console & co")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"[?&]q=console"))
    page.get_by_role("link", name=other, exact=True).wait_for(state="detached")
    page.get_by_role("link", name=tenant, exact=True).wait_for()

    # --- applications: create, the secret once, and it works ---------------------------
    admin.goto(f"/t/{tenant}/applications")
    admin.heading("Applications")
    page.get_by_text("No applications yet.").wait_for()
    admin.check("applications-empty")
    page.get_by_role("button", name="New application").click()
    page.get_by_label("Name", exact=True).fill("Shop backend")
    page.get_by_label("Redirect URIs", exact=True).fill("https://shop.example.com/cb")
    page.get_by_role("checkbox", name="client_credentials").check()
    # A bad URI first: the API's error shows next to the field it names.
    page.get_by_label("Post-logout redirect URIs", exact=True).fill("not a uri")
    page.get_by_role("button", name="Create application").click()
    page.locator("[data-field-error]").first.wait_for()
    page.get_by_label("Post-logout redirect URIs", exact=True).fill("")
    admin.check("application-create-error")
    page.get_by_role("button", name="Create application").click()
    secret = page.locator("[data-secret]").inner_text()
    client_id = page.locator("[data-client-id]").inner_text()
    assert secret.startswith("bcs_") and client_id.startswith("app_")
    admin.check("application-created")
    token = gateway.post(f"/tenant/{tenant}/oauth2/token", auth=(client_id, secret),
                         data={"grant_type": "client_credentials"})
    assert token.status_code == 200, token.text
    page.get_by_role("link", name="Open the application and its quick start").click()
    admin.heading("Quick start")
    assert secret not in page.content()  # shown once, never again
    page.get_by_text(f"{stack.public_url}/tenant/{tenant}", exact=False).first.wait_for()
    admin.check("application-detail")

    run_identity_providers(admin, gateway, platform, tenant)

    # --- users: create; the user signs in through the hosted page ----------------------
    email = f"{unique_id('user')}@example.com"
    admin.goto(f"/t/{tenant}/users")
    admin.heading("Users")
    page.get_by_role("button", name="New user").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name", exact=True).fill("Ada Console")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create user").click()
    page.get_by_role("link", name=email).wait_for()
    admin.check("users")
    page.get_by_role("link", name=email).click()
    admin.heading("Sessions")
    page.get_by_text("This user has not granted any application access.").wait_for()
    admin.check("user-detail")

    enduser = admin.context.browser.new_context()
    try:
        hosted = enduser.new_page()
        hosted.goto(f"{stack.gateway_url}/tenant/{tenant}/login")
        hosted.fill("#email", email)
        hosted.fill("#password", PASSWORD)
        hosted.click("button[type=submit]")
        hosted.wait_for_url(f"{stack.gateway_url}/tenant/{tenant}/account")
    finally:
        enduser.close()

    # --- security events and analytics show the sign-in --------------------------------
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    admin.goto(f"/t/{tenant}/events?type=LOGIN_SUCCEEDED&start_time={since}")
    admin.heading("Security events")
    page.get_by_role("cell", name="LOGIN_SUCCEEDED").first.wait_for()
    admin.check("events")
    # Counters reach the rollups within a flush and a fold (1 s + 2 s): reload until the sign-in is there.
    deadline = time.monotonic() + 20
    while True:
        admin.goto(f"/t/{tenant}/analytics")
        admin.heading(f"Analytics: {tenant}")
        page.locator('[data-total="Sign-ins"]').wait_for()
        if page.locator('[data-total="Sign-ins"]').inner_text() != "0" or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert page.locator('[data-total="Sign-ins"]').inner_text() == "1"
    assert page.locator('[data-chart="Sign-ins"]').count() == 1
    page.get_by_role("button", name="Last 24h").click()
    page.locator('[data-total="Sign-ins"]').wait_for()
    admin.check("analytics")
    admin.goto("/analytics")
    admin.heading("Platform analytics")
    page.locator('[data-chart="Sign-ins"]').wait_for()
    admin.check("analytics-platform")

    # --- API keys: create, use, revoke, and its calls fail -----------------------------
    admin.goto(f"/t/{tenant}/api-keys")
    admin.heading("API keys")
    page.get_by_label("Name", exact=True).fill("reporting")
    page.get_by_role("button", name="Create API key").click()
    key = page.locator("[data-secret]").inner_text()
    users_with_key = {"Authorization": f"Bearer {key}"}
    assert gateway.get(f"/tenant/{tenant}/api/v1/users", headers=users_with_key).status_code == 200
    admin.check("api-keys")
    page.get_by_role("button", name="Revoke reporting").click()
    admin.confirm("Revoke key")
    page.get_by_text("revoked").first.wait_for()
    assert gateway.get(f"/tenant/{tenant}/api/v1/users", headers=users_with_key).status_code == 401

    # --- signing keys: rotate ----------------------------------------------------------
    admin.goto(f"/t/{tenant}/signing-keys")
    admin.heading("Signing keys")
    page.locator("td.font-mono").first.wait_for()
    before = set(page.locator("td.font-mono").all_inner_texts())
    page.get_by_role("button", name="Rotate keys").click()
    admin.confirm("Rotate keys")
    page.get_by_text("Keys rotated").wait_for()
    page.wait_for_function("n => document.querySelectorAll('td.font-mono').length > n", arg=len(before))
    assert set(page.locator("td.font-mono").all_inner_texts()) - before
    admin.check("signing-keys")

    # --- administrators: a tenant administrator for this tenant ------------------------
    admin.goto("/admins")
    admin.heading("Platform administrators")
    page.get_by_role("cell", name=root_email).wait_for()
    admin.check("admins-platform")
    tenant_admin = f"{unique_id('tadmin')}@example.com"
    admin.goto(f"/t/{tenant}/admins")
    admin.heading("Administrators")
    page.get_by_label("Email", exact=True).fill(tenant_admin)
    page.get_by_label("Initial password", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox", name="applications:read").check()
    page.get_by_role("checkbox", name="users:read").uncheck()
    page.get_by_role("checkbox", name="events:read").uncheck()
    page.get_by_role("button", name="Create administrator").click()
    page.get_by_role("cell", name=tenant_admin).wait_for()
    admin.check("admins-tenant")

    # --- settings: suspend and resume --------------------------------------------------
    admin.goto(f"/t/{tenant}/settings")
    admin.heading(f"Tenant {tenant}")
    admin.check("tenant-settings")
    page.get_by_label("Access token", exact=True).fill("600")
    page.get_by_label("Lockout (seconds)", exact=True).fill("120")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Saved.").wait_for()
    settings = gateway.get(f"/api/v1/tenants/{tenant}", headers=platform).json()["settings"]
    assert settings["tokens"]["access_token_ttl_seconds"] == 600
    assert settings["lockout_policy"]["lockout_seconds"] == 120
    assert settings["tokens"]["id_token_ttl_seconds"] == 3600  # untouched settings keep their values
    page.get_by_role("button", name="Suspend").click()
    admin.confirm("Suspend tenant")
    page.get_by_role("button", name="Resume").wait_for()
    state = gateway.get(f"/api/v1/tenants/{tenant}", headers=platform).json()["state"]
    assert state == "TENANT_STATE_SUSPENDED"
    page.get_by_role("button", name="Resume").click()
    admin.confirm("Resume tenant")
    page.get_by_role("button", name="Suspend").wait_for()
    assert gateway.get(f"/api/v1/tenants/{tenant}", headers=platform).json()["state"] == "TENANT_STATE_ACTIVE"

    # --- a tenant administrator sees only their tenant ---------------------------------
    mine = console("tenant")
    mine.goto("/")
    mine.page.get_by_label("Email", exact=True).fill(tenant_admin)
    mine.page.get_by_label("Password", exact=True).fill(PASSWORD)
    mine.page.get_by_role("button", name="Sign in").click()
    mine.heading("Applications")
    mine.page.get_by_role("link", name="Shop backend").wait_for()
    assert mine.page.get_by_role("link", name="Tenants").count() == 0
    assert mine.page.get_by_label("Tenant", exact=True).count() == 0  # no tenant switcher
    assert mine.page.get_by_role("link", name="Users").count() == 0  # no users:read scope
    assert mine.page.get_by_role("link", name="Identity providers").count() == 0  # no identity_providers:read
    mine.check("tenant-admin")
    mine.goto(f"/t/{other}/applications")
    mine.page.wait_for_url(re.compile(f"/console/t/{tenant}/applications"))
    refused = mine.api("GET", "/api/v1/applications", tenant=other)
    assert refused.status in (403, 404), refused.text()
    assert mine.api("GET", "/api/v1/tenants").status == 403

    # --- the API reference page --------------------------------------------------------
    admin.page.goto(f"{stack.gateway_url}/api/v1/reference")
    admin.page.get_by_text("TenantService").first.wait_for()
    admin.check("api-reference", full_page=False)

    # --- delete the tenant (type its id), then sign out ends the session ---------------
    admin.goto(f"/t/{tenant}/settings")
    admin.heading(f"Tenant {tenant}")
    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("button", name="Delete tenant").is_disabled()
    page.screenshot(path=str(SHOTS / "platform-delete-confirm.png"))
    admin.confirm("Delete tenant", typed=tenant)
    admin.heading("Tenants")
    assert gateway.get(f"/api/v1/tenants/{tenant}", headers=platform).status_code == 404
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/console/sign-in"))
    assert admin.api("GET", "/api/v1/admin/sessions/current").status == 401
    page.reload()
    admin.heading("Sign in")
