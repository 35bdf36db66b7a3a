"""Renders the Envoy bootstrap for the local stack and for Kubernetes from one source.

    python -m gateway.render --profile local --out build/gateway/envoy.yaml
    python -m gateway.render --profile k8s --out envoy.yaml --set xff_num_trusted_hops=1

Routes are derived from the descriptor set: one prefix route per public gRPC service
(``/binoauth.<svc>.v1.<Name>/`` -> cluster ``<svc>``) plus an exact route with wider retries
for each idempotent (GET) method (and for each method with no-store response headers),
and one REST-path route that only carries a lenient
transcoder config for google.api.HttpBody (OAuth/OIDC) methods. Internal services and
unknown paths get no route. See gateway/README.md for the header contract.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from gateway.descriptor import DescriptorError, Method, Service, load_fds, load_services
from gateway.json_fields import build_schema, template_pattern, to_lua
from gateway.values import SERVICES, GatewayValues, Upstream

__all__ = ["GatewayValues", "Upstream", "main", "render_config", "write_config"]

Json = dict[str, Any]

_TYPE = "type.googleapis.com/envoy.extensions."
_HCM = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
_HTTP_OPTIONS = "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"

SAFE_RETRY_ON = "connect-failure,refused-stream"
IDEMPOTENT_RETRY_ON = "connect-failure,refused-stream,reset,unavailable"

GATEWAY_DIR = Path(__file__).resolve().parent
GRPC_STATUS_LUA = GATEWAY_DIR / "grpc_status.lua"
JSON_FIELDS_LUA = GATEWAY_DIR / "json_fields.lua"
STATIC_LUA = GATEWAY_DIR / "static.lua"

# Lua filter name; also the dynamic-metadata namespace the filter writes (see filter.lua).
LUA_FILTER_NAME = "binoauth.gateway"
TRANSCODER = "envoy.filters.http.grpc_json_transcoder"

_TIMESTAMP = "%START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%"

# Retry-After of the gateway's own 502/503 (no healthy replica, a reset before any answer).
UNAVAILABLE_STATUSES = frozenset({502, 503})
UNAVAILABLE_RETRY_AFTER_S = 1
# (status, envelope code, message); message None keeps Envoy's own text (%LOCAL_REPLY_BODY%).
LOCAL_REPLIES: tuple[tuple[int, str, str | None], ...] = (
    (400, "INVALID_ARGUMENT", None),
    (401, "UNAUTHENTICATED", "authentication required"),
    (403, "PERMISSION_DENIED", "permission denied"),
    (404, "NOT_FOUND", "no such endpoint"),
    (405, "METHOD_NOT_ALLOWED", "method not allowed"),
    (408, "REQUEST_TIMEOUT", "request not received in time"),
    (413, "PAYLOAD_TOO_LARGE", "request body too large"),
    (414, "URI_TOO_LONG", "request URI too long"),
    (429, "RATE_LIMITED", "too many requests"),
    (431, "HEADERS_TOO_LARGE", "request headers too large"),
    (500, "INTERNAL", "internal error"),
    (501, "NOT_IMPLEMENTED", "not implemented"),
    (502, "UNAVAILABLE", "service unavailable"),
    (503, "UNAVAILABLE", "service unavailable"),
    (504, "DEADLINE_EXCEEDED", "upstream request timeout"),
)


def _duration(seconds: float) -> str:
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return f"{text}s"


def _socket(address: str, port: int) -> Json:
    return {"socket_address": {"address": address, "port_value": port}}


def _envelope(code: str, message: str) -> Json:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": {},
            "timestamp": _TIMESTAMP,
            "request_id": "%REQ(X-REQUEST-ID)%",
        }
    }


def _json_body(code: str, message: str) -> Json:
    return {
        "json_format": _envelope(code, message),
        "content_type": "application/json",
    }


def _status_filter(status: int) -> Json:
    return {
        "status_code_filter": {
            "comparison": {
                "op": "EQ",
                "value": {"default_value": status, "runtime_key": f"binoauth.local_reply.{status}"},
            }
        }
    }


def local_reply_config() -> Json:
    # Native gRPC callers (filter.lua recorded rest=false) get Envoy's own text as
    # grpc-message, not a JSON document; first mapper that matches wins.
    mappers: list[Json] = [
        {
            # Envoy's own 200s (the OpenAPI document) keep their body.
            "filter": _status_filter(200),
            "body_format_override": {"text_format_source": {"inline_string": "%LOCAL_REPLY_BODY%"},
                                     "content_type": "application/json"},
        },
        {
            "filter": {
                "metadata_filter": {
                    "matcher": {
                        "filter": LUA_FILTER_NAME,
                        "path": [{"key": "rest"}],
                        "value": {"bool_match": False},
                    },
                    "match_if_key_not_found": False,
                }
            },
            "body_format_override": {"text_format_source": {"inline_string": "%LOCAL_REPLY_BODY%"}},
        }
    ]
    for status, code, message in LOCAL_REPLIES:
        mapper: Json = {
            "filter": _status_filter(status),
            "body_format_override": _json_body(code, "%LOCAL_REPLY_BODY%"),
        }
        if message is not None:
            mapper["body"] = {"inline_string": message}
        if status in UNAVAILABLE_STATUSES:
            # No replica could answer (none healthy, or the one asked went away): a client
            # may try again shortly, and every 503 says when.
            mapper["headers_to_add"] = [{
                "header": {"key": "retry-after", "value": str(UNAVAILABLE_RETRY_AFTER_S)},
                "append_action": "ADD_IF_ABSENT",
            }]
        mappers.append(mapper)
    return {
        "mappers": mappers,
        # Any other status: keep the status, never leak Envoy's internal text.
        "body_format": _json_body("INTERNAL", "request failed"),
    }


def access_log() -> list[Json]:
    # Never Authorization, Cookie or query strings (OAuth codes travel in queries).
    fields = {
        "time": _TIMESTAMP,
        "request_id": "%REQ(X-REQUEST-ID)%",
        "method": "%REQ(X-ENVOY-ORIGINAL-METHOD?:METHOD)%",
        "path": "%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%",
        "upstream_path": "%REQ_WITHOUT_QUERY(:PATH)%",
        "tenant": "%REQ(X-BINOAUTH-TENANT)%",
        "protocol": "%PROTOCOL%",
        "status": "%RESPONSE_CODE%",
        "response_flags": "%RESPONSE_FLAGS%",
        "details": "%RESPONSE_CODE_DETAILS%",
        "grpc_status": "%DYNAMIC_METADATA(" + LUA_FILTER_NAME + ":grpc_status)%",
        "upstream_cluster": "%UPSTREAM_CLUSTER%",
        "upstream_host": "%UPSTREAM_HOST%",
        "attempts": "%UPSTREAM_REQUEST_ATTEMPT_COUNT%",
        "duration_ms": "%DURATION%",
        "response_ms": "%RESPONSE_DURATION%",
        "bytes_in": "%BYTES_RECEIVED%",
        "bytes_out": "%BYTES_SENT%",
        "client_ip": "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
        "authority": "%REQ(:AUTHORITY)%",
        "user_agent": "%REQ(USER-AGENT)%",
    }
    return [
        {
            "name": "envoy.access_loggers.stdout",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
                "log_format": {
                    "json_format": fields,
                    "formatters": [
                        {
                            "name": "envoy.formatter.req_without_query",
                            "typed_config": {"@type": _TYPE + "formatter.req_without_query.v3.ReqWithoutQuery"},
                        }
                    ],
                },
            },
        }
    ]


def _retry_policy(values: GatewayValues, idempotent: bool) -> Json:
    policy: Json = {
        "retry_on": IDEMPOTENT_RETRY_ON if idempotent else SAFE_RETRY_ON,
        "num_retries": values.num_retries,
        "retry_host_predicate": [
            {
                "name": "envoy.retry_host_predicates.previous_hosts",
                "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
                },
            }
        ],
        "host_selection_retry_max_attempts": 3,
    }
    if idempotent:
        # A per-try timeout only retries on routes that retry on `reset`; elsewhere it would
        # merely shorten the route timeout, so non-idempotent routes keep the route timeout.
        policy["per_try_timeout"] = _duration(values.per_try_timeout_s)
    return policy


# Every answer of a (binoauth.options.v1.no_store) method: it carries a secret (API key, client
# secret, token, TOTP seed, recovery codes) that no browser, proxy or CDN may keep (RFC 9111
# 5.2.2.5; Pragma for HTTP/1.0 caches). Set on the route, so errors carry them too and a
# servicer cannot forget them.
NO_STORE_HEADERS: tuple[tuple[str, str], ...] = (("cache-control", "no-store"), ("pragma", "no-cache"))


def _route(name: str, match: Json, cluster: str, values: GatewayValues, idempotent: bool,
           no_store: bool = False) -> Json:
    route: Json = {
        "cluster": cluster,
        "timeout": _duration(values.route_timeout_s),
        "retry_policy": _retry_policy(values, idempotent),
    }
    out: Json = {
        "name": name,
        # grpc: {} -> only gRPC requests (native, or made by the transcoder) reach a service.
        "match": {**match, "grpc": {}},
        "route": route,
    }
    if no_store:
        out["response_headers_to_add"] = [
            {"header": {"key": key, "value": value}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}
            for key, value in NO_STORE_HEADERS
        ]
    return out


def _needs_exact_route(method: Method) -> bool:
    # GET methods retry more widely; no_store methods carry their response headers.
    return method.idempotent or method.no_store


OPENAPI_ROUTE = "/api/v1/openapi.json"
MAX_DIRECT_RESPONSE_BYTES = 4 * 1024 * 1024


def openapi_route(values: GatewayValues) -> Json:
    """The OpenAPI document, served by Envoy itself from a file (no service hop): public,
    cacheable, readable from any origin like discovery."""
    headers = {"content-type": "application/json", "cache-control": "public, max-age=300",
               "access-control-allow-origin": "*", "x-content-type-options": "nosniff"}
    return {
        "name": "openapi-document",
        # With or without the tenant prefix: which filters run is decided on the path as sent,
        # before filter.lua strips the prefix.
        "match": {"safe_regex": {"regex": "^(/tenant/[a-z0-9-]+)?" + re.escape(OPENAPI_ROUTE) + "$"}, "headers": [
            {"name": ":method", "string_match": {"safe_regex": {"regex": "^(GET|HEAD)$"}}}]},
        "direct_response": {"status": 200, "body": {"filename": values.openapi_path}},
        "response_headers_to_add": [{"header": {"key": k, "value": v}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}
                                    for k, v in headers.items()],
        # Not a gRPC method: the transcoder would refuse it as unknown.
        "typed_per_filter_config": {TRANSCODER: {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig",
                                                 "disabled": True}},
    }


STATIC_FILTER_NAME = f"{LUA_FILTER_NAME}.static"
CONSOLE_ROUTE = "/console/"
REFERENCE_ROUTE = "/api/v1/reference"


def static_routes(values: GatewayValues) -> list[Json]:
    """The console (a single-page app: deep links get index.html) and the API reference page,
    answered by gateway/static.lua from files under ``values.static_root``. The Lua filter is
    disabled everywhere else; what it does not find ends at this route's 404."""
    if not values.static_root:
        return []
    return [{
        "name": "static-files",
        "match": {"safe_regex": {"regex": r"^(/console(/.*)?|/api/v1/reference(/[^/]*)?)$"}, "headers": [
            {"name": ":method", "string_match": {"safe_regex": {"regex": "^(GET|HEAD)$"}}}]},
        "direct_response": {"status": 404},
        "typed_per_filter_config": {
            STATIC_FILTER_NAME: {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig",
                                 "config": {"@type": _TYPE + "filters.http.lua.v3.LuaPerRoute"}},
            TRANSCODER: {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": True},
        },
    }]


def static_lua(values: GatewayValues) -> str:
    # The directory is part of the code: Lua has no other per-filter input that Envoy checks.
    return f"local ROOT = {json.dumps(values.static_root)}\n" + STATIC_LUA.read_text()


def routes(services: Sequence[Service], values: GatewayValues) -> list[Json]:
    out: list[Json] = [openapi_route(values)] if values.openapi_path else []
    out += static_routes(values)
    for svc in services:
        for method in svc.methods:
            if _needs_exact_route(method):
                path = svc.method_path(method)
                out.append(_route(path.lstrip("/"), {"path": path}, svc.cluster, values, method.idempotent,
                                  method.no_store))
        # Every other method.
        out.append(_route(svc.full_name, {"prefix": svc.route_prefix}, svc.cluster, values, False))
    protocol = sorted(
        {
            template_pattern(template, "re2")[0][1:-1]
            for svc in services
            for method in svc.methods
            if method.protocol
            for _, template in method.http
        }
    )
    # Envoy refuses a regex whose RE2 program exceeds 100 instructions: a few paths per route.
    chunks = [protocol[i:i + PROTOCOL_PATHS_PER_ROUTE] for i in range(0, len(protocol), PROTOCOL_PATHS_PER_ROUTE)]
    for n, chunk in enumerate(chunks):
        # Matched only on the REST path, before the transcoder rewrites it to the gRPC path
        # (which then selects one of the routes above). It exists to carry a transcoder
        # override for the OAuth/OIDC endpoints (google.api.HttpBody), which must ignore
        # unknown query parameters; its own action only answers what the transcoder did not
        # take (404, like no route at all).
        out.append(
            {
                "name": "protocol-endpoints" + (f"-{n + 1}" if n else ""),
                "match": {"safe_regex": {"regex": "^(?:" + "|".join(chunk) + ")$"}},
                "direct_response": {"status": 404},
                "typed_per_filter_config": {
                    # The per-route config is a whole GrpcJsonTranscoder (same message type).
                    TRANSCODER: {"@type": _TYPE + "filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder"}
                    | transcoder_config(services, values, lenient_query=True),
                },
            }
        )
    # No catch-all: an unknown path has no route and the router answers 404 (mapped to the
    # JSON envelope by local_reply_config).
    return out


PROTOCOL_PATHS_PER_ROUTE = 4


def transcoder_config(services: Sequence[Service], values: GatewayValues, *, lenient_query: bool) -> Json:
    return {
        "proto_descriptor": values.descriptor_path,
        "services": [s.full_name for s in services],
        "print_options": {
            "add_whitespace": False,
            "always_print_primitive_fields": True,
            "always_print_enums_as_ints": False,
            "preserve_proto_field_names": True,
        },
        "convert_grpc_status": True,
        "auto_mapping": False,
        # RFC 6749 3.1: protocol endpoints MUST ignore unrecognised request parameters.
        "ignore_unknown_query_parameters": lenient_query,
        # Browsers and form-encoding clients send a space in a query string as "+".
        "query_param_unescape_plus": True,
        "request_validation_options": {
            "reject_unknown_method": True,
            "reject_unknown_query_parameters": not lenient_query,
        },
    }


def _lua(name: str, source: Json) -> Json:
    return {
        "name": name,
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
            "default_source_code": source,
        },
    }


