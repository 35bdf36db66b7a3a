"""Applications (OAuth clients): the domain object and its registration rules."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any, Final

from services.common.auth import credential_hash
from services.common.errors import InvalidArgument
from services.token.applications.client_keys import clean_jwks, clean_jwks_uri
from services.token.applications.origins import clean_origins
from services.token.applications.presentation import Presentation, validated_presentation
from services.token.applications.redirects import is_private_use, redirect_uri_matches, validate_redirect_uris


class ClientType(Enum):
    CONFIDENTIAL = "confidential"
    PUBLIC = "public"


class ApplicationType(Enum):
    """Where the application runs (OpenID Connect Dynamic Client Registration
    `application_type`): decides which redirect URIs it may register and how they match."""

    WEB = "web"
    NATIVE = "native"


AUTHORIZATION_CODE: Final = "authorization_code"
REFRESH_TOKEN: Final = "refresh_token"  # noqa: S105
CLIENT_CREDENTIALS: Final = "client_credentials"
DEVICE_CODE: Final = "urn:ietf:params:oauth:grant-type:device_code"
GRANT_TYPES: Final = (AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, DEVICE_CODE)
# Named so that the refusal can say why (RFC 9700 §2.1.2, §2.4).
REFUSED_GRANTS: Final = {"implicit": "the implicit grant is not supported (RFC 9700)",
                         "token": "the implicit grant is not supported (RFC 9700)",
                         "password": "the password grant is not supported (RFC 9700)"}

CLIENT_SECRET_BASIC: Final = "client_secret_basic"  # noqa: S105
CLIENT_SECRET_POST: Final = "client_secret_post"  # noqa: S105
PRIVATE_KEY_JWT: Final = "private_key_jwt"
NONE: Final = "none"
AUTH_METHODS: Final = (CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, NONE)

STANDARD_SCOPES: Final = ("openid", "profile", "email", "phone", "offline_access")
MAX_SCOPES: Final = 50
# A letter, then letters, digits and "_.:/-": no spaces, quotes, backslashes or control
# characters (a subset of RFC 6749's scope-token that is safe in URLs, HTML and logs).
_CUSTOM_SCOPE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/-]{0,127}$")
_CLIENT_ID = re.compile(r"^app_[0-9a-f]{24}$")
MAX_DISPLAY_NAME: Final = 200

# The tenant settings' bounds (services/tenant/tenants.py RANGES), in seconds.
LIFETIME_RANGES: Final = {
    "access_token_ttl_seconds": (60, 86400),
    "id_token_ttl_seconds": (60, 86400),
    "refresh_token_idle_ttl_seconds": (300, 365 * 86400),
    "refresh_token_absolute_ttl_seconds": (300, 365 * 86400),
}
TENANT_DEFAULTS: Final = {
    "access_token_ttl_seconds": 900,
    "id_token_ttl_seconds": 3600,
    "refresh_token_idle_ttl_seconds": 14 * 86400,
    "refresh_token_absolute_ttl_seconds": 30 * 86400,
}

SECRET_PREFIX: Final = "bcs_"  # noqa: S105
DEFAULT_OVERLAP_SECONDS: Final = 86400
MAX_OVERLAP_SECONDS: Final = 7 * 86400


@dataclass(frozen=True)
class TokenLifetimes:
    """Overrides of the tenant's token lifetimes; None means the tenant's setting."""

    access_token_ttl_seconds: int | None = None
    id_token_ttl_seconds: int | None = None
    refresh_token_idle_ttl_seconds: int | None = None
    refresh_token_absolute_ttl_seconds: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in LIFETIME_RANGES}

    def effective(self, tenant_tokens: dict[str, Any] | None) -> dict[str, int]:
        """The lifetimes to use for this application: overrides, else the tenant's settings,
        else the platform defaults; the absolute refresh lifetime never below the idle one."""
        tenant_tokens = tenant_tokens or {}
        values = {name: int(override if override else (tenant_tokens.get(name) or TENANT_DEFAULTS[name]))
                  for name, override in self.as_dict().items()}
        values["refresh_token_absolute_ttl_seconds"] = max(values["refresh_token_absolute_ttl_seconds"],
                                                           values["refresh_token_idle_ttl_seconds"])
        return values


@dataclass(frozen=True)
class SecretState:
    """What is stored about a confidential client's secrets: hashes only."""

    secret_hash: bytes
    created_at: datetime
    previous_hash: bytes | None = None
    previous_expires_at: datetime | None = None

    def previous_valid_at(self, now: datetime) -> bool:
        expires = self.previous_expires_at
        return self.previous_hash is not None and expires is not None and now < expires


