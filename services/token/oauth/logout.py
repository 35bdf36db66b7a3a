"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the user's session and
sends the browser back to a post-logout redirect URI the client registered, or shows a
"signed out" page. GET and form POST (section 2).

- `id_token_hint` must be an ID token this tenant's issuer signed (RS256, a key of the
  tenant's own set); an expired one is fine (logout usually comes after expiry). It names
  the client and the user.
- The session ends at once only when a valid hint names the signed-in user. Without one (or
  with one for another user) the user is asked first, on a page whose form carries a CSRF
  token: otherwise any site could sign anyone out with a cross-site GET (section 2: the OP
  SHOULD ask the user).
- `post_logout_redirect_uri` is honoured only when it exactly matches one the client
  registered and the client is known from a valid hint or from `client_id` (agreeing with
  the hint when both are sent). A hint that does not verify means no redirect at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import structlog

from services.common.cookies import clear_session_cookie, cookie_path, session_cookie_value
from services.common.csrf import CSRF_FIELD, CsrfTokens, cookie_from_header
from services.common.directory import TenantInfo
from services.common.pages.kit import Button, Look, Page, form
from services.common.tenancy import tenant_prefix
from services.token.keys.usecases import SigningKeys
from services.token.oauth.pages import HttpAnswer, error_page, look_for, message_page, redirect, render
from services.token.oauth.platform import PlatformGateway
from services.token.oauth.ports import Applications

_log = structlog.get_logger("oauth.logout")
ID_TOKEN_ALGORITHM = "RS256"
MAX_HINT_LENGTH = 8192


@dataclass(frozen=True)
class LogoutRequest:
    id_token_hint: str = ""
    post_logout_redirect_uri: str = ""
    state: str = ""
    client_id: str = ""
    # The pages' language (OpenID Connect RP-Initiated Logout 1.0 section 2); the
    # confirmation form carries it on.
    ui_locales: str = ""


LOGOUT_FIELDS = ("id_token_hint", "post_logout_redirect_uri", "state", "client_id", "ui_locales")
MAX_FIELD_LENGTH = 8192


def logout_request(params: dict[str, str]) -> LogoutRequest:
    """A logout request from query or form parameters (others are ignored)."""
    return LogoutRequest(**{k: params.get(k, "")[:MAX_FIELD_LENGTH] for k in LOGOUT_FIELDS})


@dataclass(frozen=True)
class Hint:
    user_id: str
    client_ids: tuple[str, ...]