def http_filters(services: Sequence[Service], values: GatewayValues, json_fields_lua: str | None = None) -> list[Json]:
    filters = [
        _lua(LUA_FILTER_NAME, {"filename": values.lua_path}),
        {
            # Streams (no buffering): 413 from Content-Length at once, or once the body
            # passes the limit.
            "name": "envoy.filters.http.body_size_limit",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.body_size_limit.v3.BodySizeLimit",
                "max_request_bytes": values.max_request_bytes,
            },
        },
    ]
    if values.static_root:
        # Off by default (HttpFilter.disabled): only static_routes turn it on.
        filters.append(_lua(STATIC_FILTER_NAME, {"inline_string": static_lua(values)}) | {"disabled": True})
    if json_fields_lua is not None:
        filters.append(_lua(f"{LUA_FILTER_NAME}.json_fields", {"inline_string": json_fields_lua}))
    filters += [
        {
            "name": TRANSCODER,
            "typed_config": {"@type": _TYPE + "filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder"}
            | transcoder_config(services, values, lenient_query=False),
        },
    ]
    filters += [
        # Sees the raw gRPC response before the transcoder rewrites it. Inlined (like the
        # JSON-field check) so that only filter.lua and api.pb sit next to the config.
        _lua(f"{LUA_FILTER_NAME}.grpc_status", {"inline_string": GRPC_STATUS_LUA.read_text()}),
        {
            "name": "envoy.filters.http.router",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
                "suppress_envoy_headers": True,
            },
        },
    ]
    return filters


