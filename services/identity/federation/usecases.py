"""Sign-in through external providers, their administration, and users' linked identities.

The flow (authorization code + PKCE S256, OpenID Connect Core 3.1 and RFC 9700):
start() stores a single-use, browser-bound flow under a fresh `state` and sends the browser
to the provider with `nonce` and the exact callback URL under the tenant's issuer; finish()
takes the flow (once), checks that the answer came to this provider's callback from this
provider (RFC 9207 `iss` where supported: mix-up defence), redeems the code, validates the ID
token, maps its claims, finds the user by (provider, subject) or creates/links one by the
linking rules (claims.resolve), and starts the session through AuthUseCases (lockout,
disabled users, MFA and security events as for every other sign-in)."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import quote, urlencode, urlsplit

import structlog
from cryptography.exceptions import InvalidTag

from services.common.crypto import SecretBox
from services.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.common.form_targets import origin_of
from services.common.outbound import url_problem
from services.common.pages.logos import is_image_hash
from services.common.timestamps import Clock, utcnow
from services.identity.auth import AuthUseCases, LoginResult, Tenant, lockout_subject
from services.identity.events import EventType
from services.identity.federation import claims as rules
from services.identity.federation.assertions import apple_client_secret, client_assertion
from services.identity.federation.flows import FLOW_SECONDS, Flow, binding_hash, bound_to, new_secret, s256
from services.identity.federation.icons import IconChange, StoredIcon, icon_change
from services.identity.federation.idtoken import (
    LEEWAY_SECONDS,
    Expectation,
    InvalidIdToken,
    UnknownKey,
    algorithms_for,
    validate_id_token,
)
from services.identity.federation.metrics import FederationMetrics, NoMetrics
from services.identity.federation.model import IdentityProvider, ProviderType, check_credentials, validate
from services.identity.federation.store import LinkedIdentity, PgFederationStore
from services.identity.federation.upstream import Upstream, UpstreamError
from services.identity.ports import EventRecorder, Lockout
from services.identity.store import PgUserStore
from services.identity.users import Profile, User, UserState, new_user_id

_log = structlog.get_logger("identity.federation")
# Google's ID tokens may carry either form of its issuer (Google's OpenID Connect docs).
ISSUER_ALIASES = {"https://accounts.google.com": ("accounts.google.com",)}


class FederationFailed(Exception):
    """A sign-in through a provider that cannot complete; `reason` picks the words the page
    shows (pages.REASON_TEXT) and the metric label; `detail` is for logs only."""

    def __init__(self, reason: str, detail: str = "", provider: IdentityProvider | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.provider = provider


class Flows(Protocol):
    async def put(self, tenant_id: str, state: str, flow: Flow) -> None: ...
    async def take(self, tenant_id: str, state: str) -> Flow | None: ...


@dataclass(frozen=True)
class StartHints:
    """What the application's authorization request asked that the provider should hear."""

    login_hint: str = ""
    force_login: bool = False  # prompt=login or max_age=0
    # max_age of the request: the provider hears it too, and its ID token's auth_time must
    # satisfy it (our session starts now, but the person may have authenticated upstream
    # days ago in a session the provider kept).
    max_age: int | None = None


@dataclass(frozen=True)
class Endpoints:
    issuer: str  # may hold {tenantid} (Entra common)
    authorization: str
    token: str
    userinfo: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    iss_parameter: bool  # RFC 9207 authorization_response_iss_parameter_supported


