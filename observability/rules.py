"""The alert and recording rules, as code: `python -m observability.rules` writes
observability/rules/binoauth.rules.yml (committed; tests/observability checks it is current,
`promtool check rules` accepts it and `promtool test rules` runs its unit tests).

Every alert carries `severity` (page: wake someone; ticket: next working day) and a
`runbook_url` into observability/RUNBOOK.md, which has one entry per alert name.

SLOs follow the SRE workbook's multi-window, multi-burn-rate method: the error ratio of each
SLI is recorded over 5m..3d, and an alert needs both a long and a short window above the
same burn rate (the short one makes it stop soon after the problem does):
  page:   14.4x over 1h and 5m (2% of a 30-day budget in an hour), 6x over 6h and 30m;
  ticket: 3x over 1d and 2h, 1x over 3d and 6h.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
RULES_FILE = HERE / "rules" / "binoauth.rules.yml"
RUNBOOK = "observability/RUNBOOK.md"  # relative: the repository is the runbook's home
# gRPC codes that are the platform's fault (RESOURCE_EXHAUSTED is a rate limit doing its job,
# INVALID_ARGUMENT/UNAUTHENTICATED/... are the caller's).
SERVER_ERRORS = "INTERNAL|UNAVAILABLE|DEADLINE_EXCEEDED|UNKNOWN|DATA_LOSS"
WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")
SERVICE_JOB = "binoauth"
GATEWAY_JOB = "binoauth-gateway"


@dataclass(frozen=True)
class Slo:
    name: str
    selector: str  # label matchers on binoauth_rpc_requests_total / _duration_seconds_bucket
    availability: float  # objective, e.g. 0.999
    latency_le: str  # histogram bucket (as prometheus_client writes it) that is "fast enough"
    latency: float  # share of requests that must be under latency_le


SLOS = (
    Slo("token", f'job="{SERVICE_JOB}",service="token",method="Token"', 0.999, "0.5", 0.99),
    Slo("sign_in", f'job="{SERVICE_JOB}",service="identity",method="Login"', 0.999, "1.0", 0.99),
    Slo("management", f'job="{SERVICE_JOB}",service="tenant"', 0.999, "1.0", 0.99),
)
BURNS = (  # (severity, for, [(burn, long, short), ...])
    ("page", "2m", [(14.4, "1h", "5m"), (6, "6h", "30m")]),
    ("ticket", "15m", [(3, "1d", "2h"), (1, "3d", "6h")]),
)


def _slo_records() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for slo in SLOS:
        for sli, objective in (("availability", slo.availability), ("latency", slo.latency)):
            rules.append({"record": "binoauth:slo_error_budget", "expr": f"vector({round(1 - objective, 6)})",
                          "labels": {"slo": slo.name, "sli": sli}})
        for window in WINDOWS:
            total = f"sum(rate(binoauth_rpc_requests_total{{{slo.selector}}}[{window}]))"
            errors = f'sum(rate(binoauth_rpc_requests_total{{{slo.selector},code=~"{SERVER_ERRORS}"}}[{window}]))'
            rules.append({"record": f"binoauth:slo_errors:ratio_rate{window}", "expr": f"{errors} / {total}",
                          "labels": {"slo": slo.name, "sli": "availability"}})
            fast = f'sum(rate(binoauth_rpc_duration_seconds_bucket{{{slo.selector},le="{slo.latency_le}"}}[{window}]))'
            count = f"sum(rate(binoauth_rpc_duration_seconds_count{{{slo.selector}}}[{window}]))"
            rules.append({"record": f"binoauth:slo_errors:ratio_rate{window}", "expr": f"1 - ({fast} / {count})",
                          "labels": {"slo": slo.name, "sli": "latency"}})
    return rules


def _burn_alerts() -> list[dict[str, Any]]:
    alerts = []
    for severity, hold, pairs in BURNS:
        clauses = [
            f"(binoauth:slo_errors:ratio_rate{long} > on(slo, sli) ({burn} * binoauth:slo_error_budget)"
            f" and binoauth:slo_errors:ratio_rate{short} > on(slo, sli) ({burn} * binoauth:slo_error_budget))"
            for burn, long, short in pairs
        ]
        name = "BinoAuthErrorBudgetBurnFast" if severity == "page" else "BinoAuthErrorBudgetBurnSlow"
        alerts.append(_alert(
            name, "\nor\n".join(clauses), hold, severity,
            "{{ $labels.slo }} {{ $labels.sli }} SLO is burning its error budget "
            + ("fast" if severity == "page" else "steadily"),
            "The {{ $labels.sli }} error ratio of {{ $labels.slo }} is above "
            + " / ".join(f"{b}x" for b, _l, _s in pairs) + " the budget over both windows.",
        ))
    return alerts


def _alert(name: str, expr: str, hold: str, severity: str, summary: str, description: str) -> dict[str, Any]:
    return {
        "alert": name, "expr": expr, "for": hold,
        "labels": {"severity": severity},
        "annotations": {"summary": summary, "description": description,
                        "runbook_url": f"{RUNBOOK}#{name.lower()}"},
    }


def _platform_alerts() -> list[dict[str, Any]]:
    upstreams = "tenant|identity|token|session"
    return [
        _alert("BinoAuthRateLimitFailingClosed",
               'sum by (group) (rate(binoauth_ratelimit_decisions_total{result="failed_closed"}[5m])) > 0',
               "2m", "page", "Rate limiting fails closed for {{ $labels.group }}",
               "Rate-limit decisions cannot reach Redis; fail-closed groups are refused."),
        _alert("BinoAuthRateLimitFailingOpen",
               'sum by (group) (rate(binoauth_ratelimit_decisions_total{result="failed_open"}[5m])) > 0',
               "10m", "ticket", "Rate limiting fails open for {{ $labels.group }}",
               "Requests of fail-open groups pass unlimited because Redis does not answer."),
        _alert("BinoAuthRedisUnreachable",
               f'max by (service) (binoauth_dependency_up{{job="{SERVICE_JOB}",dependency="redis"}}) == 0',
               "1m", "page", "No {{ $labels.service }} replica reaches Redis",
               "Every replica of {{ $labels.service }} failed its Redis ping for a minute."),
        _alert("BinoAuthPostgresUnreachable",
               f'max by (service) (binoauth_dependency_up{{job="{SERVICE_JOB}",dependency="postgres"}}) == 0',
               "1m", "page", "No {{ $labels.service }} replica reaches PostgreSQL",
               "Every replica of {{ $labels.service }} failed its PostgreSQL ping for a minute."),
        _alert("BinoAuthNoHealthyReplica",
               f'max by (envoy_cluster_name) (envoy_cluster_membership_healthy{{job="{GATEWAY_JOB}",'
               f'envoy_cluster_name=~"{upstreams}"}}) == 0',
               "1m", "page", "Envoy has no healthy {{ $labels.envoy_cluster_name }} replica",
               "Every request routed to {{ $labels.envoy_cluster_name }} fails with 503."),
        _alert("BinoAuthReplicaDown", f'up{{job="{SERVICE_JOB}"}} == 0', "5m", "ticket",
               "{{ $labels.service }} replica {{ $labels.instance }} is down",
               "Prometheus cannot scrape this replica; the others carry its load."),
        _alert("BinoAuthGatewayDown", f'up{{job="{GATEWAY_JOB}"}} == 0', "2m", "page",
               "Envoy {{ $labels.instance }} is down", "Prometheus cannot scrape the gateway's stats listener."),
        _alert("BinoAuthSigningKeysOverdue", "max(binoauth_signing_keys_overdue_tenants) > 0", "1h", "ticket",
               "{{ $value }} tenants sign with keys older than the rotation policy",
               "Active signing keys are older than BINOAUTH_SIGNING_KEY_MAX_AGE_DAYS."),
        _alert("BinoAuthOutboxBacklog",
               'max(binoauth_outbox_oldest_seconds) > 900 or max(binoauth_outbox_pending) > 1000',
               "10m", "ticket", "Mail and SMS outbox is backing up",
               "The oldest undelivered message is over 15 minutes old, or over 1000 wait."),
        _alert("BinoAuthOutboxDeadLetters",
               'sum by (kind, result) (increase(binoauth_messages_total{result=~"failed|expired|unreadable"}[15m]))'
               ' > 0', "0m", "ticket", "Outbox gave up on {{ $labels.kind }} messages ({{ $labels.result }})",
               "Messages were dropped in the last 15 minutes after their retries ran out."),
        _alert("BinoAuthCredentialStuffing",
               'sum by (tenant) (rate(binoauth_tenant_logins_total{result=~"failure|locked"}[5m])) > 1'
               ' and on(tenant) (sum by (tenant) (rate(binoauth_tenant_logins_total{result=~"failure|locked"}[5m]))'
               ' / sum by (tenant) (rate(binoauth_tenant_logins_total[5m]))) > 0.5',
               "5m", "page", "Failed sign-ins spike on tenant {{ $labels.tenant }}",
               "Over one failed sign-in a second, and most sign-ins fail: likely credential stuffing."),
        _alert("BinoAuthLockoutSpike",
               "sum by (tenant) (increase(binoauth_tenant_lockouts_total[15m])) > 10",
               "0m", "page", "Accounts are being locked on tenant {{ $labels.tenant }}",
               "Over 10 accounts were locked out in 15 minutes."),
        _alert("BinoAuthCertificateExpiringSoon",
               'certmanager_certificate_expiration_timestamp_seconds{namespace="binoauth"} - time() < 14 * 86400',
               "1h", "ticket", "Certificate {{ $labels.name }} expires within 14 days",
               "cert-manager has not renewed it; renewal normally happens 30 days ahead."),
        _alert("BinoAuthCertificateExpiryImminent",
               'certmanager_certificate_expiration_timestamp_seconds{namespace="binoauth"} - time() < 3 * 86400',
               "10m", "page", "Certificate {{ $labels.name }} expires within 3 days",
               "Clients will refuse the gateway's TLS when it expires."),
        _alert("BinoAuthGateway5xxRatio",
               f'sum(rate(envoy_http_downstream_rq_xx{{job="{GATEWAY_JOB}",envoy_http_conn_manager_prefix="gateway",'
               f'envoy_response_code_class="5"}}[5m])) / sum(rate(envoy_http_downstream_rq_total{{job="{GATEWAY_JOB}",'
               f'envoy_http_conn_manager_prefix="gateway"}}[5m])) > 0.05',
               "5m", "page", "Over 5% of gateway responses are 5xx",
               "The error envelope answers 5xx to more than one request in twenty."),
    ]


def rule_groups() -> dict[str, Any]:
    return {"groups": [
        {"name": "binoauth-slo-records", "rules": _slo_records()},
        {"name": "binoauth-slo-alerts", "rules": _burn_alerts()},
        {"name": "binoauth-platform-alerts", "rules": _platform_alerts()},
    ]}


def alert_names() -> list[str]:
    return [r["alert"] for g in rule_groups()["groups"] for r in g["rules"] if "alert" in r]


def render() -> str:
    header = ("# Generated by `python -m observability.rules` from observability/rules.py; edit that file.\n"
              "# Runbook: observability/RUNBOOK.md (one entry per alert).\n")
    return header + str(yaml.safe_dump(rule_groups(), sort_keys=False, width=100))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m observability.rules")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        if RULES_FILE.read_text() != render():
            print(f"{RULES_FILE} is stale: run python -m observability.rules", file=sys.stderr)
            return 1
        return 0
    RULES_FILE.write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