def http_connection_manager(
    services: Sequence[Service], values: GatewayValues, json_fields_lua: str | None = None
) -> Json:
    hcm: Json = {
        "@type": _HCM,
        "stat_prefix": "gateway",
        "codec_type": "AUTO",
        "use_remote_address": True,
        "xff_num_trusted_hops": values.xff_num_trusted_hops,
        "generate_request_id": True,
        "preserve_external_request_id": True,
        "always_set_request_id_in_response": True,
        "normalize_path": True,
        "merge_slashes": True,
        "server_header_transformation": "PASS_THROUGH",
        "max_request_headers_kb": values.max_request_headers_kb,
        "request_timeout": _duration(values.request_timeout_s),
        "request_headers_timeout": "10s",
        "stream_idle_timeout": _duration(values.stream_idle_timeout_s),
        "common_http_protocol_options": {
            "headers_with_underscores_action": "REJECT_REQUEST",
            "idle_timeout": "300s",
        },
        "local_reply_config": local_reply_config(),
        "route_config": {
            "name": "binoauth",
            # The OpenAPI document is a few hundred KiB (Envoy's default cap is 4 KiB).
            "max_direct_response_body_size_bytes": MAX_DIRECT_RESPONSE_BYTES,
            "virtual_hosts": [{"name": "binoauth", "domains": ["*"], "routes": routes(services, values)}],
        },
        "http_filters": http_filters(services, values, json_fields_lua),
    }
    if values.access_log:
        hcm["access_log"] = access_log()
    if values.otlp_endpoint:
        hcm["tracing"] = tracing(values)
    return hcm


