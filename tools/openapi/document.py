"""The OpenAPI 3.1 document of the public REST API, from the same descriptor set the gateway
routes with: every google.api.http binding of every public service is an operation."""

from __future__ import annotations

import re
from typing import Any

from google.api import annotations_pb2
from google.protobuf import descriptor_pb2

from gateway.descriptor import HTTP_BODY, Method, Service, public_services
from tools.openapi import protocol
from tools.openapi.schemas import SchemaBuilder, TypeIndex

Json = dict[str, Any]
_PATH_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
ERROR_ENVELOPE: Json = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "description": "Every REST error (not the OAuth wire endpoints, which answer RFC 6749 errors).",
    "properties": {"error": {
        "type": "object", "additionalProperties": False,
        "required": ["code", "message", "details", "timestamp", "request_id"],
        "properties": {
            "code": {"type": "string", "description": "UPPER_SNAKE reason, e.g. INVALID_ARGUMENT or TENANT_NOT_FOUND."},
            "message": {"type": "string", "description": "For people; never a stack trace."},
            "details": {"type": "object", "additionalProperties": {"type": "string"},
                        "description": "Machine-readable context, e.g. `field` names the offending field."},
            "timestamp": {"type": "string", "format": "date-time"},
            "request_id": {"type": "string", "description": "Also in the X-Request-Id header."},
        }}},
}
SECURITY_SCHEMES: Json = {
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "A platform or tenant API key (`bino_...`) or an administrator token."},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "binoauth_session",
                      "description": "The hosted sign-in's session; same-origin JSON requests only."},
    "consoleSession": {"type": "apiKey", "in": "cookie", "name": "binoauth_console",
                       "description": "The admin console's session (POST /api/v1/admin/sessions); counts only "
                                      "together with the `X-BinoAuth-Console` header and without Authorization."},
    "consoleHeader": {"type": "apiKey", "in": "header", "name": "X-BinoAuth-Console",
                      "description": "`1`: marks a same-origin console request (CSRF defence for the console cookie)."},
    "clientBasic": {"type": "http", "scheme": "basic",
                    "description": "client_secret_basic (RFC 6749 section 2.3.1)."},
}
_UNAUTHENTICATED_GROUPS = frozenset({"signup", "login", "verification", "public"})
# Cookie endpoints that start a session rather than need one.
_SIGN_IN_METHODS = frozenset({"AuthService.Login", "AuthService.CompleteMfaLogin", "AuthService.ConsumeMagicLink",
                              "AdminUserService.CreateAdminSession"})
# The console's own session methods read its cookie, not the end user's.
_CONSOLE_SESSION_METHODS = frozenset({"AdminUserService.GetCurrentAdminSession",
                                      "AdminUserService.EndCurrentAdminSession"})
DESCRIPTION = """The BinoAuth REST API, transcoded by the gateway from the gRPC services.

**Tenants.** Tenant-scoped operations select their tenant by the `/tenant/{tenant_id}` path
prefix (the second server below), a tenant subdomain, a custom domain or the `X-Tenant-ID`
header; platform operations (tenants, platform API keys) need none.

**Errors** use one envelope (`ErrorEnvelope`) with an UPPER_SNAKE `code`; the OAuth and
OpenID Connect endpoints answer as their RFCs say instead.

**Fields** are the proto field names (snake_case; camelCase is accepted on input); 64-bit
integers are strings, enums their names, timestamps RFC 3339. Unknown JSON fields are refused.
"""


def _openapi_path(template: str) -> str:
    """'/api/v1/users/{user.user_id}' -> '/api/v1/users/{user_id}' (the URL is the same)."""
    return _PATH_VARIABLE.sub(lambda m: "{" + m.group(1).rsplit(".", 1)[-1] + "}", template)


def _security(service: Service, method: Method) -> list[Json]:
    if method.protocol:
        return []
    qualified = f"{service.full_name.rsplit('.', 1)[-1]}.{method.name}"
    if qualified in _SIGN_IN_METHODS:
        return [{}]
    if qualified in _CONSOLE_SESSION_METHODS:
        return [{"consoleSession": []}]
    if method.cookies == "json_api":
        return [{"sessionCookie": []}]
    if method.rate_limit_group in _UNAUTHENTICATED_GROUPS:
        return [{}]
    return [{"bearerAuth": []}, {"consoleSession": [], "consoleHeader": []}]


