"""HostedPagesService: thin HTML handlers over AuthUseCases / AccountUseCases.

Every reply is a google.api.HttpBody (text/html) with the security headers; the HTTP status
and redirects travel as `x-http-status` + `location` initial metadata, which the gateway's
Lua filter turns into the status line (gateway/README.md). Form POSTs arrive as the raw
application/x-www-form-urlencoded body and are checked for their CSRF token first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import structlog
from google.api import httpbody_pb2

from binoauth.identity.v1 import hosted_pages_service_pb2_grpc as pages_grpc
from services.common.context import RequestMeta, current_request
from services.common.cookies import clear_session_cookie, cookie_path, session_cookie_value, set_session_cookie
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header, csrf_cookie_header
from services.common.errors import HTTP_STATUS, DomainError, Unauthenticated, dependency_failure
from services.common.form_targets import FormTargets
from services.common.outbound import OutboundPolicy
from services.common.pages.assets import stylesheet
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator, negotiate, requested_language
from services.common.pages.kit import (
    CONTENT_TYPE,
    Field,
    Look,
    Page,
    form,
    page_headers,
    paragraph,
    paragraph_with,
)
from services.common.pages.logos import LogoSource
from services.common.pages.problems import problem_text
from services.common.tenancy import select_tenant
from services.identity.account import AccountUseCases
from services.identity.auth import AuthUseCases, LoginResult, Tenant
from services.identity.pages.paths import continue_to, page_url, tenant_relative
from services.identity.users import User

Context = Any  # grpc.aio.ServicerContext
_log = structlog.get_logger("identity.pages")

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 16
PLATFORM_NAME = "BinoAuth"
LOGIN_FAILED = "The email or password is wrong."
CSS_CONTENT_TYPE = "text/css; charset=utf-8"
# The built stylesheet's URL carries its version (?v=): a year is safe. The tenant's colours
# change when an admin changes them: a minute.
STYLESHEET_CACHE = "public, max-age=31536000, immutable"
BRANDING_CACHE = "public, max-age=60"


@dataclass
class Reply:
    """One response: a page with a status, or a 303 to `location`."""

    status: int = 200
    page: Page | None = None
    location: str = ""
    cookies: list[str] = field(default_factory=list)
    look: Look | None = None
    # Origins the page's forms may lead to (CSP form-action): only an application origin the
    # token service vouched for (services/common/form_targets.py) or a configured provider's.
    form_targets: list[str] = field(default_factory=list)


class FormError(Exception):
    pass


def parse_form(body: httpbody_pb2.HttpBody) -> dict[str, str]:
    """The fields of an application/x-www-form-urlencoded body (first value of each name)."""
    content_type = body.content_type.split(";", 1)[0].strip().lower()
    if content_type != FORM_CONTENT_TYPE or len(body.data) > MAX_FORM_BYTES:
        raise FormError("unsupported form submission")
    try:
        pairs = parse_qsl(body.data.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS,
                          errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise FormError("malformed form submission") from error
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


@dataclass
class Request:
    """What a page handler knows about its request."""

    tenant: Tenant
    meta: RequestMeta
    csrf_token: str
    fields: dict[str, str] = field(default_factory=dict)
    look: Look = field(default_factory=lambda: look_for(None, None))
    # The language asked for by ?ui_locales= (or the form carrying it on), as an offered
    # language code ("" when none was asked for): links and forms keep it.
    ui_locales: str = ""
    # return_to -> the application origin vouched for in it, or "" (FormTargets.origin).
    vouched: Callable[[str], str] = field(default=lambda _return_to: "")
    # Origins the page's forms may lead to: form() adds the vouched origin of a form that
    # continues to return_to; the account page's "Connect …" forms add their provider's.
    form_targets: list[str] = field(default_factory=list)

    @property
    def t(self) -> Translator:
        return self.look.t

    def url(self, path: str, **query: str) -> str:
        """A same-origin path of this tenant's pages (keeps the /tenant/<id> prefix)."""
        params = {k: v for k, v in {**query, "ui_locales": self.ui_locales}.items() if v}
        return page_url(self.meta.path_tenant, path) + (("?" + urlencode(params)) if params else "")

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def return_to(self, value: str) -> str:
        """A return_to worth carrying along: tenant-relative, validated; else ""."""
        return tenant_relative(value, self.meta.path_tenant)

    def page(self, title: str, **kwargs: Any) -> Page:
        return Page(self.tenant.name, title, **kwargs)

    def form(self, path: str, fields: list[Field], button: str, **hidden: str) -> str:
        # A form carrying return_to ends, after sign-in, at the application it continues to:
        # its CSP form-action must allow that origin (browsers check the redirects too).
        origin = self.vouched(hidden.get("return_to", ""))
        if origin and origin not in self.form_targets:
            self.form_targets.append(origin)
        return form(page_url(self.meta.path_tenant, path), (CSRF_FIELD, self.csrf_token), fields, button,
                    {**hidden, "ui_locales": self.ui_locales})