def cluster(upstream: Upstream, values: GatewayValues) -> Json:
    c: Json = {
        "name": upstream.cluster,
        "type": upstream.discovery,
        "connect_timeout": _duration(values.connect_timeout_s),
        "lb_policy": "ROUND_ROBIN",
        "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": _HTTP_OPTIONS,
                "explicit_http_config": {"http2_protocol_options": {}},
            }
        },
        "load_assignment": {
            "cluster_name": upstream.cluster,
            "endpoints": [
                {"lb_endpoints": [{"endpoint": {"address": _socket(host, port)}} for host, port in upstream.endpoints]}
            ],
        },
        "health_checks": [
            {
                "timeout": "1s",
                # A replica that turns NOT_SERVING (SIGTERM, drain) is out of rotation within ~2 s,
                # well inside the services' drain time (BINOAUTH_DRAIN_SECONDS, default 3 s).
                "interval": "1s",
                "no_traffic_interval": "2s",
                "unhealthy_threshold": 2,
                "healthy_threshold": 1,
                "grpc_health_check": {"service_name": ""},
            }
        ],
        "outlier_detection": {
            "consecutive_5xx": 3,
            "consecutive_gateway_failure": 2,
            "consecutive_local_origin_failure": 2,
            "split_external_local_origin_errors": True,
            "interval": "1s",
            "base_ejection_time": "10s",
            "max_ejection_percent": 50,
        },
        "circuit_breakers": {
            "thresholds": [
                {
                    "priority": "DEFAULT",
                    "max_connections": 10000,
                    "max_pending_requests": 10000,
                    "max_requests": 10000,
                    # Default is 3 concurrent retries: a replica dying under load gave 503s.
                    "max_retries": 100,
                }
            ]
        },
    }
    if values.healthy_panic_threshold is not None:
        c["common_lb_config"] = {"healthy_panic_threshold": {"value": values.healthy_panic_threshold}}
    if upstream.discovery == "STRICT_DNS":
        # Re-resolved every 5 s (Envoy's default dns_refresh_rate; the field is deprecated).
        c["dns_lookup_family"] = "V4_ONLY"
    return c


