"""services.tenant.tenants: defaults, validation, update masks and custom domains."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from services.common.errors import InvalidArgument
from services.tenant.tenants import (
    MAX_CUSTOM_DOMAINS,
    PasswordPolicy,
    Tenant,
    TenantSettings,
    TenantState,
    TokenSettings,
    apply_update,
    draft_tenant,
    normalize_domains,
    validate_settings,
)

pytestmark = pytest.mark.unit

BASE = "binoauth.dev"
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def tenant(**settings: Any) -> Tenant:
    return Tenant("acme", "Acme", TenantState.ACTIVE, TenantSettings.from_dict(settings), ("login.acme.com",),
                  NOW, NOW)


def reason(exc: pytest.ExceptionInfo[InvalidArgument]) -> str:
    return exc.value.reason


# --- defaults ------------------------------------------------------------------------------------


def test_secure_defaults() -> None:
    s = TenantSettings()
    assert s.tokens.access_token_ttl_seconds == 900
    assert s.tokens.id_token_ttl_seconds == 3600
    assert s.tokens.refresh_token_idle_ttl_seconds == 14 * 86400
    assert s.tokens.refresh_token_absolute_ttl_seconds == 30 * 86400
    assert s.tokens.authorization_code_ttl_seconds == 60
    assert s.password_policy.min_length == 8
    assert s.password_policy.max_length == 128
    assert s.password_policy.reject_common_passwords is True
    assert s.lockout_policy.max_failures == 10
    assert s.sessions.idle_timeout_seconds == 1800
    assert s.login_methods.password is True
    assert validate_settings(s) is s


def test_from_dict_fills_missing_settings_with_defaults() -> None:
    s = TenantSettings.from_dict({"tokens": {"access_token_ttl_seconds": 300}})
    assert s.tokens.access_token_ttl_seconds == 300
    assert s.tokens.id_token_ttl_seconds == 3600
    assert s.password_policy == PasswordPolicy()


def test_to_dict_round_trips() -> None:
    s = TenantSettings.from_dict({"password_policy": {"min_length": 12}, "login_methods": {"signup": False}})
    assert TenantSettings.from_dict(s.to_dict()) == s


# --- draft_tenant -------------------------------------------------------------------------------


def test_draft_with_defaults() -> None:
    draft = draft_tenant("acme", "", {}, [], BASE)
    assert draft.tenant_id == "acme"
    assert draft.display_name == "acme"  # falls back to the id
    assert draft.settings == TenantSettings()
    assert draft.custom_domains == ()


def test_draft_normalises_everything() -> None:
    draft = draft_tenant("acme", "  Acme Inc  ", {"password_policy": {"min_length": 10}},
                         ["Login.Acme.COM.", "login.acme.com"], BASE)
    assert draft.display_name == "Acme Inc"
    assert draft.settings.password_policy.min_length == 10
    assert draft.custom_domains == ("login.acme.com",)


@pytest.mark.parametrize(("tenant_id", "expected"), [("Acme", "INVALID_TENANT_ID"), ("public", "INVALID_TENANT_ID")])
def test_draft_rejects_bad_ids(tenant_id: str, expected: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        draft_tenant(tenant_id, "", {}, [], BASE)
    assert reason(caught) == expected


@pytest.mark.parametrize("name", ["x" * 101, "bad\nname", "tab\tname", "nul\x00"])
def test_draft_rejects_bad_display_names(name: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        draft_tenant("acme", name, {}, [], BASE)
    assert reason(caught) == "INVALID_DISPLAY_NAME"
    assert caught.value.details == {"field": "display_name"}


def test_draft_accepts_100_character_name() -> None:
    assert draft_tenant("acme", "x" * 100, {}, [], BASE).display_name == "x" * 100


# --- settings ranges and types -------------------------------------------------------------------


BAD_SETTINGS = {
    "min password length 7": ({"password_policy": {"min_length": 7}}, "settings.password_policy.min_length"),
    "min password length 0": ({"password_policy": {"min_length": 0}}, "settings.password_policy.min_length"),
    "max password length 63": ({"password_policy": {"max_length": 63}}, "settings.password_policy.max_length"),
    "auth code ttl 601": ({"tokens": {"authorization_code_ttl_seconds": 601}},
                          "settings.tokens.authorization_code_ttl_seconds"),
    "auth code ttl 9": ({"tokens": {"authorization_code_ttl_seconds": 9}},
                        "settings.tokens.authorization_code_ttl_seconds"),
    "access ttl 59": ({"tokens": {"access_token_ttl_seconds": 59}}, "settings.tokens.access_token_ttl_seconds"),
    "access ttl over a day": ({"tokens": {"access_token_ttl_seconds": 86401}},
                              "settings.tokens.access_token_ttl_seconds"),
    "negative lockout": ({"lockout_policy": {"lockout_seconds": -1}}, "settings.lockout_policy.lockout_seconds"),
    "max failures 2": ({"lockout_policy": {"max_failures": 2}}, "settings.lockout_policy.max_failures"),
    "absolute below idle": ({"tokens": {"refresh_token_idle_ttl_seconds": 86400,
                                        "refresh_token_absolute_ttl_seconds": 3600}},
                            "settings.tokens.refresh_token_absolute_ttl_seconds"),
    "session absolute below idle": ({"sessions": {"idle_timeout_seconds": 7200, "absolute_lifetime_seconds": 3600}},
                                    "settings.sessions.absolute_lifetime_seconds"),
}


@pytest.mark.parametrize(("settings", "field"), list(BAD_SETTINGS.values()), ids=list(BAD_SETTINGS))
def test_out_of_range_settings_are_rejected(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        draft_tenant("acme", "", settings, [], BASE)
    assert reason(caught) == "INVALID_SETTING"
    assert caught.value.details["field"] == field


@pytest.mark.parametrize("settings", [
    {"password_policy": {"min_length": 8, "max_length": 64}},
    {"password_policy": {"min_length": 64, "max_length": 64}},
    {"tokens": {"authorization_code_ttl_seconds": 600}},
    {"tokens": {"authorization_code_ttl_seconds": 10}},
    {"lockout_policy": {"progressive_delay_seconds": 0}},
])
def test_boundary_values_are_accepted(settings: dict[str, Any]) -> None:
    draft_tenant("acme", "", settings, [], BASE)


@pytest.mark.parametrize(("settings", "field"), [
    ({"nope": 1}, "settings.nope"),
    ({"tokens": {"nope": 1}}, "settings.tokens.nope"),
    ({"password_policy": {"minLength": 10}}, "settings.password_policy.minLength"),
])
def test_unknown_settings_are_rejected(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        draft_tenant("acme", "", settings, [], BASE)
    assert reason(caught) == "INVALID_SETTING"
    assert caught.value.details["field"] == field


@pytest.mark.parametrize("settings", [
    {"tokens": {"access_token_ttl_seconds": "900"}},
    {"tokens": {"access_token_ttl_seconds": 900.0}},
    {"tokens": {"access_token_ttl_seconds": True}},
    {"tokens": {"access_token_ttl_seconds": None}},
    {"login_methods": {"signup": 1}},
    {"login_methods": {"signup": "false"}},
    {"tokens": 5},
    {"tokens": "short"},
    {"tokens": [1, 2]},
])
def test_wrong_types_are_rejected(settings: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        draft_tenant("acme", "", settings, [], BASE)
    assert reason(caught) == "INVALID_SETTING"


# --- apply_update --------------------------------------------------------------------------------


def test_update_display_name() -> None:
    updated, domains_changed = apply_update(tenant(), {"display_name": "Acme Corp"}, BASE)
    assert updated.display_name == "Acme Corp"
    assert domains_changed is False
    assert updated.settings == tenant().settings
    assert updated.custom_domains == ("login.acme.com",)


def test_empty_display_name_falls_back_to_id() -> None:
    assert apply_update(tenant(), {"display_name": ""}, BASE)[0].display_name == "acme"


def test_update_one_setting_keeps_the_others() -> None:
    before = tenant(password_policy={"max_length": 256}, tokens={"access_token_ttl_seconds": 300})
    updated, _ = apply_update(before, {"settings.password_policy.min_length": 12}, BASE)
    assert updated.settings.password_policy.min_length == 12
    assert updated.settings.password_policy.max_length == 256
    assert updated.settings.tokens.access_token_ttl_seconds == 300


def test_none_resets_one_setting_to_default() -> None:
    before = tenant(password_policy={"min_length": 20})
    updated, _ = apply_update(before, {"settings.password_policy.min_length": None}, BASE)
    assert updated.settings.password_policy.min_length == 8


def test_updated_setting_is_validated() -> None:
    with pytest.raises(InvalidArgument) as caught:
        apply_update(tenant(), {"settings.password_policy.min_length": 4}, BASE)
    assert reason(caught) == "INVALID_SETTING"
    with pytest.raises(InvalidArgument) as caught:
        apply_update(tenant(), {"settings.tokens.authorization_code_ttl_seconds": "60"}, BASE)
    assert reason(caught) == "INVALID_SETTING"


def test_group_path_resets_unset_fields_to_defaults() -> None:
    before = tenant(tokens={"access_token_ttl_seconds": 300, "id_token_ttl_seconds": 600},
                    password_policy={"min_length": 12})
    updated, _ = apply_update(before, {"settings.tokens": {"authorization_code_ttl_seconds": 30}}, BASE)
    assert updated.settings.tokens == TokenSettings(authorization_code_ttl_seconds=30)
    assert updated.settings.password_policy.min_length == 12  # other groups untouched


def test_group_path_none_resets_group() -> None:
    before = tenant(tokens={"access_token_ttl_seconds": 300})
    updated, _ = apply_update(before, {"settings.tokens": None}, BASE)
    assert updated.settings.tokens == TokenSettings()


def test_group_path_with_unknown_field_is_rejected() -> None:
    with pytest.raises(InvalidArgument) as caught:
        apply_update(tenant(), {"settings.tokens": {"nope": 1}}, BASE)
    assert reason(caught) == "INVALID_SETTING"


def test_whole_settings_replaces_with_defaults_for_unset() -> None:
    before = tenant(tokens={"access_token_ttl_seconds": 300}, password_policy={"min_length": 12})
    updated, _ = apply_update(before, {"settings": {"password_policy": {"min_length": 9}}}, BASE)
    assert updated.settings.password_policy.min_length == 9
    assert updated.settings.tokens == TokenSettings()


def test_update_custom_domains() -> None:
    updated, domains_changed = apply_update(tenant(), {"custom_domains": ["Auth.Acme.com", "auth.acme.com"]}, BASE)
    assert updated.custom_domains == ("auth.acme.com",)
    assert domains_changed is True
    cleared, changed = apply_update(tenant(), {"custom_domains": None}, BASE)
    assert cleared.custom_domains == ()
    assert changed is True


def test_several_paths_at_once() -> None:
    updated, _ = apply_update(tenant(), {
        "display_name": "New", "settings.login_methods.signup": False, "custom_domains": [],
    }, BASE)
    assert (updated.display_name, updated.settings.login_methods.signup, updated.custom_domains) == ("New", False, ())


def test_tenant_id_and_state_do_not_change() -> None:
    updated, _ = apply_update(tenant(), {"display_name": "x"}, BASE)
    assert (updated.tenant_id, updated.state) == ("acme", TenantState.ACTIVE)


@pytest.mark.parametrize("path", [
    "state", "tenant_id", "create_time", "update_time", "issuer", "settings.nope", "settings.tokens.nope",
    "display_name.first", "custom_domains.0", "settings.password_policy.min_length.x", "",
    "Settings.tokens", "displayName",
])
def test_invalid_paths_are_rejected(path: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        apply_update(tenant(), {path: "x"}, BASE)
    assert reason(caught) == "INVALID_UPDATE_MASK"
    assert caught.value.details == {"field": path}


def test_invalid_path_changes_nothing() -> None:
    before = tenant()
    with pytest.raises(InvalidArgument):
        apply_update(before, {"display_name": "changed", "state": "suspended"}, BASE)
    assert before.display_name == "Acme"


def test_update_does_not_mutate_the_input() -> None:
    before = tenant()
    snapshot = replace(before)
    apply_update(before, {"settings.password_policy.min_length": 20, "display_name": "Z"}, BASE)
    assert before == snapshot


# --- normalize_domains ---------------------------------------------------------------------------


def test_domains_lower_cased_stripped_and_deduplicated_in_order() -> None:
    assert normalize_domains([" Login.Acme.com ", "login.acme.com.", "B.example.org", "LOGIN.ACME.COM"], BASE) == (
        "login.acme.com", "b.example.org",
    )


@pytest.mark.parametrize("domain", [
    "localhost", "acme", "acme.c", "-acme.com", "acme-.com", "ac me.com", "acme.com/path", "https://acme.com",
    "acme.com:443", "*.acme.com", "acme..com", "10.0.0.1", "", "acme_corp.com", "\u0430cme.com", "a" * 64 + ".com",
    "user@acme.com",
])
def test_invalid_hosts_are_rejected(domain: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        normalize_domains([domain], BASE)
    assert reason(caught) == "INVALID_DOMAIN"
    assert caught.value.details == {"field": "custom_domains"}


@pytest.mark.parametrize("domain", ["binoauth.dev", "acme.binoauth.dev", "a.b.binoauth.dev", "ACME.BinoAuth.dev"])
def test_domains_under_base_domain_are_refused(domain: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        normalize_domains([domain], BASE)
    assert reason(caught) == "INVALID_DOMAIN"
    assert "base domain" in caught.value.message


def test_look_alike_of_base_domain_is_allowed() -> None:
    assert normalize_domains(["notbinoauth.dev"], BASE) == ("notbinoauth.dev",)


def test_at_most_ten_domains() -> None:
    ten = [f"d{i}.example.com" for i in range(MAX_CUSTOM_DOMAINS)]
    assert len(normalize_domains(ten, BASE)) == 10
    assert len(normalize_domains([*ten, *ten], BASE)) == 10  # duplicates do not count
    with pytest.raises(InvalidArgument) as caught:
        normalize_domains([*ten, "d10.example.com"], BASE)
    assert reason(caught) == "INVALID_DOMAIN"


def test_draft_rejects_domain_under_base_domain() -> None:
    with pytest.raises(InvalidArgument):
        draft_tenant("acme", "", {}, ["acme.binoauth.dev"], BASE)