class FederationUseCases:
    def __init__(self, store: PgFederationStore, users: PgUserStore, auth: AuthUseCases, flows: Flows,
                 upstream: Upstream, box: SecretBox, lockout: Lockout, events: EventRecorder,
                 metrics: FederationMetrics | None = None, allow_http: bool = False, clock: Clock = utcnow,
                 wall: Callable[[], float] = time.time) -> None:
        self._store = store
        self._users = users
        self._auth = auth
        self._flows = flows
        self._upstream = upstream
        self._box = box
        self._lockout = lockout
        self._events = events
        self._metrics = metrics or NoMetrics()
        self._allow_http = allow_http
        self._clock = clock
        self._wall = wall

    # --- administration ----------------------------------------------------------------------
    @staticmethod
    def callback_url(tenant: Tenant, provider_id: str) -> str:
        return f"{tenant.base_url}/federation/{quote(provider_id, safe='')}/callback"

    async def providers(self, tenant: Tenant) -> list[IdentityProvider]:
        return await self._store.providers(tenant.tenant_id)

    async def get(self, tenant: Tenant, provider_id: str) -> IdentityProvider:
        found = await self._store.provider(tenant.tenant_id, provider_id) if provider_id else None
        if found is None:
            raise NotFound("no such identity provider", reason="IDENTITY_PROVIDER_NOT_FOUND",
                           details={"field": "provider_id"})
        return found

    def _seal(self, tenant: Tenant, provider: IdentityProvider, client_secret: str,
              private_key: str) -> IdentityProvider:
        if client_secret:
            provider = replace(provider, sealed_client_secret=self._box.seal(
                client_secret.encode(), f"{tenant.tenant_id}:{provider.provider_id}:client_secret"))
        if private_key:
            provider = replace(provider, sealed_private_key=self._box.seal(
                private_key.encode(), f"{tenant.tenant_id}:{provider.provider_id}:private_key"))
        return provider

    def _open(self, tenant: Tenant, provider: IdentityProvider, which: str) -> str:
        sealed = provider.sealed_client_secret if which == "client_secret" else provider.sealed_private_key
        if not sealed:
            return ""
        try:
            return self._box.open(sealed, f"{tenant.tenant_id}:{provider.provider_id}:{which}").decode()
        except (InvalidTag, ValueError):
            # Sealed under another key-encryption key (or damaged): the administrator sets it again.
            raise FederationFailed("provider_error", f"the stored {which} cannot be opened", provider) from None

    async def create(self, tenant: Tenant, provider: IdentityProvider, client_secret: str,
                     private_key: str, icon_image: str = "") -> IdentityProvider:
        provider = validate(provider, allow_http=self._allow_http)
        check_credentials(provider, client_secret, private_key)
        icon = icon_change(provider.provider_type, provider.provider_id, icon_image, "")
        provider = replace(self._seal(tenant, provider, client_secret, private_key), icon_hash=icon.icon_hash)
        if not await self._store.insert_provider(tenant.tenant_id, provider, self._clock(), icon.upload):
            raise AlreadyExists("an identity provider with this id exists", reason="IDENTITY_PROVIDER_EXISTS",
                                details={"field": "provider_id"})
        await self._events.record(tenant.tenant_id, EventType.IDENTITY_PROVIDER_CHANGED,
                                  provider_id=provider.provider_id, change="created")
        return await self.get(tenant, provider.provider_id)

    async def update(self, tenant: Tenant, provider_id: str, changes: dict[str, Any], client_secret: str,
                     private_key: str, icon_image: str | None = None) -> IdentityProvider:
        """`icon_image` None leaves the icon as it is (not in the update)."""
        current = await self.get(tenant, provider_id)
        updated = validate(replace(current, **changes), allow_http=self._allow_http)
        check_credentials(updated, client_secret, private_key)
        icon = IconChange(current.icon_hash) if icon_image is None else \
            icon_change(current.provider_type, provider_id, icon_image, current.icon_hash)
        updated = replace(self._seal(tenant, updated, client_secret, private_key), icon_hash=icon.icon_hash)
        saved = await self._store.save_provider(tenant.tenant_id, updated, self._clock(), icon.upload)
        if saved is None:
            raise NotFound("no such identity provider", reason="IDENTITY_PROVIDER_NOT_FOUND",
                           details={"field": "provider_id"})
        named = sorted([*changes, *(["icon_image"] if icon_image is not None else [])])
        await self._events.record(tenant.tenant_id, EventType.IDENTITY_PROVIDER_CHANGED, provider_id=provider_id,
                                  change="updated", fields=",".join(named)[:200])
        return saved

    async def set_enabled(self, tenant: Tenant, provider_id: str, enabled: bool) -> IdentityProvider:
        return await self.update(tenant, provider_id, {"enabled": enabled}, "", "")

    async def delete(self, tenant: Tenant, provider_id: str) -> None:
        if not await self._store.delete_provider(tenant.tenant_id, provider_id):
            raise NotFound("no such identity provider", reason="IDENTITY_PROVIDER_NOT_FOUND",
                           details={"field": "provider_id"})
        await self._events.record(tenant.tenant_id, EventType.IDENTITY_PROVIDER_CHANGED, provider_id=provider_id,
                                  change="deleted")

    # --- linked identities -------------------------------------------------------------------
    async def identities(self, tenant: Tenant, user_id: str) -> list[LinkedIdentity]:
        return await self._store.identities(tenant.tenant_id, user_id)

    async def unlink(self, tenant: Tenant, user: User, identity_id: str, by_admin: bool) -> None:
        # Without a password, a user whose verified address can receive magic links still has
        # a way in; otherwise the last identity stays (administrators may remove it).
        other_way = tenant.allows("magic_link") and user.email_verified
        result = await self._store.unlink(tenant.tenant_id, user.user_id, identity_id,
                                          keep_one=not by_admin and not other_way)
        if result == "missing":
            raise NotFound("no such identity", reason="IDENTITY_NOT_FOUND", details={"field": "identity_id"})
        if result == "last":
            raise FailedPrecondition("this is the last way to sign in to the account: set a password first",
                                     reason="LAST_SIGN_IN_METHOD", details={"field": "identity_id"})
        await self._events.record(tenant.tenant_id, EventType.IDENTITY_UNLINKED, user_id=user.user_id,
                                  identity_id=identity_id)

    # --- the sign-in -------------------------------------------------------------------------
    async def icon(self, tenant: Tenant, provider_id: str, icon_hash: str) -> StoredIcon | None:
        """A provider's current icon (None: unknown provider, hash or icon). Disabled
        providers' icons too: the console previews them, and an icon is no secret."""
        if not provider_id or not is_image_hash(icon_hash):
            return None
        # The icons table holds each provider's current icon only (replaced, removed and deleted
        # with it): one read answers.
        return await self._store.icon(tenant.tenant_id, provider_id, icon_hash)

    async def buttons(self, tenant: Tenant) -> list[IdentityProvider]:
        return await self._store.providers(tenant.tenant_id, enabled_only=True)

    async def _enabled(self, tenant: Tenant, provider_id: str) -> IdentityProvider:
        found = await self._store.provider(tenant.tenant_id, provider_id) if provider_id else None
        if found is None or not found.enabled:
            raise FederationFailed("provider_unavailable", f"provider {provider_id[:40]!r} is unknown or disabled")
        return found

    async def _timed(self, provider: IdentityProvider, call: str, coro: Any) -> Any:
        began = time.monotonic()
        try:
            return await coro
        finally:
            self._metrics.upstream(provider.provider_type.value, call, time.monotonic() - began)

    async def _endpoints(self, provider: IdentityProvider) -> Endpoints:
        if not provider.is_oidc:
            return Endpoints(provider.issuer, provider.authorization_endpoint, provider.token_endpoint,
                             provider.userinfo_endpoint, "", (), False)
        try:
            doc = await self._timed(provider, "discovery", self._upstream.discovery(provider.issuer))
        except UpstreamError as error:
            raise FederationFailed("provider_unreachable", str(error), provider) from None
        issuer = doc.get("issuer")
        if provider.multi_tenant_issuer:
            ok = isinstance(issuer, str) and "{tenantid}" in issuer and \
                urlsplit(issuer).netloc == urlsplit(provider.issuer).netloc
        else:
            ok = issuer == provider.issuer
        if not ok:
            # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for.
            raise FederationFailed("provider_error", "the discovery document names another issuer", provider)

        def pick(override: str, name: str) -> str:
            value = override or doc.get(name, "")
            return value if isinstance(value, str) else ""

        found = Endpoints(str(issuer), pick(provider.authorization_endpoint, "authorization_endpoint"),
                          pick(provider.token_endpoint, "token_endpoint"),
                          pick(provider.userinfo_endpoint, "userinfo_endpoint"), pick(provider.jwks_uri, "jwks_uri"),
                          algorithms_for(doc.get("id_token_signing_alg_values_supported")),
                          doc.get("authorization_response_iss_parameter_supported") is True)
        if not (found.authorization and found.token and found.jwks_uri):
            raise FederationFailed("provider_error", "the discovery document lacks endpoints", provider)
        for url in (found.authorization, found.token, found.userinfo, found.jwks_uri):
            # The browser is sent to the authorization endpoint: only an http(s) URL, https
            # outside development stacks (the others are fetched under the outbound policy).
            if url and (url_problem(url) or not (url.startswith("https://") or self._allow_http)):
                raise FederationFailed("provider_error", "the discovery document has an unusable endpoint",
                                       provider)
        return found

    async def authorization_origin(self, provider: IdentityProvider) -> str:
        """The origin of the provider's authorization endpoint (configured, or from the discovery
        document of its configured issuer, checked as for a sign-in): a form whose answer
        redirects there needs it in CSP form-action. "" when it cannot be had now."""
        try:
            return origin_of((await self._endpoints(provider)).authorization)
        except FederationFailed:
            return ""

    async def start(self, tenant: Tenant, provider_id: str, return_to: str, binding: str,
                    hints: StartHints = StartHints(), link_user_id: str = "") -> tuple[str, bool]:
        """The provider's authorization URL for a new flow bound to `binding` (the browser's
        cookie value), and whether it answers with a cross-site form POST."""
        provider = await self._enabled(tenant, provider_id)
        endpoints = await self._endpoints(provider)
        state, nonce, verifier = new_secret(), new_secret(), secrets.token_urlsafe(48)
        redirect_uri = self.callback_url(tenant, provider.provider_id)
        max_age = hints.max_age if provider.is_oidc else None  # GitHub has no such parameter
        await self._flows.put(tenant.tenant_id, state, Flow(provider.provider_id, binding_hash(binding), nonce,
                                                            verifier, return_to, self._wall(), redirect_uri,
                                                            link_user_id, max_age))
        if link_user_id:
            # Connecting an account: the provider authenticates the person again, so an
            # upstream session planted in this browser (login CSRF there) is not what links.
            hints = replace(hints, force_login=True)
        params = {"response_type": "code", "client_id": provider.client_id, "redirect_uri": redirect_uri,
                  "scope": " ".join(provider.scopes), "state": state, "code_challenge": s256(verifier),
                  "code_challenge_method": "S256"}
        if provider.is_oidc:
            params["nonce"] = nonce
        if provider.form_post:
            params["response_mode"] = "form_post"
        if hints.login_hint and len(hints.login_hint) <= 254:
            params["login_hint"] = hints.login_hint
        if hints.force_login and provider.is_oidc:
            params["prompt"] = "login"
        if max_age is not None:
            params["max_age"] = str(max_age)
        self._metrics.started(provider.provider_type.value)
        _log.info("federated sign-in started", provider_id=provider.provider_id)
        separator = "&" if urlsplit(endpoints.authorization).query else "?"
        return endpoints.authorization + separator + urlencode(params), provider.form_post

    async def finish(self, tenant: Tenant, provider_id: str, answer: dict[str, str], binding: str,
                     ip_address: str, user_agent: str, current_user_id: str = "") -> tuple[LoginResult, str]:
        """The provider's answer at the callback: the sign-in's result and where it continues
        (the return_to of the flow), or FederationFailed. A connecting flow (link_user_id)
        answers LoginResult(user) without a session; `current_user_id` is the user of the
        browser's session, which must still be the one that asked."""
        flow = await self._flows.take(tenant.tenant_id, answer.get("state", ""))
        early = None
        if flow is None or not bound_to(flow, binding) or self._wall() - flow.started_at > FLOW_SECONDS:
            # Unknown, expired, already used, or started in another browser.
            early = FederationFailed("invalid_state", "no live flow for this state in this browser")
        elif flow.provider_id != provider_id:
            early = FederationFailed("mix_up", f"flow of {flow.provider_id!r} answered at {provider_id[:40]!r}")
        elif flow.link_user_id and flow.link_user_id != current_user_id:
            early = FederationFailed("invalid_state", "the session that asked to connect is gone")
        if early is not None or flow is None:
            early = early or FederationFailed("invalid_state", "no flow")
            self._metrics.failed("unknown", early.reason)
            _log.info("federated sign-in refused", provider_id=provider_id[:40], reason=early.reason)
            raise early
        provider = await self._enabled(tenant, provider_id)
        try:
            result = await self._finish(tenant, provider, flow, answer, ip_address, user_agent)
        except FederationFailed as failure:
            failure.provider = failure.provider or provider
            self._metrics.failed(provider.provider_type.value, failure.reason)
            _log.info("federated sign-in failed", provider_id=provider_id, reason=failure.reason,
                      detail=failure.detail[:200])
            await self._events.record(tenant.tenant_id, EventType.LOGIN_FAILED, user_id="",
                                      reason=f"federation:{failure.reason}", provider_id=provider_id)
            raise
        self._metrics.succeeded(provider.provider_type.value)
        return result, flow.return_to

    async def _finish(self, tenant: Tenant, provider: IdentityProvider, flow: Flow, answer: dict[str, str],
                      ip_address: str, user_agent: str) -> LoginResult:
        endpoints = await self._endpoints(provider)
        iss = answer.get("iss", "")
        if (endpoints.iss_parameter or iss) and "{tenantid}" not in endpoints.issuer and iss != endpoints.issuer:
            # RFC 9207: the answer names the issuer that sent it; another one is a mix-up.
            raise FederationFailed("mix_up", "the iss parameter is not the provider's issuer")
        if answer.get("error"):
            reason = "access_denied" if answer["error"] == "access_denied" else "provider_error"
            raise FederationFailed(reason, f"error={answer['error'][:64]} "
                                           f"description={answer.get('error_description', '')[:120]}")
        code = answer.get("code", "")
        if not code or len(code) > 2048:
            raise FederationFailed("provider_error", "the answer has no code")
        tokens = await self._redeem(tenant, provider, endpoints, flow, code)
        account = await self._account(provider, endpoints, flow, tokens, answer)
        if not rules.email_domain_allowed(account, provider.allowed_email_domains):
            raise FederationFailed("email_domain", "the account's email domain is not allowed")
        if flow.link_user_id:
            return await self._connect(tenant, provider, account, flow.link_user_id)
        user = await self._user_for(tenant, provider, account)
        if not user.active or await self._lockout.is_locked(tenant.tenant_id, lockout_subject(user.email)):
            raise FederationFailed("account_unavailable", "the user is disabled or locked")
        amr, satisfied = rules.session_amr(account, provider.trust_upstream_mfa)
        return await self._auth.external_sign_in(tenant, user, amr, satisfied, ip_address, user_agent)

    async def _connect(self, tenant: Tenant, provider: IdentityProvider, account: rules.ExternalAccount,
                       user_id: str) -> LoginResult:
        """Links the provider's account to the signed-in user who asked (having proved both)."""
        user = await self._users.get(tenant.tenant_id, user_id)
        if user is None or not user.active:
            raise FederationFailed("account_unavailable", "the user is gone or disabled")
        linked = await self._store.linked_user(tenant.tenant_id, provider.provider_id, account.subject)
        if linked and linked != user.user_id:
            raise FederationFailed("already_linked", "the provider's account is linked to another user")
        if not linked:
            if not await self._store.link(tenant.tenant_id, user.user_id, provider.provider_id, account.subject,
                                          account.email, self._clock()):
                raise FederationFailed("already_linked", "linked meanwhile")
            await self._events.record(tenant.tenant_id, EventType.IDENTITY_LINKED, user_id=user.user_id,
                                      provider_id=provider.provider_id, how="account")
        return LoginResult(user=user)

    async def _redeem(self, tenant: Tenant, provider: IdentityProvider, endpoints: Endpoints, flow: Flow,
                      code: str) -> dict[str, Any]:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": flow.redirect_uri,
                "code_verifier": flow.code_verifier}
        headers: dict[str, str] = {}
        now = self._clock()
        if provider.provider_type is ProviderType.APPLE:
            form.update(client_id=provider.client_id, client_secret=apple_client_secret(
                self._open(tenant, provider, "private_key"), provider.key_id, provider.team_id, provider.client_id,
                now))
        elif provider.client_auth_method == "private_key_jwt":
            form.update(client_id=provider.client_id,
                        client_assertion_type="urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        client_assertion=client_assertion(self._open(tenant, provider, "private_key"), provider.key_id,
                                                          provider.client_id, endpoints.token, now))
        elif provider.client_auth_method == "client_secret_post":
            form.update(client_id=provider.client_id, client_secret=self._open(tenant, provider, "client_secret"))
        else:
            # RFC 6749 2.3.1: both parts form-urlencoded before the Basic encoding.
            secret = self._open(tenant, provider, "client_secret")
            pair = f"{quote(provider.client_id, safe='')}:{quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        try:
            tokens: dict[str, Any] = await self._timed(provider, "token",
                                                       self._upstream.token(endpoints.token, form, headers))
        except UpstreamError as error:
            raise FederationFailed("provider_unreachable" if error.reason == "provider_unreachable"
                                   else "token_error", str(error)) from None
        return tokens

    async def _account(self, provider: IdentityProvider, endpoints: Endpoints, flow: Flow, tokens: dict[str, Any],
                       answer: dict[str, str]) -> rules.ExternalAccount:
        mapping = provider.mapping()
        if provider.provider_type is ProviderType.GITHUB:
            return await self._github_account(provider, endpoints, tokens, mapping)
        expect = Expectation(endpoints.issuer, provider.client_id, flow.nonce, endpoints.algorithms,
                             ISSUER_ALIASES.get(endpoints.issuer, ()))
        claims = await self._validated(provider, endpoints, str(tokens.get("id_token", "")), expect)
        if flow.max_age is not None and not fresh_enough(claims.get("auth_time"), flow.max_age, self._wall()):
            raise FederationFailed("invalid_token", "the provider's authentication is older than max_age")
        try:
            account = rules.map_claims(claims, mapping)
        except ValueError as error:
            raise FederationFailed("invalid_token", str(error)) from None
        if provider.provider_type is ProviderType.APPLE and answer.get("user"):
            account = replace(account, profile={**_apple_name(answer["user"]), **account.profile})
        if not account.email and endpoints.userinfo and isinstance(tokens.get("access_token"), str):
            account = await self._with_userinfo(provider, endpoints, tokens["access_token"], account, mapping)
        return account

    async def _validated(self, provider: IdentityProvider, endpoints: Endpoints, id_token: str,
                         expect: Expectation) -> dict[str, Any]:
        now = self._wall()
        try:
            try:
                keys = await self._timed(provider, "jwks", self._upstream.jwks(endpoints.jwks_uri))
                return validate_id_token(id_token, keys, expect, now)
            except UnknownKey:
                # The provider may have rotated its keys since we cached the set.
                keys = await self._timed(provider, "jwks", self._upstream.jwks(endpoints.jwks_uri, refresh=True))
                return validate_id_token(id_token, keys, expect, now)
        except InvalidIdToken as error:
            raise FederationFailed("invalid_token", str(error)) from None
        except UpstreamError as error:
            raise FederationFailed("provider_unreachable", str(error)) from None

    async def _with_userinfo(self, provider: IdentityProvider, endpoints: Endpoints, access_token: str,
                             account: rules.ExternalAccount, mapping: dict[str, str]) -> rules.ExternalAccount:
        try:
            info = await self._timed(provider, "userinfo", self._upstream.get_json(endpoints.userinfo, access_token))
        except UpstreamError as error:
            raise FederationFailed("provider_unreachable", str(error)) from None
        if not isinstance(info, dict) or info.get("sub") != account.subject:
            # OpenID Connect Core 5.3.2: a userinfo answer for another subject is not used.
            return account
        try:
            extra = rules.map_claims(info, mapping)
        except ValueError:
            return account
        return replace(account, email=extra.email, email_verified=extra.email_verified,
                       profile={**extra.profile, **account.profile})

    async def _github_account(self, provider: IdentityProvider, endpoints: Endpoints, tokens: dict[str, Any],
                              mapping: dict[str, str]) -> rules.ExternalAccount:
        """GitHub is OAuth 2.0 only: who signed in comes from GET /user, and the email from
        GET /user/emails, primary and verified only (GET /user's email is the public profile
        address, which GitHub does not vouch for)."""
        access_token = tokens.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise FederationFailed("token_error", "no access_token")
        try:
            user = await self._timed(provider, "userinfo", self._upstream.get_json(endpoints.userinfo, access_token))
            emails = await self._timed(provider, "userinfo",
                                       self._upstream.get_json(endpoints.userinfo.rstrip("/") + "/emails",
                                                               access_token))
        except UpstreamError as error:
            raise FederationFailed("provider_unreachable", str(error)) from None
        if not isinstance(user, dict):
            raise FederationFailed("provider_error", "GET /user is not an object")
        primary = next((e for e in emails if isinstance(e, dict) and e.get("primary") is True
                        and e.get("verified") is True and isinstance(e.get("email"), str)),
                       None) if isinstance(emails, list) else None
        claims = {**{k: v for k, v in user.items() if k != "email"}, "sub": user.get("id")}
        if primary:
            claims.update(email=primary["email"], email_verified=True)
        try:
            return rules.map_claims(claims, {**mapping, "email": "email", "email_verified": "email_verified"})
        except ValueError as error:
            raise FederationFailed("provider_error", str(error)) from None

    async def _user_for(self, tenant: Tenant, provider: IdentityProvider, account: rules.ExternalAccount) -> User:
        """The linked user, a user linked now by the rules, or a new user (just in time)."""
        now = self._clock()
        for _attempt in range(2):  # a parallel first sign-in may win the race once
            linked = await self._store.linked_user(tenant.tenant_id, provider.provider_id, account.subject)
            if linked:
                user = await self._users.get(tenant.tenant_id, linked)
                if user is None:
                    break
                await self._store.touch(tenant.tenant_id, provider.provider_id, account.subject, account.email, now)
                return user
            owner = await self._users.by_email(tenant.tenant_id, account.email) if account.email else None
            decision = rules.resolve(None, owner[0].user_id if owner else None, account,
                                     provider.link_by_verified_email)
            if decision is rules.Resolution.REFUSE_EXISTING:
                raise FederationFailed("account_exists", "the email belongs to an account; linking is not allowed")
            if decision is rules.Resolution.LINK and owner:
                if await self._store.link(tenant.tenant_id, owner[0].user_id, provider.provider_id, account.subject,
                                          account.email, now):
                    await self._events.record(tenant.tenant_id, EventType.IDENTITY_LINKED, user_id=owner[0].user_id,
                                              provider_id=provider.provider_id, how="verified_email")
                    return owner[0]
                continue
            if not account.email:
                raise FederationFailed("no_email", "the provider shared no email address")
            profile = Profile(**{k: v for k, v in account.profile.items() if k in Profile.__dataclass_fields__})
            user = User(new_user_id(), account.email, account.email_verified, "", False, profile, {},
                        UserState.ACTIVE, False, now, now)
            if await self._store.create_linked_user(tenant.tenant_id, user, provider.provider_id, account.subject,
                                                    now):
                _log.info("user created through a provider", user_id=user.user_id, provider_id=provider.provider_id)
                await self._events.record(tenant.tenant_id, EventType.SIGNED_UP, user_id=user.user_id,
                                          provider_id=provider.provider_id)
                await self._events.record(tenant.tenant_id, EventType.IDENTITY_LINKED, user_id=user.user_id,
                                          provider_id=provider.provider_id, how="created")
                return user
        raise FederationFailed("account_exists", "the account changed while signing in")


