"""Reads the gateway's routing facts from the compiled descriptor set (build/descriptors/api.pb).

A service is *public* when its name does not end in ``InternalService`` and at least one of
its methods carries a ``google.api.http`` option; only public services are transcoded and
routed. ``binoauth.<svc>.v<N>.<Name>`` is served by the cluster ``<svc>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2

_SERVICE_NAME = re.compile(r"^binoauth\.([a-z][a-z0-9_]*)\.v[0-9]+[a-z0-9]*\.[A-Z][A-Za-z0-9]*$")
_IDEMPOTENT_LEVELS = (
    descriptor_pb2.MethodOptions.NO_SIDE_EFFECTS,
    descriptor_pb2.MethodOptions.IDEMPOTENT,
)


class DescriptorError(ValueError):
    """The descriptor set cannot be read or names a service the gateway cannot route."""


HTTP_BODY = ".google.api.HttpBody"

# binoauth.options.v1.rate_limit (protos/binoauth/options/v1/options.proto): read from the
# wire form of MethodOptions, so that rendering needs no generated code on sys.path.
RATE_LIMIT_EXTENSION = 50001
RATE_LIMIT_GROUPS = ("login", "signup", "token", "verification", "management", "public")
DEFAULT_RATE_LIMIT_GROUP = "management"

# binoauth.options.v1.cookies (enum CookieUse) and binoauth.options.v1.no_store (bool).
COOKIES_EXTENSION = 50002
NO_STORE_EXTENSION = 50003
COOKIE_USES = {0: "", 1: "json_api", 2: "browser_form"}


@dataclass(frozen=True)
class Method:
    name: str
    # Safe to retry after the request may have reached the service (reset, UNAVAILABLE).
    idempotent: bool
    # (HTTP method, path template) of every google.api.http binding.
    http: tuple[tuple[str, str], ...] = ()
    # An OAuth/OIDC wire-format endpoint: takes or returns google.api.HttpBody.
    protocol: bool = False
    # The (binoauth.options.v1.rate_limit).group option; methods without it: "management".
    rate_limit_group: str = DEFAULT_RATE_LIMIT_GROUP
    # (binoauth.options.v1.cookies): "" (no cookies), "json_api" or "browser_form".
    cookies: str = ""
    # (binoauth.options.v1.no_store): the answer carries a secret; never cached.
    no_store: bool = False


@dataclass(frozen=True)
class Service:
    full_name: str
    cluster: str
    public: bool
    methods: tuple[Method, ...]

    @property
    def route_prefix(self) -> str:
        return f"/{self.full_name}/"

    def method_path(self, method: Method) -> str:
        return f"/{self.full_name}/{method.name}"


def cluster_for(full_name: str) -> str:
    """``binoauth.tenant.v1.TenantService`` -> ``tenant``."""
    match = _SERVICE_NAME.match(full_name)
    if match is None:
        raise DescriptorError(
            f"service {full_name!r} does not follow binoauth.<svc>.v<N>.<Name>; "
            "the gateway cannot tell which cluster serves it"
        )
    return match.group(1)


def _bindings(rule: http_pb2.HttpRule) -> list[http_pb2.HttpRule]:
    return [rule, *rule.additional_bindings]


def _http_bindings(rule: http_pb2.HttpRule | None) -> tuple[tuple[str, str], ...]:
    if rule is None:
        return ()
    out = []
    for b in _bindings(rule):
        kind = b.WhichOneof("pattern")
        if kind == "custom":
            out.append((b.custom.kind.upper(), b.custom.path))
        elif kind is not None:
            out.append((kind.upper(), getattr(b, kind)))
    return tuple(out)


def _message_types(fds: descriptor_pb2.FileDescriptorSet) -> dict[str, descriptor_pb2.DescriptorProto]:
    types: dict[str, descriptor_pb2.DescriptorProto] = {}

    def add(name: str, msg: descriptor_pb2.DescriptorProto) -> None:
        types[name] = msg
        for nested in msg.nested_type:
            add(f"{name}.{nested.name}", nested)

    for file in fds.file:
        for msg in file.message_type:
            add(f".{file.package}.{msg.name}" if file.package else f".{msg.name}", msg)
    return types


def _is_idempotent(options: descriptor_pb2.MethodOptions, rule: http_pb2.HttpRule | None) -> bool:
    if options.idempotency_level in _IDEMPOTENT_LEVELS:
        return True
    if options.HasField("idempotency_level"):
        return False  # IDEMPOTENCY_UNKNOWN said out loud: a GET with effects (a single-use state)
    if rule is None:
        return False
    # Every binding must be a GET: a POST additional binding reaches the same RPC.
    return all(b.WhichOneof("pattern") == "get" for b in _bindings(rule))


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise DescriptorError("truncated varint in method options")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) of a serialized message; enough for options."""
    out: list[tuple[int, int, bytes | int]] = []
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            out.append((number, wire, value))
        elif wire == 2:
            length, pos = _varint(data, pos)
            out.append((number, wire, data[pos:pos + length]))
            pos += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            out.append((number, wire, data[pos:pos + size]))
            pos += size
        else:
            raise DescriptorError(f"unsupported wire type {wire} in method options")
    return out


