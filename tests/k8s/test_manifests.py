"""The kustomize overlays pass tools/k8s_check.py, and every check fails on a broken copy."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from gateway.render import render_config
from gateway.values import K8S_CONFIG_DIR, K8S_GRPC_PORT, SERVICES, GatewayValues
from tools import k8s_check

pytestmark = pytest.mark.integration

Docs = list[dict[str, Any]]
ENVOY_YAML = k8s_check.ROOT / "deploy" / "k8s" / "base" / "gateway" / "envoy.yaml"


def find(docs: Docs, kind: str, name: str) -> dict[str, Any]:
    for doc in docs:
        if doc["kind"] == kind and doc["metadata"]["name"] == name:
            return doc
    raise AssertionError(f"{kind}/{name} not rendered")


def container(docs: Docs, name: str = "tenant") -> dict[str, Any]:
    return find(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]


# --- the real overlays --------------------------------------------------------------------

@pytest.mark.parametrize("overlay", ["dev", "prod", "prod-monitoring"])
def test_overlay_passes_every_check(rendered: dict[str, Docs], overlay: str) -> None:
    assert k8s_check.check_documents(rendered[overlay]) == []


def test_cli_exit_codes(tmp_path: Any) -> None:
    overlay = k8s_check.ROOT / "deploy" / "k8s" / "overlays" / "dev"
    assert k8s_check.main([str(overlay), "--no-envoy"]) == 0
    assert k8s_check.main([str(tmp_path)]) == 1  # not a kustomization: render fails


def test_committed_envoy_config_is_what_the_generator_renders() -> None:
    """deploy/k8s/base/gateway/envoy.yaml cannot drift from gateway/render.py."""
    k8s_check.ensure_descriptor()
    expected = render_config(GatewayValues.k8s())
    assert yaml.safe_load(ENVOY_YAML.read_text()) == expected, (
        "re-render: python -m gateway.render --profile k8s --out deploy/k8s/base/gateway/envoy.yaml"
    )


def test_manifests_agree_with_gateway_values(rendered: dict[str, Docs]) -> None:
    assert K8S_CONFIG_DIR == k8s_check.CONTAINER_CONFIG_DIR
    for overlay, docs in rendered.items():
        for svc in SERVICES:
            service = find(docs, "Service", svc)
            assert service["metadata"]["namespace"] == "binoauth", overlay
            assert service["spec"]["clusterIP"] == "None"
            assert [p["port"] for p in service["spec"]["ports"]] == [K8S_GRPC_PORT]
            c = container(docs, svc)
            assert {"name": "BINOAUTH_GRPC_HOST", "value": "0.0.0.0"} in c["env"]
            assert c["readinessProbe"]["grpc"]["port"] == K8S_GRPC_PORT
        gateway = find(docs, "Deployment", "gateway")["spec"]["template"]["spec"]
        mounts = [m["mountPath"] for m in gateway["containers"][0]["volumeMounts"]]
        # The ConfigMap must not hide api.pb / filter.lua baked into the image.
        assert K8S_CONFIG_DIR not in mounts and "/etc/envoy" in mounts


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_service_migrates_in_an_init_container_before_serving(rendered: dict[str, Docs], overlay: str) -> None:
    for service in ("tenant", "identity", "token", "session"):
        pod = find(rendered[overlay], "Deployment", service)["spec"]["template"]["spec"]
        init = {c["name"]: c for c in pod.get("initContainers", [])}
        assert init["migrate"]["args"] == [f"services.{service}", "migrate"]
        assert init["migrate"]["image"] == pod["containers"][0]["image"]


def test_secret_template_holds_placeholders_only(rendered: dict[str, Docs]) -> None:
    secret = find(rendered["prod"], "Secret", "binoauth-secrets")
    assert set(secret["stringData"]) == {
        "DATABASE_URL", "REDIS_URL", "BINOAUTH_KEY_ENCRYPTION_KEY", "BINOAUTH_BOOTSTRAP_API_KEY",
        "BINOAUTH_SMTP_USERNAME", "BINOAUTH_SMTP_PASSWORD",
    }
    assert all(v.startswith("CHANGE-ME") for v in secret["stringData"].values())
    assert all("CHANGE-ME" in v for v in find(rendered["dev"], "Secret", "binoauth-secrets")["stringData"].values()
               if not v.startswith("redis://"))


def test_prod_has_no_in_cluster_datastores(rendered: dict[str, Docs]) -> None:
    assert not [d for d in rendered["prod"] if d["kind"] == "StatefulSet"]
    assert {d["metadata"]["name"] for d in rendered["dev"] if d["kind"] == "StatefulSet"} == {"postgres", "redis"}


def _egress_ports(docs: Docs, deployment: str, public: str = "93.184.216.34") -> set[int]:
    """TCP ports the deployment's pods may reach at `public` (an internet address), as the
    NetworkPolicies that select them allow (a rule without `to` allows any destination)."""
    import ipaddress

    labels = find(docs, "Deployment", deployment)["spec"]["template"]["metadata"]["labels"]
    address = ipaddress.ip_address(public)
    ports: set[int] = set()
    for policy in docs:
        if policy["kind"] != "NetworkPolicy" or not k8s_check.selector_matches(policy["spec"]["podSelector"], labels):
            continue
        for rule in policy["spec"].get("egress", []):
            peers = rule.get("to")
            reaches = peers is None or any(
                "ipBlock" in peer and address in ipaddress.ip_network(peer["ipBlock"]["cidr"])
                and not any(address in ipaddress.ip_network(c) for c in peer["ipBlock"].get("except", []))
                for peer in peers)
            if reaches:
                ports |= {int(p["port"]) for p in rule.get("ports", [])}
    return ports


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_services_reach_what_they_call_outside_the_cluster(rendered: dict[str, Docs], overlay: str) -> None:
    docs = rendered[overlay]
    settings = find(docs, "ConfigMap", "binoauth-settings")["data"]
    # Mail (SMTP at the configured port) and the SMS webhook (https) from identity; the
    # applications' jwks_uri (https) from token; nothing else leaves the cluster.
    assert {int(settings["BINOAUTH_SMTP_PORT"]), 443} <= _egress_ports(docs, "identity")
    assert 443 in _egress_ports(docs, "token")
    assert 443 not in _egress_ports(docs, "tenant") | _egress_ports(docs, "session")
    # The internet rules never open the cluster's own networks (the metadata service included).
    assert 443 not in _egress_ports(docs, "token", "169.254.169.254")
    assert 443 not in _egress_ports(docs, "identity", "10.1.2.3")


# --- broken fixtures: each must produce a problem -----------------------------------------

def _mismatched_selector(docs: Docs) -> None:
    find(docs, "Deployment", "tenant")["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] = "tennant"


def _target_port_missing(docs: Docs) -> None:
    find(docs, "Service", "identity")["spec"]["ports"][0]["targetPort"] = "grpcx"


def _target_port_number_missing(docs: Docs) -> None:
    find(docs, "Service", "identity")["spec"]["ports"][0]["targetPort"] = 50099


def _bad_name(docs: Docs) -> None:
    find(docs, "ServiceAccount", "token")["metadata"]["name"] = "Token_SA"


def _bad_quantity(docs: Docs) -> None:
    container(docs)["resources"]["limits"]["memory"] = "512MB"


def _request_over_limit(docs: Docs) -> None:
    container(docs)["resources"]["requests"]["cpu"] = "4"


def _hpa_min_over_max(docs: Docs) -> None:
    find(docs, "HorizontalPodAutoscaler", "session")["spec"].update(minReplicas=5, maxReplicas=2)


def _pdb_both(docs: Docs) -> None:
    find(docs, "PodDisruptionBudget", "tenant")["spec"]["minAvailable"] = 1


def _missing_probe(docs: Docs) -> None:
    del container(docs, "token")["livenessProbe"]


def _missing_limits(docs: Docs) -> None:
    del container(docs, "session")["resources"]["limits"]


def _privileged(docs: Docs) -> None:
    container(docs)["securityContext"]["privileged"] = True


def _run_as_root(docs: Docs) -> None:
    container(docs)["securityContext"]["runAsNonRoot"] = False


def _writable_root(docs: Docs) -> None:
    container(docs, "identity")["securityContext"]["readOnlyRootFilesystem"] = False


def _caps_kept(docs: Docs) -> None:
    container(docs)["securityContext"]["capabilities"] = {"drop": ["NET_RAW"]}


def _latest_image(docs: Docs) -> None:
    container(docs)["image"] = "ghcr.io/binoauth/binoauth-service:latest"


def _untagged_image(docs: Docs) -> None:
    find(docs, "StatefulSet", "redis")["spec"]["template"]["spec"]["containers"][0]["image"] = "redis"


def _missing_secret_key(docs: Docs) -> None:
    env = container(docs, "token")["env"]
    next(e for e in env if e["name"] == "BINOAUTH_KEY_ENCRYPTION_KEY")["valueFrom"]["secretKeyRef"]["key"] = "KEK"


def _missing_secret(docs: Docs) -> None:
    env = container(docs)["env"]
    next(e for e in env if e["name"] == "DATABASE_URL")["valueFrom"]["secretKeyRef"]["name"] = "nope"


def _missing_configmap(docs: Docs) -> None:
    container(docs)["envFrom"][0]["configMapRef"]["name"] = "binoauth-setting"


def _pod_without_network_policy(docs: Docs) -> None:
    labels = find(docs, "Deployment", "gateway")["spec"]["template"]["metadata"]["labels"]
    docs[:] = [
        d for d in docs
        if d["kind"] != "NetworkPolicy" or not k8s_check.selector_matches(d["spec"]["podSelector"], labels)
    ]


def _unknown_field(docs: Docs) -> None:
    container(docs)["readinesProbe"] = {"grpc": {"port": 50051}}


def _misspelled_kind(docs: Docs) -> None:
    find(docs, "PodDisruptionBudget", "gateway")["kind"] = "PodDisruptionBuget"


def _misspelled_api_version(docs: Docs) -> None:
    find(docs, "HorizontalPodAutoscaler", "gateway")["apiVersion"] = "autoscaling/v3"


def _gateway_upstream_not_headless(docs: Docs) -> None:
    find(docs, "Service", "session")["spec"]["clusterIP"] = "10.0.0.10"


BROKEN: dict[str, Callable[[Docs], None]] = {
    f.__name__.lstrip("_"): f
    for f in (
        _mismatched_selector, _target_port_missing, _target_port_number_missing, _bad_name, _bad_quantity,
        _request_over_limit, _hpa_min_over_max, _pdb_both, _missing_probe, _missing_limits, _privileged,
        _run_as_root, _writable_root, _caps_kept, _latest_image, _untagged_image, _missing_secret_key,
        _missing_secret, _missing_configmap, _pod_without_network_policy, _unknown_field, _misspelled_kind,
        _misspelled_api_version, _gateway_upstream_not_headless,
    )
}


# What the problem must say, so that a fixture cannot pass through an unrelated check.
EXPECTED = {
    "bad_name": "not a DNS-1123 label",
    "bad_quantity": "not a quantity",
    "caps_kept": "do not drop ALL",
    "gateway_upstream_not_headless": "not headless",
    "hpa_min_over_max": "minReplicas 5 > maxReplicas 2",
    "latest_image": "is not pinned",
    "mismatched_selector": "does not match pod labels",
    "missing_configmap": "ConfigMap 'binoauth-setting' is not in the render",
    "missing_limits": "no resources.limits.cpu",
    "missing_probe": "no livenessProbe",
    "missing_secret": "Secret 'nope' is not in the render",
    "missing_secret_key": "has no key 'KEK'",
    "misspelled_api_version": "no schema for autoscaling/v3",
    "misspelled_kind": "no schema for policy/v1 PodDisruptionBuget",
    "pdb_both": "exactly one of minAvailable and maxUnavailable",
    "pod_without_network_policy": "not covered by any Ingress NetworkPolicy",
    "privileged": ": privileged",
    "request_over_limit": "requests.cpu > limits.cpu",
    "run_as_root": "runAsNonRoot is not true",
    "target_port_missing": "targetPort 'grpcx'",
    "target_port_number_missing": "targetPort 50099",
    "unknown_field": "'readinesProbe' was unexpected",
    "untagged_image": "has no tag",
    "writable_root": "readOnlyRootFilesystem is not true",
}


def test_the_monitoring_component_carries_the_rules_and_dashboards_of_make_observe(
    rendered: dict[str, Docs]
) -> None:
    import json

    import yaml

    docs = rendered["prod-monitoring"]
    rules = find(docs, "PrometheusRule", "binoauth")["spec"]["groups"]
    assert rules == yaml.safe_load((k8s_check.ROOT / "observability" / "rules" / "binoauth.rules.yml").read_text())[
        "groups"]
    dashboards = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"].get("labels", {}).get(
        "grafana_dashboard") == "1"]
    committed = sorted((k8s_check.ROOT / "observability" / "dashboards").glob("*.json"))
    assert len(dashboards) == len(committed) > 0
    for cm in dashboards:
        ((name, text),) = cm["data"].items()
        assert json.loads(text) == json.loads((k8s_check.ROOT / "observability" / "dashboards" / name).read_text())
    services = find(docs, "PodMonitor", "binoauth-services")["spec"]["podMetricsEndpoints"][0]
    assert {"targetLabel": "job", "replacement": "binoauth", "action": "replace"} in services["relabelings"]
    assert all(d["metadata"].get("namespace") == "binoauth" for d in docs if d["kind"] != "Namespace")


@pytest.mark.parametrize(("breakage", "expected"), [
    ("port", "port 'metricz' is not a named container port"),
    ("selector", "selector matches no pod"),
    ("rule", "needs an expr and one of record/alert"),
])
def test_broken_monitoring_resources_are_reported(monitoring_docs: Docs, breakage: str, expected: str) -> None:
    assert k8s_check.check_documents(monitoring_docs, envoy=False) == []
    monitor = find(monitoring_docs, "PodMonitor", "binoauth-services")
    if breakage == "port":
        monitor["spec"]["podMetricsEndpoints"][0]["port"] = "metricz"
    elif breakage == "selector":
        monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] = "servise"
    else:
        del find(monitoring_docs, "PrometheusRule", "binoauth")["spec"]["groups"][0]["rules"][0]["expr"]
    assert any(expected in p for p in k8s_check.check_documents(monitoring_docs, envoy=False))


def test_every_fixture_has_an_expectation() -> None:
    assert set(EXPECTED) == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_manifest_is_reported(dev_docs: Docs, name: str) -> None:
    assert k8s_check.check_documents(dev_docs, envoy=False) == []
    BROKEN[name](dev_docs)
    problems = k8s_check.check_documents(dev_docs, envoy=False)
    assert any(EXPECTED[name] in p for p in problems), f"{name}: {problems}"


def test_schema_not_found_is_a_problem(dev_docs: Docs) -> None:
    _misspelled_kind(dev_docs)
    assert any("no schema" in p for p in k8s_check.check_schema(dev_docs))


def test_unknown_field_fails_strict_schema(dev_docs: Docs) -> None:
    _unknown_field(dev_docs)
    assert any("readinesProbe" in p for p in k8s_check.check_schema(dev_docs))


def test_broken_envoy_config_fails_envoy_validate(dev_docs: Docs) -> None:
    cm, text = k8s_check.gateway_config(dev_docs) or ({}, "")
    config = yaml.safe_load(text)
    config["static_resources"]["clusters"][0]["type"] = "STRICT_DNSS"
    cm["data"]["envoy.yaml"] = yaml.safe_dump(config)
    assert any("envoy --mode validate failed" in p for p in k8s_check.check_envoy(dev_docs))


def test_quantities() -> None:
    assert k8s_check.parse_quantity("512Mi") == 512 * 2**20
    assert k8s_check.parse_quantity("100m") * 10 == 1
    assert k8s_check.parse_quantity("1e3") == 1000
    assert k8s_check.parse_quantity(2) == 2
    for bad in ("512MB", "1.2.3", "", "Mi", "one"):
        with pytest.raises(ValueError):
            k8s_check.parse_quantity(bad)


def test_image_pinning() -> None:
    assert k8s_check.image_problem("postgres:15.10-bookworm") is None
    assert k8s_check.image_problem("localhost:5000/binoauth") is not None  # registry port is not a tag
    assert k8s_check.image_problem("envoyproxy/envoy@sha256:" + "0" * 64) is None
    assert k8s_check.image_problem("redis:latest") is not None


def test_deepcopy_keeps_session_render_intact(rendered: dict[str, Docs]) -> None:
    before = copy.deepcopy(rendered["dev"])
    docs = copy.deepcopy(rendered["dev"])
    _mismatched_selector(docs)
    assert rendered["dev"] == before