class DocumentBuilder:
    def __init__(self, fds: descriptor_pb2.FileDescriptorSet, version: str = "v1") -> None:
        self._fds = fds
        self._types = TypeIndex(fds)
        self._schemas = SchemaBuilder(self._types)
        self._version = version
        self._methods = {f"{file.package}.{svc.name}.{m.name}": m
                         for file in fds.file for svc in file.service for m in svc.method}

    def build(self) -> Json:
        paths: dict[str, Json] = {}
        tags = []
        for service in public_services(self._fds):
            short = service.full_name.rsplit(".", 1)[-1]
            tags.append({"name": short, **({"description": c} if (c := self._types.service_comments.get(
                service.full_name)) else {})})
            for method in service.methods:
                for index, (verb, template) in enumerate(method.http):
                    operation = self._operation(service, method, verb, template, index)
                    paths.setdefault(_openapi_path(template), {})[verb.lower()] = operation
        self._schemas.components["ErrorEnvelope"] = ERROR_ENVELOPE
        return {
            "openapi": "3.1.0",
            "info": {"title": "BinoAuth API", "version": self._version, "description": DESCRIPTION},
            "servers": [
                {"url": "{origin}", "variables": {"origin": {"default": "http://localhost:8080"}}},
                {"url": "{origin}/tenant/{tenant_id}", "description": "A tenant selected by path prefix.",
                 "variables": {"origin": {"default": "http://localhost:8080"}, "tenant_id": {"default": "acme"}}},
            ],
            "tags": tags,
            "paths": dict(sorted(paths.items())),
            "components": {"schemas": dict(sorted(self._schemas.components.items())),
                           "securitySchemes": SECURITY_SCHEMES},
        }

    def _operation(self, service: Service, method: Method, verb: str, template: str, index: int) -> Json:
        path_fields = _PATH_VARIABLE.findall(template)
        short = service.full_name.rsplit(".", 1)[-1]
        proto = self._methods[f"{service.full_name}.{method.name}"]
        operation: Json = {
            "operationId": f"{short}_{method.name}" + (f"_{index + 1}" if index else ""),
            "tags": [short],
            "x-grpc-method": f"/{service.full_name}/{method.name}",
        }
        comment = self._types.method_comments.get(f"{service.full_name}.{method.name}", "")
        if comment:
            operation["summary"] = comment.split(". ", 1)[0].split("\n", 1)[0][:120]
            operation["description"] = comment
        security = _security(service, method)
        if security:
            operation["security"] = security
        parameters = [{"name": name.rsplit(".", 1)[-1], "in": "path", "required": True,
                       "schema": {"type": "string"}, "description": f"The request's `{name}`."}
                      for name in path_fields]
        protocol_spec = protocol.PROTOCOL.get((short, method.name))
        if method.protocol:
            return self._protocol_operation(operation, parameters, protocol_spec, verb, proto)
        skip = frozenset(path_fields)
        body_field = self._body_field(proto, verb, template)
        if body_field is None:
            for name, schema, description, required in self._schemas.query_parameters(proto.input_type, skip):
                parameters.append({"name": name, "in": "query", "required": required, "schema": schema,
                                   **({"description": description} if description else {})})
        elif body_field == "*":
            operation["requestBody"] = self._json_body(self._schemas.message(proto.input_type, skip))
        else:
            body_schema = self._body_schema(proto.input_type, body_field, path_fields)
            operation["requestBody"] = self._json_body(body_schema)
            for name, schema, description, required in self._schemas.query_parameters(
                    proto.input_type, skip | {body_field}):
                parameters.append({"name": name, "in": "query", "required": required, "schema": schema,
                                   **({"description": description} if description else {})})
        if parameters:
            operation["parameters"] = parameters
        operation["responses"] = {
            "200": {"description": "OK", "content": {"application/json": {
                "schema": self._schemas.ref(proto.output_type)}}},
            "4XX": self._error("The request was refused (see `error.code`)."),
            "5XX": self._error("A dependency is unavailable (503, with Retry-After) or an internal error."),
        }
        return operation

    @staticmethod
    def _body_field(proto: descriptor_pb2.MethodDescriptorProto, verb: str, template: str) -> str | None:
        """The body of the binding (verb, template): "*", a field name, or None."""
        rule = proto.options.Extensions[annotations_pb2.http]
        for binding in (rule, *rule.additional_bindings):
            kind = binding.WhichOneof("pattern")
            if kind == "custom":
                found = (binding.custom.kind.upper(), binding.custom.path)
            elif kind is not None:
                found = (kind.upper(), getattr(binding, kind))
            else:
                continue
            if found == (verb, template):
                return binding.body or None
        return None

    def _body_schema(self, input_type: str, body_field: str, path_fields: list[str]) -> Json:
        message = self._types.messages[input_type]
        field = next(f for f in message.proto.field if f.name == body_field)
        nested = frozenset(name.split(".", 1)[1] for name in path_fields if name.startswith(body_field + "."))
        if nested:
            return self._schemas.message(field.type_name, nested)
        return self._schemas.field(field)

    @staticmethod
    def _json_body(schema: Json) -> Json:
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    @staticmethod
    def _error(description: str) -> Json:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}

    def _protocol_operation(self, operation: Json, parameters: list[Json], spec: Json | None, verb: str,
                            proto: descriptor_pb2.MethodDescriptorProto) -> Json:
        spec = spec or protocol.HOSTED_PAGE
        if verb == "GET":
            for name, description in (spec.get("query") or {}).items():
                parameters.append({"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                                   "description": description})
            if not spec.get("query") and proto.input_type != HTTP_BODY:
                for name, schema, description, required in self._schemas.query_parameters(
                        proto.input_type, frozenset(p["name"] for p in parameters) | {"body"}):
                    parameters.append({"name": name, "in": "query", "required": required, "schema": schema,
                                       **({"description": description} if description else {})})
        elif verb == "POST":
            operation["requestBody"] = {"required": True, **(spec.get("body") or protocol.HOSTED_FORM)}
        if parameters:
            operation["parameters"] = parameters
        if spec.get("client_auth"):
            operation["security"] = [{}, {"clientBasic": []}]
        operation["responses"] = spec["responses"]
        return operation


def build_document(fds: descriptor_pb2.FileDescriptorSet) -> Json:
    return DocumentBuilder(fds).build()
