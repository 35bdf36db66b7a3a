"""services.common.settings: Settings.from_env over an explicit mapping, and Secret."""

from __future__ import annotations

import pytest

from services.common.settings import Secret, Settings, SettingsError

pytestmark = pytest.mark.unit

DSN = "postgresql://binoauth:pg-s3cret-pw@db.internal:5432/binoauth"
REDIS = "redis://:redis-s3cret-pw@cache.internal:6379/0"
BOOTSTRAP = "bootstrap-key-s3cret-0123456789abcdef"
KEK = "kek-s3cret-0123456789abcdef0123456789"
SECRET_VALUES = (DSN, REDIS, BOOTSTRAP, KEK, "pg-s3cret-pw", "redis-s3cret-pw", "s3cret")


def env(**overrides: str) -> dict[str, str]:
    base = {
        "DATABASE_URL": DSN,
        "REDIS_URL": REDIS,
        "BINOAUTH_BOOTSTRAP_API_KEY": BOOTSTRAP,
        "BINOAUTH_KEY_ENCRYPTION_KEY": KEK,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def test_minimal_environment_gives_documented_defaults() -> None:
    s = Settings.from_env("tenant", {"DATABASE_URL": DSN, "REDIS_URL": REDIS})
    assert s.service == "tenant"
    assert s.database_url.reveal() == DSN
    assert s.redis_url.reveal() == REDIS
    assert s.grpc_host == "127.0.0.1"
    assert s.grpc_port == 50051
    assert s.metrics_port == 9101
    assert s.log_level == "INFO"
    assert s.log_json is True
    assert s.public_url == "http://localhost:8080"
    assert s.base_domain == "localhost"
    assert s.migrate_on_start is True
    assert not s.bootstrap_api_key  # empty Secret is falsy: no bootstrap key configured
    assert s.service_addresses == {
        "tenant": "127.0.0.1:50051", "identity": "127.0.0.1:50052",
        "token": "127.0.0.1:50053", "session": "127.0.0.1:50054",
    }


@pytest.mark.parametrize(("service", "grpc_port", "metrics_port"), [
    ("tenant", 50051, 9101), ("identity", 50052, 9102), ("token", 50053, 9103), ("session", 50054, 9104),
])
def test_each_service_gets_its_own_default_ports(service: str, grpc_port: int, metrics_port: int) -> None:
    s = Settings.from_env(service, env())
    assert (s.grpc_port, s.metrics_port) == (grpc_port, metrics_port)


def test_values_from_environment_are_parsed() -> None:
    s = Settings.from_env("identity", env(
        BINOAUTH_GRPC_PORT="6000", BINOAUTH_METRICS_PORT="7000", BINOAUTH_LOG_LEVEL="debug",
        BINOAUTH_LOG_JSON="off", BINOAUTH_PUBLIC_URL="https://auth.example.com/",
        BINOAUTH_BASE_DOMAIN="Auth.Example.COM.", BINOAUTH_DB_POOL_MAX="25", BINOAUTH_DRAIN_SECONDS="0.5",
        BINOAUTH_MIGRATE_ON_START="no", BINOAUTH_TOKEN_ADDR="10.0.0.1:1,10.0.0.2:1",
    ))
    assert s.grpc_port == 6000
    assert s.metrics_port == 7000
    assert s.log_level == "DEBUG"
    assert s.log_json is False
    assert s.public_url == "https://auth.example.com"  # trailing slash removed
    assert s.issuer_for("acme") == "https://auth.example.com/tenant/acme"
    assert s.base_domain == "auth.example.com"
    assert s.db_pool_max == 25
    assert s.drain_seconds == 0.5
    assert s.migrate_on_start is False
    assert s.service_addresses["token"] == "10.0.0.1:1,10.0.0.2:1"
    assert s.bootstrap_api_key.reveal() == BOOTSTRAP


def test_empty_numeric_value_means_default() -> None:
    assert Settings.from_env("tenant", env(BINOAUTH_GRPC_PORT="")).grpc_port == 50051


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
@pytest.mark.parametrize("how", ["absent", "empty"])
def test_required_urls_name_the_missing_variable(missing: str, how: str) -> None:
    values = env()
    if how == "absent":
        del values[missing]
    else:
        values[missing] = ""
    with pytest.raises(SettingsError, match=missing):
        Settings.from_env("tenant", values)


@pytest.mark.parametrize(("name", "value"), [
    ("BINOAUTH_GRPC_PORT", "fifty"),
    ("BINOAUTH_GRPC_PORT", "50051.5"),
    ("BINOAUTH_METRICS_PORT", "9101x"),
    ("BINOAUTH_DB_POOL_MIN", "one"),
    ("BINOAUTH_DB_POOL_MAX", "ten"),
    ("BINOAUTH_DRAIN_SECONDS", "soon"),
    ("BINOAUTH_TENANT_CACHE_TTL_SECONDS", "5s"),
])
def test_malformed_numbers_raise_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env("tenant", env(**{name: value}))


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "t"])
@pytest.mark.parametrize("name", ["BINOAUTH_LOG_JSON", "BINOAUTH_MIGRATE_ON_START"])
def test_malformed_booleans_raise(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env("tenant", env(**{name: value}))


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("TRUE", True), ("yes", True), ("on", True),
    ("0", False), ("false", False), ("No", False), ("off", False),
])
def test_boolean_spellings(value: str, expected: bool) -> None:
    assert Settings.from_env("tenant", env(BINOAUTH_LOG_JSON=value)).log_json is expected


