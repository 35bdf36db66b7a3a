"""RFC 8628 section 3.4: the device_code grant. The token endpoint polls the device request;
once the user approved it on the device page, one poll gets the tokens (single use)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

import structlog

from services.common.directory import TenantInfo
from services.token.applications.model import DEVICE_CODE, Application
from services.token.oauth.device_codes import POLL_ERRORS, DeviceStore, device_hash
from services.token.oauth.errors import OAuthError, invalid_request
from services.token.oauth.issuer import TokenIssuer, UserAuthorization
from services.token.oauth.ports import FamilyStore

_log = structlog.get_logger("oauth")
MAX_DEVICE_CODE_LENGTH: Final = 128


class DeviceCodeGrant:
    grant_type = DEVICE_CODE

    def __init__(self, store: DeviceStore, families: FamilyStore, tokens: TokenIssuer,
                 clock: Callable[[], datetime]) -> None:
        self._store = store
        self._families = families
        self._tokens = tokens
        self._clock = clock

    async def handle(self, tenant: TenantInfo, client: Application, form: dict[str, str]) -> dict[str, Any]:
        device_code = form.get("device_code", "")
        if not device_code or len(device_code) > MAX_DEVICE_CODE_LENGTH:
            raise invalid_request("device_code is required")
        now = self._clock()
        result, found = await self._store.poll(tenant.tenant_id, device_hash(device_code), client.client_id, now)
        if result.outcome != "issue" or found is None or found.auth_time is None:
            outcome = result.outcome if result.outcome in POLL_ERRORS else "invalid_grant"
            raise OAuthError(outcome, POLL_ERRORS.get(outcome, "the device code is invalid"))
        who = UserAuthorization(found.user_id, found.scope.split(), found.claims, found.auth_time, found.amr)
        planned = self._tokens.plan_family(tenant, client, found.user_id, now)
        await self._families.start_family(tenant.tenant_id, planned, now)
        refresh = self._tokens.plan_refresh(tenant, client, planned.family_id, who, now)
        if refresh is not None:
            await self._families.add_refresh(tenant.tenant_id, refresh.token_hash, refresh.grant, now)
        _log.info("device authorization redeemed", client_id=client.client_id)
        assert planned.access is not None
        return await self._tokens.sign(tenant, client, who, planned.access, now, refresh)
