"""The token service's two HTML pages: an error page (never a redirect to an unverified URI)
and the consent page. No script; the same security headers as the hosted login pages."""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from services.common.tenancy import tenant_prefix


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def page_headers(nonce: str, form_target: str = "") -> tuple[tuple[str, str], ...]:
    # Browsers apply form-action to the redirects after a submission too: the consent form's
    # answer goes on to the client's (registered) redirect URI, so its origin is allowed.
    return (
        ("content-security-policy", f"default-src 'none'; style-src 'nonce-{nonce}'; "
                                    f"form-action 'self'{_source(form_target)}; "
                                    "frame-ancestors 'none'; base-uri 'none'"),
        ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer"), ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
    )


def _source(uri: str) -> str:
    parts = urlsplit(uri)
    source = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:" if parts.scheme else ""
    if not source or any(c in source for c in " ;,'\"\r\n"):
        return ""
    return " " + source


_STYLE = ("body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"
          "button{margin-right:.5rem;padding:.5rem 1rem}")


def page(title: str, body: str, status: int, extra: tuple[tuple[str, str], ...] = (),
         form_target: str = "", style: str = "") -> HttpAnswer:
    """An HTML page with the security headers; `body` is trusted markup (escape its values)."""
    nonce = secrets.token_urlsafe(16)
    document = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
                f"<style nonce=\"{nonce}\">{_STYLE}{style}</style></head><body>{body}</body></html>")
    return HttpAnswer(status, document.encode(), headers=(*page_headers(nonce, form_target), *extra))


def error_page(tenant_name: str, message: str, status: int = 400) -> HttpAnswer:
    return page("Sign-in error", f"<h1>{html.escape(tenant_name)}</h1><p>The sign-in request cannot be "
                 f"continued: {html.escape(message)}</p>", status)


def consent_page(tenant_name: str, client_name: str, scopes: list[str], action: str, fields: dict[str, str],
                 csrf_field: str, csrf_token: str, csrf_cookie: str = "", redirect_uri: str = "") -> HttpAnswer:
    hidden = "".join(f"<input type=\"hidden\" name=\"{html.escape(k)}\" value=\"{html.escape(v)}\">"
                     for k, v in fields.items())
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
    body = (f"<h1>{html.escape(tenant_name)}</h1><p><strong>{html.escape(client_name)}</strong> asks for access "
            f"to your account:</p><ul>{items}</ul><form method=\"post\" action=\"{html.escape(action)}\">{hidden}"
            f"<input type=\"hidden\" name=\"{html.escape(csrf_field)}\" value=\"{html.escape(csrf_token)}\">"
            "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
            "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>")
    extra = (("set-cookie", csrf_cookie),) if csrf_cookie else ()
    return page("Allow access?", body, 200, extra, redirect_uri)


def login_redirect(path_tenant: str, return_to: str) -> HttpAnswer:
    """303 to the tenant's hosted sign-in page, which continues to `return_to` (a path on
    this tenant) once the user is signed in."""
    return redirect(f"{tenant_prefix(path_tenant)}/login?" + urlencode({"return_to": return_to}), 303)


def redirect(location: str, status: int = 302) -> HttpAnswer:
    return HttpAnswer(status, b"", "text/plain", (("location", location), ("cache-control", "no-store"),
                                                  ("referrer-policy", "no-referrer")))
