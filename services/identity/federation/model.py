"""Identity providers of a tenant and the rules their configuration must follow.

A provider's type is either the generic OpenID Connect kind or a preset that fills in what
the upstream always is (issuer, endpoints, scopes, claim names) so that turning on Google is
one call with a client id and secret."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Final

from services.common.errors import InvalidArgument
from services.common.outbound import url_problem

PROVIDER_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")
AUTH_METHODS: Final = ("client_secret_basic", "client_secret_post", "private_key_jwt")
# The claims of our users a provider's claims can fill in (users.PROFILE_FIELDS + email).
MAPPABLE: Final = ("email", "email_verified", "name", "given_name", "family_name", "picture", "locale")
DEFAULT_MAPPING: Final = {name: name for name in MAPPABLE}
MAX_SCOPES: Final = 20
MAX_DOMAINS: Final = 50
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")  # RFC 6749 scope-token
_CLAIM = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class ProviderType(StrEnum):
    OIDC = "oidc"
    GOOGLE = "google"
    MICROSOFT = "microsoft"
    APPLE = "apple"
    GITHUB = "github"


@dataclass(frozen=True)
class Preset:
    display_name: str
    issuer: str
    scopes: tuple[str, ...]
    mapping: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MAPPING))
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_uri: str = ""
    # Apple answers with an HTML form POSTed to the callback (response_mode=form_post).
    form_post: bool = False
    # How the client authenticates at the token endpoint when the administrator does not say.
    auth_method: str = "client_secret_basic"


# What each preset fills in; an administrator's own values win (GitHub Enterprise, a single
# Entra tenant's issuer, a test double of the upstream).
PRESETS: Final[dict[ProviderType, Preset]] = {
    ProviderType.GOOGLE: Preset("Google", "https://accounts.google.com", ("openid", "email", "profile")),
    # "common": work, school and personal accounts; ID tokens name their own tenant (tid).
    ProviderType.MICROSOFT: Preset("Microsoft", "https://login.microsoftonline.com/common/v2.0",
                                   ("openid", "email", "profile")),
    ProviderType.APPLE: Preset("Apple", "https://appleid.apple.com", ("openid", "email", "name"),
                               form_post=True),
    ProviderType.GITHUB: Preset(
        "GitHub", "https://github.com", ("read:user", "user:email"),
        {"name": "name", "picture": "avatar_url", "email": "email"},
        authorization_endpoint="https://github.com/login/oauth/authorize",
        token_endpoint="https://github.com/login/oauth/access_token",  # noqa: S106 - a URL
        userinfo_endpoint="https://api.github.com/user",
        # GitHub documents client_id and client_secret as parameters of the token request.
        auth_method="client_secret_post"),
}


@dataclass(frozen=True)
class IdentityProvider:
    provider_id: str
    provider_type: ProviderType
    display_name: str
    enabled: bool = False
    display_order: int = 0
    issuer: str = ""
    client_id: str = ""
    client_auth_method: str = ""  # "": the preset's (client_secret_basic for the others)
    key_id: str = ""
    team_id: str = ""
    scopes: tuple[str, ...] = ()
    claim_mapping: dict[str, str] = field(default_factory=dict)
    allowed_email_domains: tuple[str, ...] = ()
    link_by_verified_email: bool = False
    trust_upstream_mfa: bool = False
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_uri: str = ""
    # The uploaded button icon's hash (federation/icons.py; a generic provider's only): the
    # bytes are stored apart, the pages link /federation/<provider_id>/icon/<icon_hash>.
    icon_hash: str = ""
    # Sealed with the key-encryption key (services/common/crypto.py); never leave the service.
    sealed_client_secret: bytes | None = None
    sealed_private_key: bytes | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None

    @property
    def is_oidc(self) -> bool:
        return self.provider_type is not ProviderType.GITHUB

    @property
    def form_post(self) -> bool:
        preset = PRESETS.get(self.provider_type)
        return bool(preset and preset.form_post)

    @property
    def multi_tenant_issuer(self) -> bool:
        """Entra's common/organizations/consumers endpoints: each ID token's issuer names the
        account's own tenant, checked against its `tid` claim (idtoken.expected_issuer)."""
        return self.provider_type is ProviderType.MICROSOFT and any(
            f"/{t}/" in self.issuer + "/" for t in ("common", "organizations", "consumers"))

    def mapping(self) -> dict[str, str]:
        preset = PRESETS.get(self.provider_type)
        base = dict(preset.mapping) if preset else dict(DEFAULT_MAPPING)
        return {**base, **self.claim_mapping}


def _bad(field_name: str, message: str) -> InvalidArgument:
    return InvalidArgument(message, reason="INVALID_IDENTITY_PROVIDER", details={"field": field_name})


def _url(name: str, value: str, allow_http: bool) -> None:
    if not value:
        return
    problem = url_problem(value)
    if problem:
        raise _bad(name, f"{name} {problem}")
    if not allow_http and not value.startswith("https://"):
        raise _bad(name, f"{name} must be an https URL")
    if "?" in value and name == "issuer":
        raise _bad(name, "issuer must not have a query")


