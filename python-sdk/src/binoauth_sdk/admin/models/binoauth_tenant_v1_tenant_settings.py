from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_branding import BinoauthTenantV1Branding
    from ..models.binoauth_tenant_v1_lockout_policy import BinoauthTenantV1LockoutPolicy
    from ..models.binoauth_tenant_v1_login_methods import BinoauthTenantV1LoginMethods
    from ..models.binoauth_tenant_v1_password_policy import (
        BinoauthTenantV1PasswordPolicy,
    )
    from ..models.binoauth_tenant_v1_rate_limits import BinoauthTenantV1RateLimits
    from ..models.binoauth_tenant_v1_session_settings import (
        BinoauthTenantV1SessionSettings,
    )
    from ..models.binoauth_tenant_v1_token_settings import BinoauthTenantV1TokenSettings


T = TypeVar("T", bound="BinoauthTenantV1TenantSettings")


@_attrs_define
class BinoauthTenantV1TenantSettings:
    """Settings of one tenant. Every field has a documented platform default.

    Attributes:
        tokens (BinoauthTenantV1TokenSettings | Unset): Token lifetimes, in seconds.
        password_policy (BinoauthTenantV1PasswordPolicy | Unset): Password rules for the tenant's users.
        lockout_policy (BinoauthTenantV1LockoutPolicy | Unset): Brute-force protection per account (in the spirit of
            Keycloak's defaults).
        login_methods (BinoauthTenantV1LoginMethods | Unset): Which ways of signing in the tenant allows. Unset means
            the default (all true).
        sessions (BinoauthTenantV1SessionSettings | Unset): Session timeouts, in seconds.
        rate_limits (BinoauthTenantV1RateLimits | Unset): Per-tenant rate limits by endpoint group, in requests per
            minute. Zero means the platform default; each group is limited per client IP and per tenant.
        branding (BinoauthTenantV1Branding | Unset): How the tenant's hosted pages look and speak
            (services/common/pages). Empty means the platform's own look.
    """

    tokens: BinoauthTenantV1TokenSettings | Unset = UNSET
    password_policy: BinoauthTenantV1PasswordPolicy | Unset = UNSET
    lockout_policy: BinoauthTenantV1LockoutPolicy | Unset = UNSET
    login_methods: BinoauthTenantV1LoginMethods | Unset = UNSET
    sessions: BinoauthTenantV1SessionSettings | Unset = UNSET
    rate_limits: BinoauthTenantV1RateLimits | Unset = UNSET
    branding: BinoauthTenantV1Branding | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tokens: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tokens, Unset):
            tokens = self.tokens.to_dict()

        password_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.password_policy, Unset):
            password_policy = self.password_policy.to_dict()

        lockout_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.lockout_policy, Unset):
            lockout_policy = self.lockout_policy.to_dict()

        login_methods: dict[str, Any] | Unset = UNSET
        if not isinstance(self.login_methods, Unset):
            login_methods = self.login_methods.to_dict()

        sessions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sessions, Unset):
            sessions = self.sessions.to_dict()

        rate_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rate_limits, Unset):
            rate_limits = self.rate_limits.to_dict()

        branding: dict[str, Any] | Unset = UNSET
        if not isinstance(self.branding, Unset):
            branding = self.branding.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if password_policy is not UNSET:
            field_dict["password_policy"] = password_policy
        if lockout_policy is not UNSET:
            field_dict["lockout_policy"] = lockout_policy
        if login_methods is not UNSET:
            field_dict["login_methods"] = login_methods
        if sessions is not UNSET:
            field_dict["sessions"] = sessions
        if rate_limits is not UNSET:
            field_dict["rate_limits"] = rate_limits
        if branding is not UNSET:
            field_dict["branding"] = branding

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_branding import BinoauthTenantV1Branding
        from ..models.binoauth_tenant_v1_lockout_policy import (
            BinoauthTenantV1LockoutPolicy,
        )
        from ..models.binoauth_tenant_v1_login_methods import (
            BinoauthTenantV1LoginMethods,
        )
        from ..models.binoauth_tenant_v1_password_policy import (
            BinoauthTenantV1PasswordPolicy,
        )
        from ..models.binoauth_tenant_v1_rate_limits import BinoauthTenantV1RateLimits
        from ..models.binoauth_tenant_v1_session_settings import (
            BinoauthTenantV1SessionSettings,
        )
        from ..models.binoauth_tenant_v1_token_settings import (
            BinoauthTenantV1TokenSettings,
        )

        d = dict(src_dict)
        _tokens = d.pop("tokens", UNSET)
        tokens: BinoauthTenantV1TokenSettings | Unset
        if isinstance(_tokens, Unset):
            tokens = UNSET
        else:
            tokens = BinoauthTenantV1TokenSettings.from_dict(_tokens)

        _password_policy = d.pop("password_policy", UNSET)
        password_policy: BinoauthTenantV1PasswordPolicy | Unset
        if isinstance(_password_policy, Unset):
            password_policy = UNSET
        else:
            password_policy = BinoauthTenantV1PasswordPolicy.from_dict(_password_policy)

        _lockout_policy = d.pop("lockout_policy", UNSET)
        lockout_policy: BinoauthTenantV1LockoutPolicy | Unset
        if isinstance(_lockout_policy, Unset):
            lockout_policy = UNSET
        else:
            lockout_policy = BinoauthTenantV1LockoutPolicy.from_dict(_lockout_policy)

        _login_methods = d.pop("login_methods", UNSET)
        login_methods: BinoauthTenantV1LoginMethods | Unset
        if isinstance(_login_methods, Unset):
            login_methods = UNSET
        else:
            login_methods = BinoauthTenantV1LoginMethods.from_dict(_login_methods)

        _sessions = d.pop("sessions", UNSET)
        sessions: BinoauthTenantV1SessionSettings | Unset
        if isinstance(_sessions, Unset):
            sessions = UNSET
        else:
            sessions = BinoauthTenantV1SessionSettings.from_dict(_sessions)

        _rate_limits = d.pop("rate_limits", UNSET)
        rate_limits: BinoauthTenantV1RateLimits | Unset
        if isinstance(_rate_limits, Unset):
            rate_limits = UNSET
        else:
            rate_limits = BinoauthTenantV1RateLimits.from_dict(_rate_limits)

        _branding = d.pop("branding", UNSET)
        branding: BinoauthTenantV1Branding | Unset
        if isinstance(_branding, Unset):
            branding = UNSET
        else:
            branding = BinoauthTenantV1Branding.from_dict(_branding)

        binoauth_tenant_v1_tenant_settings = cls(
            tokens=tokens,
            password_policy=password_policy,
            lockout_policy=lockout_policy,
            login_methods=login_methods,
            sessions=sessions,
            rate_limits=rate_limits,
            branding=branding,
        )

        return binoauth_tenant_v1_tenant_settings
