"""Where the hosted pages live and where they may continue to after a sign-in."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from services.common.tenancy import tenant_prefix
from services.identity.auth import safe_return_path

DEFAULT_AFTER_LOGIN = "/account"



def page_url(path_tenant: str, path: str) -> str:
    """A page path as the browser must address it (forms, links, redirects)."""
    return tenant_prefix(path_tenant) + path


def _has_dot_segment(path: str) -> bool:
    # Browsers remove "." and ".." segments (also percent-encoded ones) before sending a
    # request: "/x/../../tenant/other/" would leave this tenant.
    return any(unquote(segment) in (".", "..") for segment in path.split("/"))


def tenant_relative(return_to: str, path_tenant: str) -> str:
    """`return_to` as a path on this tenant, without the tenant prefix, or "" when it is not
    one: absolute and scheme-relative URLs, backslashes, control characters, dot segments,
    encoded slashes, and any other tenant's /tenant/<id>/ path are refused."""
    if not safe_return_path(return_to):
        return ""
    parts = urlsplit(return_to)
    if parts.scheme or parts.netloc or parts.fragment:
        return ""
    path = parts.path
    lowered = path.lower()
    if _has_dot_segment(path) or "%2f" in lowered or "%5c" in lowered or not path.startswith("/"):
        return ""
    if lowered == "/tenant" or lowered.startswith("/tenant/"):
        own = tenant_prefix(path_tenant)
        if not own or not (path == own or path.startswith(own + "/")):
            return ""
        return_to = return_to[len(own):] or "/"
        if not safe_return_path(return_to):
            return ""
    return return_to


def continue_to(return_to: str, path_tenant: str) -> str:
    """The Location after a successful sign-in: the validated return_to on this tenant, or
    the account page."""
    relative = tenant_relative(return_to, path_tenant) or DEFAULT_AFTER_LOGIN
    return page_url(path_tenant, relative)
