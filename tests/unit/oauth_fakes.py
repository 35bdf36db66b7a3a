"""In-memory fakes of the token service's OAuth ports (services/token/oauth/ports.py), with the
PostgreSQL store's observable behaviour: single-use codes that record what they issue, family
revocation that reaches every refresh and access token, reuse detection on rotation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from services.common.directory import TenantInfo
from services.token.oauth.grant_records import (
    CodeGrant,
    IssuedAccess,
    PlannedFamily,
    PresentedRefresh,
    RefreshGrant,
    Rotation,
    RotationOutcome,
    StoredRefresh,
    Successor,
)
from services.token.oauth.ports import TokenEvent

T0 = datetime(2030, 1, 1, tzinfo=UTC)
TENANT = TenantInfo("acme", "Acme", True, False, "", {})


def issuer_for(tenant_id: str) -> str:
    return f"https://id.example.com/tenant/{tenant_id}"


class FakeSigner:
    _keys = {"ES256": ec.generate_private_key(ec.SECP256R1()),
             "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048)}

    async def signer(self, tenant_id: str, algorithm: str) -> tuple[str, Any]:
        return f"kid-{algorithm}", self._keys[algorithm]

    def public_key(self, algorithm: str) -> Any:
        return self._keys[algorithm].public_key()


@dataclass
class _Code:
    grant: CodeGrant
    expire: datetime
    used: bool = False
    family: PlannedFamily | None = None


@dataclass
class _Family:
    client_id: str
    user_id: str
    revoked: bool = False
    access: list[IssuedAccess] = field(default_factory=list)


@dataclass
class _Refresh:
    grant: RefreshGrant
    create_time: datetime
    used: bool = False
    revoked: bool = False


class FakeGrantStore:
    def __init__(self) -> None:
        self.codes: dict[bytes, _Code] = {}
        self.families: dict[str, _Family] = {}
        self.refresh: dict[bytes, _Refresh] = {}
        self.consents: dict[tuple[str, str], set[str]] = {}

    async def save_code(self, tenant_id: str, code_hash: bytes, grant: CodeGrant, now: datetime,
                        expire: datetime) -> None:
        self.codes[code_hash] = _Code(grant, expire)

    async def redeem_code(self, tenant_id: str, code_hash: bytes, now: datetime,
                          planned: PlannedFamily) -> tuple[CodeGrant | None, PlannedFamily | None]:
        code = self.codes.get(code_hash)
        if code is None:
            return None, None
        if code.used:
            return None, code.family
        if now >= code.expire:
            return None, None
        code.used = True
        code.family = replace(planned, client_id=code.grant.client_id, user_id=code.grant.user_id)
        self.families[planned.family_id] = _Family(code.grant.client_id, code.grant.user_id,
                                                   access=[planned.access] if planned.access else [])
        return code.grant, None

    async def start_family(self, tenant_id: str, planned: PlannedFamily, now: datetime) -> None:
        self.families[planned.family_id] = _Family(planned.client_id, planned.user_id,
                                                   access=[planned.access] if planned.access else [])

    async def add_refresh(self, tenant_id: str, token_hash: bytes, grant: RefreshGrant, now: datetime) -> None:
        family = self.families.get(grant.family_id)
        self.refresh[token_hash] = _Refresh(grant, now, revoked=family is None or family.revoked)

    async def revoke_family(self, tenant_id: str, family_id: str, now: datetime) -> list[IssuedAccess]:
        family = self.families.get(family_id)
        if family is None:
            return []
        family.revoked = True
        for token in self.refresh.values():
            if token.grant.family_id == family_id:
                token.revoked = True
        return [a for a in family.access if a.expire_time > now]

    async def refresh_by_hash(self, tenant_id: str, token_hash: bytes) -> StoredRefresh | None:
        token = self.refresh.get(token_hash)
        if token is None:
            return None
        family = self.families.get(token.grant.family_id)
        return StoredRefresh(token.grant, token.create_time, token.used,
                             token.revoked or family is None or family.revoked)

    async def rotate_presented(self, tenant_id: str, presented: PresentedRefresh, now: datetime,
                               successor: Successor, access: IssuedAccess,
                               confirm: Callable[[RefreshGrant], Awaitable[None]]) -> RefreshGrant | None:
        token = self.refresh.get(presented.token_hash)
        if token is None:
            return None
        grant = token.grant
        family = self.families.get(grant.family_id)
        if (family is None or family.revoked or token.used or token.revoked or grant.client_id != presented.client_id
                or now >= min(grant.expire_time, grant.family_expire_time)
                or not set(presented.scopes) <= set(grant.scope.split())):
            return None
        await confirm(grant)  # before any change: an exception leaves everything as it was
        token.used = True
        expire = min(successor.idle_expire_time, grant.family_expire_time)
        self.refresh[successor.token_hash] = _Refresh(replace(grant, expire_time=expire), now)
        family.access.append(access)
        return grant

    async def rotate_refresh(self, tenant_id: str, token_hash: bytes, family_id: str, now: datetime,
                             new_hash: bytes, new_grant: RefreshGrant, access: IssuedAccess) -> Rotation:
        family = self.families.get(family_id)
        if family is None or family.revoked:
            return Rotation(RotationOutcome.REVOKED)
        token = self.refresh.get(token_hash)
        if token is None or token.used or token.revoked:
            return Rotation(RotationOutcome.REUSED, tuple(await self.revoke_family(tenant_id, family_id, now)))
        token.used = True
        self.refresh[new_hash] = _Refresh(new_grant, now)
        family.access.append(access)
        return Rotation(RotationOutcome.ROTATED)

    async def consent(self, tenant_id: str, user_id: str, client_id: str) -> frozenset[str]:
        return frozenset(self.consents.get((user_id, client_id), set()))

    async def remember_consent(self, tenant_id: str, user_id: str, client_id: str, scopes: list[str],
                               now: datetime) -> None:
        self.consents.setdefault((user_id, client_id), set()).update(scopes)

    async def consents_of(self, tenant_id: str, user_id: str) -> list[tuple[str, list[str]]]:
        return sorted((c, sorted(s)) for (u, c), s in self.consents.items() if u == user_id)

    async def forget_consent(self, tenant_id: str, user_id: str, client_id: str,
                             now: datetime) -> tuple[bool, list[IssuedAccess]]:
        had = self.consents.pop((user_id, client_id), None) is not None
        revoked: list[IssuedAccess] = []
        for family_id, family in self.families.items():
            if family.user_id == user_id and family.client_id == client_id:
                revoked += await self.revoke_family(tenant_id, family_id, now)
        return had, revoked


class FakeRevocation:
    """The platform revocation check: users signed out everywhere at a time."""

    def __init__(self) -> None:
        self.user_not_before: dict[str, datetime] = {}
        self.denied: dict[str, datetime] = {}

    async def is_revoked(self, tenant_id: str, jti: str, user_id: str, issued_at: datetime) -> bool:
        not_before = self.user_not_before.get(user_id)
        return jti in self.denied or (not_before is not None and issued_at < not_before)

    async def revoke(self, tenant_id: str, jti: str, expire_time: datetime) -> None:
        self.denied[jti] = expire_time


class FakeEvents:
    def __init__(self) -> None:
        self.reported: list[tuple[TokenEvent, str, dict[str, str]]] = []

    def report(self, tenant_id: str, event_type: TokenEvent, *, user_id: str = "", **details: str) -> None:
        self.reported.append((event_type, user_id, details))

    @property
    def types(self) -> list[TokenEvent]:
        return [t for t, _u, _d in self.reported]


class FakeMetrics:
    def __init__(self) -> None:
        self.issued_results: list[tuple[str, str]] = []
        self.introspections: list[bool] = []
        self.revocations = 0
        self.replays: list[str] = []

    def issued(self, grant_type: str, result: str) -> None:
        self.issued_results.append((grant_type, result))

    def introspected(self, active: bool) -> None:
        self.introspections.append(active)

    def revoked(self) -> None:
        self.revocations += 1

    def replay_detected(self, kind: str) -> None:
        self.replays.append(kind)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
