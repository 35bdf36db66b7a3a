"""The per-method policies declared in the protos (protos/binoauth/options/v1/options.proto):
which methods use the session cookie (and pass the cross-site checks of
services/common/cross_site.py), and which answers carry a secret (no-store at the gateway).
The end-to-end checks of every route are in tests/e2e/test_route_policies.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2
from grpc import aio
from prometheus_client import CollectorRegistry

from binoauth.identity.v1 import user_admin_service_pb2, user_self_service_pb2  # noqa: F401 - registers the methods
from gateway.descriptor import HTTP_BODY, Method, Service, load_services
from gateway.values import BUILD_DESCRIPTOR
from services.common.context import (
    RequestMeta,
    UndeclaredCookieUse,
    current_request,
    request_meta,
    set_current_request,
)
from services.common.cookies import set_session_cookie
from services.common.cross_site import CookieUse, cookie_use, refuse_cross_site, same_origin
from services.common.errors import DomainError
from services.common.interceptor import ServerInterceptor
from services.common.metrics import RpcMetrics

pytestmark = pytest.mark.unit

# The hosted JSON endpoints that read or set the session cookie. A new one must be marked
# COOKIE_USE_JSON_API in its proto and listed here (the interceptor refuses to let an
# unmarked method read the cookie, so forgetting the proto option fails its own tests).
JSON_COOKIE_APIS = {
    "binoauth.identity.v1.AuthService." + m for m in ("Login", "CompleteMfaLogin", "ConsumeMagicLink", "Logout")
} | {
    "binoauth.identity.v1.UserSelfService." + m for m in (
        "GetMe", "UpdateMe", "ChangePassword", "ChangeEmail", "SendPhoneCode", "VerifyPhone", "EnrollTotp",
        "ConfirmTotp", "DisableTotp")
} | {
    "binoauth.session.v1.SessionService." + m for m in ("ListMySessions", "RevokeMySession", "RevokeMyOtherSessions")
} | {"binoauth.token.v1.OAuthService.ListMyConsents", "binoauth.token.v1.OAuthService.RevokeMyConsent"} | {
    "binoauth.tenant.v1.AdminUserService." + m for m in (
        "CreateAdminSession", "GetCurrentAdminSession", "EndCurrentAdminSession")
} | {"binoauth.identity.v1.FederatedIdentityService." + m for m in ("ListMyIdentities", "UnlinkMyIdentity")}

# Browser pages and OAuth wire endpoints with their own CSRF defences (at least these).
BROWSER_FORMS = {"binoauth.token.v1.OAuthService." + m for m in (
    "Authorize", "SubmitConsent", "GetDevicePage", "SubmitDevicePage", "EndSession")}

# A response field with one of these names carries a secret (client_secret, access_token,
# mfa_token, recovery_codes...); pagination cursors are not secrets.
SECRET_LOOKING = re.compile(r"(secret|token|password|recovery_codes|otpauth_uri|private_key|credential)$")
NOT_SECRET = {"page_token", "next_page_token"}
_TEXT = (descriptor_pb2.FieldDescriptorProto.TYPE_STRING, descriptor_pb2.FieldDescriptorProto.TYPE_BYTES)


@pytest.fixture(scope="module")
def fds() -> descriptor_pb2.FileDescriptorSet:
    if not BUILD_DESCRIPTOR.exists():
        pytest.fail(f"{BUILD_DESCRIPTOR} missing: run `make protos` first")
    return descriptor_pb2.FileDescriptorSet.FromString(BUILD_DESCRIPTOR.read_bytes())


def _public_methods(fds: descriptor_pb2.FileDescriptorSet) -> Iterator[tuple[Service, Method, str]]:
    outputs = {f".{file.package}.{svc.name}.{m.name}": m.output_type for file in fds.file for svc in file.service
               for m in svc.method}
    for svc in load_services(fds):
        if svc.public:
            for method in svc.methods:
                yield svc, method, outputs[f".{svc.full_name}.{method.name}"]


def _messages(fds: descriptor_pb2.FileDescriptorSet) -> dict[str, descriptor_pb2.DescriptorProto]:
    out: dict[str, descriptor_pb2.DescriptorProto] = {}

    def add(prefix: str, msg: descriptor_pb2.DescriptorProto) -> None:
        out[f"{prefix}.{msg.name}"] = msg
        for nested in msg.nested_type:
            add(f"{prefix}.{msg.name}", nested)

    for file in fds.file:
        for msg in file.message_type:
            add(f".{file.package}", msg)
    return out


def secret_fields(messages: dict[str, descriptor_pb2.DescriptorProto], type_name: str,
                  seen: frozenset[str] = frozenset()) -> list[str]:
    """Dotted paths of the secret-looking text fields of a message, nested messages included."""
    found: list[str] = []
    for field in messages[type_name].field if type_name in messages and type_name not in seen else ():
        if field.type in _TEXT and SECRET_LOOKING.search(field.name) and field.name not in NOT_SECRET:
            found.append(field.name)
        elif field.type == descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE:
            found += [f"{field.name}.{inner}" for inner in secret_fields(messages, field.type_name, seen | {type_name})]
    return found


# The OAuth/OIDC wire endpoints whose JSON answers carry a token, a device code or a user's
# claims; their servicer leaves Cache-Control to the gateway's route.
OAUTH_SECRET_ANSWERS = frozenset({"Token", "Introspect", "Revoke", "UserInfo", "DeviceAuthorization"})


def test_every_answer_with_a_secret_field_is_marked_no_store_and_only_those(
    fds: descriptor_pb2.FileDescriptorSet,
) -> None:
    messages = _messages(fds)
    marked, secret = set(), {}
    for svc, method, output in _public_methods(fds):
        name = f"{svc.full_name}.{method.name}"
        if method.no_store:
            marked.add(name)
        if output == HTTP_BODY:
            if method.name in OAUTH_SECRET_ANSWERS:  # tokens, device codes, claims (RFC 6749 5.1)
                secret[name] = ["(OAuth wire answer)"]
            continue
        fields = secret_fields(messages, output)
        if fields:
            secret[name] = fields
    assert secret["binoauth.tenant.v1.ApiKeyService.CreateApiKey"] == ["secret"]
    assert secret["binoauth.identity.v1.UserSelfService.ConfirmTotp"] == ["recovery_codes"]
    assert secret["binoauth.identity.v1.AuthService.Login"] == ["mfa_token"]
    assert secret["binoauth.token.v1.OAuthService.Token"] == ["(OAuth wire answer)"]
    missing = sorted(set(secret) - marked)
    assert not missing, f"answers with secret fields need option (binoauth.options.v1.no_store) = true: {missing}"
    stale = sorted(marked - set(secret))
    assert not stale, f"no_store on answers without a secret-looking field (rename or unmark): {stale}"


def test_cookie_json_apis_are_exactly_the_hosted_json_cookie_endpoints(fds: descriptor_pb2.FileDescriptorSet) -> None:
    uses = {f"{svc.full_name}.{m.name}": (m.cookies, m.protocol) for svc, m, _ in _public_methods(fds)}
    json_apis = {name for name, (use, _) in uses.items() if use == "json_api"}
    assert json_apis == JSON_COOKIE_APIS
    forms = {name for name, (use, _) in uses.items() if use == "browser_form"}
    assert BROWSER_FORMS <= forms
    # Every hosted page is a browser form; its stylesheets and logo (no cookies) are not.
    stylesheets = {"binoauth.identity.v1.HostedPagesService.GetPageStylesheet",
                   "binoauth.identity.v1.HostedPagesService.GetBrandingStylesheet",
                   "binoauth.identity.v1.HostedPagesService.GetBrandingLogo"}
    assert {name for name in uses if ".HostedPagesService." in name} - stylesheets <= forms
    assert not stylesheets & (forms | json_apis)
    # A browser form speaks HTML or an OAuth wire format (google.api.HttpBody); a JSON API does not.
    assert all(uses[name][1] for name in forms), sorted(n for n in forms if not uses[n][1])
    assert not any(uses[name][1] for name in json_apis)


def test_cookie_use_is_read_from_the_generated_descriptors() -> None:
    assert cookie_use("/binoauth.identity.v1.UserSelfService/GetMe") is CookieUse.JSON_API
    assert cookie_use("/binoauth.identity.v1.UserAdminService/GetUser") is CookieUse.NONE
    assert cookie_use("/grpc.health.v1.Health/Check") is CookieUse.NONE
    assert cookie_use("/no.such.Service/Method") is CookieUse.NONE


# --- the cross-site check ----------------------------------------------------------------


def meta(**headers: str) -> RequestMeta:
    return request_meta([("x-binoauth-gateway", "1"), ("x-binoauth-authority", "auth.example.com"),
                         *headers.items()])


@pytest.mark.parametrize("headers", [
    {},
    {"x-binoauth-content-type": "application/json"},
    {"x-binoauth-content-type": "Application/JSON; charset=utf-8"},
    {"x-binoauth-content-type": "application/grpc"},
    {"origin": "https://auth.example.com", "sec-fetch-site": "same-origin"},
    {"origin": "https://auth.example.com:443"},
    {"origin": "HTTP://AUTH.EXAMPLE.COM"},
    {"sec-fetch-site": "none"},
], ids=str)
def test_same_origin_and_non_browser_requests_pass(headers: dict[str, str]) -> None:
    refuse_cross_site(meta(**headers))


@pytest.mark.parametrize(("headers", "reason"), [
    ({"sec-fetch-site": "cross-site"}, "CROSS_SITE_REQUEST"),
    ({"sec-fetch-site": "same-site"}, "CROSS_SITE_REQUEST"),
    ({"origin": "https://evil.example"}, "CROSS_SITE_REQUEST"),
    ({"origin": "null"}, "CROSS_SITE_REQUEST"),
    ({"origin": "https://auth.example.com.evil.example"}, "CROSS_SITE_REQUEST"),
    ({"origin": "https://auth.example.com:8443"}, "CROSS_SITE_REQUEST"),
    ({"origin": "https://tenant.auth.example.com"}, "CROSS_SITE_REQUEST"),
    ({"x-binoauth-content-type": "text/plain"}, "UNSUPPORTED_MEDIA_TYPE"),
    ({"x-binoauth-content-type": "application/x-www-form-urlencoded"}, "UNSUPPORTED_MEDIA_TYPE"),
    ({"x-binoauth-content-type": "multipart/form-data; boundary=x"}, "UNSUPPORTED_MEDIA_TYPE"),
    ({"x-binoauth-content-type": "application/octet-stream"}, "UNSUPPORTED_MEDIA_TYPE"),
], ids=str)
def test_what_a_cross_site_page_can_send_is_refused(headers: dict[str, str], reason: str) -> None:
    with pytest.raises(DomainError) as refused:
        refuse_cross_site(meta(**headers))
    assert refused.value.reason == reason


def test_a_client_content_type_only_counts_through_the_gateway() -> None:
    # Without the gateway mark, x-binoauth-* headers are a client's: native gRPC callers.
    direct = request_meta([("content-type", "application/grpc"), ("x-binoauth-content-type", "text/plain")])
    refuse_cross_site(direct)


@pytest.mark.parametrize(("origin", "authority", "same"), [
    ("http://127.0.0.1:8080", "127.0.0.1:8080", True),
    ("http://127.0.0.1:8081", "127.0.0.1:8080", False),
    ("http://[::1]:8080", "[::1]:8080", True),
    ("https://[::1]", "[::1]:443", True),
    ("http://auth.example.com", "auth.example.com:80", True),
    ("https://auth.example.com", "auth.example.com:80", False),
    ("https://auth.example.com/path", "auth.example.com", False),
    ("https://user@auth.example.com", "auth.example.com", False),
    ("ftp://auth.example.com", "auth.example.com", False),
    ("https://auth.example.com", "", False),
])
def test_same_origin(origin: str, authority: str, same: bool) -> None:
    assert same_origin(origin, authority) is same


# --- an unmarked method never sees the cookie ----------------------------------------------


class FakeContext:
    def __init__(self, metadata: list[tuple[str, str]]) -> None:
        self.metadata = metadata
        self.initial: list[tuple[tuple[str, str], ...]] = []
        self.aborted: tuple[grpc.StatusCode, str, dict[str, Any]] | None = None

    def invocation_metadata(self) -> list[tuple[str, str]]:
        return self.metadata

    def peer(self) -> str:
        return "ipv4:127.0.0.1:5000"

    def time_remaining(self) -> float | None:
        return None  # the caller set no deadline

    async def send_initial_metadata(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self.initial.append(metadata)

    async def abort(self, code: grpc.StatusCode, message: str, trailing_metadata: Any = ()) -> None:
        self.aborted = (code, message, dict(trailing_metadata))
        raise aio.AbortError()

    def code(self) -> grpc.StatusCode | None:
        return self.aborted[0] if self.aborted else None


async def _call(method: str, behavior: Any, metadata: list[tuple[str, str]]) -> tuple[Any, FakeContext]:
    interceptor = ServerInterceptor("test", RpcMetrics.create(CollectorRegistry()))
    run = interceptor._wrap(method, behavior, cookie_use(method))
    context = FakeContext(metadata)
    try:
        return await run(None, context), context
    except aio.AbortError:
        return None, context


async def _reads_cookie(request: Any, context: Any) -> str:
    return current_request(context).cookie


async def _sets_cookie(request: Any, context: Any) -> str:
    return set_session_cookie("s", 60, True, "/")


@pytest.mark.parametrize("behavior", [_reads_cookie, _sets_cookie])
async def test_a_method_without_the_option_cannot_read_or_set_the_cookie(behavior: Any) -> None:
    result, context = await _call("/binoauth.identity.v1.UserAdminService/GetUser", behavior,
                                  [("cookie", "binoauth_session=s")])
    assert result is None and context.aborted is not None
    assert context.aborted[0] == grpc.StatusCode.INTERNAL


async def test_a_marked_method_reads_the_cookie() -> None:
    result, context = await _call("/binoauth.identity.v1.UserSelfService/GetMe", _reads_cookie,
                                  [("cookie", "binoauth_session=s"), ("x-binoauth-gateway", "1"),
                                   ("x-binoauth-authority", "a.example"), ("origin", "http://a.example")])
    assert (result, context.aborted) == ("binoauth_session=s", None)


async def test_a_marked_json_api_refuses_a_form_before_running() -> None:
    ran = []

    async def behavior(request: Any, context: Any) -> str:
        ran.append(1)
        return "ran"

    metadata = [("cookie", "binoauth_session=s"), ("x-binoauth-gateway", "1"),
                ("x-binoauth-content-type", "text/plain")]
    _, context = await _call("/binoauth.identity.v1.UserSelfService/GetMe", behavior, metadata)
    assert ran == [] and context.aborted is not None
    assert context.aborted[0] == grpc.StatusCode.INVALID_ARGUMENT
    assert context.initial == [(("x-http-status", "415"),)]
    assert '"UNSUPPORTED_MEDIA_TYPE"' in context.aborted[2]["x-error-json"]


def test_the_cookie_is_never_printed_and_undeclared_reads_raise() -> None:
    seen = request_meta([("cookie", "binoauth_session=secret-value")], undeclared_cookie_method="/x.v1.S/M")
    assert "secret-value" not in repr(seen)
    with pytest.raises(UndeclaredCookieUse, match=re.escape("/x.v1.S/M")):
        _ = seen.cookie
    set_current_request(seen)
    try:
        with pytest.raises(UndeclaredCookieUse):
            set_session_cookie("s", 60, True, "/")
    finally:
        set_current_request(request_meta([]))
