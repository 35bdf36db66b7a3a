"""The thin gRPC servicer of the analytics API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from binoauth.identity.v1 import analytics_service_pb2 as pb
from binoauth.identity.v1 import analytics_service_pb2_grpc as grpc_pb
from services.common.auth import CachedCredentialVerifier, missing_credential
from services.common.context import bind, current_request, set_current_actor
from services.common.timestamps import from_timestamp, to_timestamp
from services.identity.analytics.queries import AnalyticsQueries
from services.identity.analytics.rollup import Counters, Report

Context = Any


class AnalyticsServicer(grpc_pb.AnalyticsServiceServicer):
    def __init__(self, queries: AnalyticsQueries, credentials: CachedCredentialVerifier) -> None:
        self._queries = queries
        self._credentials = credentials

    async def GetAnalytics(self, request: pb.GetAnalyticsRequest, context: Context) -> Any:
        meta = current_request(context)
        if not meta.credential:
            raise missing_credential()
        principal = await self._credentials.authenticate(meta.credential)
        set_current_actor(principal.principal_id)
        # /tenant/{id}/api/v1/analytics selects the tenant as the path prefix does elsewhere.
        tenant_id = request.tenant_id or meta.path_tenant
        bind(tenant_id=tenant_id)
        report = await self._queries.report(
            principal, tenant_id, request.granularity,
            _time(request, "start_time"), _time(request, "end_time"))
        return to_proto(report, tenant_id)


def _time(request: pb.GetAnalyticsRequest, name: str) -> datetime | None:
    return from_timestamp(getattr(request, name), request.HasField(name))


def _fields(counters: Counters) -> dict[str, Any]:
    return {"sign_ins_succeeded": counters.sign_ins_succeeded, "sign_ins_failed": counters.sign_ins_failed,
            "sign_ups": counters.sign_ups, "active_users": counters.active_users,
            "tokens_issued": dict(counters.tokens_issued), "lockouts": counters.lockouts,
            "rate_limited": counters.rate_limited}


def to_proto(report: Report, tenant_id: str) -> pb.Analytics:
    return pb.Analytics(
        granularity=report.range.name, tenant_id=tenant_id,
        start_time=to_timestamp(report.range.start), end_time=to_timestamp(report.range.end),
        buckets=[pb.AnalyticsBucket(start_time=to_timestamp(start), **_fields(c)) for start, c in report.buckets],
        totals=pb.AnalyticsTotals(monthly_active_users=report.monthly_active_users, **_fields(report.totals)),
    )
