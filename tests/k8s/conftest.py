"""Each overlay is rendered once per session (kubectl kustomize); tests deepcopy it."""

from __future__ import annotations

import copy
import shutil
from typing import Any

import pytest

from tools import k8s_check

OVERLAYS = ("dev", "prod", "prod-monitoring")


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict[str, Any]]]:
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl not installed")
    return {name: k8s_check.render(k8s_check.ROOT / "deploy" / "k8s" / "overlays" / name) for name in OVERLAYS}


@pytest.fixture
def dev_docs(rendered: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return copy.deepcopy(rendered["dev"])


@pytest.fixture
def monitoring_docs(rendered: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return copy.deepcopy(rendered["prod-monitoring"])
