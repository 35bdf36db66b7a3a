"""Profiles: where the CLI keeps a deployment's URL and the administrator's credential.

One JSON file, `profiles.json`, in the user's config directory (platformdirs; override with
BINOAUTH_CONFIG_DIR), readable by its owner only: the directory is 0700 and the file 0600,
written through a new 0600 file renamed over the old one, so no moment exists where another
user could read a token.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs


@dataclass
class Profile:
    url: str
    token: str = ""  # an admin token (binoauth login) or an API key (binoauth login --api-key)
    kind: str = ""  # "admin" or "api_key"
    email: str = ""
    expires_at: float = 0.0  # admin tokens are short-lived; 0 for API keys
    tenant: str = ""  # default tenant for tenant-scoped commands

    @property
    def expired(self) -> bool:
        return self.kind == "admin" and self.expires_at > 0 and time.time() >= self.expires_at - 5


def config_dir() -> Path:
    override = os.environ.get("BINOAUTH_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("binoauth"))


def profiles_path() -> Path:
    return config_dir() / "profiles.json"


def load_all() -> dict[str, Profile]:
    path = profiles_path()
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise ConfigError(f"cannot read {path}; remove it and sign in again") from None
    known = set(Profile.__dataclass_fields__)
    return {name: Profile(**{k: v for k, v in value.items() if k in known})
            for name, value in raw.get("profiles", {}).items() if isinstance(value, dict) and "url" in value}


def save_all(profiles: dict[str, Profile]) -> Path:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    path = profiles_path()
    payload = json.dumps({"profiles": {name: asdict(p) for name, p in sorted(profiles.items())}}, indent=2)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".profiles-")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(payload + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class ConfigError(Exception):
    pass
