"""The built stylesheet (web/pages.css compiled by the Tailwind CLI into build/web/pages.css by
`make` before the services start) and its version, which the pages put in the stylesheet URL so
that browsers may cache it for a long time and still see a new build at once."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import structlog

_log = structlog.get_logger("pages")
ROOT = Path(__file__).resolve().parents[3]
DEFAULT_PATH = ROOT / "build" / "web" / "pages.css"
STYLESHEET_PATH = "/assets/pages.css"
BRANDING_PATH = "/branding.css"
CSS_CONTENT_TYPE = "text/css; charset=utf-8"


@dataclass(frozen=True)
class Stylesheet:
    body: bytes
    version: str


@cache
def stylesheet() -> Stylesheet:
    """The built stylesheet; empty (and logged) when it was not built, so pages still render."""
    path = Path(os.environ.get("BINOAUTH_PAGES_CSS") or DEFAULT_PATH)
    try:
        body = path.read_bytes()
    except OSError:
        _log.warning("page stylesheet missing; run `make build/web/pages.css`", path=str(path))
        body = b""
    return Stylesheet(body, hashlib.sha256(body).hexdigest()[:12])


def stylesheet_href() -> str:
    return f"{STYLESHEET_PATH}?v={stylesheet().version}"
