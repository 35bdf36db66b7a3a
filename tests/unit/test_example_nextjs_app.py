"""examples/nextjs-app stays out of the root npm workspace: `next` (~330 MB) must not weigh on
every root `npm ci`; the example installs on its own (`make nextjs-example`) against the SDK in
sdks/nextjs."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "examples" / "nextjs-app"


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def test_root_workspace_leaves_the_nextjs_example_out() -> None:
    workspaces = _json(ROOT / "package.json")["workspaces"]
    # A glob such as examples/* would make npm treat the example as a workspace (and install next at the root).
    assert not [w for w in workspaces if fnmatch("examples/nextjs-app", w)], workspaces
    packages = _json(ROOT / "package-lock.json")["packages"]
    assert "node_modules/next" not in packages
    assert "examples/nextjs-app" not in packages


def test_nextjs_example_has_its_own_pinned_install() -> None:
    manifest = _json(APP / "package.json")
    dependencies = manifest["dependencies"]
    # Linked, not from the registry: the example runs the SDK of this checkout (npm run build:sdks).
    assert dependencies["@binoauth/nextjs"] == "file:../../sdks/nextjs"
    assert re.fullmatch(r"\d+\.\d+\.\d+", dependencies["next"]), dependencies["next"]
    lock = _json(APP / "package-lock.json")["packages"]
    assert lock["node_modules/next"]["version"] == dependencies["next"]
    assert lock["node_modules/@binoauth/nextjs"] == {"resolved": "../../sdks/nextjs", "link": True}
