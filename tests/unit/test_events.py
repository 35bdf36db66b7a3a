"""services.identity.events: what a recorded event carries, that recording never fails the
action, pruning, and paging (in-memory store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.context import RequestMeta, set_current_actor, set_current_request
from services.common.errors import InvalidArgument
from services.common.settings import SettingsError
from services.identity.events import EventLog, EventType, SecurityEvent, retention_from_env

pytestmark = pytest.mark.unit


class MemoryEvents:
    def __init__(self) -> None:
        self.events: dict[str, list[SecurityEvent]] = {}
        self.pruned: list[tuple[str, datetime]] = []
        self.broken = False

    async def add(self, tenant_id: str, event: SecurityEvent) -> None:
        if self.broken:
            raise ConnectionError("database went away")
        self.events.setdefault(tenant_id, []).append(event)

    async def prune(self, tenant_id: str, before: datetime) -> int:
        self.pruned.append((tenant_id, before))
        kept = [e for e in self.events.get(tenant_id, []) if e.create_time >= before]
        removed = len(self.events.get(tenant_id, [])) - len(kept)
        self.events[tenant_id] = kept
        return removed

    async def list(self, tenant_id: str, *, user_id: str, event_type: str, after: tuple[datetime, str] | None,
                   limit: int, start: datetime | None = None, end: datetime | None = None) -> list[SecurityEvent]:
        found = sorted(self.events.get(tenant_id, []), key=lambda e: (e.create_time, e.event_id), reverse=True)
        found = [e for e in found if (not user_id or e.user_id == user_id) and (not event_type or e.type == event_type)
                 and (after is None or (e.create_time, e.event_id) < after)
                 and (start is None or e.create_time >= start) and (end is None or e.create_time < end)]
        return found[:limit]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def meta(ip: str = "203.0.113.7", agent: str = "Mozilla/5.0") -> RequestMeta:
    return RequestMeta(request_id="r1", ip_address=ip, user_agent=agent, forwarded_host="", via_gateway=True,
                       path_tenant="acme", header_tenant="", authorization="", api_key="", cookie="")


async def test_an_event_carries_the_request_the_actor_and_its_details() -> None:
    store, clock = MemoryEvents(), Clock()
    log = EventLog(store, timedelta(days=30), clock, chance=lambda: 0.5)
    set_current_request(meta())
    set_current_actor("ak_ops")
    await log.record("acme", EventType.USER_DISABLED, user_id="usr_1", empty="", reason="x" * 1000)
    [event] = store.events["acme"]
    assert (event.type, event.user_id, event.ip_address, event.user_agent, event.actor) == (
        "USER_DISABLED", "usr_1", "203.0.113.7", "Mozilla/5.0", "ak_ops")
    assert event.create_time == clock.now and event.event_id.startswith("evt_")
    assert event.details == {"reason": "x" * 256}  # empty values dropped, long ones cut
    # A new RPC starts without an actor.
    set_current_request(meta())
    await log.record("acme", EventType.LOGIN_SUCCEEDED, user_id="usr_1")
    assert store.events["acme"][1].actor == ""


async def test_recording_never_fails_the_action() -> None:
    store = MemoryEvents()
    store.broken = True
    await EventLog(store, timedelta(days=30)).record("acme", EventType.LOGIN_FAILED, email="a@example.com")
    assert store.events == {}


async def test_expired_events_are_pruned_now_and_then() -> None:
    store, clock = MemoryEvents(), Clock()
    chances = iter([0.5, 0.001])
    log = EventLog(store, timedelta(days=30), clock, chance=lambda: next(chances))
    await log.record("acme", EventType.SIGNED_UP, user_id="old")
    clock.now += timedelta(days=31)
    await log.record("acme", EventType.SIGNED_UP, user_id="new")
    assert store.pruned == [("acme", clock.now - timedelta(days=30))]
    assert [e.user_id for e in store.events["acme"]] == ["new"]


async def test_pages_filters_and_bad_input() -> None:
    store, clock = MemoryEvents(), Clock()
    log = EventLog(store, timedelta(days=30), clock, chance=lambda: 0.5)
    for n in range(5):
        clock.now += timedelta(seconds=1)
        await log.record("acme", EventType.LOGIN_FAILED if n % 2 else EventType.LOGIN_SUCCEEDED, user_id=f"u{n}")
    first, token = await log.page("acme", user_id="", event_type="", size=2, token="")
    assert [e.user_id for e in first] == ["u4", "u3"] and token
    second, token = await log.page("acme", user_id="", event_type="", size=2, token=token)
    third, last = await log.page("acme", user_id="", event_type="", size=2, token=token)
    assert [e.user_id for e in second + third] == ["u2", "u1", "u0"] and last == ""
    failed, _ = await log.page("acme", user_id="", event_type="LOGIN_FAILED", size=10, token="")
    assert [e.user_id for e in failed] == ["u3", "u1"]
    mine, _ = await log.page("acme", user_id="u2", event_type="", size=10, token="")
    assert [e.user_id for e in mine] == ["u2"]
    assert (await log.page("globex", user_id="", event_type="", size=10, token=""))[0] == []
    for kwargs, reason in [({"event_type": "LOGIN"}, "INVALID_EVENT_TYPE"), ({"token": "bm9wZQ"}, "INVALID_PAGE_TOKEN"),
                           ({"user_id": "u" * 65}, "INVALID_USER_ID"), ({"size": -1}, "INVALID_PAGE_SIZE")]:
        args = {"user_id": "", "event_type": "", "size": 10, "token": "", **kwargs}
        with pytest.raises(InvalidArgument) as refused:
            await log.page("acme", **args)  # type: ignore[arg-type]
        assert refused.value.reason == reason


async def test_pages_of_a_time_range_and_bad_times() -> None:
    store, clock = MemoryEvents(), Clock()
    log = EventLog(store, timedelta(days=30), clock, chance=lambda: 0.5)
    times = []
    for n in range(4):
        clock.now += timedelta(seconds=1)
        times.append(clock.now)
        await log.record("acme", EventType.LOGIN_SUCCEEDED, user_id=f"u{n}")
    start, end = times[1].isoformat(), times[3].isoformat().replace("+00:00", "Z")
    first, token = await log.page("acme", user_id="", event_type="", size=1, token="", start_time=start, end_time=end)
    rest, last = await log.page("acme", user_id="", event_type="", size=1, token=token, start_time=start, end_time=end)
    assert [e.user_id for e in first + rest] == ["u2", "u1"] and last == ""  # [start, end)
    for kwargs, field in [({"start_time": "yesterday"}, "start_time"), ({"end_time": "2026-12-01"}, "end_time"),
                          ({"end_time": "2026-12-01T00:00:00"}, "end_time"),
                          ({"start_time": end, "end_time": start}, "start_time"),
                          ({"start_time": start, "end_time": start}, "start_time")]:
        with pytest.raises(InvalidArgument) as refused:
            await log.page("acme", user_id="", event_type="", size=10, token="", **kwargs)
        assert refused.value.details == {"field": field}


def test_retention_setting() -> None:
    assert retention_from_env({}) == timedelta(days=30)
    assert retention_from_env({"BINOAUTH_EVENT_RETENTION_DAYS": "365"}) == timedelta(days=365)
    for bad in ("0", "4000", "a month"):
        with pytest.raises(SettingsError):
            retention_from_env({"BINOAUTH_EVENT_RETENTION_DAYS": bad})


def test_every_event_the_token_service_reports_is_one_the_identity_service_records() -> None:
    from services.token.oauth.ports import TokenEvent

    assert {e.value for e in TokenEvent} <= {e.value for e in EventType}