def stats_listener(values: GatewayValues) -> Json:
    """Only GET /stats/prometheus, proxied to the loopback admin API; everything else 404."""
    return {
        "name": "stats",
        "address": _socket(values.listen_address, values.stats_port),
        "filter_chains": [{"filters": [{
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
                "@type": _HCM,
                "stat_prefix": "stats",
                "route_config": {"virtual_hosts": [{
                    "name": "stats",
                    "domains": ["*"],
                    "routes": [{
                        "match": {"path": "/stats/prometheus", "headers": [
                            {"name": ":method", "string_match": {"exact": "GET"}}]},
                        "route": {"cluster": "envoy_admin"},
                    }],
                }]},
                "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}],
            },
        }]}],
    }


def admin_cluster(values: GatewayValues) -> Json:
    return {
        "name": "envoy_admin",
        "type": "STATIC",
        "connect_timeout": "0.25s",
        "load_assignment": {"cluster_name": "envoy_admin", "endpoints": [
            {"lb_endpoints": [{"endpoint": {"address": _socket(values.admin_address, values.admin_port)}}]}]},
    }


OTLP_CLUSTER = "otlp_collector"


def otlp_cluster(endpoint: str) -> Json:
    host, _, port = endpoint.rpartition(":")
    return {
        "name": OTLP_CLUSTER,
        "type": "STRICT_DNS",
        "connect_timeout": "1s",
        "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "explicit_http_config": {"http2_protocol_options": {}},
            }
        },
        "load_assignment": {"cluster_name": OTLP_CLUSTER, "endpoints": [
            {"lb_endpoints": [{"endpoint": {"address": _socket(host, int(port))}}]}]},
    }


