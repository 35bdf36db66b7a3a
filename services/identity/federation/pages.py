"""FederatedSignInService: the browser's way out to a provider and back (HTML and redirects in
the hosted pages' style, through HostedPagesServicer's plumbing)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import structlog
from google.api import httpbody_pb2

from binoauth.identity.v1 import identity_provider_service_pb2_grpc as fed_grpc
from services.common.cookies import cookie_path, session_cookie_value
from services.common.errors import DomainError, Unauthenticated, dependency_failure
from services.common.pages.i18n import Translator
from services.common.pages.kit import ProviderLink, paragraph, provider_buttons
from services.identity.account import AccountUseCases
from services.identity.federation.flows import binding_cookie, binding_from_cookies, new_secret
from services.identity.federation.icons import icon_path
from services.identity.federation.marks import brand_mark
from services.identity.federation.model import IdentityProvider
from services.identity.federation.usecases import FederationFailed, FederationUseCases, StartHints
from services.identity.pages.paths import page_url
from services.identity.pages.servicer import (
    Connections,
    FormError,
    HostedPagesServicer,
    ProviderChoice,
    Reply,
    Request,
    parse_form,
)
from services.identity.users import User

Context = Any
_log = structlog.get_logger("identity.federation")
# HTTP status of each failure's page: the provider's or the browser's fault is 400, the
# provider being down 502, a rule of this tenant 403; never a 500.
STATUS = {"provider_unreachable": 502, "email_domain": 403, "no_email": 403, "account_exists": 403,
          "account_unavailable": 403, "provider_unavailable": 404, "already_linked": 409}
CALLBACK_FIELDS = ("code", "state", "iss", "error", "error_description", "user")


def reason_text(t: Translator, reason: str, provider: str) -> str:
    """What a failed sign-in says, in the page's language."""
    # One literal per msgid: services/common/pages/messages.py finds them in this file.
    texts = {
        "invalid_state": lambda: t("This sign-in attempt expired or was already used. Please start again."),
        "mix_up": lambda: t(
            "The answer did not come from the provider this sign-in started with. Please start again."),
        "access_denied": lambda: t("The sign-in at {provider} was cancelled or refused.", provider=provider),
        "provider_error": lambda: t("{provider} could not sign you in. Please try again.", provider=provider),
        "provider_unreachable": lambda: t("{provider} cannot be reached right now. Please try again in a moment.",
                                          provider=provider),
        "token_error": lambda: t("{provider} did not accept the sign-in. Please start again.", provider=provider),
        "invalid_token": lambda: t("The answer from {provider} could not be verified. Please start again.",
                                   provider=provider),
        "email_domain": lambda: t("Accounts with this email domain cannot sign in here."),
        "no_email": lambda: t("{provider} did not share a verified email address, which this sign-in needs.",
                              provider=provider),
        "account_exists": lambda: t(
            "An account with this email exists. Sign in with it, then connect {provider} on your account page.",
            provider=provider),
        "already_linked": lambda: t("This {provider} account is already connected to another account.",
                                    provider=provider),
        "account_unavailable": lambda: t("This account cannot sign in right now."),
        "provider_unavailable": lambda: t("This sign-in option is not available."),
    }
    return texts.get(reason, texts["provider_error"])()


MAX_AGE_LIMIT = 10 * 366 * 86400  # as the authorization endpoint's


def hints_of(return_to: str) -> StartHints:
    """login_hint, prompt=login and max_age of the authorization request being signed in for
    (return_to comes from the browser: a max_age that is not a plain number is dropped)."""
    parts = urlsplit(return_to)
    if parts.path != "/oauth2/authorize":
        return StartHints()
    query = parse_qs(parts.query)
    prompt = query.get("prompt", [""])[0].split()
    raw_age = query.get("max_age", [""])[0]
    number = raw_age.isascii() and raw_age.isdigit() and len(raw_age) <= 10
    max_age = int(raw_age) if number and int(raw_age) <= MAX_AGE_LIMIT else None
    return StartHints(query.get("login_hint", [""])[0], "login" in prompt or max_age == 0, max_age)


def idp_hint_of(return_to: str) -> str:
    """The `idp_hint` of the authorization request being signed in for: skip the chooser."""
    parts = urlsplit(return_to)
    if parts.path != "/oauth2/authorize":
        return ""
    return parse_qs(parts.query).get("idp_hint", [""])[0]


def buttons_markup(r: Request, providers: list[IdentityProvider], return_to: str) -> list[str]:
    """The "Continue with …" buttons of the login and sign-up pages ([] without providers)."""
    if not providers:
        return []
    items = [ProviderLink(r.url(f"/federation/{p.provider_id}/start", return_to=return_to),
                          r.t("Continue with {provider}", provider=p.display_name), brand_mark(p.provider_type),
                          page_url(r.meta.path_tenant, icon_path(p.provider_id, p.icon_hash)) if p.icon_hash else "")
             for p in providers]
    return [provider_buttons(items, r.t("or"))]