def fresh_enough(auth_time: Any, max_age: int, now: float) -> bool:
    """OpenID Connect Core 3.1.3.7 (13): with max_age requested, the ID token must carry
    auth_time, no older than max_age (give or take the clock leeway)."""
    if isinstance(auth_time, bool) or not isinstance(auth_time, int | float):
        return False
    return now - float(auth_time) <= max_age + LEEWAY_SECONDS


def _apple_name(raw: str) -> dict[str, str]:
    """Apple posts the user's name once, on the first sign-in, as JSON in the `user` field
    (unsigned: only used to fill in a new profile, never to identify anyone)."""
    try:
        value = json.loads(raw[:2048])
        name = value.get("name", {}) if isinstance(value, dict) else {}
    except ValueError:
        return {}
    given = name.get("firstName", "") if isinstance(name, dict) else ""
    family = name.get("lastName", "") if isinstance(name, dict) else ""
    out = {k: v.strip()[:100] for k, v in (("given_name", given), ("family_name", family))
           if isinstance(v, str) and v.strip()}
    if out:
        out["name"] = " ".join(x for x in (out.get("given_name"), out.get("family_name")) if x)
    return out


def provider_changes(fields: dict[str, Any]) -> dict[str, Any]:
    """Refuses changes to what identifies a provider."""
    for immutable in ("provider_id", "provider_type"):
        if immutable in fields:
            raise InvalidArgument(f"{immutable} cannot be changed", reason="IMMUTABLE_FIELD",
                                  details={"field": immutable})
    return fields
