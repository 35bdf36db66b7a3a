"""Tenant logos: an uploaded image (settings.branding.logo_image, a data: URL) or an https URL
(settings.branding.logo_url) fetched through the outbound client (SSRF-safe, size-capped) and
cached. Both are served same-origin at /branding/logo, so the pages' CSP stays img-src 'self'.

Only raster images (PNG, JPEG, WebP, GIF) whose bytes match their type are accepted: an SVG
can carry script and is refused."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from services.common.outbound import OutboundPolicy, OutboundRefused, fetch, url_problem

MAX_LOGO_BYTES = 256 * 1024
LOGO_PATH = "/branding/logo"
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
CACHE_SECONDS = 3600.0
FAILURE_CACHE_SECONDS = 300.0
CACHE_ENTRIES = 256


_IMAGE_HASH = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StoredImage:
    """An uploaded image kept in a table of its own and served content-addressed: the path
    names the hash of its bytes, so it can be cached for a year (tenant logos, provider icons)."""

    image_hash: str
    media_type: str
    data: bytes

    @classmethod
    def of(cls, media_type: str, data: bytes) -> StoredImage:
        return cls(hashlib.sha256(data).hexdigest()[:32], media_type, data)


def is_image_hash(value: str) -> bool:
    return bool(_IMAGE_HASH.fullmatch(value))


class LogoRefused(ValueError):
    """Why an image cannot be a logo (the message is for the tenant's administrator)."""


def sniff(data: bytes) -> str:
    """The image type of `data` from its first bytes; LogoRefused for anything else."""
    head = data[:64].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in data[:1024].lower():
        raise LogoRefused("SVG logos are not accepted (an SVG can carry script): use PNG, JPEG, WebP or GIF")
    for media_type, signatures in _MAGIC.items():
        if data.startswith(signatures) and (media_type != "image/webp" or data[8:12] == b"WEBP"):
            return media_type
    raise LogoRefused("the logo must be a PNG, JPEG, WebP or GIF image")


def check_image(data: bytes, declared: str = "") -> str:
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB")
    if not data:
        raise LogoRefused("the logo is empty")
    media_type = sniff(data)
    if declared and declared != media_type:
        raise LogoRefused(f"the logo says it is {declared} but its bytes are {media_type}")
    return media_type


def decode_data_url(value: str) -> tuple[str, bytes]:
    """(media type, bytes) of a `data:image/...;base64,...` upload, checked; or LogoRefused."""
    if len(value) > MAX_LOGO_BYTES * 4 // 3 + 64:
        raise LogoRefused(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB")
    header, comma, payload = value.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise LogoRefused("logo_image must be a data URL: data:image/png;base64,…")
    declared = header[len("data:"):-len(";base64")].strip().lower()
    if declared == "image/svg+xml":
        raise LogoRefused("SVG logos are not accepted (an SVG can carry script): use PNG, JPEG, WebP or GIF")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise LogoRefused("logo_image is not valid base64") from None
    return check_image(data, declared), data


def logo_url_problem(url: str) -> str | None:
    problem = url_problem(url)
    if problem:
        return problem
    if not url.startswith("https://"):
        return "must be an https URL"
    return None


def logo_version(logo_url: str, logo_image: str) -> str:
    """Changes whenever the logo setting does: the pages put it in the logo's URL."""
    source = logo_image or logo_url
    return hashlib.sha256(source.encode()).hexdigest()[:12] if source else ""


@dataclass(frozen=True)
class Logo:
    media_type: str
    data: bytes


Fetcher = Callable[[str, OutboundPolicy], bytes]


class LogoSource:
    """The logo of a tenant's branding; fetched URLs are cached (failures too, briefly, so a
    broken URL is not fetched on every page view)."""

    def __init__(self, policy: OutboundPolicy, fetcher: Fetcher = fetch,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._policy = OutboundPolicy(policy.allow_private, policy.timeout_seconds, MAX_LOGO_BYTES)
        self._fetch = fetcher
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, Logo | None]] = OrderedDict()

    async def logo(self, logo_url: str, logo_image: str) -> Logo | None:
        if logo_image:
            try:
                media_type, data = decode_data_url(logo_image)
            except LogoRefused:
                return None
            return Logo(media_type, data)
        if not logo_url or logo_url_problem(logo_url):
            return None
        now = self._clock()
        cached = self._cache.get(logo_url)
        if cached is not None and cached[0] > now:
            self._cache.move_to_end(logo_url)
            return cached[1]
        logo: Logo | None
        try:
            data = await asyncio.wait_for(asyncio.to_thread(self._fetch, logo_url, self._policy),
                                          timeout=self._policy.timeout_seconds * 2)
            logo = Logo(check_image(data), data)
        except (OutboundRefused, LogoRefused, TimeoutError):
            logo = None
        self._cache[logo_url] = (now + (CACHE_SECONDS if logo else FAILURE_CACHE_SECONDS), logo)
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return logo