def ui_locales_of(return_to: str) -> str:
    """The OIDC ui_locales of the authorization request a sign-in continues to, if any: the
    sign-in page speaks the language the application asked for."""
    values = parse_qs(urlsplit(return_to).query).get("ui_locales", [])
    return values[0] if values else ""


def look_for(tenant: Tenant | None, meta: RequestMeta | None, return_to: str = "", ui_locales: str = "") -> Look:
    """The tenant's branding and the language of this request (i18n.negotiate): the page's
    own ?ui_locales=, else the one of the authorization request it continues to."""
    if tenant is None or meta is None:
        return Look(Translator(), Branding(PLATFORM_NAME))
    branding = Branding.from_settings(tenant.name, tenant.settings)
    language = negotiate(ui_locales or ui_locales_of(return_to), meta.accept_language, branding.default_language)
    return Look(Translator(language), branding, page_url(meta.path_tenant, ""))


Handler = Callable[[Request], Awaitable[Reply]]
# External identity providers on the login and sign-up pages (services/identity/federation/
# pages.py): the buttons' markup, and a redirect that skips the page (idp_hint).
ProviderChoice = Callable[[Request, str], Awaitable[tuple[list[str], str]]]
# The account page's connected providers and "Connect …" forms (the same module).
Connections = Callable[[Request, User], Awaitable[list[str]]]


def error_status(error: DomainError) -> int:
    return HTTP_STATUS.get(error.grpc_code, 500)


