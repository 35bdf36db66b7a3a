from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_tenant_v1_rate_limit import BinoauthTenantV1RateLimit


T = TypeVar("T", bound="BinoauthTenantV1RateLimits")


@_attrs_define
class BinoauthTenantV1RateLimits:
    """Per-tenant rate limits by endpoint group, in requests per minute. Zero means the platform default; each group is
    limited per client IP and per tenant.

        Attributes:
            login (BinoauthTenantV1RateLimit | Unset): One endpoint group's budget.
            signup (BinoauthTenantV1RateLimit | Unset): One endpoint group's budget.
            token (BinoauthTenantV1RateLimit | Unset): One endpoint group's budget.
            verification (BinoauthTenantV1RateLimit | Unset): One endpoint group's budget.
            management (BinoauthTenantV1RateLimit | Unset): One endpoint group's budget.
    """

    login: BinoauthTenantV1RateLimit | Unset = UNSET
    signup: BinoauthTenantV1RateLimit | Unset = UNSET
    token: BinoauthTenantV1RateLimit | Unset = UNSET
    verification: BinoauthTenantV1RateLimit | Unset = UNSET
    management: BinoauthTenantV1RateLimit | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        login: dict[str, Any] | Unset = UNSET
        if not isinstance(self.login, Unset):
            login = self.login.to_dict()

        signup: dict[str, Any] | Unset = UNSET
        if not isinstance(self.signup, Unset):
            signup = self.signup.to_dict()

        token: dict[str, Any] | Unset = UNSET
        if not isinstance(self.token, Unset):
            token = self.token.to_dict()

        verification: dict[str, Any] | Unset = UNSET
        if not isinstance(self.verification, Unset):
            verification = self.verification.to_dict()

        management: dict[str, Any] | Unset = UNSET
        if not isinstance(self.management, Unset):
            management = self.management.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if login is not UNSET:
            field_dict["login"] = login
        if signup is not UNSET:
            field_dict["signup"] = signup
        if token is not UNSET:
            field_dict["token"] = token
        if verification is not UNSET:
            field_dict["verification"] = verification
        if management is not UNSET:
            field_dict["management"] = management

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_tenant_v1_rate_limit import BinoauthTenantV1RateLimit

        d = dict(src_dict)
        _login = d.pop("login", UNSET)
        login: BinoauthTenantV1RateLimit | Unset
        if isinstance(_login, Unset):
            login = UNSET
        else:
            login = BinoauthTenantV1RateLimit.from_dict(_login)

        _signup = d.pop("signup", UNSET)
        signup: BinoauthTenantV1RateLimit | Unset
        if isinstance(_signup, Unset):
            signup = UNSET
        else:
            signup = BinoauthTenantV1RateLimit.from_dict(_signup)

        _token = d.pop("token", UNSET)
        token: BinoauthTenantV1RateLimit | Unset
        if isinstance(_token, Unset):
            token = UNSET
        else:
            token = BinoauthTenantV1RateLimit.from_dict(_token)

        _verification = d.pop("verification", UNSET)
        verification: BinoauthTenantV1RateLimit | Unset
        if isinstance(_verification, Unset):
            verification = UNSET
        else:
            verification = BinoauthTenantV1RateLimit.from_dict(_verification)

        _management = d.pop("management", UNSET)
        management: BinoauthTenantV1RateLimit | Unset
        if isinstance(_management, Unset):
            management = UNSET
        else:
            management = BinoauthTenantV1RateLimit.from_dict(_management)

        binoauth_tenant_v1_rate_limits = cls(
            login=login,
            signup=signup,
            token=token,
            verification=verification,
            management=management,
        )

        return binoauth_tenant_v1_rate_limits
