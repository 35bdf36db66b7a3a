from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BinoauthTenantV1LockoutPolicy")


@_attrs_define
class BinoauthTenantV1LockoutPolicy:
    """Brute-force protection per account (in the spirit of Keycloak's defaults).

    Attributes:
        max_failures (int | Unset): Failures after which the account is temporarily locked. Default 10.
        lockout_seconds (int | Unset): Temporary lock duration. Default 900.
        failure_reset_seconds (int | Unset): Failure counters reset after this window without failures. Default 43200.
        progressive_delay_seconds (int | Unset): Added delay per failure, capped at lockout_seconds (and at 5 s per
            answer). Default 1; 0 turns the delay off (set it explicitly: unset means the default).
    """

    max_failures: int | Unset = UNSET
    lockout_seconds: int | Unset = UNSET
    failure_reset_seconds: int | Unset = UNSET
    progressive_delay_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_failures = self.max_failures

        lockout_seconds = self.lockout_seconds

        failure_reset_seconds = self.failure_reset_seconds

        progressive_delay_seconds = self.progressive_delay_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_failures is not UNSET:
            field_dict["max_failures"] = max_failures
        if lockout_seconds is not UNSET:
            field_dict["lockout_seconds"] = lockout_seconds
        if failure_reset_seconds is not UNSET:
            field_dict["failure_reset_seconds"] = failure_reset_seconds
        if progressive_delay_seconds is not UNSET:
            field_dict["progressive_delay_seconds"] = progressive_delay_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        max_failures = d.pop("max_failures", UNSET)

        lockout_seconds = d.pop("lockout_seconds", UNSET)

        failure_reset_seconds = d.pop("failure_reset_seconds", UNSET)

        progressive_delay_seconds = d.pop("progressive_delay_seconds", UNSET)

        binoauth_tenant_v1_lockout_policy = cls(
            max_failures=max_failures,
            lockout_seconds=lockout_seconds,
            failure_reset_seconds=failure_reset_seconds,
            progressive_delay_seconds=progressive_delay_seconds,
        )

        return binoauth_tenant_v1_lockout_policy
