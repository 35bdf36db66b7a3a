"""The session cookie: set by the identity service at login, read by every service."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from services.common.context import CONSOLE_COOKIE, cookie_value, current_request_or_none
from services.common.tenancy import tenant_prefix

SESSION_COOKIE = "binoauth_session"


def session_cookie_value(cookie_header: str) -> str:
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return ""
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else ""


def cookie_path(path_tenant: str) -> str:
    # Tenants selected by path prefix share a host: scope the cookie to the tenant's prefix
    # so that signing in to one does not overwrite another's cookie.
    return tenant_prefix(path_tenant) + "/"


def set_session_cookie(secret: str, max_age: int, secure: bool, path: str) -> str:
    meta = current_request_or_none()
    if meta is not None:  # an RPC may only set it if its proto declares cookie use
        meta.require_cookie_use()
    attributes = [f"{SESSION_COOKIE}={secret}", f"Path={path}", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def clear_session_cookie(secure: bool, path: str) -> str:
    return set_session_cookie("", 0, secure, path)


# The admin console's session cookie (services/tenant/console.py; CONSOLE_COOKIE is defined in
# context.py, which reads it): HttpOnly (no script reads it), SameSite=Strict (no other site's
# request carries it), Path=/ (the console and the API share the origin).
def console_cookie_value(cookie_header: str) -> str:
    return cookie_value(cookie_header, CONSOLE_COOKIE)


def set_console_cookie(secret: str, max_age: int, secure: bool) -> str:
    meta = current_request_or_none()
    if meta is not None:
        meta.require_cookie_use()
    attributes = [f"{CONSOLE_COOKIE}={secret}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Strict"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def clear_console_cookie(secure: bool) -> str:
    return set_console_cookie("", 0, secure)
