"""Checks the Kubernetes manifests: what `kubectl apply -k` would install, and what schema
validation alone misses.

    python -m tools.k8s_check deploy/k8s/overlays/dev deploy/k8s/overlays/prod

Every overlay is rendered with `kubectl kustomize`; every document is validated with
kubernetes-validate in strict mode for Kubernetes 1.30 (a missing schema is a problem), then
checked for: selectors matching pod labels, Service target ports, DNS-1123 names, resource
quantities, HPA bounds, PDBs, probes, resources and security context of every container,
pinned images, Secret/ConfigMap references, NetworkPolicy coverage, gateway upstreams
matching headless Services, and the gateway ConfigMap against `envoy --mode validate`.

`check_overlay(path)` / `check_documents(docs)` return a list of problems (empty = fine);
the CLI prints them and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
K8S_VERSION = "1.30"
DESCRIPTOR = ROOT / "build" / "descriptors" / "api.pb"
GATEWAY_DIR = ROOT / "gateway"
# Where the k8s profile of gateway/render.py expects api.pb and the Lua files.
CONTAINER_CONFIG_DIR = "/etc/binoauth/gateway"
ENVOY_CONFIG_KEY = "envoy.yaml"

Doc = dict[str, Any]

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
QUANTITY = re.compile(
    r"^(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<suffix>[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$"
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
            "P": Decimal("1e15"), "E": Decimal("1e18")}


# --- rendering ----------------------------------------------------------------------------

class RenderError(RuntimeError):
    pass


def render(overlay: str | Path) -> list[Doc]:
    """`kubectl kustomize <overlay>` as a list of documents."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise RenderError("kubectl not found on PATH")
    proc = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RenderError(f"kubectl kustomize {overlay} failed: {proc.stderr.strip()}")
    return [d for d in yaml.safe_load_all(proc.stdout) if d]


# --- helpers ------------------------------------------------------------------------------

def _ref(doc: Doc) -> str:
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind')}/{meta.get('name')}"


def _ns(doc: Doc) -> str:
    return str((doc.get("metadata") or {}).get("namespace") or "default")


def parse_quantity(value: object) -> Decimal:
    """A Kubernetes resource.Quantity as a Decimal; ValueError if it does not parse."""
    if isinstance(value, bool):
        raise ValueError(f"not a quantity: {value!r}")
    if isinstance(value, int | float):
        return Decimal(str(value))
    m = QUANTITY.match(str(value))
    if not m:
        raise ValueError(f"not a quantity: {value!r}")
    suffix = m.group("suffix") or ""
    try:
        number = Decimal(m.group("num"))
    except InvalidOperation as error:  # pragma: no cover - the regex admits only numbers
        raise ValueError(f"not a quantity: {value!r}") from error
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    return number * Decimal(10) ** int(suffix[1:])


