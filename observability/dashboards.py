"""Grafana dashboards as code (grafanalib, pinned in requirements-dev.txt).

    python -m observability.dashboards          # rewrites observability/dashboards/*.json
    python -m observability.dashboards --check  # exits 1 if a committed file is stale

The JSON is committed so that Grafana (file provisioning, or the Kubernetes sidecar) loads it
without Python. Every panel reads only what observability/prometheus.yml scrapes; the test
tests/observability/test_live.py runs each panel's query against a real Prometheus scraping
the real stack after a scripted workload. Queries use Grafana's `$__rate_interval` and, on
the tenant dashboard, `$tenant`; `$datasource` picks the Prometheus data source.
A few panels count rare events (MFA, refused refresh tokens, alerts firing): they end in
`or vector(0)` so that they draw zero rather than "No data".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grafanalib import core as g  # type: ignore[import-untyped]
from grafanalib._gen import DashboardEncoder  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent / "dashboards"
DS = "${datasource}"
RATE = "$__rate_interval"
SVC = 'job="binoauth"'
GW = 'job="binoauth-gateway"'
UPSTREAMS = 'envoy_cluster_name=~"tenant|identity|token|session"'


@dataclass(frozen=True)
class Panel:
    title: str
    queries: Sequence[tuple[str, str]]  # (PromQL, legend)
    unit: str = "short"
    description: str = ""


@dataclass(frozen=True)
class Board:
    uid: str
    title: str
    panels: Sequence[Panel]
    tenant_variable: bool = False


def _p99(quantile: str, selector: str, by: str) -> str:
    return (f"histogram_quantile({quantile}, sum by ({by}, le) "
            f"(rate(binoauth_rpc_duration_seconds_bucket{{{selector}}}[{RATE}])))")


BOARDS = (
    Board("binoauth-overview", "BinoAuth / Platform overview", [
        Panel("Requests by service", [(f"sum by (service) (rate(binoauth_rpc_requests_total{{{SVC}}}[{RATE}]))",
                                       "{{service}}")], "reqps"),
        Panel("Gateway responses by class", [
            (f'sum by (envoy_response_code_class) (rate(envoy_http_downstream_rq_xx{{{GW},'
             f'envoy_http_conn_manager_prefix="gateway"}}[{RATE}]))', "{{envoy_response_code_class}}xx")], "reqps"),
        Panel("Latency p50 by route", [(_p99("0.5", SVC, "service, method"), "{{service}} {{method}}")], "s"),
        Panel("Latency p99 by route", [(_p99("0.99", SVC, "service, method"), "{{service}} {{method}}")], "s"),
        Panel("Errors by gRPC code", [
            (f'sum by (service, code) (rate(binoauth_rpc_requests_total{{{SVC},code!="OK"}}[{RATE}]))',
             "{{service}} {{code}}")], "reqps"),
        Panel("Rate-limit decisions by result", [
            (f"sum by (group, result) (rate(binoauth_ratelimit_decisions_total{{{SVC}}}[{RATE}]))",
             "{{group}} {{result}}")], "reqps"),
        Panel("Healthy replicas behind Envoy", [
            (f"max by (envoy_cluster_name) (envoy_cluster_membership_healthy{{{GW},{UPSTREAMS}}})",
             "{{envoy_cluster_name}}")]),
        Panel("SLO error ratio (1h) by SLI", [("binoauth:slo_errors:ratio_rate1h", "{{slo}} {{sli}}")],
              "percentunit", "Share of requests that were server errors (availability) or too slow (latency)."),
        Panel("Alerts firing", [('count by (severity) (ALERTS{alertstate="firing"}) or vector(0)', "{{severity}}")]),
    ]),
    Board("binoauth-auth", "BinoAuth / Authentication", [
        Panel("Sign-ins by result", [(f"sum by (result) (rate(binoauth_logins_total{{{SVC}}}[{RATE}]))",
                                      "{{result}}")], "ops"),
        Panel("MFA challenges and failures", [
            (f'sum by (result) (rate(binoauth_logins_total{{{SVC},result=~"mfa_.*"}}[{RATE}])) or vector(0)',
             "{{result}}")], "ops"),
        Panel("Lockouts", [(f"sum(rate(binoauth_lockouts_total{{{SVC}}}[{RATE}]))", "lockouts")], "ops"),
        Panel("Sign-ups", [(f"sum(rate(binoauth_registrations_total{{{SVC}}}[{RATE}]))", "sign-ups")], "ops"),
        Panel("Codes and links sent by purpose", [
            (f"sum by (purpose) (rate(binoauth_verifications_sent_total{{{SVC}}}[{RATE}]))", "{{purpose}}")], "ops"),
        Panel("Verification mail backlog", [
            (f"max(binoauth_outbox_pending{{{SVC}}})", "waiting"),
            (f"max(binoauth_outbox_oldest_seconds{{{SVC}}})", "oldest (s)")]),
        Panel("Outbox deliveries by result", [
            (f"sum by (kind, result) (rate(binoauth_messages_total{{{SVC}}}[{RATE}]))", "{{kind}} {{result}}")],
            "ops"),
    ]),
    Board("binoauth-tokens", "BinoAuth / Tokens", [
        Panel("Token requests by grant and result", [
            (f"sum by (grant_type, result) (rate(binoauth_tokens_issued_total{{{SVC}}}[{RATE}]))",
             "{{grant_type}} {{result}}")], "ops"),
        Panel("Introspections by answer", [
            (f"sum by (active) (rate(binoauth_introspections_total{{{SVC}}}[{RATE}]))", "active={{active}}")], "ops"),
        Panel("Revocations", [(f"sum(rate(binoauth_token_revocations_total{{{SVC}}}[{RATE}]))", "revoked")], "ops"),
        Panel("Replays detected (families revoked)", [
            (f"sum by (kind) (rate(binoauth_token_replays_total{{{SVC}}}[{RATE}])) or vector(0)", "{{kind}}")], "ops",
            "A used authorization code or a rotated refresh token presented again: stolen or replayed."),
        Panel("Refresh tokens refused", [
            (f'sum(rate(binoauth_tokens_issued_total{{{SVC},grant_type="refresh_token",result="invalid_grant"}}'
             f"[{RATE}])) or vector(0)", "refused")], "ops",
            "invalid_grant on the refresh grant: reuse (the family is revoked), expiry or revocation."),
        Panel("Token endpoint latency", [
            (_p99("0.5", f'{SVC},service="token",method="Token"', "method"), "p50"),
            (_p99("0.99", f'{SVC},service="token",method="Token"', "method"), "p99")], "s"),
        Panel("Signing key rotations (1d)", [
            (f"sum(increase(binoauth_signing_key_rotations_total{{{SVC}}}[1d]))", "rotations")]),
        Panel("Signing keys overdue for rotation", [
            (f"max(binoauth_signing_keys_overdue_tenants{{{SVC}}})", "tenants"),
            (f"max(binoauth_signing_key_oldest_age_seconds{{{SVC}}}) / 86400", "oldest key (days)")], "short",
            "Tenants whose active key is older than BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS."),
    ]),
    Board("binoauth-tenant", "BinoAuth / Tenant", [
        Panel("Requests by service and code", [
            (f'sum by (service, code) (rate(binoauth_tenant_rpc_requests_total{{{SVC},tenant="$tenant"}}[{RATE}]))',
             "{{service}} {{code}}")], "reqps"),
        Panel("Sign-ins by result", [
            (f'sum by (result) (rate(binoauth_tenant_logins_total{{{SVC},tenant="$tenant"}}[{RATE}]))',
             "{{result}}")], "ops"),
        Panel("Failed sign-in share", [
            (f'sum(rate(binoauth_tenant_logins_total{{{SVC},tenant="$tenant",result=~"failure|locked"}}[{RATE}]))'
             f' / sum(rate(binoauth_tenant_logins_total{{{SVC},tenant="$tenant"}}[{RATE}]))', "failed")],
              "percentunit"),
        Panel("Lockouts", [(f'sum(rate(binoauth_tenant_lockouts_total{{{SVC},tenant="$tenant"}}[{RATE}]))',
                            "lockouts")], "ops"),
    ], tenant_variable=True),
    Board("binoauth-datastores", "BinoAuth / Datastores", [
        Panel("Datastore reachable, by service", [
            (f"min by (service, dependency) (binoauth_dependency_up{{{SVC}}})", "{{service}} → {{dependency}}")]),
        Panel("Server errors from dependencies (UNAVAILABLE)", [
            (f'sum by (service) (rate(binoauth_rpc_requests_total{{{SVC},code="UNAVAILABLE"}}[{RATE}]))'
             " or vector(0)", "{{service}}")], "reqps"),
        Panel("Revocation checks by result", [
            (f"sum by (result) (rate(binoauth_revocation_checks_total{{{SVC}}}[{RATE}]))", "{{result}}")], "ops"),
        Panel("Live sessions", [(f"max(binoauth_sessions_active{{{SVC}}})", "sessions")]),
        Panel("Envoy upstream connections", [
            (f"sum by (envoy_cluster_name) (envoy_cluster_upstream_cx_active{{{GW},{UPSTREAMS}}})",
             "{{envoy_cluster_name}}")]),
    ]),
)


def _templating(board: Board) -> g.Templating:
    variables = [g.Template(name="datasource", label="Data source", query="prometheus", type="datasource")]
    if board.tenant_variable:
        variables.append(g.Template(
            name="tenant", label="Tenant", dataSource=DS, type="query", refresh=2, sort=1,
            query="label_values(binoauth_tenant_rpc_requests_total, tenant)"))
    return g.Templating(list=variables)


def dashboard(board: Board) -> g.Dashboard:
    panels = []
    for index, panel in enumerate(board.panels):
        panels.append(g.TimeSeries(
            title=panel.title, description=panel.description, dataSource=DS, unit=panel.unit,
            targets=[g.Target(expr=expr, legendFormat=legend, refId=chr(ord("A") + i), datasource=DS)
                     for i, (expr, legend) in enumerate(panel.queries)],
            gridPos=g.GridPos(h=8, w=12, x=12 * (index % 2), y=8 * (index // 2)),
        ))
    return g.Dashboard(
        title=board.title, uid=board.uid, tags=["binoauth"], panels=panels, templating=_templating(board),
        time=g.Time("now-1h", "now"), refresh="30s", timezone="utc",
    ).auto_panel_ids()


def render(board: Board) -> str:
    data = json.loads(json.dumps(dashboard(board).to_json_data(), cls=DashboardEncoder))
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def files() -> Iterator[tuple[Path, str]]:
    for board in BOARDS:
        yield OUT / f"{board.uid}.json", render(board)


def queries(board_json: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(panel title, expr) of every target of a rendered dashboard."""
    for panel in board_json["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m observability.dashboards")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = [path for path, text in files() if not path.exists() or path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale: run python -m observability.dashboards", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(exist_ok=True)
    for path, text in files():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
