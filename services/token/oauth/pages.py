"""The token service's HTML pages (consent, errors, device code, logout) on the shared page
kit (services/common/pages): the same layout, stylesheet, branding, language and security
headers as the hosted login pages. Never a redirect to an unverified URI from here."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlencode

from services.common.context import current_request_or_none
from services.common.directory import TenantInfo
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator, negotiate, requested_language
from services.common.pages.kit import (
    CONTENT_TYPE,
    Button,
    Look,
    Page,
    account_line,
    application_header,
    form,
    link_row,
    page_headers,
    paragraph_with,
    scope_list,
)
from services.common.pages.scopes import describe
from services.common.tenancy import tenant_prefix


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    content_type: str = CONTENT_TYPE
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# The language a page's own ?ui_locales= (or a form carrying it on) asked for, set by the
# servicer for the RPC's task (each grpc.aio call runs in its own task and context).
_asked: ContextVar[str] = ContextVar("ui_locales", default="")


def ask_language(ui_locales: str) -> str:
    """Records the offered language `ui_locales` asks for (or "") for this request's pages."""
    language = requested_language(ui_locales)
    _asked.set(language)
    return language


def asked_language() -> str:
    """What ask_language recorded: pages carry it on in their forms and links."""
    return _asked.get()


def look_for(tenant: TenantInfo, path_tenant: str, ui_locales: str = "") -> Look:
    """The tenant's look in the language of this request (ui_locales, the page's own
    ?ui_locales=, Accept-Language, the tenant's default)."""
    branding = Branding.from_settings(tenant.display_name or tenant.tenant_id, tenant.settings)
    meta = current_request_or_none()
    language = negotiate(ui_locales or _asked.get(), meta.accept_language if meta else "",
                         branding.default_language)
    return Look(Translator(language), branding, tenant_prefix(path_tenant))


def render(look: Look, page: Page, status: int, extra: tuple[tuple[str, str], ...] = (),
           form_target: str = "") -> HttpAnswer:
    return HttpAnswer(status, page.render(look).encode(), headers=(*page_headers(form_target), *extra))


def message_page(look: Look, title: str, message: str, status: int = 200, *, error: bool = False,
                 extra: tuple[tuple[str, str], ...] = ()) -> HttpAnswer:
    """A page that only says something (already translated)."""
    page = Page(look.branding.display_name, title, paragraphs=[] if error else [message],
                message=message if error else "", error=error)
    return render(look, page, status, extra)


def error_page(look: Look, reason: str, status: int = 400) -> HttpAnswer:
    """`reason` is an English msgid of the catalogue (or a protocol detail shown as is)."""
    t = look.t
    return message_page(look, t("Sign-in error"),
                        t("The sign-in request cannot be continued: {reason}", reason=t(reason)), status, error=True)


@dataclass(frozen=True)
class Consent:
    client_name: str
    scopes: list[str]
    email: str
    action: str
    fields: dict[str, str]
    csrf: tuple[str, str]
    switch_account: str  # "Not you?": sign in again with another account, then back here
    csrf_cookie: str = ""
    redirect_uri: str = ""
    # The application's own presentation (Application.presentation): logo URL (same-origin,
    # "" without one), homepage/privacy policy/terms links, words for its custom scopes.
    client_logo: str = ""
    homepage_url: str = ""
    privacy_policy_url: str = ""
    terms_of_service_url: str = ""
    scope_descriptions: dict[str, str] = field(default_factory=dict)


def consent_page(look: Look, consent: Consent) -> HttpAnswer:
    t, brand = look.t, look.branding
    # The application's words for its scopes win over the tenant's.
    described = describe(consent.scopes, t, {**dict(brand.scope_descriptions), **consent.scope_descriptions})
    links = [(href, text) for href, text in ((consent.homepage_url, t("Website")),
                                             (consent.privacy_policy_url, t("Privacy policy")),
                                             (consent.terms_of_service_url, t("Terms of service"))) if href]
    page = Page(brand.display_name, t("Allow access?"), parts=[
        account_line(t, consent.email, consent.switch_account) if consent.email else "",
        application_header(consent.client_name, consent.client_logo),
        paragraph_with(t, "{client} asks for access to your account. It will be able to:", client=consent.client_name),
        scope_list(described),
        link_row(links),
    ], forms=[form(consent.action, consent.csrf, [],
                   [Button(t("Allow"), "decision", "allow"), Button(t("Deny"), "decision", "deny", primary=False)],
                   consent.fields)])
    extra = (("set-cookie", consent.csrf_cookie),) if consent.csrf_cookie else ()
    return render(look, page, 200, extra, consent.redirect_uri)


def login_redirect(path_tenant: str, return_to: str) -> HttpAnswer:
    """303 to the tenant's hosted sign-in page, which continues to `return_to` (a path on
    this tenant) once the user is signed in."""
    return redirect(login_url(path_tenant, return_to), 303)


def login_url(path_tenant: str, return_to: str) -> str:
    return f"{tenant_prefix(path_tenant)}/login?" + urlencode({"return_to": return_to})


def redirect(location: str, status: int = 302) -> HttpAnswer:
    return HttpAnswer(status, b"", "text/plain", (("location", location), ("cache-control", "no-store"),
                                                  ("referrer-policy", "no-referrer")))