@dataclass(frozen=True)
class Application:
    client_id: str
    display_name: str
    client_type: ClientType
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = (AUTHORIZATION_CODE,)
    allowed_scopes: tuple[str, ...] = ("openid",)
    token_lifetimes: TokenLifetimes = field(default_factory=TokenLifetimes)
    first_party: bool = False
    # Empty: the default of the client type (client_secret_basic or none).
    token_endpoint_auth_method: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None
    secret: SecretState | None = None
    # Public JWKs that verify client assertions (private_key_jwt), or where to fetch them.
    jwks: tuple[dict[str, Any], ...] = ()
    jwks_uri: str = ""
    # Web origins whose browser code may read the token endpoint's answers (CORS).
    allowed_origins: tuple[str, ...] = ()
    # None only on a draft that left it out: validated() chooses (default_application_type).
    application_type: ApplicationType | None = None
    # Logo, links and custom scope words for the consent page.
    presentation: Presentation = field(default_factory=Presentation)

    @property
    def confidential(self) -> bool:
        return self.client_type is ClientType.CONFIDENTIAL

    @property
    def native(self) -> bool:
        return self.application_type is ApplicationType.NATIVE

    @property
    def public(self) -> bool:
        return self.client_type is ClientType.PUBLIC

    def allows_grant(self, grant_type: str) -> bool:
        return grant_type in self.grant_types

    def accepts_redirect_uri(self, uri: str) -> bool:
        """Whether the authorization endpoint may send its answer to `uri`: one of the
        registered redirect URIs, character for character; for a native app also a registered
        loopback http URI on another port, since it listens on an ephemeral one (RFC 8252
        §7.3). A web app's server has a fixed port, so for it the port must match too."""
        return redirect_uri_matches(self.redirect_uris, uri, vary_loopback_port=self.native)


def new_client_id() -> str:
    return "app_" + secrets.token_hex(12)


def is_client_id(value: str) -> bool:
    return isinstance(value, str) and bool(_CLIENT_ID.fullmatch(value))


def new_client_secret() -> tuple[str, bytes]:
    """(secret to show once, SHA-256 to store): 256 bits from the OS CSPRNG."""
    value = SECRET_PREFIX + secrets.token_urlsafe(32)
    return value, credential_hash(value)


_DUMMY_HASH: Final = credential_hash("not-a-secret")


def secret_matches(state: SecretState | None, presented: str, now: datetime) -> bool:
    """Constant-time check of a presented secret against the current and, while its overlap
    window lasts, the previous secret. Both comparisons always run."""
    candidate = credential_hash(presented) if isinstance(presented, str) else _DUMMY_HASH
    current = state.secret_hash if state is not None else _DUMMY_HASH
    previous = state.previous_hash if state is not None and state.previous_hash is not None else _DUMMY_HASH
    current_ok = hmac.compare_digest(candidate, current)
    previous_ok = hmac.compare_digest(candidate, previous)
    if state is None or not presented:
        return False
    return current_ok or (previous_ok and state.previous_valid_at(now))


def overlap_seconds(requested: int | None) -> int:
    if requested is None:
        return DEFAULT_OVERLAP_SECONDS
    if not 0 <= requested <= MAX_OVERLAP_SECONDS:
        raise InvalidArgument(f"previous_secret_overlap_seconds must be between 0 and {MAX_OVERLAP_SECONDS}",
                              reason="INVALID_SECRET_OVERLAP", details={"field": "previous_secret_overlap_seconds"})
    return requested


# --- registration rules ------------------------------------------------------------------

