"""python-sdk's derived code is current: the generated admin client matches a fresh generation
from openapi/openapi.json, and the vendored token rules are the platform's file, byte for byte.
Fix with `make python-sdk-sync`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


def test_generated_client_and_vendored_rules_are_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "python-sdk" / "scripts" / "sync.py"), "--check"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr + result.stdout


def test_vendored_rules_are_the_platforms_module() -> None:
    vendored = (ROOT / "python-sdk" / "src" / "binoauth_sdk" / "_token_rules.py").read_text()
    platform = (ROOT / "services" / "common" / "token_rules.py").read_text()
    assert vendored.split("\n", 1)[1] == platform


def test_integrations_import_without_their_frameworks() -> None:
    """binoauth[starlette]/[fastapi]/[django] are optional: the modules import without them."""
    code = (
        "import sys\n"
        "for name in ('starlette', 'fastapi', 'django'):\n"
        "    sys.modules[name] = None  # makes `import name` fail as if absent\n"
        "import binoauth_sdk.integrations.starlette as s, binoauth_sdk.integrations.django as d\n"
        "assert s.BearerTokenMiddleware and d.BearerTokenMiddleware and d.require_scopes\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