@pytest.mark.parametrize("level", ["VERBOSE", "trace", "CRITICAL", "info "])
def test_bad_log_level_raises(level: str) -> None:
    with pytest.raises(SettingsError, match="BINOAUTH_LOG_LEVEL"):
        Settings.from_env("tenant", env(BINOAUTH_LOG_LEVEL=level))


@pytest.mark.parametrize("level", ["debug", "INFO", "Warning", "ERROR"])
def test_log_levels_are_case_insensitive(level: str) -> None:
    assert Settings.from_env("tenant", env(BINOAUTH_LOG_LEVEL=level)).log_level == level.upper()


def test_public_url_must_be_http() -> None:
    with pytest.raises(SettingsError, match="BINOAUTH_PUBLIC_URL"):
        Settings.from_env("tenant", env(BINOAUTH_PUBLIC_URL="auth.example.com"))


def test_unknown_service_is_refused() -> None:
    with pytest.raises(SettingsError, match="billing"):
        Settings.from_env("billing", env())


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_secret_hides_its_value_everywhere() -> None:
    secret = Secret("hunter2-very-secret")
    rendered = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret!s}", "%s" % (secret,),  # noqa: UP031
                "{}".format(secret), str([secret]), str({"k": secret})]  # noqa: UP032
    for text in rendered:
        assert "hunter2" not in text
        assert "*" in text
    assert secret.reveal() == "hunter2-very-secret"


def test_secret_equality_and_truthiness() -> None:
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert Secret("a") != "a"  # never equal to the plain string (no accidental comparison leak)
    assert hash(Secret("a")) == hash(Secret("a"))
    assert bool(Secret("x")) is True
    assert bool(Secret("")) is False


def test_settings_repr_and_str_never_show_secrets() -> None:
    s = Settings.from_env("tenant", env())
    for text in (repr(s), str(s), f"{s}", f"{s!r}", str([s])):
        for value in SECRET_VALUES:
            assert value not in text, f"{value!r} leaked"
    # the non-secret configuration is still visible for debugging
    assert "service='tenant'" in repr(s)
    assert "Secret('**********')" in repr(s)


def test_settings_are_frozen() -> None:
    s = Settings.from_env("tenant", env())
    with pytest.raises(AttributeError):
        s.grpc_port = 1  # type: ignore[misc]


def test_settings_error_messages_do_not_echo_urls() -> None:
    # A missing-variable error must not include the other (secret) variable's value.
    with pytest.raises(SettingsError) as caught:
        Settings.from_env("tenant", env(REDIS_URL=""))
    assert DSN not in str(caught.value)
