"""Application registration rules: grants, auth methods, client and application types, redirect
URIs by application type, scopes, lifetimes, secrets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from binoauth.token.v1 import application_pb2
from services.common.auth import credential_hash
from services.common.errors import InvalidArgument
from services.token.applications.mapping import (
    application_changes,
    application_from_proto,
    application_to_proto,
)
from services.token.applications.model import (
    AUTHORIZATION_CODE,
    CLIENT_CREDENTIALS,
    DEVICE_CODE,
    REFRESH_TOKEN,
    Application,
    ApplicationType,
    ClientType,
    SecretState,
    TokenLifetimes,
    is_client_id,
    new_client_id,
    new_client_secret,
    overlap_seconds,
    scope_problem,
    secret_matches,
    validated,
)
from services.token.applications.usecases import UPDATABLE, apply_changes

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
WEB = ("https://app.example.com/cb",)


def app(client_type: ClientType = ClientType.CONFIDENTIAL, **fields: Any) -> Application:
    return Application(client_id="", display_name=fields.pop("display_name", "Shop"), client_type=client_type,
                       redirect_uris=fields.pop("redirect_uris", WEB), **fields)


def reason(draft: Application, tokens: dict[str, Any] | None = None) -> str:
    with pytest.raises(InvalidArgument) as error:
        validated(draft, tokens)
    return error.value.reason


def test_defaults_are_minimal() -> None:
    confidential = validated(app())
    assert confidential.grant_types == (AUTHORIZATION_CODE,)
    assert confidential.allowed_scopes == ("openid",)
    assert confidential.token_endpoint_auth_method == "client_secret_basic"
    public = validated(app(ClientType.PUBLIC))
    assert public.token_endpoint_auth_method == "none"


@pytest.mark.parametrize("grant", ["implicit", "token", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                   "AUTHORIZATION_CODE", "", "authorization_code "])
def test_refused_grant_types(grant: str) -> None:
    assert reason(app(grant_types=(AUTHORIZATION_CODE, grant))) == "UNSUPPORTED_GRANT_TYPE"


def test_every_supported_grant_for_a_confidential_client() -> None:
    grants = (AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, DEVICE_CODE, AUTHORIZATION_CODE)
    assert validated(app(grant_types=grants)).grant_types == grants[:4]


def test_client_credentials_only_for_confidential_clients() -> None:
    assert reason(app(ClientType.PUBLIC, grant_types=(AUTHORIZATION_CODE, CLIENT_CREDENTIALS))) == \
        "INVALID_GRANT_TYPES"
    machine = validated(app(grant_types=(CLIENT_CREDENTIALS,), redirect_uris=()))
    assert machine.redirect_uris == () and machine.allows_grant(CLIENT_CREDENTIALS)


def test_public_client_grants() -> None:
    native = validated(app(ClientType.PUBLIC, grant_types=(AUTHORIZATION_CODE, REFRESH_TOKEN, DEVICE_CODE),
                           redirect_uris=("com.example.app:/cb", "http://127.0.0.1/cb")))
    assert native.token_endpoint_auth_method == "none"
    tv = validated(app(ClientType.PUBLIC, grant_types=(DEVICE_CODE, REFRESH_TOKEN), redirect_uris=()))
    assert tv.grant_types == (DEVICE_CODE, REFRESH_TOKEN)


def test_grant_combinations() -> None:
    assert reason(app(grant_types=(REFRESH_TOKEN,))) == "INVALID_GRANT_TYPES"
    assert reason(app(grant_types=(CLIENT_CREDENTIALS, REFRESH_TOKEN), redirect_uris=())) == "INVALID_GRANT_TYPES"
    assert reason(app(redirect_uris=())) == "REDIRECT_URI_REQUIRED"


@pytest.mark.parametrize(("client_type", "method", "expected"), [
    (ClientType.CONFIDENTIAL, "none", "INVALID_AUTH_METHOD"),
    (ClientType.PUBLIC, "client_secret_basic", "INVALID_AUTH_METHOD"),
    (ClientType.PUBLIC, "client_secret_post", "INVALID_AUTH_METHOD"),
    (ClientType.CONFIDENTIAL, "private_key_jwt", "JWKS_REQUIRED"),
    (ClientType.PUBLIC, "private_key_jwt", "INVALID_AUTH_METHOD"),
    (ClientType.CONFIDENTIAL, "client_secret_jwt", "UNSUPPORTED_AUTH_METHOD"),
    (ClientType.CONFIDENTIAL, "CLIENT_SECRET_BASIC", "UNSUPPORTED_AUTH_METHOD"),
    (ClientType.PUBLIC, "tls_client_auth", "UNSUPPORTED_AUTH_METHOD"),
])
def test_auth_method_consistency(client_type: ClientType, method: str, expected: str) -> None:
    assert reason(app(client_type, token_endpoint_auth_method=method)) == expected


def test_confidential_auth_methods() -> None:
    for method in ("client_secret_basic", "client_secret_post"):
        assert validated(app(token_endpoint_auth_method=method)).token_endpoint_auth_method == method


@pytest.mark.parametrize("scope", ["openid", "profile", "email", "phone", "offline_access", "read", "orders:read",
                                   "https://api.example.com/orders.write", "a_b-c.d", "X" * 128])
def test_accepted_scopes(scope: str) -> None:
    assert scope_problem(scope) is None


@pytest.mark.parametrize("scope", ["", " ", "two words", "1read", "_x", "-x", "read\"", "read'", "read\\x",
                                   "<script>", "a" * 129, "read\n", "é", "a,b", "a;b", "a%20b", "a+b"])
def test_refused_scopes(scope: str) -> None:
    assert scope_problem(scope) is not None
    assert reason(app(allowed_scopes=("openid", scope))) == "INVALID_SCOPE"


def test_scopes_deduplicated_and_bounded() -> None:
    assert validated(app(allowed_scopes=("openid", "email", "openid"))).allowed_scopes == ("openid", "email")
    assert reason(app(allowed_scopes=tuple(f"s{i}" for i in range(51)))) == "INVALID_SCOPE"


def test_display_name() -> None:
    assert validated(app(display_name="  Shop  ")).display_name == "Shop"
    for bad in ("", "   ", "x" * 201, "a\nb", "a\x00"):
        assert reason(replace(app(), display_name=bad)) == "INVALID_DISPLAY_NAME"


@pytest.mark.parametrize(("field", "low", "high"), [
    ("access_token_ttl_seconds", 60, 86400), ("id_token_ttl_seconds", 60, 86400),
    ("refresh_token_idle_ttl_seconds", 300, 365 * 86400),
    ("refresh_token_absolute_ttl_seconds", 300, 365 * 86400),
])
def test_lifetime_bounds(field: str, low: int, high: int) -> None:
    tokens = {"refresh_token_idle_ttl_seconds": 300, "refresh_token_absolute_ttl_seconds": 365 * 86400}
    assert getattr(validated(app(token_lifetimes=TokenLifetimes(**{field: low})), tokens).token_lifetimes,
                   field) == low
    assert getattr(validated(app(token_lifetimes=TokenLifetimes(**{field: high})), tokens).token_lifetimes,
                   field) == high
    hard_low = {"access_token_ttl_seconds": 60, "id_token_ttl_seconds": 60}.get(field, 300)
    for bad in (hard_low - 1, high + 1, -1):
        assert reason(app(token_lifetimes=TokenLifetimes(**{field: bad})), tokens) == "INVALID_TOKEN_LIFETIME"


def test_lifetime_zero_means_tenant_and_effective_values() -> None:
    clean = validated(app(token_lifetimes=TokenLifetimes(0, 0, 0, 0))).token_lifetimes
    assert clean == TokenLifetimes()
    tenant = {"access_token_ttl_seconds": 600, "refresh_token_idle_ttl_seconds": 3600,
              "refresh_token_absolute_ttl_seconds": 7200}
    assert TokenLifetimes(access_token_ttl_seconds=120).effective(tenant) == {
        "access_token_ttl_seconds": 120, "id_token_ttl_seconds": 3600,
        "refresh_token_idle_ttl_seconds": 3600, "refresh_token_absolute_ttl_seconds": 7200}
    # An idle override above the tenant's absolute lifetime never yields absolute < idle.
    assert TokenLifetimes(refresh_token_idle_ttl_seconds=10000).effective(tenant)[
        "refresh_token_absolute_ttl_seconds"] == 10000
    assert TokenLifetimes().effective(None)["access_token_ttl_seconds"] == 900


def test_refresh_absolute_not_below_idle() -> None:
    assert reason(app(token_lifetimes=TokenLifetimes(refresh_token_idle_ttl_seconds=7200,
                                                     refresh_token_absolute_ttl_seconds=3600))) == \
        "INVALID_TOKEN_LIFETIME"
    # ... also against the tenant's setting for the field the application leaves alone.
    assert reason(app(token_lifetimes=TokenLifetimes(refresh_token_idle_ttl_seconds=7200)),
                  {"refresh_token_absolute_ttl_seconds": 3600}) == "INVALID_TOKEN_LIFETIME"


def test_client_ids_and_secrets() -> None:
    client_id = new_client_id()
    assert is_client_id(client_id) and len(client_id) == 28
    assert not any(is_client_id(x) for x in ["", "app_", "app_" + "g" * 24, "APP_" + "a" * 24, "app_" + "a" * 25,
                                             "app_" + "a" * 24 + "\n", "' OR 1=1 --"])
    secret, digest = new_client_secret()
    assert secret.startswith("bcs_") and len(secret) >= 4 + 43  # 32 random bytes, base64url
    assert digest == credential_hash(secret) and len(digest) == 32
    assert new_client_secret()[0] != secret


def test_secret_matches_current_and_overlapping_previous() -> None:
    current, current_hash = new_client_secret()
    old, old_hash = new_client_secret()
    state = SecretState(current_hash, NOW, old_hash, NOW + timedelta(hours=24))
    assert secret_matches(state, current, NOW)
    assert secret_matches(state, old, NOW + timedelta(hours=23, minutes=59))
    assert not secret_matches(state, old, NOW + timedelta(hours=24))
    assert secret_matches(state, current, NOW + timedelta(days=400))
    assert not secret_matches(state, "", NOW)
    assert not secret_matches(state, current + "x", NOW)
    assert not secret_matches(state, current.upper(), NOW)
    assert not secret_matches(None, current, NOW)
    assert not secret_matches(SecretState(current_hash, NOW), "not-a-secret", NOW)


def test_overlap_bounds() -> None:
    assert overlap_seconds(None) == 86400
    assert overlap_seconds(0) == 0
    assert overlap_seconds(7 * 86400) == 7 * 86400
    for bad in (-1, 7 * 86400 + 1):
        with pytest.raises(InvalidArgument):
            overlap_seconds(bad)


# --- mapping and update masks -------------------------------------------------------------

def test_proto_round_trip() -> None:
    message = application_pb2.Application(
        client_id="ignored", display_name="Shop", client_type=application_pb2.CLIENT_TYPE_PUBLIC,
        redirect_uris=["com.example.app:/cb"], grant_types=["authorization_code"], allowed_scopes=["openid"],
        token_lifetimes=application_pb2.TokenLifetimes(access_token_ttl_seconds=300), first_party=True)
    draft = application_from_proto(message)
    assert draft.client_id == "" and draft.client_type is ClientType.PUBLIC and draft.first_party
    assert draft.token_lifetimes == TokenLifetimes(access_token_ttl_seconds=300)
    back = application_to_proto(replace(validated(draft), client_id="app_" + "0" * 24))
    assert back.token_endpoint_auth_method == "none" and back.token_lifetimes.access_token_ttl_seconds == 300
    assert not back.HasField("secret_create_time")
    with pytest.raises(InvalidArgument) as error:
        application_from_proto(application_pb2.Application(display_name="x"))
    assert error.value.reason == "INVALID_CLIENT_TYPE"


def test_update_mask_rules() -> None:
    message = application_pb2.Application(display_name="New", first_party=True,
                                          client_type=application_pb2.CLIENT_TYPE_PUBLIC,
                                          token_lifetimes=application_pb2.TokenLifetimes(id_token_ttl_seconds=600))
    assert application_changes(message, FieldMask(paths=["display_name", "token_lifetimes.id_token_ttl_seconds"]),
                               True, UPDATABLE) == {"display_name": "New", "token_lifetimes.id_token_ttl_seconds": 600}
    for path, expected in [("client_type", "IMMUTABLE_FIELD"), ("client_id", "INVALID_UPDATE_MASK"),
                           ("create_time", "INVALID_UPDATE_MASK"), ("secret_hash", "INVALID_UPDATE_MASK")]:
        with pytest.raises(InvalidArgument) as error:
            application_changes(message, FieldMask(paths=[path]), True, UPDATABLE)
        assert error.value.reason == expected
    # Without a mask every populated field counts: client_type is populated here, so it is refused.
    with pytest.raises(InvalidArgument):
        application_changes(message, FieldMask(), False, UPDATABLE)
    no_type = application_pb2.Application(client_id="app_" + "0" * 24, redirect_uris=["https://x.example/cb"])
    assert application_changes(no_type, FieldMask(), False, UPDATABLE) == {"redirect_uris": ["https://x.example/cb"]}


def test_apply_changes_then_validate() -> None:
    base = validated(app(token_lifetimes=TokenLifetimes(access_token_ttl_seconds=300)))
    changed = validated(apply_changes(base, {"token_lifetimes.id_token_ttl_seconds": 600, "first_party": True}))
    assert changed.token_lifetimes == TokenLifetimes(access_token_ttl_seconds=300, id_token_ttl_seconds=600)
    assert changed.first_party
    cleared = apply_changes(changed, {"token_lifetimes": TokenLifetimes()})
    assert cleared.token_lifetimes == TokenLifetimes()
    with pytest.raises(InvalidArgument):
        validated(apply_changes(base, {"redirect_uris": ["javascript:alert(1)"]}))
    with pytest.raises(InvalidArgument):
        validated(apply_changes(base, {"grant_types": ["password"]}))


# --- application types: web or native (RFC 8252, OpenID Connect Dynamic Client Registration) ------

WEB_TYPE, NATIVE_TYPE = ApplicationType.WEB, ApplicationType.NATIVE


def invalid(draft: Application) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as error:
        validated(draft)
    return error.value


def test_application_type_defaults_to_web() -> None:
    assert validated(app()).application_type is WEB_TYPE
    assert validated(app(ClientType.PUBLIC, redirect_uris=("https://spa.example.com/cb", "http://localhost:5173/cb"))
                     ).application_type is WEB_TYPE
    machine = validated(app(grant_types=(CLIENT_CREDENTIALS,), redirect_uris=()))
    assert machine.application_type is WEB_TYPE


def test_application_type_left_out_with_a_private_use_scheme_is_native() -> None:
    """Only a native app can receive a private-use scheme redirect, so a registration that
    lists one and leaves the type out is native (as migration 0008 typed the existing ones)."""
    assert validated(app(ClientType.PUBLIC, redirect_uris=("com.example.app:/cb", "http://127.0.0.1/cb"))
                     ).application_type is NATIVE_TYPE
    assert validated(app(ClientType.PUBLIC, post_logout_redirect_uris=("com.example.app:/bye",))
                     ).application_type is NATIVE_TYPE


@pytest.mark.parametrize("client_type", [ClientType.CONFIDENTIAL, ClientType.PUBLIC])
def test_web_apps_refuse_private_use_schemes(client_type: ClientType) -> None:
    error = invalid(app(client_type, application_type=WEB_TYPE,
                        redirect_uris=("https://app.example.com/cb", "com.example.app:/cb")))
    assert error.reason == "INVALID_REDIRECT_URI"
    assert error.details == {"field": "redirect_uris", "index": "1"}
    assert "redirect_uris[1]" in str(error) and "native" in str(error)
    error = invalid(app(client_type, application_type=WEB_TYPE, post_logout_redirect_uris=("com.example.app:/bye",)))
    assert error.reason == "INVALID_REDIRECT_URI" and error.details == {"field": "post_logout_redirect_uris",
                                                                         "index": "0"}


def test_web_apps_register_https_and_loopback_http() -> None:
    uris = ("https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb")
    assert validated(app(application_type=WEB_TYPE, redirect_uris=uris)).redirect_uris == uris
    assert invalid(app(application_type=WEB_TYPE, redirect_uris=("http://app.example.com/cb",))).reason == \
        "INVALID_REDIRECT_URI"


@pytest.mark.parametrize("client_type", [ClientType.CONFIDENTIAL, ClientType.PUBLIC])
def test_native_apps_register_private_use_loopback_and_claimed_https(client_type: ClientType) -> None:
    uris = ("com.example.app:/cb", "http://127.0.0.1/cb", "http://[::1]/cb", "https://app.example.com/native/cb")
    native = validated(app(client_type, application_type=NATIVE_TYPE, redirect_uris=uris,
                           post_logout_redirect_uris=("com.example.app:/bye",)))
    assert native.application_type is NATIVE_TYPE and native.redirect_uris == uris
    # Native apps get no laxer rules otherwise.
    for bad in ("http://app.example.com/cb", "myapp:/cb", "javascript:alert(1)", "com.example.app:/cb#x"):
        assert reason(app(client_type, application_type=NATIVE_TYPE, redirect_uris=(bad,))) == "INVALID_REDIRECT_URI"


def test_web_app_accepts_only_exact_redirect_uris() -> None:
    web = validated(app(redirect_uris=("https://app.example.com/cb", "http://127.0.0.1:8080/cb",
                                       "http://localhost/cb")))
    assert web.application_type is WEB_TYPE
    for uri in ("https://app.example.com/cb", "http://127.0.0.1:8080/cb", "http://localhost/cb"):
        assert web.accepts_redirect_uri(uri)
    for uri in ("http://127.0.0.1:9999/cb", "http://127.0.0.1/cb", "http://localhost:3000/cb",
                "https://app.example.com:8443/cb", "https://app.example.com/cb/", ""):
        assert not web.accepts_redirect_uri(uri), uri


def test_native_app_accepts_another_loopback_port() -> None:
    native = validated(app(ClientType.PUBLIC, application_type=NATIVE_TYPE,
                           redirect_uris=("com.example.app:/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb",
                                          "https://app.example.com/native/cb")))
    for uri in ("com.example.app:/cb", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", "http://[::1]/cb",
                "http://[::1]:65535/cb", "https://app.example.com/native/cb"):
        assert native.accepts_redirect_uri(uri), uri
    for uri in ("com.example.app:/cb/", "http://localhost:51004/cb", "http://127.0.0.1:51004/other",
                "https://app.example.com:8443/native/cb", "https://127.0.0.1:51004/cb", "http://127.0.0.1:0/cb"):
        assert not native.accepts_redirect_uri(uri), uri


def test_unvalidated_application_matches_exactly() -> None:
    draft = app(redirect_uris=("http://127.0.0.1/cb",))
    assert draft.application_type is None
    assert draft.accepts_redirect_uri("http://127.0.0.1/cb")
    assert not draft.accepts_redirect_uri("http://127.0.0.1:5000/cb")


def test_application_type_mapping() -> None:
    message = application_pb2.Application(display_name="Mobile", client_type=application_pb2.CLIENT_TYPE_PUBLIC,
                                          redirect_uris=["http://127.0.0.1/cb"],
                                          application_type=application_pb2.APPLICATION_TYPE_NATIVE)
    draft = application_from_proto(message)
    assert draft.application_type is NATIVE_TYPE
    assert application_to_proto(validated(draft)).application_type == application_pb2.APPLICATION_TYPE_NATIVE
    message.application_type = application_pb2.APPLICATION_TYPE_UNSPECIFIED
    assert application_from_proto(message).application_type is None
    assert application_to_proto(validated(application_from_proto(message))).application_type == \
        application_pb2.APPLICATION_TYPE_WEB
    message.application_type = 7  # type: ignore[assignment]  # an unknown value over gRPC
    with pytest.raises(InvalidArgument) as error:
        application_from_proto(message)
    assert error.value.reason == "INVALID_APPLICATION_TYPE" and error.value.details == {"field": "application_type"}


def test_application_type_update_mask() -> None:
    assert "application_type" in UPDATABLE
    native = application_pb2.Application(application_type=application_pb2.APPLICATION_TYPE_NATIVE)
    assert application_changes(native, FieldMask(paths=["application_type"]), True, UPDATABLE) == \
        {"application_type": NATIVE_TYPE}
    assert application_changes(native, FieldMask(), False, UPDATABLE) == {"application_type": NATIVE_TYPE}
    # Named in the mask but left unspecified: there is no "unset" type to go back to.
    with pytest.raises(InvalidArgument) as error:
        application_changes(application_pb2.Application(), FieldMask(paths=["application_type"]), True, UPDATABLE)
    assert error.value.reason == "INVALID_APPLICATION_TYPE"


def test_changing_the_application_type_revalidates_redirect_uris() -> None:
    native = validated(app(ClientType.PUBLIC, redirect_uris=("com.example.app:/cb", "http://127.0.0.1/cb")))
    assert native.application_type is NATIVE_TYPE
    error = invalid(apply_changes(native, {"application_type": WEB_TYPE}))
    assert error.reason == "INVALID_REDIRECT_URI" and error.details == {"field": "redirect_uris", "index": "0"}
    web = validated(apply_changes(native, {"application_type": "web", "redirect_uris": ["http://127.0.0.1/cb"]}))
    assert web.application_type is WEB_TYPE and not web.accepts_redirect_uri("http://127.0.0.1:5000/cb")
    # A web app that adds a private-use scheme stays web and is refused.
    assert reason(apply_changes(web, {"redirect_uris": ["com.example.app:/cb"]})) == "INVALID_REDIRECT_URI"
    assert validated(apply_changes(web, {"application_type": NATIVE_TYPE})).accepts_redirect_uri(
        "http://127.0.0.1:5000/cb")
    with pytest.raises(InvalidArgument) as bad:
        apply_changes(web, {"application_type": "desktop"})
    assert bad.value.reason == "INVALID_APPLICATION_TYPE"