class HostedPagesServicer(pages_grpc.HostedPagesServiceServicer):
    def __init__(self, auth: AuthUseCases, account: AccountUseCases, csrf: CsrfTokens, base_domain: str,
                 secure_cookies: bool, logos: LogoSource | None = None,
                 providers: ProviderChoice | None = None, connections: Connections | None = None,
                 form_targets: FormTargets | None = None) -> None:
        self._form_targets = form_targets
        self._logos = logos or LogoSource(OutboundPolicy())
        self._providers = providers
        self._connections = connections
        self._auth = auth
        self._account = account
        self._csrf = csrf
        self._base_domain = base_domain
        self._secure = secure_cookies

    # --- plumbing ------------------------------------------------------------------------
    async def _serve(self, context: Context, handler: Handler, body: httpbody_pb2.HttpBody | None = None,
                     return_to: str = "", ui_locales: str = "") -> Any:
        meta = current_request(context)
        path = cookie_path(meta.path_tenant)
        cookie = cookie_from_header(meta.cookie)
        set_cookies: list[str] = []
        fresh = cookie or CsrfTokens.new_cookie()
        if not cookie:
            set_cookies.append(csrf_cookie_header(fresh, self._secure, path))
        try:
            tenant = await self._auth.tenant(select_tenant(meta, self._base_domain))
        except DomainError as error:
            status = error_status(error)
            t = Translator(negotiate(ui_locales, meta.accept_language))
            words = problem_text(t, error) if status < 500 else t("Something went wrong. Please try again in a moment.")
            page = Page(PLATFORM_NAME, t("Not available"), words, error=True)
            # No cookie for a tenant that does not exist (or cannot be used): the path is
            # attacker-chosen and the cookie would be of no use.
            return await self._send(context, Reply(status, page, look=Look(t, Branding(PLATFORM_NAME))), [])
        token = self._csrf.token_for(tenant.tenant_id, fresh)
        request = Request(tenant, meta, token, look=look_for(tenant, meta, return_to, ui_locales),
                          ui_locales=requested_language(ui_locales))
        if self._form_targets is not None:
            targets, tenant_id = self._form_targets, tenant.tenant_id
            request.vouched = lambda value: targets.origin(tenant_id, value)
        if body is not None:
            try:
                request.fields = parse_form(body)
            except FormError as error:
                return await self._send(context, Reply(400, request.page(request.t("Bad request"),
                                                                         message=request.t(str(error)), error=True),
                                                       look=request.look), set_cookies)
            request.ui_locales = requested_language(request.get("ui_locales"))
            request.look = look_for(tenant, meta, request.get("return_to"), request.ui_locales)
            if not self._csrf.verify(tenant.tenant_id, cookie, request.get(CSRF_FIELD)):
                _log.info("csrf check failed", cookie_present=bool(cookie))
                t = request.t
                page = request.page(t("Please try again"), error=True, message=t(
                    "This form expired or did not come from this site. Go back, reload the page and try again."),
                    links=[(request.url("/login"), t("Sign in"))])
                return await self._send(context, Reply(403, page, look=request.look), set_cookies)
        try:
            reply = await handler(request)
        except DomainError as error:
            reply = self._error_reply(request, error)
        except Exception as error:
            unavailable = dependency_failure(error)
            if unavailable is None:
                raise
            _log.warning("dependency unavailable", error=type(error).__name__)
            reply = self._error_reply(request, unavailable)
        reply.look = reply.look or request.look
        reply.form_targets = reply.form_targets or request.form_targets
        return await self._send(context, reply, set_cookies)

    @staticmethod
    def _error_reply(request: Request, error: DomainError) -> Reply:
        status = error_status(error)
        t = request.t
        message = problem_text(t, error) if status < 500 else t("Something went wrong. Please try again in a moment.")
        return Reply(status, request.page(t("Something went wrong"), message=message, error=True,
                                          links=[(request.url("/login"), t("Sign in"))]))

    @staticmethod
    async def _send(context: Context, reply: Reply, set_cookies: list[str]) -> Any:
        look = reply.look or look_for(None, None)
        headers: list[tuple[str, str]] = list(page_headers(*reply.form_targets))
        if reply.location:
            headers += [("x-http-status", "303"), ("location", reply.location)]
            page = Page(PLATFORM_NAME, look.t("Redirecting"), links=[(reply.location, look.t("Continue"))])
        else:
            page = reply.page or Page(PLATFORM_NAME, "")
            if reply.status != 200:
                headers.append(("x-http-status", str(reply.status)))
        headers += [("set-cookie", c) for c in [*set_cookies, *reply.cookies]]
        await context.send_initial_metadata(tuple(headers))
        return httpbody_pb2.HttpBody(content_type=CONTENT_TYPE, data=page.render(look).encode())

    def _signed_in(self, request: Request, result: LoginResult, return_to: str) -> Reply:
        if result.session is None:
            return self._mfa_page(request, result.mfa_token, return_to)
        cookie = set_session_cookie(result.session.secret, result.session.max_age_seconds, self._secure,
                                    cookie_path(request.meta.path_tenant))
        return Reply(location=continue_to(return_to, request.meta.path_tenant), cookies=[cookie])

    # --- login ---------------------------------------------------------------------------
    def _login_page(self, request: Request, return_to: str, status: int = 200, message: str = "",
                    email: str = "") -> Reply:
        t = request.t
        return_to = request.return_to(return_to)
        links = [(request.url("/forgot-password"), t("Forgot your password?"))]
        if request.tenant.allows("magic_link"):
            links.append((request.url("/magic-link", return_to=return_to), t("Email me a sign-in link")))
        if request.tenant.allows("signup"):
            links.append((request.url("/signup", return_to=return_to), t("Create an account")))
        page = request.page(t("Sign in"), message=message, error=bool(message), links=links, forms=[request.form(
            "/login", [Field("email", t("Email"), "email", email, "username"),
                       Field("password", t("Password"), "password", "", "current-password")],
            t("Sign in"), return_to=return_to)])
        return Reply(status, page)

    def _mfa_page(self, request: Request, mfa_token: str, return_to: str, status: int = 200,
                  message: str = "") -> Reply:
        t = request.t
        code = Field("code", t("Code"), "text", "", "one-time-code", error=message)
        page = request.page(t("Two-step verification"), message=message, error=bool(message),
                            paragraphs=[t("Enter the 6-digit code from your authenticator app, or a recovery code.")],
                            forms=[request.form("/login/mfa", [code], t("Verify"), mfa_token=mfa_token,
                                                return_to=request.return_to(return_to))])
        return Reply(status, page)

    async def _with_providers(self, r: Request, reply: Reply, return_to: str) -> Reply:
        if self._providers is None or reply.page is None:
            return reply
        buttons, skip_to = await self._providers(r, r.return_to(return_to))
        if skip_to:
            return Reply(location=skip_to)
        reply.page.parts = [*buttons, *reply.page.parts]
        return reply

    # For services/identity/federation/pages.py, which serves its pages through this plumbing.
    async def serve(self, context: Context, handler: Handler, body: httpbody_pb2.HttpBody | None = None,
                    return_to: str = "") -> Any:
        return await self._serve(context, handler, body, return_to=return_to)

    def signed_in(self, request: Request, result: LoginResult, return_to: str) -> Reply:
        return self._signed_in(request, result, return_to)

    async def tenant_of(self, context: Context) -> Tenant:
        """The tenant the request selects (DomainError when none can be used)."""
        return await self._auth.tenant(select_tenant(current_request(context), self._base_domain))

    async def GetLoginPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            return await self._with_providers(r, self._login_page(r, request.return_to), request.return_to)
        return await self._serve(context, handle, return_to=request.return_to, ui_locales=request.ui_locales)

    async def SubmitLogin(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            email, return_to = r.get("email"), r.get("return_to")
            try:
                result = await self._auth.login(r.tenant, email, r.get("password"), r.meta.ip_address,
                                                r.meta.user_agent, language=r.t.language)
            except Unauthenticated:
                return self._login_page(r, return_to, 401, r.t(LOGIN_FAILED), email)
            except DomainError as error:
                return self._login_page(r, return_to, error_status(error), problem_text(r.t, error), email)
            return self._signed_in(r, result, return_to)
        return await self._serve(context, handle, request.body)

    async def SubmitLoginMfa(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            token, return_to = r.get("mfa_token"), r.get("return_to")
            try:
                result = await self._auth.complete_mfa(r.tenant, token, r.get("code"), r.meta.ip_address,
                                                       r.meta.user_agent)
            except Unauthenticated as error:
                if error.reason == "INVALID_MFA_CODE":
                    return self._mfa_page(r, token, return_to, 401, r.t("The code is wrong."))
                return self._login_page(r, return_to, 401, r.t("The sign-in attempt expired. Please start again."))
            return self._signed_in(r, result, return_to)
        return await self._serve(context, handle, request.body)

    # --- sign-up and verification ----------------------------------------------------------
    def _signup_page(self, request: Request, return_to: str, status: int = 200, message: str = "",
                     email: str = "", name: str = "", field_name: str = "") -> Reply:
        t = request.t
        policy = request.tenant.password_policy
        # A domain error names its field (details.field): show it under that field too.
        errors = {field_name: message} if field_name else {}
        page = request.page(t("Create an account"), message=message, error=bool(message), forms=[request.form(
            "/signup", [Field("email", t("Email"), "email", email, "email", error=errors.get("email", "")),
                        Field("name", t("Name"), "text", name, "name", required=False),
                        Field("password", t("Password (at least {count} characters)", count=policy.min_length),
                              "password", "", "new-password", error=errors.get("password", ""))],
            t("Create account"))], links=[(request.url("/login", return_to=request.return_to(return_to)),
                                           t("Already have an account? Sign in"))])
        return Reply(status, page)

    def _verify_form(self, request: Request, status: int = 200, message: str = "", title: str = "",
                     paragraphs: list[str] | None = None) -> Reply:
        t = request.t
        page = request.page(title or t("Verify your email"), message=message, error=bool(message),
                            paragraphs=paragraphs or [],
                            forms=[request.form("/verify-email", [Field("code", t("Verification code"), "text", "",
                                                                        "one-time-code")], t("Verify"))],
                            links=[(request.url("/login"), t("Sign in"))])
        return Reply(status, page)

    async def GetSignupPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            if not r.tenant.allows("signup"):
                return Reply(403, r.page(r.t("Create an account"), message=r.t("Sign-up is disabled for this tenant."),
                                         error=True, links=[(r.url("/login"), r.t("Sign in"))]))
            return await self._with_providers(r, self._signup_page(r, request.return_to), request.return_to)
        return await self._serve(context, handle, return_to=request.return_to, ui_locales=request.ui_locales)

    async def SubmitSignup(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            email, name = r.get("email"), r.get("name")
            try:
                await self._auth.signup(r.tenant, email, r.get("password"), {"name": name}, language=r.t.language)
            except DomainError as error:
                field_name = str(error.details.get("field", ""))
                return self._signup_page(r, r.get("return_to"), error_status(error), problem_text(r.t, error),
                                         email, name, field_name)
            return self._verify_form(r, title=r.t("Check your inbox"), paragraphs=[r.t(
                "We sent a verification link to the address you entered. Open it, or paste the code here.")])
        return await self._serve(context, handle, request.body)

    async def _verify(self, r: Request, code: str) -> Reply:
        try:
            email = await self._auth.verify_email(r.tenant, code)
        except DomainError as error:
            return self._verify_form(r, error_status(error), problem_text(r.t, error))
        return Reply(200, r.page(r.t("Email verified"), message=r.t("{email} is verified. You can sign in now.",
                                                                    email=email),
                                 links=[(r.url("/login"), r.t("Sign in"))]))

    async def GetVerifyEmailPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            if request.code:
                return await self._verify(r, request.code)
            return self._verify_form(r)
        return await self._serve(context, handle, ui_locales=request.ui_locales)

    async def SubmitVerifyEmail(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            return await self._verify(r, r.get("code").strip())
        return await self._serve(context, handle, request.body)

    # --- password reset --------------------------------------------------------------------
    def _forgot_page(self, r: Request) -> Reply:
        t = r.t
        return Reply(200, r.page(t("Forgot your password?"), paragraphs=[
            t("Enter your email address and we will send you a code to choose a new password.")],
            forms=[r.form("/forgot-password", [Field("email", t("Email"), "email", "", "email")], t("Send code"))],
            links=[(r.url("/login"), t("Back to sign in"))]))

    def _reset_page(self, r: Request, code: str, status: int = 200, message: str = "") -> Reply:
        t = r.t
        policy = r.tenant.password_policy
        fields = [] if code else [Field("code", t("Code from the email"), "text", "", "one-time-code")]
        fields.append(Field("new_password", t("New password (at least {count} characters)", count=policy.min_length),
                            "password", "", "new-password", error=message if code else ""))
        return Reply(status, r.page(t("Choose a new password"), message=message, error=bool(message),
                                    forms=[r.form("/reset-password", fields, t("Set password"), code=code)],
                                    links=[(r.url("/forgot-password"), t("Send a new code"))]))

    async def GetForgotPasswordPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            return self._forgot_page(r)
        return await self._serve(context, handle, ui_locales=request.ui_locales)

    async def SubmitForgotPassword(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            t = r.t
            await self._auth.request_reset(r.tenant, r.get("email"), language=r.t.language)
            return Reply(200, r.page(
                t("Check your inbox"), message=t("If an account exists for that address, we sent it a code."),
                forms=[r.form("/reset-password", [
                    Field("code", t("Code from the email"), "text", "", "one-time-code"),
                    Field("new_password", t("New password"), "password", "", "new-password")], t("Set password"))],
                links=[(r.url("/login"), t("Back to sign in"))]))
        return await self._serve(context, handle, request.body)

    async def GetResetPasswordPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            return self._reset_page(r, request.code)
        return await self._serve(context, handle, ui_locales=request.ui_locales)

    async def SubmitResetPassword(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            code, password = r.get("code").strip(), r.get("new_password")
            try:
                # confirm_reset spends the code before it checks the policy: check what can be
                # checked without the account first, so a too-short password keeps the code.
                r.tenant.password_policy.check(password)
            except DomainError as error:
                return self._reset_page(r, code, error_status(error), problem_text(r.t, error))
            try:
                await self._auth.confirm_reset(r.tenant, code, password)
            except DomainError as error:
                keep = code if error.reason != "INVALID_CODE" else ""
                return self._reset_page(r, keep, error_status(error), problem_text(r.t, error))
            return Reply(200, r.page(r.t("Password changed"),
                                     message=r.t("Your password was changed. Sign in with it now."),
                                     links=[(r.url("/login"), r.t("Sign in"))]))
        return await self._serve(context, handle, request.body)

    # --- magic links -------------------------------------------------------------------------
    async def GetMagicLinkPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            t = r.t
            return_to = r.return_to(request.return_to)
            if request.code:
                # Never sign in on a GET: mail scanners and link previews follow links.
                return Reply(200, r.page(t("Sign in"),
                                         paragraphs=[t("Continue to sign in with the link from your email.")],
                                         forms=[r.form("/magic-link/sign-in", [], t("Sign in"), code=request.code,
                                                       return_to=return_to)]))
            request_form = r.form("/magic-link", [Field("email", t("Email"), "email", "", "email")], t("Send link"),
                                  return_to=return_to)
            return Reply(200, r.page(t("Email me a sign-in link"), forms=[request_form],
                                     links=[(r.url("/login", return_to=return_to), t("Sign in with a password"))]))
        return await self._serve(context, handle, return_to=request.return_to, ui_locales=request.ui_locales)

    async def SubmitMagicLinkRequest(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            await self._auth.send_magic_link(r.tenant, r.get("email"), r.return_to(r.get("return_to")),
                                             language=r.t.language)
            return Reply(200, r.page(r.t("Check your inbox"), message=r.t(
                "If an account exists for that address, we sent it a sign-in link."),
                links=[(r.url("/login"), r.t("Back to sign in"))]))
        return await self._serve(context, handle, request.body)

    async def SubmitMagicLinkSignIn(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            t = r.t
            return_to = r.get("return_to")
            try:
                result = await self._auth.consume_magic_link(r.tenant, r.get("code"), r.meta.ip_address,
                                                             r.meta.user_agent)
            except DomainError as error:
                return Reply(error_status(error), r.page(t("Sign in"), message=(
                    t("This sign-in link is invalid or expired.") if error.reason == "INVALID_CODE"
                    else problem_text(t, error)),
                    error=True, links=[(r.url("/magic-link", return_to=r.return_to(return_to)), t("Send a new link")),
                                       (r.url("/login"), t("Sign in with a password"))]))
            return self._signed_in(r, result, return_to)
        return await self._serve(context, handle, request.body)

    # --- account and sign-out --------------------------------------------------------------
    async def GetAccountPage(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            try:
                user, _ = await self._account.me(r.tenant, session_cookie_value(r.meta.cookie))
            except Unauthenticated:
                return Reply(location=r.url("/login", return_to="/account"))
            # The signed-in user's providers (connected, or a "Connect …" form) follow.
            connected = await self._connections(r, user) if self._connections is not None else []
            return Reply(200, r.page(r.t("You are signed in"), parts=[
                paragraph_with(r.t, "Signed in as {email}", email=user.email),
                paragraph(r.t("Your account was created on {date}.", date=user.create_time)), *connected],
                                     forms=[r.form("/logout", [], r.t("Sign out"))]))
        return await self._serve(context, handle, ui_locales=request.ui_locales)

    async def SubmitLogout(self, request: Any, context: Context) -> Any:
        async def handle(r: Request) -> Reply:
            await self._auth.logout(r.tenant, session_cookie_value(r.meta.cookie))
            path = cookie_path(r.meta.path_tenant)
            return Reply(location=r.url("/login"), cookies=[clear_session_cookie(self._secure, path)])
        return await self._serve(context, handle, request.body)

    # --- the pages' stylesheets ------------------------------------------------------------
    async def GetPageStylesheet(self, request: Any, context: Context) -> Any:
        css = stylesheet()
        if not css.body:
            await context.send_initial_metadata((("x-http-status", "404"), ("cache-control", "no-store")))
            return httpbody_pb2.HttpBody(content_type=CSS_CONTENT_TYPE, data=b"")
        await context.send_initial_metadata((("cache-control", STYLESHEET_CACHE), ("x-content-type-options", "nosniff"),
                                             ("etag", f'"{css.version}"')))
        return httpbody_pb2.HttpBody(content_type=CSS_CONTENT_TYPE, data=css.body)

    async def GetBrandingStylesheet(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        try:
            tenant = await self._auth.tenant(select_tenant(meta, self._base_domain))
        except DomainError as error:
            # Unknown tenant: the platform's own colours (the page linking it shows the error).
            await context.send_initial_metadata((("x-http-status", str(error_status(error))),
                                                 ("cache-control", "no-store"), ("x-content-type-options", "nosniff")))
            return httpbody_pb2.HttpBody(content_type=CSS_CONTENT_TYPE, data=b"")
        css = Branding.from_settings(tenant.name, tenant.settings).stylesheet()
        await context.send_initial_metadata((("cache-control", BRANDING_CACHE), ("x-content-type-options", "nosniff")))
        return httpbody_pb2.HttpBody(content_type=CSS_CONTENT_TYPE, data=css.encode())

    async def GetBrandingLogo(self, request: Any, context: Context) -> Any:
        meta = current_request(context)
        try:
            tenant = await self._auth.tenant(select_tenant(meta, self._base_domain))
        except DomainError:
            tenant = None
        branding = Branding.from_settings(tenant.name, tenant.settings) if tenant else None
        logo = await self._logos.logo(branding.logo_url, branding.logo_image) if branding else None
        # Only checked raster bytes go out, typed by what they are, never rendered as a page.
        headers = [("x-content-type-options", "nosniff"), ("content-security-policy", "default-src 'none'"),
                   ("cross-origin-resource-policy", "same-origin")]
        if logo is None:
            await context.send_initial_metadata((("x-http-status", "404"), ("cache-control", "no-store"), *headers))
            return httpbody_pb2.HttpBody(content_type="text/plain; charset=utf-8", data=b"")
        await context.send_initial_metadata((("cache-control", STYLESHEET_CACHE), *headers))
        return httpbody_pb2.HttpBody(content_type=logo.media_type, data=logo.data)
