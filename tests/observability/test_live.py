"""Prometheus and Alertmanager against the real stack: every target is up, every rule is
loaded, and scripted faults (Redis stopped, a service's only replica killed) fire the
right alerts through Prometheus into Alertmanager. The tests run in file order and put back
what they broke."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from observability.dashboards import OUT, queries
from observability.rules import alert_names
from tests.observability.conftest import wait_for
from tools.mailsink import links_in
from tools.observe import Observer
from tools.stack import SERVICES, Stack

pytestmark = pytest.mark.e2e
Watched = tuple[Stack, Observer]


def _targets(observer: Observer) -> list[dict[str, Any]]:
    return list(observer.api("targets")["activeTargets"])


def test_every_replica_and_envoy_is_scraped_and_up(watched: Watched) -> None:
    stack, observer = watched
    expected = {f"127.0.0.1:{r.metrics_port}" for rs in stack.replicas.values() for r in rs}
    expected.add(f"127.0.0.1:{stack.stats_port}")

    def all_up() -> bool:
        targets = _targets(observer)
        return {t["labels"]["instance"] for t in targets if t["health"] == "up"} == expected

    wait_for("every target up", all_up, timeout=30)
    services = {t["labels"]["service"] for t in _targets(observer)}
    assert services == {*SERVICES, "gateway"}


def test_every_alert_rule_is_loaded(watched: Watched) -> None:
    _stack, observer = watched
    loaded = {r["name"] for g in observer.api("rules")["groups"] for r in g["rules"] if r["type"] == "alerting"}
    assert loaded == set(alert_names())
    assert observer.firing() == set(), "a healthy stack fires nothing"


def _workload(stack: Stack, gateway: httpx.Client) -> str:
    """A short scripted day: a tenant, a sign-up with its mail, sign-ins that succeed, fail
    and lock the account, and client_credentials tokens introspected and revoked."""
    platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
    tenant = "obs-" + secrets.token_hex(4)
    created = gateway.post("/api/v1/tenants", headers=platform, json={
        "tenant_id": tenant, "settings": {"lockout_policy": {"max_failures": 3, "progressive_delay_seconds": 0}}})
    assert created.status_code == 200, created.text
    user = f"/tenant/{tenant}/api/v1/auth"
    email, password = f"ada-{tenant}@example.com", "correct horse battery staple"
    assert stack.mail is not None
    since = stack.mail.mark()
    assert gateway.post(f"{user}/signup", json={"email": email, "password": password}).status_code == 200
    link = next(x for x in links_in(stack.mail.wait_for_blocking(email, timeout=20, since=since)) if "code=" in x)
    code = parse_qs(urlsplit(link).query)["code"][0]
    assert gateway.post(f"{user}/verify-email", json={"code": code}).status_code == 200
    assert gateway.post(f"{user}/login", json={"email": email, "password": password}).status_code == 200
    for _ in range(4):  # the third failure locks the account; the fourth meets the lock
        gateway.post(f"{user}/login", json={"email": email, "password": "not the password"})

    key = gateway.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=platform,
                       json={"scopes": ["applications:write"]}).json()["secret"]
    app = gateway.post("/api/v1/applications", headers={"Authorization": f"Bearer {key}"}, json={
        "display_name": "Reports", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
        "grant_types": ["client_credentials"], "allowed_scopes": ["reports:read"]}).json()
    basic = {"Authorization": "Basic " + base64.b64encode(
        f"{app['application']['client_id']}:{app['client_secret']}".encode()).decode()}
    oauth = f"/tenant/{tenant}/oauth2"
    for _ in range(3):
        issued = gateway.post(f"{oauth}/token", headers=basic, data={"grant_type": "client_credentials"})
        assert issued.status_code == 200, issued.text
        access = issued.json()["access_token"]
        assert gateway.post(f"{oauth}/introspect", headers=basic, data={"token": access}).json()["active"]
        assert gateway.post(f"{oauth}/revoke", headers=basic, data={"token": access}).status_code == 200
    gateway.get("/api/v1/no-such-route")  # a 404 for the gateway's response classes
    return tenant


def test_every_dashboard_query_parses_and_returns_data(watched: Watched) -> None:
    stack, observer = watched
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as gateway:
        tenant = _workload(stack, gateway)
    boards = sorted(OUT.glob("*.json"))
    assert len(boards) == 5
    panels = [(board.stem, title, expr) for board in boards for title, expr in queries(json.loads(board.read_text()))]

    def missing() -> list[str]:
        # Grafana's variables as Grafana would fill them in.
        empty = []
        for board, title, expr in panels:
            filled = expr.replace("$__rate_interval", "1m").replace("$tenant", tenant)
            if not observer.query(filled):
                empty.append(f"{board} / {title}: {filled}")
        return empty

    empty: list[str] = []

    def all_have_data() -> bool:
        empty[:] = missing()
        return not empty

    try:
        wait_for("every panel has data", all_have_data, timeout=45, every=2)
    except AssertionError:
        raise AssertionError("panels without data:\n" + "\n".join(empty)) from None
    values = observer.api("label/tenant/values")
    assert tenant in values  # the tenant dashboard's variable offers it


def _in_alertmanager(observer: Observer, name: str, **labels: str) -> bool:
    return any(a["labels"].get("alertname") == name and all(a["labels"].get(k) == v for k, v in labels.items())
               and a["status"]["state"] == "active" for a in observer.alertmanager_alerts())


def test_redis_stopped_fires_redis_unreachable(watched: Watched) -> None:
    stack, observer = watched
    assert stack.redis is not None
    stack.redis.stop()
    try:
        wait_for("BinoAuthRedisUnreachable in Alertmanager",
                 lambda: _in_alertmanager(observer, "BinoAuthRedisUnreachable", service="identity",
                                          severity="page"), timeout=60)
    finally:
        stack.redis.start()
    wait_for("Redis alert resolved", lambda: "BinoAuthRedisUnreachable" not in observer.firing(), timeout=60)
    assert "BinoAuthPostgresUnreachable" not in observer.firing()


def test_killed_replica_fires_no_healthy_replica_and_replica_down(watched: Watched) -> None:
    stack, observer = watched
    stack.kill_replica("token", 0)
    try:
        wait_for("BinoAuthNoHealthyReplica for token",
                 lambda: _in_alertmanager(observer, "BinoAuthNoHealthyReplica", envoy_cluster_name="token"),
                 timeout=60)
        wait_for("BinoAuthReplicaDown for token",
                 lambda: _in_alertmanager(observer, "BinoAuthReplicaDown", service="token"), timeout=30)
        assert not _in_alertmanager(observer, "BinoAuthNoHealthyReplica", envoy_cluster_name="identity")
    finally:
        replica = stack.replicas["token"][0]
        stack.start_replica(replica)
        stack.wait_serving(replica)
    wait_for("token alerts resolved",
             lambda: not {"BinoAuthNoHealthyReplica", "BinoAuthReplicaDown"} & observer.firing(), timeout=60)