class FederatedSignInServicer(fed_grpc.FederatedSignInServiceServicer):
    def __init__(self, pages: HostedPagesServicer, federation: FederationUseCases, account: AccountUseCases,
                 secure_cookies: bool) -> None:
        self._pages = pages
        self._federation = federation
        self._account = account
        self._secure = secure_cookies

    async def _current_user(self, r: Request) -> str:
        secret = session_cookie_value(r.meta.cookie)
        if not secret:
            return ""
        try:
            user, _ = await self._account.me(r.tenant, secret)
        except Unauthenticated:
            return ""
        return user.user_id

    async def _redirect_out(self, r: Request, provider_id: str, return_to: str, link_user_id: str = "") -> Reply:
        binding = binding_from_cookies(r.meta.cookie) or new_secret()
        try:
            url, form_post = await self._federation.start(r.tenant, provider_id, return_to, binding,
                                                          hints_of(return_to), link_user_id)
        except FederationFailed as failure:
            return self._failure(r, failure)
        cookie = binding_cookie(binding, cookie_path(r.meta.path_tenant) + "federation/", self._secure, form_post)
        return Reply(location=url, cookies=[cookie])

    def _failure(self, r: Request, failure: FederationFailed) -> Reply:
        t = r.t
        provider = failure.provider.display_name if failure.provider else ""
        page = r.page(t("Sign-in did not complete"), message=reason_text(t, failure.reason, provider), error=True,
                      links=[(r.url("/login"), t("Back to sign in"))])
        return Reply(STATUS.get(failure.reason, 400), page)

    async def StartFederatedSignIn(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            return await self._redirect_out(r, request.provider_id, r.return_to(request.return_to))
        return await self._pages.serve(context, handle, return_to=request.return_to)

    async def StartFederatedLink(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            user_id = await self._current_user(r)
            if not user_id:
                return Reply(location=r.url("/login", return_to="/account"))
            return await self._redirect_out(r, request.provider_id, "/account", link_user_id=user_id)
        # The form's CSRF token is checked (a cross-site page cannot make a user connect).
        return await self._pages.serve(context, handle, request.body)

    async def _callback(self, r: Request, provider_id: str, answer: dict[str, str]) -> Reply:
        try:
            result, return_to = await self._federation.finish(
                r.tenant, provider_id, answer, binding_from_cookies(r.meta.cookie), r.meta.ip_address,
                r.meta.user_agent, await self._current_user(r))
        except FederationFailed as failure:
            return self._failure(r, failure)
        if result.session is None and not result.mfa_token:  # connected to the signed-in account
            return Reply(location=r.url("/account"))
        return self._pages.signed_in(r, result, return_to)

    async def FederatedCallback(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            answer = {name: getattr(request, name) for name in CALLBACK_FIELDS if name != "user"}
            return await self._callback(r, request.provider_id, answer)
        return await self._pages.serve(context, handle)

    async def GetIdentityProviderIcon(self, request: Any, context: Context) -> Any:
        # As the tenant's logo (services/tenant/servicers.py): only checked raster bytes, typed by
        # what they are, never rendered as a page; the path names the bytes, so cached a year.
        headers = (("x-content-type-options", "nosniff"), ("content-security-policy", "default-src 'none'"),
                   ("cross-origin-resource-policy", "same-origin"))
        try:
            tenant = await self._pages.tenant_of(context)
            icon = await self._federation.icon(tenant, request.provider_id, request.icon_hash)
        except DomainError:
            icon = None
        if icon is None:
            await context.send_initial_metadata((("x-http-status", "404"), ("cache-control", "no-store"), *headers))
            return httpbody_pb2.HttpBody(content_type="text/plain; charset=utf-8", data=b"")
        await context.send_initial_metadata((("cache-control", "public, max-age=31536000, immutable"), *headers))
        return httpbody_pb2.HttpBody(content_type=icon.media_type, data=icon.data)

    async def FederatedCallbackPost(self, request: Any, context: Context) -> Any:
        body: httpbody_pb2.HttpBody = request.body

        async def handle(r: Request) -> Reply:
            # No CSRF token here: the provider posts this form (form_post), and `state` bound
            # to this browser's cookie is what proves the answer belongs to this browser.
            try:
                fields = parse_form(body)
            except FormError:
                fields = {}
            answer = {name: fields.get(name, "") for name in CALLBACK_FIELDS}
            return await self._callback(r, request.provider_id, answer)
        return await self._pages.serve(context, handle)


async def _providers_or_none(federation: FederationUseCases, r: Request) -> list[IdentityProvider]:
    """The enabled providers; none while the database has a bad moment, so that the password
    form still shows."""
    try:
        return await federation.buttons(r.tenant)
    except Exception as error:
        if dependency_failure(error) is None:
            raise
        _log.warning("identity providers unavailable", error=type(error).__name__)
        return []


def provider_choice(federation: FederationUseCases) -> ProviderChoice:
    """The login and sign-up pages' provider buttons; with an `idp_hint` naming an enabled
    provider, straight to it instead."""
    async def choose(r: Request, return_to: str) -> tuple[list[str], str]:
        providers = await _providers_or_none(federation, r)
        hint = idp_hint_of(return_to)
        if hint and any(p.provider_id == hint for p in providers):
            return [], r.url(f"/federation/{hint}/start", return_to=return_to)
        return buttons_markup(r, providers, return_to), ""
    return choose


def connections(federation: FederationUseCases) -> Connections:
    """The account page's providers for its signed-in user: which are connected, and a
    "Connect …" form for the rest."""
    async def parts(r: Request, user: User) -> list[str]:
        providers = await _providers_or_none(federation, r)
        if not providers:
            return []
        linked = {i.provider_id for i in await federation.identities(r.tenant, user.user_id)}
        out = [paragraph(r.t("{provider} is connected to your account.", provider=p.display_name))
               for p in providers if p.provider_id in linked]
        unlinked = [p for p in providers if p.provider_id not in linked]
        out += [r.form(f"/federation/{p.provider_id}/link", [], r.t("Connect {provider}", provider=p.display_name))
                for p in unlinked]
        # A "Connect …" form's answer is a redirect to the provider: CSP form-action must allow
        # its origin (browsers check the redirects after a form submission too).
        for p in unlinked:
            origin = await federation.authorization_origin(p)
            if origin and origin not in r.form_targets:
                r.form_targets.append(origin)
        return out
    return parts