def with_preset(provider: IdentityProvider) -> IdentityProvider:
    """Fills in what the provider's preset knows and the administrator left empty."""
    preset = PRESETS.get(provider.provider_type)
    if preset is None:
        return replace(provider, scopes=provider.scopes or ("openid", "email", "profile"),
                       display_name=provider.display_name or provider.provider_id,
                       client_auth_method=provider.client_auth_method or "client_secret_basic")
    return replace(
        provider, display_name=provider.display_name or preset.display_name,
        client_auth_method=provider.client_auth_method or preset.auth_method,
        issuer=provider.issuer or preset.issuer, scopes=provider.scopes or preset.scopes,
        authorization_endpoint=provider.authorization_endpoint or preset.authorization_endpoint,
        token_endpoint=provider.token_endpoint or preset.token_endpoint,
        userinfo_endpoint=provider.userinfo_endpoint or preset.userinfo_endpoint,
        jwks_uri=provider.jwks_uri or preset.jwks_uri)


def validate(provider: IdentityProvider, *, allow_http: bool = False) -> IdentityProvider:
    """The provider as stored (preset applied), or InvalidArgument naming the field.
    `allow_http`: development and test stacks (BINOAUTH_OUTBOUND_ALLOW_PRIVATE) whose
    upstream is a loopback http:// server."""
    if not PROVIDER_ID.fullmatch(provider.provider_id or ""):
        raise _bad("provider_id", "provider_id must be 2-40 characters of a-z, 0-9 and '-'")
    p = with_preset(provider)
    if not p.display_name.strip() or len(p.display_name) > 60 or any(ord(c) < 32 for c in p.display_name):
        raise _bad("display_name", "display_name must be 1-60 printable characters")
    if not -1000 <= p.display_order <= 1000:
        raise _bad("display_order", "display_order must be between -1000 and 1000")
    if not p.client_id or len(p.client_id) > 256 or any(ord(c) <= 32 for c in p.client_id):
        raise _bad("client_id", "client_id is required (at most 256 characters, no spaces)")
    if p.client_auth_method not in AUTH_METHODS:
        raise _bad("client_auth_method", f"client_auth_method must be one of {', '.join(AUTH_METHODS)}")
    for name in ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        _url(name, getattr(p, name), allow_http)
    if not p.issuer:
        raise _bad("issuer", "issuer is required for an OpenID Connect provider")
    if p.provider_type is ProviderType.GITHUB and not (p.authorization_endpoint and p.token_endpoint
                                                       and p.userinfo_endpoint):
        raise _bad("token_endpoint", "GitHub needs its authorization, token and user endpoints")
    if len(p.scopes) > MAX_SCOPES or not all(_SCOPE.fullmatch(s) for s in p.scopes):
        raise _bad("scopes", f"scopes must be at most {MAX_SCOPES} scope tokens")
    if p.is_oidc and "openid" not in p.scopes:
        raise _bad("scopes", "scopes must include openid")
    unknown = set(p.claim_mapping) - set(MAPPABLE)
    if unknown:
        raise _bad("claim_mapping", f"claim_mapping can map {', '.join(MAPPABLE)}; not {sorted(unknown)[0][:40]!r}")
    if not all(_CLAIM.fullmatch(v) for v in p.claim_mapping.values()):
        raise _bad("claim_mapping", "claim_mapping values must be claim names (1-64 of A-Z a-z 0-9 _ . : -)")
    domains = tuple(d.strip().lower() for d in p.allowed_email_domains)
    if len(domains) > MAX_DOMAINS or not all(_DOMAIN.fullmatch(d) for d in domains):
        raise _bad("allowed_email_domains", "allowed_email_domains must be domain names like example.com")
    if p.client_auth_method == "private_key_jwt" or p.provider_type is ProviderType.APPLE:
        if not p.key_id or len(p.key_id) > 128:
            raise _bad("key_id", "key_id is required with a private key")
    if p.provider_type is ProviderType.APPLE and (not p.team_id or len(p.team_id) > 64):
        raise _bad("team_id", "team_id is required for Apple")
    return replace(p, allowed_email_domains=domains)


def check_credentials(provider: IdentityProvider, client_secret: str, private_key: str) -> None:
    """What a provider needs to authenticate at its token endpoint is present (new values
    given now, or sealed ones kept)."""
    if provider.provider_type is ProviderType.APPLE or provider.client_auth_method == "private_key_jwt":
        if not (private_key or provider.sealed_private_key):
            raise _bad("private_key", "private_key is required (PEM)")
        if private_key:
            from services.identity.federation.assertions import load_private_key

            load_private_key(private_key)
    elif not (client_secret or provider.sealed_client_secret):
        raise _bad("client_secret", "client_secret is required")
    if len(client_secret) > 1024:
        raise _bad("client_secret", "client_secret is at most 1024 characters")
