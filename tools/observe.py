"""Prometheus and Alertmanager beside a running stack, as child processes (Debian's
`prometheus` and `prometheus-alertmanager` packages; .ci/run installs them).

    python -m tools.observe run [--data .data] [--replicas 2]    # what `make observe` runs

starts the whole local stack (tools/stack.py) and then Prometheus on 127.0.0.1:9090 and
Alertmanager on 127.0.0.1:9093, scraping every replica and Envoy with the committed
observability/prometheus.yml and alerting with observability/rules/binoauth.rules.yml.
The tests use `Observer` on free ports, with `hold` shortening every alert's `for:` so that
a scripted fault fires within seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import suppress
from pathlib import Path
from typing import Any

from observability import scrape
from tools.devstack import free_port
from tools.stack import Stack, StackConfig

PROMETHEUS = "prometheus"
ALERTMANAGER = "prometheus-alertmanager"  # Debian's name for the alertmanager binary
HERE = Path(__file__).resolve().parent.parent / "observability"


def find_binary(name: str) -> str:
    found = shutil.which(name) or (shutil.which("alertmanager") if name == ALERTMANAGER else None)
    if found is None:
        raise FileNotFoundError(f"{name} not found: apt-get install prometheus prometheus-alertmanager")
    return found


def stack_targets(stack: Stack, alertmanager: str) -> scrape.Targets:
    """The running stack's own ports (free ones in tests)."""
    return scrape.Targets(
        services={s: [f"127.0.0.1:{r.metrics_port}" for r in rs] for s, rs in stack.replicas.items()},
        envoy=[f"127.0.0.1:{stack.stats_port}"], alertmanager=alertmanager,
    )


class Observer:
    """Prometheus + Alertmanager for one stack. `hold` (e.g. "2s") replaces every rule's
    `for:` and `interval` the scrape/evaluation interval: for tests only."""

    def __init__(self, stack: Stack, data_dir: Path, *, fixed_ports: bool = False, interval: str = "15s",
                 hold: str | None = None) -> None:
        self.stack = stack
        self.dir = data_dir.resolve()
        self.prometheus_port = scrape.DEFAULT_PROMETHEUS_PORT if fixed_ports else free_port()
        self.alertmanager_port = scrape.DEFAULT_ALERTMANAGER_PORT if fixed_ports else free_port()
        self.interval = interval
        self.hold = hold
        self._processes: list[tuple[str, subprocess.Popen[bytes]]] = []  # (binary name, process)

    @property
    def prometheus_url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def alertmanager_url(self) -> str:
        return f"http://127.0.0.1:{self.alertmanager_port}"

    def write_config(self) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        rules = scrape.RULES
        if self.hold is not None:
            text = re.sub(r"^(\s*for:) .*$", rf"\1 {self.hold}", rules.read_text(), flags=re.MULTILINE)
            rules = self.dir / rules.name
            rules.write_text(text)
        config = scrape.prometheus_config(
            stack_targets(self.stack, f"127.0.0.1:{self.alertmanager_port}"), [str(rules)],
            scrape_interval=self.interval, evaluation_interval=self.interval,
        )
        path = self.dir / "prometheus.yml"
        path.write_text(scrape.render(config))
        return path

    def start(self) -> None:
        config = self.write_config()
        logs = self.dir / "logs"
        logs.mkdir(exist_ok=True)
        try:
            self._spawn([find_binary(ALERTMANAGER), f"--config.file={HERE / 'alertmanager.yml'}",
                         f"--storage.path={self.dir / 'alertmanager'}",
                         f"--web.listen-address=127.0.0.1:{self.alertmanager_port}",
                         "--cluster.listen-address="],  # no gossip port: one instance
                        logs / "alertmanager.log")
            self._spawn([find_binary(PROMETHEUS), f"--config.file={config}",
                         f"--storage.tsdb.path={self.dir / 'prometheus'}", "--storage.tsdb.retention.time=7d",
                         f"--web.listen-address=127.0.0.1:{self.prometheus_port}"],
                        logs / "prometheus.log")
            self._wait(f"{self.alertmanager_url}/-/ready", logs / "alertmanager.log")
            self._wait(f"{self.prometheus_url}/-/ready", logs / "prometheus.log")
        except BaseException:
            self.stop()
            raise

    def _spawn(self, argv: list[str], log_file: Path) -> None:
        with log_file.open("ab") as log:
            self._processes.append((Path(argv[0]).name, subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)))

    def _wait(self, url: str, log_file: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self._processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{log_file.read_text()[-3000:]}")
            with suppress(OSError):
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                    return
            time.sleep(0.2)
        raise TimeoutError(f"{url} not ready after {timeout}s")

    def stop(self) -> None:
        for _name, process in reversed(self._processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self._processes.clear()

    def __enter__(self) -> Observer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- the HTTP APIs, for tests and the banner -------------------------------------
    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        url = f"{self.prometheus_url}/api/v1/{path}" + (f"?{query}" if query else "")
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            body = json.loads(response.read())
        if body.get("status") != "success":
            raise RuntimeError(f"{path}: {body}")
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return list(self.api("query", query=expr)["result"])

    def firing(self) -> set[str]:
        """Alert names Prometheus has firing."""
        return {a["labels"]["alertname"] for a in self.api("alerts")["alerts"] if a["state"] == "firing"}

    def alertmanager_alerts(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.alertmanager_url}/api/v2/alerts", timeout=10) as r:  # noqa: S310
            return list(json.loads(r.read()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.observe")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="the local stack plus Prometheus and Alertmanager; Ctrl-C stops them")
    run.add_argument("--data", default=".data")
    run.add_argument("--replicas", type=int, default=scrape.DEFAULT_REPLICAS)
    args = parser.parse_args(argv)
    stopping = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    data = Path(args.data)
    print("starting the stack, then Prometheus and Alertmanager ...", flush=True)
    with Stack(StackConfig(data_dir=data, replicas=args.replicas)) as stack, \
            Observer(stack, data / "observe", fixed_ports=True) as observer:
        print(f"""
BinoAuth is running at {stack.gateway_url}
  Prometheus:   {observer.prometheus_url}/targets (every replica and Envoy), /alerts (the rules)
  Alertmanager: {observer.alertmanager_url}/#/alerts
  config:       {observer.dir}/prometheus.yml (observability/prometheus.yml for 2 replicas)
  dashboards:   observability/dashboards/*.json (import into Grafana, datasource: this Prometheus)

Press Ctrl-C to stop.""", flush=True)
        while not stopping:
            time.sleep(0.5)
        print("stopping ...", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
