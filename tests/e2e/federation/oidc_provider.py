"""panva's oidc-provider as the independent upstream OpenID provider of a tenant: started on a
free loopback port from tests/e2e/federation/server.mjs, restarted with other keys to rotate
them, and told to misbehave on the next token request (faults)."""

from __future__ import annotations

import json
import select
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.mjs"
INSTALLED = HERE / "node_modules" / "oidc-provider" / "package.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def signing_key(kid: str) -> dict[str, Any]:
    """A private RS256 JWK (the provider publishes its public half at /jwks)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def missing_reason() -> str:
    """Why the provider cannot run here ("" when it can)."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not INSTALLED.exists():
        return f"oidc-provider is not installed in {HERE} (make test runs npm ci there)"
    return ""


class OidcProvider:
    def __init__(self, work: Path, clients: list[dict[str, Any]]) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._work = work
        self._clients = clients
        self._process: subprocess.Popen[bytes] | None = None
        self.kid = ""

    def start(self, kid: str = "key-1") -> None:
        self.kid = kid
        config = self._work / "oidc-provider.json"
        config.write_text(json.dumps({"port": self.port, "clients": self._clients, "keys": [signing_key(kid)]}))
        log = (self._work / "oidc-provider.log").open("ab")
        self._process = subprocess.Popen(["node", str(SERVER), str(config)], stdout=subprocess.PIPE, stderr=log,
                                         cwd=HERE)
        assert self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], 30)
        line = self._process.stdout.readline().decode() if ready else ""
        if not line.startswith("listening"):
            self.stop()
            raise RuntimeError(f"oidc-provider did not start; see {self._work / 'oidc-provider.log'}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
            if self._process.stdout:
                self._process.stdout.close()
            self._process = None

    def rotate(self, kid: str) -> None:
        """The provider's keys are replaced by a new one (and its memory forgotten)."""
        self.stop()
        time.sleep(0.1)
        self.start(kid)

    def arm(self, **faults: Any) -> None:
        """How the next token request misbehaves (see server.mjs)."""
        armed = httpx.post(f"{self.issuer}/__test/faults", json=faults, timeout=10)
        assert armed.status_code == 204, armed.text

    def interaction(self, browser: httpx.Client, authorize_url: str) -> tuple[str, dict[str, Any]]:
        """The browser at the provider's authorization endpoint: the interaction it is sent to
        and what the provider asks there (prompt, reasons, the request's parameters)."""
        answer = browser.get(authorize_url)
        assert answer.status_code == 303, answer.text
        location = answer.headers["location"]
        url = location if location.startswith("http") else self.issuer + location
        assert url.startswith(f"{self.issuer}/interaction/"), url
        return url, dict(browser.get(url).json())

    def sign_in(self, browser: httpx.Client, interaction_url: str, sub: str, email: str, *,
                email_verified: bool = True, name: str = "Grace Hopper", amr: str = "pwd", acr: str = "") -> str:
        """The account signs in and consents; the answer is the redirect to the callback."""
        done = browser.post(interaction_url, data={"sub": sub, "email": email, "name": name, "amr": amr,
                                                   "acr": acr, "email_verified": str(email_verified).lower()})
        assert done.status_code == 303, done.text
        resume = browser.get(done.headers["location"])
        assert resume.status_code == 303, resume.text
        return str(resume.headers["location"])
