from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_analytics_bucket_tokens_issued import (
        BinoauthIdentityV1AnalyticsBucketTokensIssued,
    )


T = TypeVar("T", bound="BinoauthIdentityV1AnalyticsBucket")


@_attrs_define
class BinoauthIdentityV1AnalyticsBucket:
    """Counters of one bucket.

    Attributes:
        start_time (datetime.datetime | Unset): The UTC day or hour the bucket starts at.
        sign_ins_succeeded (str | Unset): Successful end-user sign-ins (LOGIN_SUCCEEDED events).
        sign_ins_failed (str | Unset): Failed end-user sign-ins (LOGIN_FAILED events, locked accounts included).
        sign_ups (str | Unset): Self-service sign-ups.
        active_users (str | Unset): Distinct users who signed in during the bucket.
        tokens_issued (BinoauthIdentityV1AnalyticsBucketTokensIssued | Unset): Tokens issued by the token endpoint, by
            grant type (every grant type present, zeros included).
        lockouts (str | Unset): Accounts locked by repeated failed sign-ins.
        rate_limited (str | Unset): Requests the gateway refused with 429.
    """

    start_time: datetime.datetime | Unset = UNSET
    sign_ins_succeeded: str | Unset = UNSET
    sign_ins_failed: str | Unset = UNSET
    sign_ups: str | Unset = UNSET
    active_users: str | Unset = UNSET
    tokens_issued: BinoauthIdentityV1AnalyticsBucketTokensIssued | Unset = UNSET
    lockouts: str | Unset = UNSET
    rate_limited: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        sign_ins_succeeded = self.sign_ins_succeeded

        sign_ins_failed = self.sign_ins_failed

        sign_ups = self.sign_ups

        active_users = self.active_users

        tokens_issued: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tokens_issued, Unset):
            tokens_issued = self.tokens_issued.to_dict()

        lockouts = self.lockouts

        rate_limited = self.rate_limited

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
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

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_analytics_bucket_tokens_issued import (
            BinoauthIdentityV1AnalyticsBucketTokensIssued,
        )

        d = dict(src_dict)
        _start_time = d.pop("start_time", UNSET)
        start_time: datetime.datetime | Unset
        if isinstance(_start_time, Unset):
            start_time = UNSET
        else:
            start_time = datetime.datetime.fromisoformat(_start_time)

        sign_ins_succeeded = d.pop("sign_ins_succeeded", UNSET)

        sign_ins_failed = d.pop("sign_ins_failed", UNSET)

        sign_ups = d.pop("sign_ups", UNSET)

        active_users = d.pop("active_users", UNSET)

        _tokens_issued = d.pop("tokens_issued", UNSET)
        tokens_issued: BinoauthIdentityV1AnalyticsBucketTokensIssued | Unset
        if isinstance(_tokens_issued, Unset):
            tokens_issued = UNSET
        else:
            tokens_issued = BinoauthIdentityV1AnalyticsBucketTokensIssued.from_dict(
                _tokens_issued
            )

        lockouts = d.pop("lockouts", UNSET)

        rate_limited = d.pop("rate_limited", UNSET)

        binoauth_identity_v1_analytics_bucket = cls(
            start_time=start_time,
            sign_ins_succeeded=sign_ins_succeeded,
            sign_ins_failed=sign_ins_failed,
            sign_ups=sign_ups,
            active_users=active_users,
            tokens_issued=tokens_issued,
            lockouts=lockouts,
            rate_limited=rate_limited,
        )

        return binoauth_identity_v1_analytics_bucket