def tracing(values: GatewayValues) -> Json:
    """OpenTelemetry spans for every request (W3C traceparent to the services), exported to
    the collector over OTLP/gRPC; a client's own traceparent continues its trace."""
    return {"provider": {"name": "envoy.tracers.opentelemetry", "typed_config": {
        "@type": "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig",
        "grpc_service": {"envoy_grpc": {"cluster_name": OTLP_CLUSTER}, "timeout": "1s"},
        "service_name": "binoauth-gateway",
    }}}


def render_config(values: GatewayValues) -> Json:
    """The Envoy bootstrap for ``values`` as a plain dict (dump it as YAML or JSON)."""
    fds = load_fds(values.routes_descriptor)
    public = [s for s in load_services(fds) if s.public]
    if not public:
        raise DescriptorError(f"{values.routes_descriptor} has no public service to route")
    missing = sorted({s.cluster for s in public} - {u.cluster for u in values.upstreams})
    if missing:
        raise ValueError(f"no upstream configured for cluster(s) {missing}")
    json_fields_lua = None
    if values.reject_unknown_json_fields:
        schema = build_schema(fds, public)
        if schema.bindings:
            json_fields_lua = to_lua(schema) + JSON_FIELDS_LUA.read_text()
    config: Json = {
        "admin": {"address": _socket(values.admin_address, values.admin_port)},
        "static_resources": {
            "listeners": [
                {
                    "name": "gateway",
                    "address": _socket(values.listen_address, values.listen_port),
                    "per_connection_buffer_limit_bytes": 1024 * 1024,
                    "filter_chains": [
                        {
                            "filters": [
                                {
                                    "name": "envoy.filters.network.http_connection_manager",
                                    "typed_config": http_connection_manager(public, values, json_fields_lua),
                                }
                            ]
                        }
                    ],
                }
            ],
            "clusters": [cluster(u, values) for u in values.upstreams],
        },
        "overload_manager": {
            "resource_monitors": [
                {
                    "name": "envoy.resource_monitors.global_downstream_max_connections",
                    "typed_config": {
                        "@type": _TYPE + "resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig",
                        "max_active_downstream_connections": 50000,
                    },
                }
            ]
        },
    }
    if values.stats_port:
        config["static_resources"]["listeners"].append(stats_listener(values))
        config["static_resources"]["clusters"].append(admin_cluster(values))
    if values.otlp_endpoint:
        config["static_resources"]["clusters"].append(otlp_cluster(values.otlp_endpoint))
    return config


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(config: Json) -> str:
    header = "# Generated by `python -m gateway.render`; edit gateway/render.py, not this file.\n"
    body = yaml.dump(config, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=120)
    return header + str(body)


def write_config(values: GatewayValues, out: str | Path) -> Path:
    """Render ``values`` and write the YAML atomically to ``out``; returns the path."""
    text = dump(render_config(values))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def values_for(profile: str, overrides: dict[str, str]) -> GatewayValues:
    base = GatewayValues.local() if profile == "local" else GatewayValues.k8s()
    return base.with_overrides(overrides)


def _parse_sets(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set expects key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.render", description=__doc__.split("\n")[0])
    parser.add_argument("--profile", choices=("local", "k8s"), required=True)
    parser.add_argument("--out", required=True, help="file to write ('-' for stdout)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=(
            "override a GatewayValues field (listen_port=8081, admin_port=9902, "
            "xff_num_trusted_hops=1, max_request_bytes=2097152, descriptor_path=..., "
            "descriptor_source=..., lua_path=...) or an upstream "
            f"(upstream.<svc>=host:port[,host:port]; svc in {', '.join(SERVICES)})"
        ),
    )
    args = parser.parse_args(argv)
    try:
        values = values_for(args.profile, _parse_sets(args.set))
        if args.out == "-":
            sys.stdout.write(dump(render_config(values)))
        else:
            write_config(values, args.out)
    except (ValueError, DescriptorError) as exc:
        print(f"gateway.render: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
