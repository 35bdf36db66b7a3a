"""gateway.render's static files (the console and the API reference page): one GET/HEAD route
that turns on gateway/static.lua, a Lua filter that is off everywhere else, the directory baked
into the code for each profile, and none of it when static_root is empty."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.render import STATIC_FILTER_NAME, TRANSCODER, render_config
from gateway.values import BUILD_DESCRIPTOR, STATIC_ROOT, GatewayValues

pytestmark = pytest.mark.unit


def _hcm(values: GatewayValues) -> dict[str, Any]:
    if not BUILD_DESCRIPTOR.exists():
        pytest.fail(f"{BUILD_DESCRIPTOR} missing: run `make protos` first")
    listener = render_config(values)["static_resources"]["listeners"][0]
    return dict(listener["filter_chains"][0]["filters"][0]["typed_config"])


@pytest.mark.parametrize(("values", "root"), [(GatewayValues.local(), str(STATIC_ROOT)),
                                              (GatewayValues.k8s(), "/etc/binoauth/gateway/static")])
def test_static_route_enables_the_otherwise_disabled_lua_filter(values: GatewayValues, root: str) -> None:
    hcm = _hcm(values)
    (static,) = [f for f in hcm["http_filters"] if f["name"] == STATIC_FILTER_NAME]
    assert static["disabled"] is True
    code = static["typed_config"]["default_source_code"]["inline_string"]
    assert code.startswith(f'local ROOT = "{root}"\n') and "function envoy_on_request" in code
    routes = hcm["route_config"]["virtual_hosts"][0]["routes"]
    (route,) = [r for r in routes if r["name"] == "static-files"]
    assert route["direct_response"] == {"status": 404}  # what the filter does not answer
    assert route["match"]["headers"][0]["string_match"]["safe_regex"]["regex"] == "^(GET|HEAD)$"
    per_filter = route["typed_per_filter_config"]
    assert "disabled" not in per_filter[STATIC_FILTER_NAME] and per_filter[TRANSCODER]["disabled"] is True
    # Before any gRPC route: nothing else answers these paths; the filter precedes the transcoder.
    names = [f["name"] for f in hcm["http_filters"]]
    assert names.index(STATIC_FILTER_NAME) < names.index(TRANSCODER)
    # No other route turns the filter on.
    assert [r["name"] for r in routes if STATIC_FILTER_NAME in r.get("typed_per_filter_config", {})] == ["static-files"]


def test_no_static_root_no_static_files() -> None:
    hcm = _hcm(GatewayValues.local().with_overrides({"static_root": ""}))
    assert STATIC_FILTER_NAME not in [f["name"] for f in hcm["http_filters"]]
    assert "static-files" not in [r["name"] for r in hcm["route_config"]["virtual_hosts"][0]["routes"]]
