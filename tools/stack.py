"""The whole platform on one machine: PostgreSQL, Redis, every service (N replicas) and
Envoy, as child processes. `make run` uses it in the foreground; the end-to-end tests use
it on free ports with throwaway data. A supervisor restarts any of them that dies on its
own (PostgreSQL and Redis on the same port and data), so the services recover by
themselves; each restart is a line in <data>/logs/supervisor.log (and on the console).

    python -m tools.stack run [--data .data] [--replicas 2] [--port 8080]
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.devstack import Child, PostgresServer, RedisServer, Supervisor, describe_exit, free_port
from tools.mailsink import MailSink, serve_page

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("tenant", "identity", "token", "session")
# Local default ports: service i listens on 50051+i, replica r adds 100*r.
BASE_GRPC_PORT = {"tenant": 50051, "identity": 50052, "token": 50053, "session": 50054}
BASE_METRICS_PORT = {"tenant": 9101, "identity": 9102, "token": 9103, "session": 9104}
_log = logging.getLogger("tools.stack")


@dataclass
class Replica:
    service: str
    index: int
    grpc_port: int
    metrics_port: int
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"


@dataclass
class StackConfig:
    data_dir: Path
    gateway_port: int = 8080
    admin_port: int = 9901
    replicas: int = 2
    database_url: str = ""
    redis_url: str = ""
    bootstrap_api_key: str = ""
    durable: bool = True
    free_ports: bool = False
    drain_seconds: float = 3.0
    public_url: str = ""
    base_domain: str = "localhost"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Restart whatever dies on its own (datastores, replicas, Envoy). What a test stops on
    # purpose (kill_replica, redis.stop()) stays down until the test starts it again.
    supervise: bool = True
    # An OTLP/gRPC collector (host:port) for traces from Envoy and every service; "" = off.
    otlp_endpoint: str = ""


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.data_dir = config.data_dir.resolve()
        self.logs = self.data_dir / "logs"
        self.postgres: PostgresServer | None = None
        self.mail: MailSink | None = None
        self._mail_page: Any = None
        self.redis: RedisServer | None = None
        self.replicas: dict[str, list[Replica]] = {}
        self.envoy: subprocess.Popen[bytes] | None = None
        self.database_url = config.database_url
        self.redis_url = config.redis_url
        self.gateway_port = free_port() if config.free_ports else config.gateway_port
        self.admin_port = free_port() if config.free_ports else config.admin_port
        self.stats_port = free_port() if config.free_ports else config.admin_port + 1
        self.bootstrap_api_key = config.bootstrap_api_key
        self.key_encryption_key = ""
        self.supervisor: Supervisor | None = None
        # Held while a replica or Envoy is started or stopped, so that the supervisor never
        # mistakes a deliberate stop for a crash (the datastores carry their own lock).
        self._lock = threading.RLock()

    # --- lifecycle --------------------------------------------------------------------
    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            self._start_stores()
            self._plan_replicas()
            for replicas in self.replicas.values():
                for replica in replicas:
                    self.start_replica(replica)
            for replicas in self.replicas.values():
                for replica in replicas:
                    self.wait_serving(replica)
            self._start_envoy()
            self.wait_gateway()
            if self.config.supervise:
                self.supervisor = Supervisor(self._children(), self._report)
                self.supervisor.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
            self.supervisor = None
        if self.envoy is not None:
            _terminate(self.envoy, 10)
            self.envoy = None
        for replicas in self.replicas.values():
            for replica in replicas:
                if replica.process is not None:
                    replica.process.send_signal(signal.SIGTERM)
        for replicas in self.replicas.values():
            for replica in replicas:
                if replica.process is not None:
                    _terminate(replica.process, 15)
                    replica.process = None
        if self._mail_page is not None:
            self._mail_page.shutdown()
            self._mail_page.server_close()
            self._mail_page = None
        if self.mail is not None:
            self.mail.stop()
            self.mail = None
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- parts ------------------------------------------------------------------------
    def _start_stores(self) -> None:
        if not self.database_url:
            self.postgres = PostgresServer(self.data_dir / "postgres", None if self.config.free_ports else 55432,
                                           durable=self.config.durable)
            self.postgres.start()
            self.database_url = self.postgres.create_database("binoauth")
        if not self.redis_url:
            self.redis = RedisServer(self.data_dir / "redis", None if self.config.free_ports else 56379,
                                     persistent=self.config.durable)
            self.redis.start()
            self.redis_url = self.redis.url
        if not self.bootstrap_api_key:
            self.bootstrap_api_key = self._secret_file("bootstrap-api-key", "bino_bootstrap_")
        self.key_encryption_key = self._secret_file("key-encryption-key", "")
        # A local SMTP sink: mail lands in <data>/mail (and, for make run, on a page).
        self.mail = MailSink(self.data_dir / "mail", port=0 if self.config.free_ports else 2525)
        self.mail.start()
        if not self.config.free_ports:
            self._mail_page = serve_page(self.mail, 8025)

    def _secret_file(self, name: str, prefix: str) -> str:
        path = self.data_dir / name
        if not path.exists():
            path.write_text(prefix + secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def _plan_replicas(self) -> None:
        for service in SERVICES:
            self.replicas[service] = [
                Replica(
                    service, index,
                    free_port() if self.config.free_ports else BASE_GRPC_PORT[service] + 100 * index,
                    free_port() if self.config.free_ports else BASE_METRICS_PORT[service] + 100 * index,
                    self.logs / f"{service}-{index}.log",
                )
                for index in range(self.config.replicas)
            ]

    def addresses(self, service: str) -> str:
        return ",".join(f"127.0.0.1:{r.grpc_port}" for r in self.replicas[service])

    def service_env(self, replica: Replica) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BINOAUTH_", "PG"))}
        env.update({
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'build' / 'gen'}",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "BINOAUTH_GRPC_HOST": "127.0.0.1",
            "BINOAUTH_GRPC_PORT": str(replica.grpc_port),
            "BINOAUTH_METRICS_PORT": str(replica.metrics_port),
            "BINOAUTH_PUBLIC_URL": self.public_url,
            "BINOAUTH_BASE_DOMAIN": self.config.base_domain,
            "BINOAUTH_BOOTSTRAP_API_KEY": self.bootstrap_api_key,
            "BINOAUTH_DRAIN_SECONDS": str(self.config.drain_seconds),
            "BINOAUTH_KEY_ENCRYPTION_KEY": self.key_encryption_key,
            "BINOAUTH_SMTP_HOST": "127.0.0.1",
            "BINOAUTH_SMTP_PORT": str(self.mail.port if self.mail else 2525),
            "BINOAUTH_SMS_DEV_FILE": str(self.data_dir / "sms.jsonl"),
            **{f"BINOAUTH_{s.upper()}_ADDR": self.addresses(s) for s in SERVICES},
            **self._tracing_env(),
            **self.config.extra_env,
        })
        return env

    def _tracing_env(self) -> dict[str, str]:
        """The standard OTEL_* variables that point each service at the collector."""
        if not self.config.otlp_endpoint:
            return {}
        return {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://{self.config.otlp_endpoint}",
                "OTEL_EXPORTER_OTLP_INSECURE": "true", "OTEL_BSP_SCHEDULE_DELAY": "200"}

    @property
    def public_url(self) -> str:
        return self.config.public_url or f"http://localhost:{self.gateway_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def start_replica(self, replica: Replica) -> None:
        with self._lock, replica.log_file.open("ab") as log:
            replica.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{replica.service}"],
                cwd=ROOT, env=self.service_env(replica), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_serving(self, replica: Replica, timeout: float = 60) -> None:
        """Until the replica's gRPC health check answers SERVING."""
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(f"127.0.0.1:{replica.grpc_port}") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < deadline:
                if replica.process is not None and replica.process.poll() is not None:
                    raise RuntimeError(f"{replica.name} exited:\n{_tail(replica.log_file)}")
                with suppress(grpc.RpcError):
                    reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                time.sleep(0.1)
        raise TimeoutError(f"{replica.name} not serving after {timeout}s:\n{_tail(replica.log_file)}")

    def kill_replica(self, service: str, index: int, sig: int = signal.SIGKILL) -> None:
        """Stops one replica on purpose: it stays down (unsupervised) until start_replica."""
        replica = self.replicas[service][index]
        with self._lock:
            if replica.process is not None:
                replica.process.send_signal(sig)
                replica.process.wait(30)
                replica.process = None

    def _start_envoy(self) -> None:
        from gateway.render import write_config
        from gateway.values import GatewayValues

        values = GatewayValues.local(
            {s: [r.grpc_port for r in rs] for s, rs in self.replicas.items()},
            listen_port=self.gateway_port, admin_port=self.admin_port, stats_port=self.stats_port,
        )
        if self.config.otlp_endpoint:
            values = dataclasses.replace(values, otlp_endpoint=self.config.otlp_endpoint)
        config = write_config(values, self.data_dir / "envoy.yaml")
        envoy = Path(sys.executable).parent / "envoy"
        with self._lock, (self.logs / "envoy.log").open("ab") as log:
            self.envoy = subprocess.Popen(
                [str(envoy if envoy.exists() else "envoy"), "-c", str(config), "--log-level", "warn",
                 "--base-id", str(secrets.randbelow(60000) + 1000), "--disable-hot-restart"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def wait_gateway(self, timeout: float = 60) -> None:
        """Until Envoy is ready and sees every replica healthy."""
        deadline = time.monotonic() + timeout
        expected = sum(len(r) for r in self.replicas.values())
        while time.monotonic() < deadline:
            if self.envoy is not None and self.envoy.poll() is not None:
                raise RuntimeError(f"envoy exited:\n{_tail(self.logs / 'envoy.log')}")
            with suppress(OSError):
                clusters = _get(f"http://127.0.0.1:{self.admin_port}/clusters")
                healthy = sum(1 for line in clusters.splitlines()
                              if "::health_flags::healthy" in line and line.split("::")[0] in SERVICES)
                if healthy >= expected:
                    return
            time.sleep(0.2)
        raise TimeoutError(f"gateway not ready after {timeout}s:\n{_tail(self.logs / 'envoy.log')}")

    def wait_replica_state(self, service: str, index: int, healthy: bool, timeout: float = 30) -> None:
        port = self.replicas[service][index].grpc_port
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            clusters = _get(f"http://127.0.0.1:{self.admin_port}/clusters")
            line = next((ln for ln in clusters.splitlines()
                         if ln.startswith(f"{service}::127.0.0.1:{port}::health_flags::")), "")
            if line and (line.endswith("::healthy") == healthy):
                return
            time.sleep(0.2)
        raise TimeoutError(f"{service}-{index} did not become {'healthy' if healthy else 'unhealthy'}")

    def log_lines(self) -> Iterator[str]:
        for path in sorted(self.logs.glob("*.log")):
            yield from path.read_text(errors="replace").splitlines()

    # --- supervision ------------------------------------------------------------------
    def _children(self) -> list[Child]:
        """Datastores first: a pass restarts them before the services that need them."""
        stores: list[Child] = [s for s in (self.postgres, self.redis) if s is not None]
        replicas: list[Child] = [_ReplicaChild(self, r) for rs in self.replicas.values() for r in rs]
        return [*stores, *replicas, _EnvoyChild(self)]

    def _report(self, message: str) -> None:
        _log.warning("%s", message)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        with (self.logs / "supervisor.log").open("a") as log:
            log.write(f"{stamp} {message}\n")


class _ReplicaChild:
    """A service replica, for the supervisor. kill_replica leaves `process` None, which
    is how a deliberate stop differs from a crash."""

    def __init__(self, stack: Stack, replica: Replica) -> None:
        self._stack, self._replica = stack, replica

    @property
    def name(self) -> str:
        return self._replica.name

    @property
    def log_file(self) -> Path:
        return self._replica.log_file

    def down(self) -> str | None:
        with self._stack._lock:
            process = self._replica.process
            code = None if process is None else process.poll()
            return None if code is None else describe_exit(code)

    def revive(self) -> str | None:
        with self._stack._lock:
            if self.down() is None:
                return None
            self._stack.start_replica(self._replica)
            assert self._replica.process is not None
            return f"pid {self._replica.process.pid} on 127.0.0.1:{self._replica.grpc_port}"


class _EnvoyChild:
    name = "envoy"

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    @property
    def log_file(self) -> Path:
        return self._stack.logs / "envoy.log"

    def down(self) -> str | None:
        with self._stack._lock:
            envoy = self._stack.envoy
            code = None if envoy is None else envoy.poll()
            return None if code is None else describe_exit(code)

    def revive(self) -> str | None:
        with self._stack._lock:
            if self.down() is None:
                return None
            self._stack._start_envoy()
            assert self._stack.envoy is not None
            return f"pid {self._stack.envoy.pid} on 127.0.0.1:{self._stack.gateway_port}"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback admin URL
        return str(response.read().decode())


def _terminate(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stack")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start everything in the foreground; Ctrl-C stops it")
    run.add_argument("--data", default=".data")
    run.add_argument("--replicas", type=int, default=2)
    run.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if not _port_free(args.port):
        print(f"port {args.port} is in use: is BinoAuth already running?", file=sys.stderr)
        return 1
    stack = Stack(StackConfig(
        data_dir=Path(args.data), gateway_port=args.port, replicas=args.replicas,
        database_url=os.environ.get("DATABASE_URL", ""), redis_url=os.environ.get("REDIS_URL", ""),
        bootstrap_api_key=os.environ.get("BINOAUTH_BOOTSTRAP_API_KEY", ""),
        public_url=os.environ.get("BINOAUTH_PUBLIC_URL", ""),
    ))
    stopping = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    # The supervisor's restart lines, on the console as well as in logs/supervisor.log.
    logging.basicConfig(stream=sys.stdout, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    print("starting PostgreSQL, Redis, 4 services x", args.replicas, "replicas and Envoy ...", flush=True)
    stack.start()
    print(_banner(stack), flush=True)
    while not stopping:  # the stack's supervisor restarts whatever dies meanwhile
        time.sleep(0.5)
    print("stopping ...", flush=True)
    stack.stop()
    print("stopped; data kept in", stack.data_dir, flush=True)
    return 0


def _banner(stack: Stack) -> str:
    key_file = stack.data_dir / "bootstrap-api-key"
    key_hint = f"$(cat {key_file})" if key_file.exists() else "$BINOAUTH_BOOTSTRAP_API_KEY"
    return f"""
BinoAuth is running at {stack.gateway_url}
  logs:      {stack.logs}/
  data:      {stack.data_dir}/ (kept across restarts)
  restarts:  whatever dies (PostgreSQL, Redis, a service, Envoy) is started again and noted
             here and in {stack.logs}/supervisor.log
  console:   {stack.gateway_url}/console/ (administrators; README "The admin console": the first account)
  API docs:  {stack.gateway_url}/api/v1/reference
  metrics:   http://127.0.0.1:9101/metrics (tenant), 9102 identity, 9103 token, 9104 session
  mail:      http://127.0.0.1:8025/ (messages the platform sent; also in {stack.data_dir}/mail)
  envoy:     http://127.0.0.1:{stack.admin_port}/ (admin, loopback only),
             http://127.0.0.1:{stack.stats_port}/stats/prometheus (metrics only)

Create your first tenant with the bootstrap platform key:
  KEY={key_hint}
  curl -s -X POST {stack.gateway_url}/api/v1/tenants \\
       -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
       -d '{{"tenant_id": "acme", "display_name": "Acme Inc."}}'
  curl -s {stack.gateway_url}/api/v1/tenants -H "Authorization: Bearer $KEY"

Press Ctrl-C to stop.
"""


if __name__ == "__main__":
    sys.exit(main())
