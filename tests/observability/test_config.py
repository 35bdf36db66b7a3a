"""The shipped observability configuration: generated files are current, promtool and
amtool accept them, every alert rule's unit tests pass (`promtool test rules`), and every
alert has a runbook entry. promtool and amtool only, no servers: a few seconds."""

from __future__ import annotations

import re
import subprocess

import pytest

from observability import dashboards, k8s, rules, scrape
from tests.observability.conftest import require_binaries

pytestmark = pytest.mark.integration  # runs promtool and amtool
HERE = scrape.HERE


def _run(*argv: str) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=HERE)
    assert proc.returncode == 0, f"{' '.join(argv)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_committed_files_are_what_the_generators_write() -> None:
    assert scrape.COMMITTED.read_text() == scrape.committed_text(), "run python -m observability.scrape"
    assert rules.RULES_FILE.read_text() == rules.render(), "run python -m observability.rules"
    for path, text in dashboards.files():
        assert path.read_text() == text, f"run python -m observability.dashboards ({path.name})"
    assert {p.name for p in dashboards.OUT.glob("*.json")} == {p.name for p, _t in dashboards.files()}


def test_promtool_accepts_the_config_and_the_rules() -> None:
    require_binaries()
    _run("promtool", "check", "config", "prometheus.yml")
    _run("promtool", "check", "rules", "rules/binoauth.rules.yml")
    _run("amtool", "check-config", "alertmanager.yml")


def test_promtool_unit_tests_of_every_rule_pass() -> None:
    require_binaries()
    assert "SUCCESS" in _run("promtool", "test", "rules", "rules/binoauth.rules.test.yml")


def test_every_alert_fires_in_a_unit_test_and_has_a_runbook_entry() -> None:
    tests = (HERE / "rules" / "binoauth.rules.test.yml").read_text()
    fired = set(re.findall(r"alertname: (\w+)\n\s+exp_alerts:\n\s+- exp_labels", tests))
    assert set(rules.alert_names()) <= fired, set(rules.alert_names()) - fired
    runbook = (HERE / "RUNBOOK.md").read_text()
    headings = {m.lower() for m in re.findall(r"^## (\w+)$", runbook, flags=re.MULTILINE)}
    assert {n.lower() for n in rules.alert_names()} <= headings


def test_every_alert_has_severity_and_runbook_url() -> None:
    for group in rules.rule_groups()["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                assert rule["labels"]["severity"] in ("page", "ticket")
                assert rule["annotations"]["runbook_url"].endswith("#" + rule["alert"].lower())


def test_dashboard_panels_only_name_scraped_jobs() -> None:
    for board in dashboards.BOARDS:
        for panel in board.panels:
            for expr, _legend in panel.queries:
                for job in re.findall(r'job="([^"]+)"', expr):
                    assert job in (scrape.SERVICE_JOB, scrape.GATEWAY_JOB), (board.uid, panel.title)


def test_check_modes_pass_on_the_committed_files() -> None:
    assert scrape.main(["--check"]) == 0
    assert rules.main(["--check"]) == 0
    assert dashboards.main(["--check"]) == 0
    assert k8s.main(["--check"]) == 0
