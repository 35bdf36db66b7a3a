from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_analytics_bucket import (
        BinoauthIdentityV1AnalyticsBucket,
    )
    from ..models.binoauth_identity_v1_analytics_totals import (
        BinoauthIdentityV1AnalyticsTotals,
    )


T = TypeVar("T", bound="BinoauthIdentityV1Analytics")


@_attrs_define
class BinoauthIdentityV1Analytics:
    """Response for AnalyticsService.GetAnalytics.

    Attributes:
        granularity (str | Unset): DAY or HOUR.
        buckets (list[BinoauthIdentityV1AnalyticsBucket] | Unset): Every bucket of the range, oldest first, zeros
            included.
        totals (BinoauthIdentityV1AnalyticsTotals | Unset): Counters over the whole range.
        tenant_id (str | Unset): Empty when platform-wide.
        start_time (datetime.datetime | Unset): The range answered (start rounded down to the bucket).
        end_time (datetime.datetime | Unset):
    """

    granularity: str | Unset = UNSET
    buckets: list[BinoauthIdentityV1AnalyticsBucket] | Unset = UNSET
    totals: BinoauthIdentityV1AnalyticsTotals | Unset = UNSET
    tenant_id: str | Unset = UNSET
    start_time: datetime.datetime | Unset = UNSET
    end_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        granularity = self.granularity

        buckets: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buckets, Unset):
            buckets = []
            for buckets_item_data in self.buckets:
                buckets_item = buckets_item_data.to_dict()
                buckets.append(buckets_item)

        totals: dict[str, Any] | Unset = UNSET
        if not isinstance(self.totals, Unset):
            totals = self.totals.to_dict()

        tenant_id = self.tenant_id

        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        end_time: str | Unset = UNSET
        if not isinstance(self.end_time, Unset):
            end_time = self.end_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if granularity is not UNSET:
            field_dict["granularity"] = granularity
        if buckets is not UNSET:
            field_dict["buckets"] = buckets
        if totals is not UNSET:
            field_dict["totals"] = totals
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_analytics_bucket import (
            BinoauthIdentityV1AnalyticsBucket,
        )
        from ..models.binoauth_identity_v1_analytics_totals import (
            BinoauthIdentityV1AnalyticsTotals,
        )

        d = dict(src_dict)
        granularity = d.pop("granularity", UNSET)

        _buckets = d.pop("buckets", UNSET)
        buckets: list[BinoauthIdentityV1AnalyticsBucket] | Unset = UNSET
        if _buckets is not UNSET:
            buckets = []
            for buckets_item_data in _buckets:
                buckets_item = BinoauthIdentityV1AnalyticsBucket.from_dict(
                    buckets_item_data
                )

                buckets.append(buckets_item)

        _totals = d.pop("totals", UNSET)
        totals: BinoauthIdentityV1AnalyticsTotals | Unset
        if isinstance(_totals, Unset):
            totals = UNSET
        else:
            totals = BinoauthIdentityV1AnalyticsTotals.from_dict(_totals)

        tenant_id = d.pop("tenant_id", UNSET)

        _start_time = d.pop("start_time", UNSET)
        start_time: datetime.datetime | Unset
        if isinstance(_start_time, Unset):
            start_time = UNSET
        else:
            start_time = datetime.datetime.fromisoformat(_start_time)

        _end_time = d.pop("end_time", UNSET)
        end_time: datetime.datetime | Unset
        if isinstance(_end_time, Unset):
            end_time = UNSET
        else:
            end_time = datetime.datetime.fromisoformat(_end_time)

        binoauth_identity_v1_analytics = cls(
            granularity=granularity,
            buckets=buckets,
            totals=totals,
            tenant_id=tenant_id,
            start_time=start_time,
            end_time=end_time,
        )

        return binoauth_identity_v1_analytics
