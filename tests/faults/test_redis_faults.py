"""Redis killed (SIGKILL) under mixed load and started again on its append-only file:
authentication fails closed with 503 + Retry-After meanwhile and recovers by itself;
sessions, revocations and lockout counters written before the crash are intact, and a
token revoked before the crash stays refused."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import httpx
import pytest

from tests.faults.conftest import LOCKOUT, FaultStack
from tests.faults.scenario import watch_recovery, wrong_answers
from tools.loadgen import FORM, PASSWORD, Load, analyse, lost

pytestmark = pytest.mark.faults
DOWN_S = 3.0
RECOVERY_LIMIT_S = 10.0


def test_redis_killed_and_restarted_keeps_what_it_acknowledged(faults: FaultStack) -> None:
    world = faults.world(users=5)
    base = f"/tenant/{world.tenant_id}"
    client_id, secret = world.cc_client
    with httpx.Client(base_url=world.gateway_url, timeout=30) as http:
        # Written before the crash: a revoked token, a session, failed sign-ins one short of a lock.
        token = http.post(f"{base}/oauth2/token", auth=(client_id, secret), headers=FORM,
                          content=b"grant_type=client_credentials").json()["access_token"]
        assert http.post(f"{base}/oauth2/revoke", auth=(client_id, secret), headers=FORM,
                         content=urlencode({"token": token}).encode()).status_code == 200
        signed_in = http.post(f"{base}/api/v1/auth/login", json={"email": world.users[0][0], "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        session_cookie = dict(signed_in.cookies)
        http.cookies.clear()
        # The load signs users 0..3 in; user 4 is only ever guessed at.
        target = world.users[4][0]
        for _ in range(LOCKOUT["max_failures"] - 1):
            wrong = http.post(f"{base}/api/v1/auth/login", json={"email": target, "password": "wrong password!"})
            assert wrong.status_code == 401, wrong.text

    world.users = world.users[:4]
    with Load(world) as load:
        time.sleep(2)
        faults.redis.kill()  # SIGKILL: only what the AOF holds survives
        time.sleep(DOWN_S)
        faults.redis.start()
        back = time.monotonic()
        watch_recovery(load.results, back, RECOVERY_LIMIT_S + 5)
    results = load.results()
    report = faults.report(analyse(f"redis killed, down {DOWN_S:g}s, AOF restart", results, back))
    assert not wrong_answers(results), (wrong_answers(results), faults.unhandled())
    # Sign-ins and tokens failed closed while Redis was down (not silently allowed).
    assert report.failures.get("503", 0) > 0, report.line()
    assert report.recovery_s is not None and report.recovery_s <= RECOVERY_LIMIT_S, report.line()
    assert not lost(world, load.acknowledged)

    with httpx.Client(base_url=world.gateway_url, timeout=30) as http:
        introspected = http.post(f"{base}/oauth2/introspect", auth=(client_id, secret), headers=FORM,
                                 content=urlencode({"token": token}).encode())
        assert introspected.json() == {"active": False}, "a token revoked before the crash works again"
        sessions = http.get(f"{base}/api/v1/sessions", cookies=session_cookie)
        assert sessions.status_code == 200, f"a session from before the crash is gone: {sessions.text}"
        http.cookies.clear()
        # The last allowed failure locks the account: the counter survived the crash.
        assert http.post(f"{base}/api/v1/auth/login", json={"email": target, "password": "wrong password!"}
                         ).status_code == 401
        right = http.post(f"{base}/api/v1/auth/login", json={"email": target, "password": PASSWORD})
        assert right.status_code == 401, "the lockout counter was lost: the account did not lock"
