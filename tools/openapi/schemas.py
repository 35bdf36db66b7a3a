"""JSON Schemas (OpenAPI 3.1) of the protobuf messages and enums, as the gateway prints and reads
them: proto field names, 64-bit integers as strings, enums by name, the well-known types in
their proto3 JSON forms (https://protobuf.dev/programming-guides/json/)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from google.api import field_behavior_pb2
from google.protobuf import descriptor_pb2

Json = dict[str, Any]
FieldProto = descriptor_pb2.FieldDescriptorProto
_SCALARS: dict[int, Json] = {
    FieldProto.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldProto.TYPE_FLOAT: {"type": "number", "format": "float"},
    FieldProto.TYPE_INT32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_SINT32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_UINT32: {"type": "integer", "format": "int32", "minimum": 0},
    FieldProto.TYPE_FIXED32: {"type": "integer", "format": "int32", "minimum": 0},
    # proto3 JSON prints 64-bit integers as strings (JavaScript numbers lose precision).
    FieldProto.TYPE_INT64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_SINT64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_SFIXED64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_UINT64: {"type": "string", "format": "uint64"},
    FieldProto.TYPE_FIXED64: {"type": "string", "format": "uint64"},
    FieldProto.TYPE_BOOL: {"type": "boolean"},
    FieldProto.TYPE_STRING: {"type": "string"},
    FieldProto.TYPE_BYTES: {"type": "string", "contentEncoding": "base64"},
}
_WELL_KNOWN: dict[str, Json] = {
    ".google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    ".google.protobuf.Duration": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$",
                                  "description": "Seconds with an `s` suffix, e.g. `3.5s`."},
    ".google.protobuf.FieldMask": {"type": "string",
                                   "description": "Comma-separated field paths, e.g. `display_name,settings`."},
    ".google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    ".google.protobuf.Value": {},
    ".google.protobuf.ListValue": {"type": "array", "items": {}},
    ".google.protobuf.Empty": {"type": "object", "additionalProperties": False},
    ".google.protobuf.Any": {"type": "object", "properties": {"@type": {"type": "string"}},
                             "required": ["@type"], "additionalProperties": True},
    ".google.protobuf.StringValue": {"type": ["string", "null"]},
    ".google.protobuf.BoolValue": {"type": ["boolean", "null"]},
    ".google.protobuf.Int32Value": {"type": ["integer", "null"], "format": "int32"},
    ".google.protobuf.UInt32Value": {"type": ["integer", "null"], "format": "int32"},
    ".google.protobuf.Int64Value": {"type": ["string", "null"], "format": "int64"},
    ".google.protobuf.UInt64Value": {"type": ["string", "null"], "format": "uint64"},
    ".google.protobuf.DoubleValue": {"type": ["number", "null"]},
    ".google.protobuf.FloatValue": {"type": ["number", "null"]},
    ".google.protobuf.BytesValue": {"type": ["string", "null"], "contentEncoding": "base64"},
}
HTTP_BODY = ".google.api.HttpBody"
REQUIRED = field_behavior_pb2.REQUIRED
OUTPUT_ONLY = field_behavior_pb2.OUTPUT_ONLY
INPUT_ONLY = field_behavior_pb2.INPUT_ONLY
IMMUTABLE = field_behavior_pb2.IMMUTABLE


def clean_comment(text: str) -> str:
    """A proto comment as a description: lines joined, leading spaces dropped."""
    lines = [line.strip() for line in text.strip().splitlines()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


@dataclass
class Message:
    full_name: str  # ".binoauth.tenant.v1.Tenant"
    proto: descriptor_pb2.DescriptorProto
    comment: str = ""
    field_comments: dict[str, str] = field(default_factory=dict)


@dataclass
class Enum:
    full_name: str
    proto: descriptor_pb2.EnumDescriptorProto
    comment: str = ""


class TypeIndex:
    """Every message and enum of the descriptor set, with the comments the source carries."""

    def __init__(self, fds: descriptor_pb2.FileDescriptorSet) -> None:
        self.messages: dict[str, Message] = {}
        self.enums: dict[str, Enum] = {}
        self.method_comments: dict[str, str] = {}
        self.service_comments: dict[str, str] = {}
        for file in fds.file:
            comments = {tuple(loc.path): clean_comment(loc.leading_comments)
                        for loc in file.source_code_info.location if loc.leading_comments}
            prefix = f".{file.package}" if file.package else ""
            for i, msg in enumerate(file.message_type):
                self._add_message(f"{prefix}.{msg.name}", msg, (4, i), comments)
            for i, enum in enumerate(file.enum_type):
                self.enums[f"{prefix}.{enum.name}"] = Enum(f"{prefix}.{enum.name}", enum, comments.get((5, i), ""))
            for s, svc in enumerate(file.service):
                service = f"{file.package}.{svc.name}"
                self.service_comments[service] = comments.get((6, s), "")
                for m, method in enumerate(svc.method):
                    self.method_comments[f"{service}.{method.name}"] = comments.get((6, s, 2, m), "")

    def _add_message(self, name: str, msg: descriptor_pb2.DescriptorProto, path: tuple[int, ...],
                     comments: dict[tuple[int, ...], str]) -> None:
        fields = {f.name: comments.get((*path, 2, i), "") for i, f in enumerate(msg.field)}
        self.messages[name] = Message(name, msg, comments.get(path, ""), fields)
        for i, nested in enumerate(msg.nested_type):
            self._add_message(f"{name}.{nested.name}", nested, (*path, 3, i), comments)
        for i, enum in enumerate(msg.enum_type):
            self.enums[f"{name}.{enum.name}"] = Enum(f"{name}.{enum.name}", enum, comments.get((*path, 4, i), ""))


def component_name(full_name: str) -> str:
    """".binoauth.tenant.v1.Tenant" -> "binoauth.tenant.v1.Tenant" (a valid component key)."""
    return full_name.lstrip(".")


def behaviors(proto_field: FieldProto) -> set[int]:
    return set(proto_field.options.Extensions[field_behavior_pb2.field_behavior])


class SchemaBuilder:
    """Builds components/schemas on demand: only what the operations reach is included."""

    def __init__(self, types: TypeIndex) -> None:
        self.types = types
        self.components: dict[str, Json] = {}

    def ref(self, type_name: str) -> Json:
        if type_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[type_name])
        name = component_name(type_name)
        if name not in self.components:
            self.components[name] = {}  # placeholder against recursion
            if type_name in self.types.enums:
                self.components[name] = self._enum(self.types.enums[type_name])
            else:
                self.components[name] = self.message(type_name)
        return {"$ref": f"#/components/schemas/{name}"}

    def _enum(self, enum: Enum) -> Json:
        schema: Json = {"type": "string", "enum": [v.name for v in enum.proto.value]}
        if enum.comment:
            schema["description"] = enum.comment
        return schema

    def message(self, type_name: str, skip: frozenset[str] = frozenset()) -> Json:
        """The schema of a message, without the fields in `skip` (those bound to the path)."""
        msg = self.types.messages[type_name]
        properties: Json = {}
        required: list[str] = []
        for proto_field in msg.proto.field:
            if proto_field.name in skip:
                continue
            schema = self.field(proto_field)
            kinds = behaviors(proto_field)
            description = msg.field_comments.get(proto_field.name, "")
            if IMMUTABLE in kinds:
                description = (description + "\n\n" if description else "") + "Immutable once created."
            if description:
                schema = {**schema, "description": description} if "$ref" not in schema else \
                    {"allOf": [schema], "description": description}
            if OUTPUT_ONLY in kinds:
                schema = {**schema, "readOnly": True}
            if INPUT_ONLY in kinds:
                schema = {**schema, "writeOnly": True}
            if REQUIRED in kinds:
                required.append(proto_field.name)
            properties[proto_field.name] = schema
        out: Json = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            out["required"] = required
        if msg.comment:
            out["description"] = msg.comment
        return out

    def field(self, proto_field: FieldProto) -> Json:
        map_entry = self._map_entry(proto_field)
        if map_entry is not None:
            value = next(f for f in map_entry.field if f.name == "value")
            return {"type": "object", "additionalProperties": self._single(value)}
        single = self._single(proto_field)
        if proto_field.label == FieldProto.LABEL_REPEATED:
            return {"type": "array", "items": single}
        return single

    def _single(self, proto_field: FieldProto) -> Json:
        if proto_field.type in (FieldProto.TYPE_MESSAGE, FieldProto.TYPE_ENUM):
            return self.ref(proto_field.type_name)
        return dict(_SCALARS[proto_field.type])

    def _map_entry(self, proto_field: FieldProto) -> descriptor_pb2.DescriptorProto | None:
        if proto_field.label != FieldProto.LABEL_REPEATED or proto_field.type != FieldProto.TYPE_MESSAGE:
            return None
        msg = self.types.messages.get(proto_field.type_name)
        if msg is None or not msg.proto.options.map_entry:
            return None
        return msg.proto

    def query_parameters(self, type_name: str, skip: frozenset[str]) -> Iterator[tuple[str, Json, str, bool]]:
        """(name, schema, description, required) of every query parameter a GET or DELETE of
        this request message takes: scalar and repeated scalar fields, nested messages by
        dotted path, as the transcoder binds them."""
        yield from self._query(type_name, "", skip, depth=0)

    def _query(self, type_name: str, prefix: str, skip: frozenset[str],
               depth: int) -> Iterator[tuple[str, Json, str, bool]]:
        msg = self.types.messages[type_name]
        for proto_field in msg.proto.field:
            name = prefix + proto_field.name
            if name in skip or OUTPUT_ONLY in behaviors(proto_field) or self._map_entry(proto_field):
                continue
            description = msg.field_comments.get(proto_field.name, "")
            required = REQUIRED in behaviors(proto_field)
            if proto_field.type == FieldProto.TYPE_MESSAGE and proto_field.type_name not in _WELL_KNOWN:
                if depth < 2 and proto_field.label != FieldProto.LABEL_REPEATED:
                    yield from self._query(proto_field.type_name, name + ".", skip, depth + 1)
                continue
            yield name, self.field(proto_field), description, required