class EndSessionFlow:
    def __init__(self, applications: Applications, keys: SigningKeys, platform: PlatformGateway, csrf: CsrfTokens,
                 secure_cookies: bool, issuer_for: Callable[[str], str]) -> None:
        self._applications = applications
        self._keys = keys
        self._platform = platform
        self._csrf = csrf
        self._secure = secure_cookies
        self._issuer_for = issuer_for

    async def end_session(self, tenant: TenantInfo, request: LogoutRequest, cookie_header: str,
                          path_tenant: str) -> HttpAnswer:
        hint = await self.verify_hint(tenant, request.id_token_hint) if request.id_token_hint else None
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is not None and (hint is None or hint.user_id != signed_in.user_id):
            return self._confirmation(tenant, request, cookie_header, path_tenant,
                                      await self._target(tenant, request, hint) or "")
        if signed_in is not None:
            await self._platform.end_session(tenant.tenant_id, signed_in.session_id)
            _log.info("session ended by RP-initiated logout", tenant_id=tenant.tenant_id)
        return await self._signed_out(tenant, request, hint, path_tenant)

    async def confirm(self, tenant: TenantInfo, form: dict[str, str], cookie_header: str,
                      path_tenant: str) -> HttpAnswer:
        """The confirmation page's form: sign out, or stay signed in."""
        look = look_for(tenant, path_tenant)
        if not self._csrf.verify(tenant.tenant_id, cookie_from_header(cookie_header), form.get(CSRF_FIELD, "")):
            return error_page(look, "the form expired; start again", 403)
        request = logout_request(form)
        if form.get("decision") != "logout":
            return message_page(look, look.t("Still signed in"), look.t("You are still signed in."))
        signed_in = await self._platform.session(tenant.tenant_id, session_cookie_value(cookie_header))
        if signed_in is not None:
            await self._platform.end_session(tenant.tenant_id, signed_in.session_id)
            _log.info("session ended by RP-initiated logout (confirmed)", tenant_id=tenant.tenant_id)
        hint = await self.verify_hint(tenant, request.id_token_hint) if request.id_token_hint else None
        return await self._signed_out(tenant, request, hint, path_tenant)

    async def _signed_out(self, tenant: TenantInfo, request: LogoutRequest, hint: Hint | None,
                          path_tenant: str) -> HttpAnswer:
        clear = ("set-cookie", clear_session_cookie(self._secure, cookie_path(path_tenant)))
        target = await self._target(tenant, request, hint)
        if target is not None:
            query = {"state": request.state} if request.state else {}
            location = target + (("&" if urlsplit(target).query else "?") + urlencode(query) if query else "")
            answer = redirect(location)
            return HttpAnswer(answer.status, answer.body, answer.content_type, (*answer.headers, clear))
        return signed_out_page(look_for(tenant, path_tenant), clear)

    def _confirmation(self, tenant: TenantInfo, request: LogoutRequest, cookie_header: str,
                      path_tenant: str, target: str) -> HttpAnswer:
        token, set_cookie = self._csrf.for_form(tenant.tenant_id, cookie_header, self._secure,
                                                cookie_path(path_tenant))
        fields = {k: v for k, v in asdict(request).items() if v}
        action = f"{tenant_prefix(path_tenant)}/oauth2/logout"
        look = look_for(tenant, path_tenant)
        t = look.t
        page = Page(look.branding.display_name, t("Sign out?"), paragraphs=[t("Do you want to sign out?")],
                    forms=[form(action, (CSRF_FIELD, token), [],
                                [Button(t("Sign out"), "decision", "logout"),
                                 Button(t("Stay signed in"), "decision", "stay", primary=False)], fields)])
        extra = (("set-cookie", set_cookie),) if set_cookie else ()
        # The form's answer may redirect to the post-logout URI: CSP form-action must allow it,
        # but only once it is validated (registered for the client): never an origin as asked.
        return render(look, page, 200, extra, target)

    async def _target(self, tenant: TenantInfo, request: LogoutRequest, hint: Hint | None) -> str | None:
        uri = request.post_logout_redirect_uri
        if not uri or (request.id_token_hint and hint is None):
            return None  # nothing asked, or a hint that does not verify: never redirect
        if hint is not None:
            if request.client_id and request.client_id not in hint.client_ids:
                return None
            client_id = request.client_id or (hint.client_ids[0] if len(hint.client_ids) == 1 else "")
        else:
            client_id = request.client_id
        if not client_id:
            return None
        client = await self._applications.find(tenant.tenant_id, client_id)
        if client is None or uri not in client.post_logout_redirect_uris:
            return None
        return uri

    async def verify_hint(self, tenant: TenantInfo, token: str) -> Hint | None:
        """The hint's user and audience, if this tenant's issuer signed it as an ID token."""
        if len(token) > MAX_HINT_LENGTH:
            return None
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return None
        kid = header.get("kid")
        if header.get("alg") != ID_TOKEN_ALGORITHM or not isinstance(kid, str) or not kid:
            return None
        if str(header.get("typ", "JWT")).lower() in ("at+jwt", "application/at+jwt"):
            return None  # an access token is not an ID token
        jwk = next((k.public_jwk for k in await self._keys.keys(tenant.tenant_id)
                    if k.kid == kid and k.algorithm == ID_TOKEN_ALGORITHM), None)
        if jwk is None:
            return None
        try:
            claims: dict[str, Any] = jwt.decode(
                token, jwt.PyJWK(jwk, algorithm=ID_TOKEN_ALGORITHM).key, algorithms=[ID_TOKEN_ALGORITHM],
                issuer=self._issuer_for(tenant.tenant_id),
                options={"verify_exp": False, "verify_aud": False, "require": ["iss", "sub", "aud", "iat"]})
        except jwt.PyJWTError:
            return None
        audience = claims["aud"]
        client_ids = (audience,) if isinstance(audience, str) else tuple(str(a) for a in audience)
        if not claims.get("sub") or not client_ids:
            return None
        return Hint(str(claims["sub"]), client_ids)


def signed_out_page(look: Look, *extra: tuple[str, str]) -> HttpAnswer:
    return message_page(look, look.t("Signed out"), look.t("You are signed out."), extra=extra)