def _invalid(message: str, reason: str, field_name: str) -> InvalidArgument:
    return InvalidArgument(message, reason=reason, details={"field": field_name})


def clean_display_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise _invalid("display_name is required", "INVALID_DISPLAY_NAME", "display_name")
    if len(name) > MAX_DISPLAY_NAME or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise _invalid(f"display_name must be at most {MAX_DISPLAY_NAME} printable characters",
                       "INVALID_DISPLAY_NAME", "display_name")
    return name


def _unique(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def clean_grant_types(grants: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if not grants:
        return (AUTHORIZATION_CODE,)
    for grant in grants:
        if grant in REFUSED_GRANTS:
            raise _invalid(REFUSED_GRANTS[grant], "UNSUPPORTED_GRANT_TYPE", "grant_types")
        if grant not in GRANT_TYPES:
            raise _invalid(f"grant type {grant[:100]!r} is not supported; use one of {', '.join(GRANT_TYPES)}",
                           "UNSUPPORTED_GRANT_TYPE", "grant_types")
    return _unique(grants)


def scope_problem(scope: str) -> str | None:
    if scope in STANDARD_SCOPES:
        return None
    if not isinstance(scope, str) or not _CUSTOM_SCOPE.fullmatch(scope):
        return ("must be a standard scope (openid, profile, email, phone, offline_access) or start with a "
                "letter followed by at most 127 letters, digits or _.:/-")
    return None


def clean_scopes(scopes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if not scopes:
        return ("openid",)
    if len(scopes) > MAX_SCOPES:
        raise _invalid(f"allowed_scopes may list at most {MAX_SCOPES} scopes", "INVALID_SCOPE", "allowed_scopes")
    for scope in scopes:
        problem = scope_problem(scope)
        if problem:
            raise InvalidArgument(f"scope {scope[:130]!r} {problem}", reason="INVALID_SCOPE",
                                  details={"field": "allowed_scopes"})
    return _unique(scopes)


def clean_lifetimes(lifetimes: TokenLifetimes, tenant_tokens: dict[str, Any] | None = None) -> TokenLifetimes:
    """Zero/None = the tenant's; otherwise within the tenant settings' bounds, and the
    absolute refresh lifetime (own or the tenant's) not below the idle one."""
    values: dict[str, int | None] = {}
    for name, value in lifetimes.as_dict().items():
        if not value:
            values[name] = None
            continue
        low, high = LIFETIME_RANGES[name]
        if not low <= value <= high:
            raise _invalid(f"token_lifetimes.{name} must be between {low} and {high} (or 0 for the tenant's)",
                           "INVALID_TOKEN_LIFETIME", f"token_lifetimes.{name}")
        values[name] = value
    clean = TokenLifetimes(**values)
    if clean.refresh_token_idle_ttl_seconds or clean.refresh_token_absolute_ttl_seconds:
        tenant_tokens = tenant_tokens or {}
        idle = clean.refresh_token_idle_ttl_seconds or int(
            tenant_tokens.get("refresh_token_idle_ttl_seconds") or TENANT_DEFAULTS["refresh_token_idle_ttl_seconds"])
        absolute = clean.refresh_token_absolute_ttl_seconds or int(
            tenant_tokens.get("refresh_token_absolute_ttl_seconds")
            or TENANT_DEFAULTS["refresh_token_absolute_ttl_seconds"])
        if absolute < idle:
            raise _invalid("the absolute refresh token lifetime is below the idle one",
                           "INVALID_TOKEN_LIFETIME", "token_lifetimes.refresh_token_absolute_ttl_seconds")
    return clean


def default_application_type(uris: Iterable[str]) -> ApplicationType:
    """The type of an application registered without one: web, as in OpenID Connect Dynamic
    Client Registration, unless a redirect URI uses a private-use scheme, which only a native
    app can receive (migration 0008 typed the applications registered before by the same rule)."""
    return ApplicationType.NATIVE if any(is_private_use(uri) for uri in uris) else ApplicationType.WEB


def parse_application_type(value: object) -> ApplicationType:
    """An update's application_type ("web"/"native" or the enum), or InvalidArgument."""
    if isinstance(value, ApplicationType):
        return value
    try:
        return ApplicationType(value)
    except ValueError:
        raise _invalid("application_type must be APPLICATION_TYPE_WEB or APPLICATION_TYPE_NATIVE",
                       "INVALID_APPLICATION_TYPE", "application_type") from None


def default_auth_method(client_type: ClientType) -> str:
    return CLIENT_SECRET_BASIC if client_type is ClientType.CONFIDENTIAL else NONE


def validated(app: Application, tenant_tokens: dict[str, Any] | None = None, *,
              allow_http_jwks_uri: bool = False) -> Application:
    """The application as it may be stored, or InvalidArgument: every field on its own,
    then the rules between fields (client type, grants, auth method, redirect URIs)."""
    auth_method = app.token_endpoint_auth_method or default_auth_method(app.client_type)
    app_type = app.application_type or default_application_type((*app.redirect_uris,
                                                                  *app.post_logout_redirect_uris))
    native = app_type is ApplicationType.NATIVE
    app = replace(
        app,
        application_type=app_type,
        display_name=clean_display_name(app.display_name),
        redirect_uris=tuple(validate_redirect_uris(list(app.redirect_uris), "redirect_uris", private_use=native)),
        post_logout_redirect_uris=tuple(validate_redirect_uris(list(app.post_logout_redirect_uris),
                                                               "post_logout_redirect_uris", private_use=native)),
        grant_types=clean_grant_types(app.grant_types),
        allowed_scopes=clean_scopes(app.allowed_scopes),
        token_lifetimes=clean_lifetimes(app.token_lifetimes, tenant_tokens),
        token_endpoint_auth_method=auth_method,
        jwks=clean_jwks(list(app.jwks)),
        jwks_uri=clean_jwks_uri(app.jwks_uri, allow_http_jwks_uri),
        allowed_origins=clean_origins(app.allowed_origins),
        presentation=validated_presentation(app.presentation),
    )
    check_consistency(app)
    return app


def check_consistency(app: Application) -> None:
    method = app.token_endpoint_auth_method
    if method not in AUTH_METHODS:
        raise _invalid(f"token_endpoint_auth_method must be one of {', '.join(AUTH_METHODS)}",
                       "UNSUPPORTED_AUTH_METHOD", "token_endpoint_auth_method")
    if app.public and method != NONE:
        raise _invalid("a public client authenticates with token_endpoint_auth_method 'none'",
                       "INVALID_AUTH_METHOD", "token_endpoint_auth_method")
    if app.confidential and method == NONE:
        raise _invalid("a confidential client must authenticate (client_secret_basic, client_secret_post or "
                       "private_key_jwt)", "INVALID_AUTH_METHOD", "token_endpoint_auth_method")
    if app.jwks and app.jwks_uri:
        raise _invalid("give the keys either inline (jwks) or by URL (jwks_uri), not both", "INVALID_JWKS", "jwks")
    if method == PRIVATE_KEY_JWT and not (app.jwks or app.jwks_uri):
        raise _invalid("private_key_jwt needs the application's public keys in jwks or jwks_uri", "JWKS_REQUIRED",
                       "jwks")
    if app.public and (app.jwks or app.jwks_uri):
        raise _invalid("a public client cannot authenticate with keys: leave jwks and jwks_uri empty",
                       "INVALID_JWKS", "jwks")
    if app.public and CLIENT_CREDENTIALS in app.grant_types:
        raise _invalid("client_credentials is only for confidential clients", "INVALID_GRANT_TYPES", "grant_types")
    if REFRESH_TOKEN in app.grant_types and not ({AUTHORIZATION_CODE, DEVICE_CODE} & set(app.grant_types)):
        raise _invalid("refresh_token needs authorization_code or the device grant", "INVALID_GRANT_TYPES",
                       "grant_types")
    if AUTHORIZATION_CODE in app.grant_types and not app.redirect_uris:
        raise _invalid("the authorization_code grant needs at least one redirect URI", "REDIRECT_URI_REQUIRED",
                       "redirect_uris")