def rate_limit_group(options: descriptor_pb2.MethodOptions, where: str = "") -> str:
    """The method's ``(binoauth.options.v1.rate_limit).group``, or "management"."""
    group = ""
    for number, wire, value in _fields(options.SerializeToString()):
        if number == RATE_LIMIT_EXTENSION and wire == 2 and isinstance(value, bytes):
            for inner, inner_wire, inner_value in _fields(value):
                if inner == 1 and inner_wire == 2 and isinstance(inner_value, bytes):
                    group = inner_value.decode()
    if not group:
        return DEFAULT_RATE_LIMIT_GROUP
    if group not in RATE_LIMIT_GROUPS:
        raise DescriptorError(f"{where or 'a method'}: unknown rate_limit group {group!r} "
                              f"(one of {', '.join(RATE_LIMIT_GROUPS)})")
    return group


def _varint_option(options: descriptor_pb2.MethodOptions, number: int) -> int:
    value = 0
    for field, wire, raw in _fields(options.SerializeToString()):
        if field == number and wire == 0 and isinstance(raw, int):
            value = raw  # the last occurrence wins, as in protobuf
    return value


def cookie_use(options: descriptor_pb2.MethodOptions, where: str = "") -> str:
    """The method's ``(binoauth.options.v1.cookies)``: "", "json_api" or "browser_form"."""
    value = _varint_option(options, COOKIES_EXTENSION)
    if value not in COOKIE_USES:
        raise DescriptorError(f"{where or 'a method'}: unknown cookies value {value}")
    return COOKIE_USES[value]


def no_store(options: descriptor_pb2.MethodOptions) -> bool:
    """The method's ``(binoauth.options.v1.no_store)``."""
    return _varint_option(options, NO_STORE_EXTENSION) != 0


def load_fds(path: str | Path) -> descriptor_pb2.FileDescriptorSet:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DescriptorError(f"cannot read descriptor set {path}: {exc}") from exc
    try:
        return descriptor_pb2.FileDescriptorSet.FromString(data)
    except Exception as exc:  # protobuf raises DecodeError, a plain Exception subclass
        raise DescriptorError(f"{path} is not a FileDescriptorSet: {exc}") from exc


def load_services(path: str | Path | descriptor_pb2.FileDescriptorSet) -> list[Service]:
    """Every service in the descriptor set (public and internal), sorted by name."""
    fds = path if isinstance(path, descriptor_pb2.FileDescriptorSet) else load_fds(path)
    types = _message_types(fds)
    services: list[Service] = []
    for file in fds.file:
        for svc in file.service:
            full_name = f"{file.package}.{svc.name}" if file.package else svc.name
            methods: list[Method] = []
            has_http = False
            for m in svc.method:
                rule: http_pb2.HttpRule | None = None
                if m.options.HasExtension(annotations_pb2.http):
                    rule = m.options.Extensions[annotations_pb2.http]
                    has_http = True
                request = types.get(m.input_type)
                protocol = m.output_type == HTTP_BODY or (
                    request is not None and any(f.type_name == HTTP_BODY for f in request.field)
                )
                where = f"{full_name}.{m.name}"
                methods.append(Method(m.name, _is_idempotent(m.options, rule), _http_bindings(rule), protocol,
                                      rate_limit_group(m.options, where), cookie_use(m.options, where),
                                      no_store(m.options)))
            public = has_http and not svc.name.endswith("InternalService")
            cluster = cluster_for(full_name) if public else _cluster_or_empty(full_name)
            services.append(Service(full_name, cluster, public, tuple(methods)))
    return sorted(services, key=lambda s: s.full_name)


def _cluster_or_empty(full_name: str) -> str:
    try:
        return cluster_for(full_name)
    except DescriptorError:
        return ""


def public_services(path: str | Path | descriptor_pb2.FileDescriptorSet) -> list[Service]:
    return [s for s in load_services(path) if s.public]
