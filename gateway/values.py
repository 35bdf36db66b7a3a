"""Inputs of the Envoy bootstrap: one frozen dataclass, two profiles (local, k8s)."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_DESCRIPTOR = REPO_ROOT / "build" / "descriptors" / "api.pb"
LUA_FILTER = REPO_ROOT / "gateway" / "filter.lua"
OPENAPI_DOCUMENT = REPO_ROOT / "openapi" / "openapi.json"
# The console and the API reference page, built by `make console` (console/, npm).
STATIC_ROOT = REPO_ROOT / "build" / "static"

# The four service clusters; a public gRPC service binoauth.<svc>.v1.* is routed to <svc>.
SERVICES: tuple[str, ...] = ("tenant", "identity", "token", "session")
# Default gRPC ports of `make run` (one replica each) and of every pod in Kubernetes.
LOCAL_PORTS: Mapping[str, tuple[int, ...]] = {
    "tenant": (50051,),
    "identity": (50052,),
    "token": (50053,),
    "session": (50054,),
}
K8S_GRPC_PORT = 50051
K8S_HOST_FORMAT = "{svc}.{namespace}.svc.cluster.local"
K8S_CONFIG_DIR = "/etc/binoauth/gateway"

# Envoy's admin API can stop the server and dump its config: it never leaves loopback.
ADMIN_ADDRESS = "127.0.0.1"

Discovery = Literal["STATIC", "STRICT_DNS"]


@dataclass(frozen=True)
class Upstream:
    """Where one service cluster's replicas are.

    STATIC: every endpoint is an IP address (local stack). STRICT_DNS: one headless-Service
    name whose A records are the pods, re-resolved so Envoy balances per request over pods.
    """

    cluster: str
    endpoints: tuple[tuple[str, int], ...]
    discovery: Discovery = "STATIC"

    def __post_init__(self) -> None:
        if not self.endpoints:
            raise ValueError(f"upstream {self.cluster!r} has no endpoints")
        for host, port in self.endpoints:
            if not 0 < port < 65536:
                raise ValueError(f"upstream {self.cluster!r}: bad port {port}")
            if self.discovery == "STATIC" and not _is_ip(host):
                raise ValueError(f"upstream {self.cluster!r}: STATIC endpoints need IP addresses, got {host!r}")

    @classmethod
    def parse(cls, cluster: str, spec: str) -> Upstream:
        """``"127.0.0.1:50051,127.0.0.1:50061"`` (STATIC) or ``"tenant.ns.svc:50051"`` (STRICT_DNS)."""
        endpoints = tuple(_host_port(part) for part in spec.split(",") if part.strip())
        discovery: Discovery = "STATIC" if endpoints and all(_is_ip(h) for h, _ in endpoints) else "STRICT_DNS"
        return cls(cluster, endpoints, discovery)


@dataclass(frozen=True)
class GatewayValues:
    profile: str
    listen_address: str
    listen_port: int
    # Path Envoy loads the descriptor set from (inside the container for k8s).
    descriptor_path: str
    # Path Envoy loads the Lua filter from.
    lua_path: str
    upstreams: tuple[Upstream, ...]
    # Local file the renderer reads routes from; None means descriptor_path.
    descriptor_source: str | None = None
    # The OpenAPI document Envoy serves at /api/v1/openapi.json ("" = not served).
    openapi_path: str = ""
    # The built console (console/) and API reference page that Envoy serves at /console/ and
    # /api/v1/reference (gateway/static.lua; "" = not served).
    static_root: str = ""
    # OTLP/gRPC collector ("host:port") Envoy sends its spans to; "" = no tracing. Envoy
    # starts each request's trace and passes W3C traceparent on to the services.
    otlp_endpoint: str = ""
    admin_port: int = 9901
    # A listener that serves only /stats/prometheus from the admin API (which stays on
    # loopback, because it can also stop the server). 0 = none.
    stats_port: int = 0
    # Proxies in front of Envoy whose X-Forwarded-For entry is trusted; 0 = the TCP peer only.
    xff_num_trusted_hops: int = 0
    max_request_bytes: int = 1024 * 1024
    max_request_headers_kb: int = 60
    route_timeout_s: float = 10.0
    # Per attempt on idempotent routes (a timed-out GET is retried on another replica).
    per_try_timeout_s: float = 3.0
    num_retries: int = 2
    request_timeout_s: float = 30.0
    stream_idle_timeout_s: float = 60.0
    connect_timeout_s: float = 0.5
    # None keeps Envoy's default (50 %): see README.md for why.
    healthy_panic_threshold: float | None = None
    access_log: bool = True
    # 400 for JSON body keys the request message lacks (the transcoder drops them silently).
    reject_unknown_json_fields: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.listen_port < 65536 or not 0 < self.admin_port < 65536:
            raise ValueError("ports must be 1-65535")
        if self.listen_port == self.admin_port:
            raise ValueError("listen_port and admin_port must differ")
        if self.stats_port and self.stats_port in (self.listen_port, self.admin_port):
            raise ValueError("stats_port must differ from listen_port and admin_port")
        if self.xff_num_trusted_hops < 0:
            raise ValueError("xff_num_trusted_hops must be >= 0")
        if self.max_request_bytes <= 0:
            raise ValueError("max_request_bytes must be > 0")
        if not 1 <= self.max_request_headers_kb <= 8192:
            raise ValueError("max_request_headers_kb must be 1-8192")
        if self.num_retries < 0:
            raise ValueError("num_retries must be >= 0")
        if self.healthy_panic_threshold is not None and not (0 <= self.healthy_panic_threshold <= 100):
            raise ValueError("healthy_panic_threshold must be 0-100")
        names = [u.cluster for u in self.upstreams]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate upstream clusters: {names}")

    @property
    def admin_address(self) -> str:
        return ADMIN_ADDRESS

    @property
    def routes_descriptor(self) -> str:
        return self.descriptor_source or self.descriptor_path

    def upstream(self, cluster: str) -> Upstream | None:
        return next((u for u in self.upstreams if u.cluster == cluster), None)

    # --- profiles -------------------------------------------------------------------------

    @classmethod
    def local(
        cls,
        ports: Mapping[str, Sequence[int]] | None = None,
        *,
        listen_port: int = 8080,
        admin_port: int = 9901,
        stats_port: int = 0,
        host: str = "127.0.0.1",
        descriptor_path: str | Path = BUILD_DESCRIPTOR,
        lua_path: str | Path = LUA_FILTER,
    ) -> GatewayValues:
        """The `make run` stack: Envoy and every replica on loopback, STATIC clusters."""
        ports = LOCAL_PORTS if ports is None else ports
        upstreams = tuple(Upstream(svc, tuple((host, p) for p in ports[svc]), "STATIC") for svc in _ordered(ports))
        return cls(
            profile="local",
            listen_address="127.0.0.1",
            listen_port=listen_port,
            admin_port=admin_port,
            stats_port=stats_port,
            descriptor_path=str(Path(descriptor_path).resolve()),
            lua_path=str(Path(lua_path).resolve()),
            openapi_path=str(OPENAPI_DOCUMENT),
            static_root=str(STATIC_ROOT),
            upstreams=upstreams,
            xff_num_trusted_hops=0,
        )

    @classmethod
    def k8s(
        cls,
        *,
        namespace: str = "binoauth",
        grpc_port: int = K8S_GRPC_PORT,
        hosts: Mapping[str, str] | None = None,
        host_format: str = K8S_HOST_FORMAT,
        xff_num_trusted_hops: int = 0,
        listen_port: int = 8080,
        admin_port: int = 9901,
        stats_port: int = 9902,
        descriptor_path: str = f"{K8S_CONFIG_DIR}/api.pb",
        lua_path: str = f"{K8S_CONFIG_DIR}/filter.lua",
        descriptor_source: str | Path | None = BUILD_DESCRIPTOR,
    ) -> GatewayValues:
        """In-cluster gateway: one headless Service per service (STRICT_DNS, IPv4).

        ``xff_num_trusted_hops`` is the number of proxies in front of Envoy that append to
        X-Forwarded-For (1 behind an ingress controller or an L7 load balancer). It defaults
        to 0 so that a client cannot pick its own address when there is no such proxy.
        """
        hosts = hosts or {}
        upstreams = tuple(
            Upstream(
                svc,
                ((hosts.get(svc) or host_format.format(svc=svc, namespace=namespace), grpc_port),),
                "STRICT_DNS",
            )
            for svc in SERVICES
        )
        return cls(
            profile="k8s",
            listen_address="0.0.0.0",  # noqa: S104 - the pod's gateway port, fronted by a Service
            listen_port=listen_port,
            admin_port=admin_port,
            stats_port=stats_port,
            descriptor_path=descriptor_path,
            lua_path=lua_path,
            openapi_path=f"{K8S_CONFIG_DIR}/openapi.json",
            static_root=f"{K8S_CONFIG_DIR}/static",
            descriptor_source=None if descriptor_source is None else str(descriptor_source),
            upstreams=upstreams,
            xff_num_trusted_hops=xff_num_trusted_hops,
        )

    # --- overrides ------------------------------------------------------------------------

    def with_overrides(self, overrides: Mapping[str, str]) -> GatewayValues:
        """Apply ``--set key=value`` strings: any field name, or ``upstream.<svc>=h:p[,h:p]``."""
        changes: dict[str, object] = {}
        upstreams = {u.cluster: u for u in self.upstreams}
        types = {f.name: f for f in dataclasses.fields(self)}
        for key, raw in overrides.items():
            if key.startswith("upstream."):
                svc = key.removeprefix("upstream.")
                if not svc:
                    raise ValueError("--set upstream.<svc>=host:port[,host:port]")
                upstreams[svc] = Upstream.parse(svc, raw)
            elif key == "admin_address":
                raise ValueError("the admin interface always binds 127.0.0.1")
            elif key in ("upstreams", "profile") or key not in types:
                raise ValueError(f"unknown setting {key!r}")
            else:
                changes[key] = _coerce(types[key], raw)
        changes["upstreams"] = tuple(upstreams[name] for name in _ordered(upstreams))
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _ordered(names: Mapping[str, object]) -> list[str]:
    known = [s for s in SERVICES if s in names]
    return known + sorted(n for n in names if n not in SERVICES)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_port(spec: str) -> tuple[str, int]:
    spec = spec.strip()
    host, sep, port = spec.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"expected host:port, got {spec!r}")
    return host.strip("[]"), int(port)


def _coerce(f: dataclasses.Field[object], raw: str) -> object:
    kind = str(f.type)
    if raw.lower() in ("none", "null", "") and "None" in kind:
        return None
    if kind.startswith("bool"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{f.name}: expected a boolean, got {raw!r}")
    if kind.startswith("int"):
        return int(raw)
    if kind.startswith("float"):
        return float(raw)
    return raw


__all__ = [
    "ADMIN_ADDRESS",
    "BUILD_DESCRIPTOR",
    "LUA_FILTER",
    "SERVICES",
    "STATIC_ROOT",
    "GatewayValues",
    "Upstream",
]
