from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_analytics_totals_tokens_issued import (
        BinoauthIdentityV1AnalyticsTotalsTokensIssued,
    )


T = TypeVar("T", bound="BinoauthIdentityV1AnalyticsTotals")


@_attrs_define
class BinoauthIdentityV1AnalyticsTotals:
    """Counters over the whole range.

    Attributes:
        sign_ins_succeeded (str | Unset):
        sign_ins_failed (str | Unset):
        sign_ups (str | Unset):
        active_users (str | Unset): Distinct users over the whole range (platform-wide: a HyperLogLog estimate, ~1%
            error).
        tokens_issued (BinoauthIdentityV1AnalyticsTotalsTokensIssued | Unset):
        lockouts (str | Unset):
        rate_limited (str | Unset):
        monthly_active_users (str | Unset): Distinct users in the 30 days ending at end_time (platform-wide: HyperLogLog
            estimate).
    """

    sign_ins_succeeded: str | Unset = UNSET
    sign_ins_failed: str | Unset = UNSET
    sign_ups: str | Unset = UNSET
    active_users: str | Unset = UNSET
    tokens_issued: BinoauthIdentityV1AnalyticsTotalsTokensIssued | Unset = UNSET
    lockouts: str | Unset = UNSET
    rate_limited: str | Unset = UNSET
    monthly_active_users: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        sign_ins_succeeded = self.sign_ins_succeeded

        sign_ins_failed = self.sign_ins_failed

        sign_ups = self.sign_ups

        active_users = self.active_users

        tokens_issued: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tokens_issued, Unset):
            tokens_issued = self.tokens_issued.to_dict()

        lockouts = self.lockouts

        rate_limited = self.rate_limited

        monthly_active_users = self.monthly_active_users

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sign_ins_succeeded is not UNSET:
            field_dict["sign_ins_succeeded"] = sign_ins_succeeded
        if sign_ins_failed is not UNSET:
            field_dict["sign_ins_failed"] = sign_ins_failed
        if sign_ups is not UNSET:
            field_dict["sign_ups"] = sign_ups
        if active_users is not UNSET:
            field_dict["active_users"] = active_users
        if tokens_issued is not UNSET:
            field_dict["tokens_issued"] = tokens_issued
        if lockouts is not UNSET:
            field_dict["lockouts"] = lockouts
        if rate_limited is not UNSET:
            field_dict["rate_limited"] = rate_limited
        if monthly_active_users is not UNSET:
            field_dict["monthly_active_users"] = monthly_active_users

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_analytics_totals_tokens_issued import (
            BinoauthIdentityV1AnalyticsTotalsTokensIssued,
        )

        d = dict(src_dict)
        sign_ins_succeeded = d.pop("sign_ins_succeeded", UNSET)

        sign_ins_failed = d.pop("sign_ins_failed", UNSET)

        sign_ups = d.pop("sign_ups", UNSET)

        active_users = d.pop("active_users", UNSET)

        _tokens_issued = d.pop("tokens_issued", UNSET)
        tokens_issued: BinoauthIdentityV1AnalyticsTotalsTokensIssued | Unset
        if isinstance(_tokens_issued, Unset):
            tokens_issued = UNSET
        else:
            tokens_issued = BinoauthIdentityV1AnalyticsTotalsTokensIssued.from_dict(
                _tokens_issued
            )

        lockouts = d.pop("lockouts", UNSET)

        rate_limited = d.pop("rate_limited", UNSET)

        monthly_active_users = d.pop("monthly_active_users", UNSET)

        binoauth_identity_v1_analytics_totals = cls(
            sign_ins_succeeded=sign_ins_succeeded,
            sign_ins_failed=sign_ins_failed,
            sign_ups=sign_ups,
            active_users=active_users,
            tokens_issued=tokens_issued,
            lockouts=lockouts,
            rate_limited=rate_limited,
            monthly_active_users=monthly_active_users,
        )

        return binoauth_identity_v1_analytics_totals
