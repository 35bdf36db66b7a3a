"""What can be checked of the Dockerfiles without a Docker engine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from gateway.values import K8S_CONFIG_DIR, SERVICES

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
DOCKERFILES = {"service": DOCKER / "service.Dockerfile", "gateway": DOCKER / "gateway.Dockerfile"}
ENVOY_YAML = ROOT / "deploy" / "k8s" / "base" / "gateway" / "envoy.yaml"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def stages(path: Path) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for ins in instructions(path):
        if ins[0] == "FROM":
            out.append([])
        if out:
            out[-1].append(ins)
    return out


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_copy_sources_exist(name: str) -> None:
    for word, args in instructions(DOCKERFILES[name]):
        if word != "COPY" or args.startswith("--from="):
            continue
        *sources, _dest = [a for a in args.split() if not a.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), f"{name}: COPY {source} does not exist in the repository"


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_base_images_pinned(name: str) -> None:
    for stage in stages(DOCKERFILES[name]):
        image = stage[0][1].split()[0]
        last = image.rsplit("/", 1)[-1]
        assert ":" in last or "@sha256:" in image, f"{name}: {image} has no tag"
        assert not image.endswith(":latest"), f"{name}: {image} is :latest"


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_final_stage_runs_non_root_without_build_tools(name: str) -> None:
    final = stages(DOCKERFILES[name])[-1]
    users = [args for word, args in final if word == "USER"]
    assert users, f"{name}: no USER in the final stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, f"{name}: USER {uid} must be a numeric non-root uid"
    runs = " ".join(args for word, args in final if word == "RUN")
    for tool in ("apt-get", "apk ", "pip ", "gcc", "protoc", "build-essential"):
        assert tool not in runs, f"{name}: final stage runs {tool}"


def test_service_image_installs_the_pinned_requirements() -> None:
    build = stages(DOCKERFILES["service"])[0]
    assert ("COPY", "requirements.txt ./") in build
    assert any(word == "RUN" and "pip install -r requirements.txt" in args for word, args in build)
    # Every requirement is pinned, so the image has exactly the local stack's versions.
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    assert all("==" in ln for ln in lines if ln and not ln.startswith("#"))


def test_service_image_entrypoint() -> None:
    final = stages(DOCKERFILES["service"])[-1]
    assert ("ENTRYPOINT", '["python", "-m"]') in final
    env = " ".join(args for word, args in final if word == "ENV")
    assert "PYTHONPATH=/app:/app/gen" in env


def test_gateway_image_bakes_what_the_config_references() -> None:
    dockerfile = DOCKERFILES["gateway"].read_text()
    config = ENVOY_YAML.read_text()
    referenced = set(re.findall(re.escape(K8S_CONFIG_DIR) + r"/[\w.-]+", config))
    required = {f"{K8S_CONFIG_DIR}/api.pb", f"{K8S_CONFIG_DIR}/filter.lua", f"{K8S_CONFIG_DIR}/openapi.json"}
    # The console's built files (gateway/static.lua's ROOT), once the config serves them.
    assert required <= referenced <= required | {f"{K8S_CONFIG_DIR}/static"}
    for path in referenced:
        assert re.search(rf"^COPY .* {re.escape(path)}$", dockerfile, re.M), f"{path} is not baked"
    assert stages(DOCKERFILES["gateway"])[-1][0][1] == "envoyproxy/envoy:v1.40.0"
    # The descriptor set is built with the same protoc arguments as `make protos`.
    makefile = (ROOT / "Makefile").read_text()
    flags = ("--include_imports", "--include_source_info", "google/rpc/status.proto", "google/rpc/error_details.proto")
    for flag in flags:
        assert flag in makefile and flag in dockerfile
    assert yaml.safe_load(config)["admin"]["address"]["socket_address"]["address"] == "127.0.0.1"


def test_gateway_image_installs_the_dev_pin_of_pyyaml() -> None:
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert re.search(r"^PyYAML==", dev, re.M | re.I)
    assert "grep -i '^pyyaml==' requirements-dev.txt" in DOCKERFILES["gateway"].read_text()


@pytest.mark.parametrize("service", SERVICES)
def test_entry_module_imports(service: str) -> None:
    """What `python -m services.<svc>` imports in the image (PYTHONPATH=/app:/app/gen)."""
    if not (ROOT / "build" / "gen").is_dir():
        subprocess.run(["make", "protos"], cwd=ROOT, check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'build' / 'gen'}"}
    proc = subprocess.run(
        [sys.executable, "-c", f"import services.{service}.bootstrap, services.{service}.__main__"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
