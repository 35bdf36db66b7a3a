"""Schema for the gateway's unknown-JSON-field check (json_fields.lua).

Envoy's gRPC-JSON transcoder silently drops JSON fields that the request message does not
have (there is no option to reject them), so the services can never see them. This module
derives, from the descriptor set, which JSON keys each REST binding's body may contain; the
Lua filter answers 400 (INVALID_ARGUMENT envelope) for any other key. Types, malformed JSON
and everything else stay the transcoder's job.

Node values in the schema: ``""`` (anything: scalars, enums, google.protobuf.* well-known
types), a message's full name (its keys are checked), or ``"map:<node>"`` (any key, values
checked against <node>). A repeated field's array elements use the field's node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2

from gateway.descriptor import Service

_FDP = descriptor_pb2.FieldDescriptorProto
SKIP = ""
_HTTP_BODY = "google.api.HttpBody"


@dataclass(frozen=True)
class Binding:
    method: str  # HTTP method
    template: str
    pattern: str  # Lua pattern for the path (no query)
    literal: int  # literal characters in the template: more specific bindings win
    body: str  # schema node of the JSON body


@dataclass(frozen=True)
class FieldSchema:
    bindings: tuple[Binding, ...]
    messages: dict[str, dict[str, str]]


def _lua_escape(literal: str) -> str:
    return re.sub(r"([\^$()%.\[\]*+\-?])", r"%\1", literal)


def _split_outside_braces(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _escape(literal: str, flavor: str) -> str:
    return _lua_escape(literal) if flavor == "lua" else re.escape(literal)


def _segments_pattern(segments: str, flavor: str) -> tuple[str, int]:
    out: list[str] = []
    literal = 0
    for seg in _split_outside_braces(segments, "/"):
        if seg == "*":
            out.append("[^/]+")
        elif seg == "**":
            out.append(".*")
        elif seg.startswith("{") and seg.endswith("}"):
            inner = seg[1:-1]
            _, eq, sub = inner.partition("=")
            if eq:
                pat, lit = _segments_pattern(sub, flavor)
                out.append(pat)
                literal += lit
            else:
                out.append("[^/]+")
        else:
            out.append(_escape(seg, flavor))
            literal += len(seg)
    return "/".join(out), literal


def template_pattern(template: str, flavor: str = "lua") -> tuple[str, int]:
    """google.api.http path template -> (anchored pattern, literal character count).

    ``flavor`` "lua" gives a Lua pattern, "re2" a regular expression for Envoy's safe_regex.
    """
    if not template.startswith("/"):
        raise ValueError(f"path template must start with '/': {template!r}")
    body, verb = template[1:], ""
    depth, last_slash, colon = 0, -1, -1
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch == "/":
            last_slash, colon = i, -1
        elif depth == 0 and ch == ":":
            colon = i
    if colon > last_slash:  # a verb: ':' after the last segment, outside braces
        body, verb = body[:colon], body[colon + 1 :]
    pattern, literal = _segments_pattern(body, flavor)
    if verb:
        pattern += ":" + _escape(verb, flavor)
        literal += len(verb) + 1
    return f"^/{pattern}$", literal + 1


class _Messages:
    def __init__(self, fds: descriptor_pb2.FileDescriptorSet) -> None:
        self.types: dict[str, descriptor_pb2.DescriptorProto] = {}
        for file in fds.file:
            prefix = f"{file.package}." if file.package else ""
            for msg in file.message_type:
                self._add(prefix + msg.name, msg)
        self.schema: dict[str, dict[str, str]] = {}

    def _add(self, name: str, msg: descriptor_pb2.DescriptorProto) -> None:
        self.types[name] = msg
        for nested in msg.nested_type:
            self._add(f"{name}.{nested.name}", nested)

    def node(self, field: descriptor_pb2.FieldDescriptorProto) -> str:
        if field.type not in (_FDP.TYPE_MESSAGE, _FDP.TYPE_GROUP):
            return SKIP
        type_name = field.type_name.lstrip(".")
        msg = self.types.get(type_name)
        if msg is not None and msg.options.map_entry:
            value = next(f for f in msg.field if f.name == "value")
            return "map:" + self.node(value)
        return self.message(type_name)

    def message(self, type_name: str) -> str:
        if type_name.startswith("google.protobuf.") or type_name == _HTTP_BODY:
            return SKIP
        if type_name not in self.types:
            return SKIP
        if type_name not in self.schema:
            keys: dict[str, str] = {}
            self.schema[type_name] = keys  # registered first: recursive types terminate
            for f in self.types[type_name].field:
                child = self.node(f)
                keys[f.name] = child
                keys[f.json_name or _lower_camel(f.name)] = child
        return type_name

    def body_node(self, request_type: str, body: str) -> str:
        if not body:
            return SKIP
        if body == "*":
            return self.message(request_type)
        msg = self.types.get(request_type)
        field = None
        for part in body.split("."):
            if msg is None:
                return SKIP
            field = next((f for f in msg.field if f.name == part), None)
            if field is None:
                return SKIP
            msg = self.types.get(field.type_name.lstrip("."))
        return SKIP if field is None else self.node(field)


def _lower_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _rule_bindings(rule: http_pb2.HttpRule) -> list[tuple[str, str, str]]:
    out = []
    for b in [rule, *rule.additional_bindings]:
        kind = b.WhichOneof("pattern")
        if kind is None:
            continue
        if kind == "custom":
            method, template = b.custom.kind.upper(), b.custom.path
        else:
            method, template = kind.upper(), getattr(b, kind)
        out.append((method, template, b.body))
    return out


def build_schema(fds: descriptor_pb2.FileDescriptorSet | str | Path, public: list[Service]) -> FieldSchema:
    if not isinstance(fds, descriptor_pb2.FileDescriptorSet):
        from gateway.descriptor import load_fds

        fds = load_fds(fds)
    messages = _Messages(fds)
    wanted = {s.full_name for s in public}
    bindings: list[Binding] = []
    for file in fds.file:
        for svc in file.service:
            full = f"{file.package}.{svc.name}" if file.package else svc.name
            if full not in wanted:
                continue
            for m in svc.method:
                if not m.options.HasExtension(annotations_pb2.http):
                    continue
                rule = m.options.Extensions[annotations_pb2.http]
                for method, template, body in _rule_bindings(rule):
                    node = messages.body_node(m.input_type.lstrip("."), body)
                    if node == SKIP:
                        continue
                    pattern, literal = template_pattern(template)
                    bindings.append(Binding(method, template, pattern, literal, node))
    bindings.sort(key=lambda b: (-b.literal, b.template, b.method))
    return FieldSchema(tuple(bindings), messages.schema)


def _lua_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_lua(schema: FieldSchema) -> str:
    """A Lua chunk defining ``local SCHEMA = {bindings = {...}, messages = {...}}``."""
    lines = ["local SCHEMA = {", "  bindings = {"]
    for b in schema.bindings:
        lines.append(
            f"    {{method = {_lua_str(b.method)}, pattern = {_lua_str(b.pattern)}, "
            f"body = {_lua_str(b.body)}}},  -- {b.template}"
        )
    lines += ["  },", "  messages = {"]
    for name in sorted(schema.messages):
        keys = schema.messages[name]
        inner = ", ".join(f"[{_lua_str(k)}] = {_lua_str(v)}" for k, v in sorted(keys.items()))
        lines.append(f"    [{_lua_str(name)}] = {{{inner}}},")
    lines += ["  },", "}", ""]
    return "\n".join(lines)