def pod_template(doc: Doc) -> Doc | None:
    if doc.get("kind") in WORKLOAD_KINDS:
        return ((doc.get("spec") or {}).get("template")) or {}
    if doc.get("kind") == "CronJob":
        return (((doc.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    if doc.get("kind") == "Pod":
        return doc
    return None


def _pods(docs: Sequence[Doc]) -> Iterator[tuple[Doc, Doc]]:
    """(workload, pod template) pairs."""
    for doc in docs:
        template = pod_template(doc)
        if template is not None:
            yield doc, template


def _labels(template: Doc) -> dict[str, str]:
    return dict((template.get("metadata") or {}).get("labels") or {})


def selector_matches(selector: Doc | None, labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels + matchExpressions); an empty selector matches all."""
    selector = selector or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _containers(template: Doc) -> Iterator[tuple[str, Doc]]:
    spec = template.get("spec") or {}
    for kind in ("initContainers", "containers"):
        for container in spec.get(kind) or []:
            yield kind, container


def _index(docs: Sequence[Doc], kind: str) -> dict[tuple[str, str], Doc]:
    return {(_ns(d), d["metadata"]["name"]): d for d in docs if d.get("kind") == kind and d.get("metadata")}


# --- schema -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _validate_cached(doc_json: str, version: str) -> str | None:
    doc = json.loads(doc_json)
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.SchemaNotFoundError as error:
        return f"no schema for {doc.get('apiVersion')} {doc.get('kind')} in Kubernetes {version}: {error}"
    except kubernetes_validate.ValidationError as error:
        path = "/".join(str(p) for p in error.path)
        return f"schema: {path or '(root)'}: {error.message}"
    except kubernetes_validate.InvalidSchemaError as error:
        return f"invalid schema: {error}"
    return None


# Custom resources of prometheus-operator (the optional monitoring component): no schema in
# kubernetes-validate, so check_monitoring checks them field by field instead.
MONITORING_API = "monitoring.coreos.com/v1"
CUSTOM_KINDS = frozenset({(MONITORING_API, "PodMonitor"), (MONITORING_API, "PrometheusRule")})


def check_schema(docs: Sequence[Doc], version: str = K8S_VERSION) -> list[str]:
    problems = []
    for doc in docs:
        if (doc.get("apiVersion"), doc.get("kind")) in CUSTOM_KINDS:
            continue
        message = _validate_cached(json.dumps(doc, sort_keys=True), version)
        if message:
            problems.append(f"{_ref(doc)}: {message}")
    return problems


# --- own checks ---------------------------------------------------------------------------

def check_names(docs: Sequence[Doc]) -> list[str]:
    problems = []
    for doc in docs:
        name = str((doc.get("metadata") or {}).get("name") or "")
        if len(name) > 63 or not DNS_LABEL.match(name):
            problems.append(f"{_ref(doc)}: name {name!r} is not a DNS-1123 label")
        for _, template in [(doc, t) for t in [pod_template(doc)] if t is not None]:
            for kind, container in _containers(template):
                cname = str(container.get("name") or "")
                if len(cname) > 63 or not DNS_LABEL.match(cname):
                    problems.append(f"{_ref(doc)}: {kind} name {cname!r} is not a DNS-1123 label")
                for port in container.get("ports") or []:
                    pname = port.get("name")
                    if pname is not None and (len(pname) > 15 or not PORT_NAME.match(pname)):
                        problems.append(f"{_ref(doc)}: port name {pname!r} is not an IANA service name")
        if doc.get("kind") == "Service":
            for port in (doc.get("spec") or {}).get("ports") or []:
                pname = port.get("name")
                if pname is not None and (len(pname) > 15 or not PORT_NAME.match(pname)):
                    problems.append(f"{_ref(doc)}: port name {pname!r} is not an IANA service name")
    return problems


def check_selectors(docs: Sequence[Doc]) -> list[str]:
    problems = []
    for doc, template in _pods(docs):
        if doc.get("kind") in ("Pod", "Job", "CronJob"):
            continue
        selector = (doc.get("spec") or {}).get("selector")
        if not selector or not (selector.get("matchLabels") or selector.get("matchExpressions")):
            problems.append(f"{_ref(doc)}: no selector")
        elif not selector_matches(selector, _labels(template)):
            problems.append(f"{_ref(doc)}: selector {selector} does not match pod labels {_labels(template)}")
    return problems


def check_services(docs: Sequence[Doc]) -> list[str]:
    problems = []
    pods = list(_pods(docs))
    for svc in (d for d in docs if d.get("kind") == "Service"):
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            continue
        selected = [
            (w, t) for w, t in pods
            if _ns(w) == _ns(svc) and selector_matches({"matchLabels": spec["selector"]}, _labels(t))
        ]
        if not selected:
            problems.append(f"{_ref(svc)}: selector {spec['selector']} matches no pod template")
            continue
        for port in spec.get("ports") or []:
            target = port.get("targetPort", port.get("port"))
            for workload, template in selected:
                container_ports = [p for _, c in _containers(template) for p in c.get("ports") or []]
                ok = any(
                    p.get("name") == target if isinstance(target, str) else p.get("containerPort") == target
                    for p in container_ports
                )
                if not ok:
                    problems.append(f"{_ref(svc)}: targetPort {target!r} is not a port of {_ref(workload)}")
    return problems


def check_quantities(docs: Sequence[Doc]) -> list[str]:
    problems = []

    def parse(where: str, value: object) -> Decimal | None:
        try:
            return parse_quantity(value)
        except ValueError as error:
            problems.append(f"{where}: {error}")
            return None

    for doc in docs:
        template = pod_template(doc)
        if template is not None:
            for _, container in _containers(template):
                resources = container.get("resources") or {}
                parsed: dict[str, dict[str, Decimal | None]] = {}
                for section in ("requests", "limits"):
                    for res, value in (resources.get(section) or {}).items():
                        where = f"{_ref(doc)}: container {container.get('name')} {section}.{res}"
                        parsed.setdefault(res, {})[section] = parse(where, value)
                for res, values in parsed.items():
                    req, lim = values.get("requests"), values.get("limits")
                    if req is not None and lim is not None and req > lim:
                        problems.append(f"{_ref(doc)}: container {container.get('name')} requests.{res} > limits.{res}")
            for volume in (template.get("spec") or {}).get("volumes") or []:
                size = (volume.get("emptyDir") or {}).get("sizeLimit")
                if size is not None:
                    parse(f"{_ref(doc)}: volume {volume.get('name')} sizeLimit", size)
        claims: list[Doc] = []
        if doc.get("kind") == "StatefulSet":
            claims.extend((doc.get("spec") or {}).get("volumeClaimTemplates") or [])
        if doc.get("kind") == "PersistentVolumeClaim":
            claims.append(doc)
        for claim in claims:
            for section in ("requests", "limits"):
                for res, value in (((claim.get("spec") or {}).get("resources") or {}).get(section) or {}).items():
                    parse(f"{_ref(doc)}: claim {claim['metadata'].get('name')} {section}.{res}", value)
    return problems


def check_hpas(docs: Sequence[Doc]) -> list[str]:
    problems = []
    for hpa in (d for d in docs if d.get("kind") == "HorizontalPodAutoscaler"):
        spec = hpa.get("spec") or {}
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
        if high is None or low > high:
            problems.append(f"{_ref(hpa)}: minReplicas {low} > maxReplicas {high}")
        target = spec.get("scaleTargetRef") or {}
        wanted = (target.get("kind"), target.get("name"), _ns(hpa))
        if not any((d.get("kind"), d["metadata"].get("name"), _ns(d)) == wanted for d in docs):
            problems.append(f"{_ref(hpa)}: scaleTargetRef {wanted[0]}/{wanted[1]} is not in the render")
    return problems


def check_pdbs(docs: Sequence[Doc]) -> list[str]:
    problems = []
    pods = list(_pods(docs))
    for pdb in (d for d in docs if d.get("kind") == "PodDisruptionBudget"):
        spec = pdb.get("spec") or {}
        if ("minAvailable" in spec) == ("maxUnavailable" in spec):
            problems.append(f"{_ref(pdb)}: set exactly one of minAvailable and maxUnavailable")
        if not any(_ns(w) == _ns(pdb) and selector_matches(spec.get("selector"), _labels(t)) for w, t in pods):
            problems.append(f"{_ref(pdb)}: selector matches no pod template")
    return problems


def _effective(pod_sc: Doc, sc: Doc, key: str) -> Any:
    return sc[key] if key in sc else pod_sc.get(key)


def check_containers(docs: Sequence[Doc]) -> list[str]:
    """Probes, requests + limits, security context and pinned image of every container."""
    problems = []
    for doc, template in _pods(docs):
        pod_sc = (template.get("spec") or {}).get("securityContext") or {}
        for kind, container in _containers(template):
            where = f"{_ref(doc)}: container {container.get('name')}"
            if kind == "containers":
                for probe in ("readinessProbe", "livenessProbe"):
                    if not container.get(probe):
                        problems.append(f"{where}: no {probe}")
            resources = container.get("resources") or {}
            for section in ("requests", "limits"):
                for res in ("cpu", "memory"):
                    if res not in (resources.get(section) or {}):
                        problems.append(f"{where}: no resources.{section}.{res}")
            sc = container.get("securityContext") or {}
            if _effective(pod_sc, sc, "runAsNonRoot") is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if _effective(pod_sc, sc, "runAsUser") == 0:
                problems.append(f"{where}: runAsUser is 0")
            if sc.get("privileged") is True:
                problems.append(f"{where}: privileged")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem is not true")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: capabilities do not drop ALL")
            if (sc.get("capabilities") or {}).get("add"):
                problems.append(f"{where}: capabilities added: {sc['capabilities']['add']}")
            seccomp = (_effective(pod_sc, sc, "seccompProfile") or {}).get("type")
            if seccomp not in ("RuntimeDefault", "Localhost"):
                problems.append(f"{where}: seccompProfile is {seccomp!r}, not RuntimeDefault")
            problem = image_problem(str(container.get("image") or ""))
            if problem:
                problems.append(f"{where}: {problem}")
    return problems


def image_problem(image: str) -> str | None:
    if not image:
        return "no image"
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image!r} has no tag"
    tag = last.split(":", 1)[1]
    if not tag or tag == "latest":
        return f"image {image!r} is not pinned (tag {tag!r})"
    return None


def _data_keys(doc: Doc) -> set[str]:
    keys: set[str] = set()
    for section in ("data", "stringData", "binaryData"):
        keys.update((doc.get(section) or {}).keys())
    return keys


def check_references(docs: Sequence[Doc]) -> list[str]:
    """env valueFrom / envFrom / volumes naming a Secret or ConfigMap (and key) in the render."""
    problems = []
    objects = {"Secret": _index(docs, "Secret"), "ConfigMap": _index(docs, "ConfigMap")}

    def lookup(where: str, kind: str, ns: str, ref: Doc, key: str | None = None) -> None:
        if ref.get("optional") is True:
            return
        target = objects[kind].get((ns, str(ref.get("name") or ref.get("secretName"))))
        if target is None:
            problems.append(f"{where}: {kind} {ref.get('name') or ref.get('secretName')!r} is not in the render")
        elif key is not None and key not in _data_keys(target):
            problems.append(f"{where}: {kind} {_ref(target).split('/', 1)[1]!r} has no key {key!r}")

    for doc, template in _pods(docs):
        ns = _ns(doc)
        for _, container in _containers(template):
            where = f"{_ref(doc)}: container {container.get('name')}"
            for env in container.get("env") or []:
                source = env.get("valueFrom") or {}
                for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                    if field in source:
                        ref = source[field]
                        lookup(f"{where} env {env.get('name')}", kind, ns, ref, ref.get("key"))
            for env_from in container.get("envFrom") or []:
                if "secretRef" in env_from:
                    lookup(f"{where} envFrom", "Secret", ns, env_from["secretRef"])
                if "configMapRef" in env_from:
                    lookup(f"{where} envFrom", "ConfigMap", ns, env_from["configMapRef"])
        for volume in (template.get("spec") or {}).get("volumes") or []:
            where = f"{_ref(doc)}: volume {volume.get('name')}"
            if "configMap" in volume:
                lookup(where, "ConfigMap", ns, volume["configMap"])
                for item in volume["configMap"].get("items") or []:
                    lookup(where, "ConfigMap", ns, volume["configMap"], item.get("key"))
            if "secret" in volume:
                lookup(where, "Secret", ns, volume["secret"])
    return problems


def check_network_policies(docs: Sequence[Doc]) -> list[str]:
    """Every pod is selected by some NetworkPolicy for ingress and for egress."""
    problems = []
    policies = [d for d in docs if d.get("kind") == "NetworkPolicy"]
    for doc, template in _pods(docs):
        labels = _labels(template)
        covered: set[str] = set()
        for policy in policies:
            spec = policy.get("spec") or {}
            if _ns(policy) != _ns(doc) or not selector_matches(spec.get("podSelector"), labels):
                continue
            types = spec.get("policyTypes") or (["Ingress", "Egress"] if "egress" in spec else ["Ingress"])
            covered.update(types)
        for direction in ("Ingress", "Egress"):
            if direction not in covered:
                problems.append(f"{_ref(doc)}: pods not covered by any {direction} NetworkPolicy")
    return problems


# --- gateway ------------------------------------------------------------------------------

def gateway_config(docs: Sequence[Doc]) -> tuple[Doc, str] | None:
    for doc in docs:
        if doc.get("kind") == "ConfigMap" and ENVOY_CONFIG_KEY in (doc.get("data") or {}):
            return doc, doc["data"][ENVOY_CONFIG_KEY]
    return None


def _strict_dns_hosts(config: Doc) -> Iterator[tuple[str, str, int]]:
    for cluster in ((config.get("static_resources") or {}).get("clusters") or []):
        if cluster.get("type") != "STRICT_DNS":
            continue
        for endpoints in ((cluster.get("load_assignment") or {}).get("endpoints") or []):
            for lb in endpoints.get("lb_endpoints") or []:
                sock = ((lb.get("endpoint") or {}).get("address") or {}).get("socket_address") or {}
                yield cluster.get("name", "?"), str(sock.get("address")), int(sock.get("port_value", 0))


def check_gateway_upstreams(docs: Sequence[Doc]) -> list[str]:
    """Each STRICT_DNS cluster of the Envoy config is a headless Service with that port."""
    found = gateway_config(docs)
    if found is None:
        return ["no ConfigMap with the gateway's envoy.yaml in the render"]
    cm, text = found
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"{_ref(cm)}: envoy.yaml is not YAML: {error}"]
    services = _index(docs, "Service")
    problems = []
    for cluster, host, port in _strict_dns_hosts(config or {}):
        match = re.match(r"^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$", host)
        svc = services.get((match.group(2), match.group(1))) if match else None
        if svc is None:
            problems.append(f"{_ref(cm)}: cluster {cluster}: {host} is not a Service in the render")
            continue
        if (svc.get("spec") or {}).get("clusterIP") != "None":
            problems.append(f"{_ref(cm)}: cluster {cluster}: Service {host} is not headless (per-pod balancing)")
        if port not in [p.get("port") for p in (svc.get("spec") or {}).get("ports") or []]:
            problems.append(f"{_ref(cm)}: cluster {cluster}: Service {host} has no port {port}")
    return problems


def envoy_binary() -> str | None:
    candidates = [os.environ.get("ENVOY"), str(Path(sys.prefix) / "bin" / "envoy"), shutil.which("envoy")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def ensure_descriptor() -> None:
    if not DESCRIPTOR.is_file():
        subprocess.run(["make", "protos"], cwd=ROOT, check=True, capture_output=True)


def check_envoy(docs: Sequence[Doc]) -> list[str]:
    """`envoy --mode validate` on the ConfigMap's config, with the in-image paths of api.pb,
    the Lua files and the OpenAPI document pointed at the repository's copies."""
    found = gateway_config(docs)
    if found is None:
        return ["no ConfigMap with the gateway's envoy.yaml in the render"]
    cm, text = found
    envoy = envoy_binary()
    if envoy is None:
        return ["envoy binary not found (set ENVOY=/path/to/envoy)"]
    try:
        ensure_descriptor()
    except subprocess.CalledProcessError as error:
        return [f"make protos failed: {error.stderr.decode(errors='replace')[-500:]}"]
    local = text.replace(f"{CONTAINER_CONFIG_DIR}/api.pb", str(DESCRIPTOR))
    local = re.sub(re.escape(CONTAINER_CONFIG_DIR) + r"/([\w.-]+\.lua)", lambda m: str(GATEWAY_DIR / m.group(1)), local)
    local = local.replace(f"{CONTAINER_CONFIG_DIR}/openapi.json", str(ROOT / "openapi" / "openapi.json"))
    with tempfile.TemporaryDirectory(prefix="k8s-check-envoy-") as tmp:
        path = Path(tmp) / ENVOY_CONFIG_KEY
        path.write_text(local)
        proc = subprocess.run(
            [envoy, "--mode", "validate", "-c", str(path), "--log-level", "error"],
            capture_output=True, text=True, check=False, timeout=120,
        )
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip())[-800:]
        return [f"{_ref(cm)}: envoy --mode validate failed: {detail}"]
    return []


# --- entry points -------------------------------------------------------------------------

_POD_MONITOR_SPEC = frozenset({"selector", "podMetricsEndpoints", "namespaceSelector", "jobLabel"})
_POD_METRICS_ENDPOINT = frozenset({"port", "path", "interval", "scrapeTimeout", "relabelings", "metricRelabelings",
                                   "scheme"})


def check_monitoring(docs: Sequence[Doc]) -> list[str]:
    """PodMonitors select pods of the render and scrape ports those pods name; PrometheusRule
    groups have unique names and rules that each record or alert an expression."""
    problems: list[str] = []
    pods = list(_pods(docs))
    for doc in docs:
        if (doc.get("apiVersion"), doc.get("kind")) == (MONITORING_API, "PodMonitor"):
            problems.extend(_pod_monitor_problems(doc, pods))
        elif (doc.get("apiVersion"), doc.get("kind")) == (MONITORING_API, "PrometheusRule"):
            problems.extend(_rule_problems(doc))
    return problems


def _pod_monitor_problems(doc: Doc, pods: Sequence[tuple[Doc, Doc]]) -> list[str]:
    where, spec = _ref(doc), doc.get("spec") or {}
    problems = [f"{where}: unknown spec field {k!r}" for k in sorted(set(spec) - _POD_MONITOR_SPEC)]
    matched = [template for owner, template in pods
               if _ns(owner) == _ns(doc) and selector_matches(spec.get("selector"), _labels(template))]
    if not matched:
        problems.append(f"{where}: selector matches no pod in the render")
    for endpoint in spec.get("podMetricsEndpoints") or [{}]:
        problems.extend(f"{where}: unknown podMetricsEndpoints field {k!r}"
                        for k in sorted(set(endpoint) - _POD_METRICS_ENDPOINT))
        port = endpoint.get("port")
        for template in matched:
            names = {p.get("name") for _kind, c in _containers(template) for p in c.get("ports") or []}
            if port not in names:
                problems.append(f"{where}: port {port!r} is not a named container port of the pods it selects")
                break
    return problems


def _rule_problems(doc: Doc) -> list[str]:
    where, groups = _ref(doc), (doc.get("spec") or {}).get("groups") or []
    problems = [] if groups else [f"{where}: no rule groups"]
    names = [g.get("name") for g in groups]
    problems.extend(f"{where}: group {n!r} appears twice" for n in sorted({n for n in names if names.count(n) > 1}))
    for group in groups:
        for index, rule in enumerate(group.get("rules") or []):
            kinds = [k for k in ("record", "alert") if rule.get(k)]
            if len(kinds) != 1 or not str(rule.get("expr") or "").strip():
                problems.append(f"{where}: group {group.get('name')!r} rule {index} needs an expr and one of "
                                "record/alert")
    return problems


OWN_CHECKS = (
    check_monitoring,
    check_names,
    check_selectors,
    check_services,
    check_quantities,
    check_hpas,
    check_pdbs,
    check_containers,
    check_references,
    check_network_policies,
    check_gateway_upstreams,
)


def check_documents(docs: Iterable[Doc], *, envoy: bool = True, version: str = K8S_VERSION) -> list[str]:
    docs = [copy.deepcopy(d) for d in docs]
    problems = check_schema(docs, version)
    for check in OWN_CHECKS:
        problems.extend(check(docs))
    if envoy:
        problems.extend(check_envoy(docs))
    return problems


def check_overlay(overlay: str | Path, *, envoy: bool = True, version: str = K8S_VERSION) -> list[str]:
    try:
        docs = render(overlay)
    except RenderError as error:
        return [str(error)]
    return check_documents(docs, envoy=envoy, version=version)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.k8s_check", description=__doc__.split("\n")[0])
    parser.add_argument("overlays", nargs="+", help="kustomize directories, e.g. deploy/k8s/overlays/dev")
    parser.add_argument("--kubernetes-version", default=K8S_VERSION)
    parser.add_argument("--no-envoy", action="store_true", help="skip envoy --mode validate")
    args = parser.parse_args(argv)
    failed = False
    for overlay in args.overlays:
        problems = check_overlay(overlay, envoy=not args.no_envoy, version=args.kubernetes_version)
        for problem in problems:
            print(f"{overlay}: {problem}", file=sys.stderr)
        print(f"{overlay}: {'FAIL' if problems else 'ok'} ({len(problems)} problems)")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
