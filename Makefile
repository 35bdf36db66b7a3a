# BinoAuth developer entry points. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
GEN := build/gen
DESC := build/descriptors/api.pb
PROTOS := $(shell find protos -name '*.proto' | sort)
GOOGLEAPIS = $(shell $(PY) -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))')
export PYTHONPATH := $(CURDIR):$(CURDIR)/$(GEN)

.PHONY: venv protos openapi run observe observability-config test test-unit test-integration test-e2e test-faults soak lint lint-protos pages-css gateway-config k8s-check bench clean

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	# xds-protos overwrites opentelemetry-proto's files with an older copy: put them back.
	$(PIP) install -q --disable-pip-version-check --force-reinstall --no-deps "$$(grep '^opentelemetry-proto==' requirements.txt)"
	touch $@

protos: $(GEN)/.stamp $(DESC)

$(GEN)/.stamp: $(PROTOS) $(VENV)/.installed
	rm -rf $(GEN) && mkdir -p $(GEN)
	$(PY) -m grpc_tools.protoc -Iprotos -I$(GOOGLEAPIS) \
		--python_out=$(GEN) --pyi_out=$(GEN) --grpc_python_out=$(GEN) $(PROTOS)
	$(PY) tools/make_packages.py $(GEN)
	touch $@

$(DESC): $(PROTOS) $(VENV)/.installed
	mkdir -p $(dir $(DESC))
	$(PY) -m grpc_tools.protoc -Iprotos -I$(GOOGLEAPIS) --include_imports --include_source_info \
		--descriptor_set_out=$(DESC) $(PROTOS) google/rpc/status.proto google/rpc/error_details.proto

openapi: venv protos  ## Regenerate openapi/openapi.json from the protos (a test fails when it is stale).
	$(PY) -m tools.openapi --descriptor $(DESC) --out openapi/openapi.json

# --- the two commands -------------------------------------------------------------------
run: venv protos pages-css  ## Start PostgreSQL, Redis, every service (2 replicas) and Envoy on :8080.
	$(PY) -m tools.stack run --data .data

observe: venv protos pages-css  ## make run plus Prometheus (:9090) and Alertmanager (:9093); see observability/.
	$(PY) -m tools.observe run --data .data

observability-config: venv  ## Regenerate observability/prometheus.yml, the rules, the dashboards and the k8s monitoring component.
	$(PY) -m observability.scrape
	$(PY) -m observability.rules
	$(PY) -m observability.dashboards
	$(PY) -m observability.k8s

test: venv protos pages-css lint-protos  ## All test tiers.
	$(PY) -m pytest tests -q

# --- tiers and checks -------------------------------------------------------------------
test-unit: venv protos
	$(PY) -m pytest tests -q -m unit

test-integration: venv protos
	$(PY) -m pytest tests -q -m integration

test-e2e: venv protos pages-css
	$(PY) -m pytest tests -q -m e2e

test-faults: venv protos  ## The fault tier alone: restarts, kills and slow datastores under load (~3 min).
	$(PY) -m pytest tests/faults -q -s

node_modules/.bin/buf: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# The hosted pages' stylesheet (services/common/pages), built from web/pages.css by the Tailwind CLI.
PAGES_CSS := build/web/pages.css
pages-css: $(PAGES_CSS)
$(PAGES_CSS): web/pages.css services/common/pages/kit.py node_modules/.bin/buf
	npm run --silent build:pages

lint-protos: node_modules/.bin/buf $(DESC)
	node_modules/.bin/buf lint "$(DESC)#format=binpb" --path binoauth --config protos/buf.yaml
	node_modules/.bin/buf format --diff --exit-code protos

lint: venv protos lint-protos
	$(VENV)/bin/ruff check services tools gateway tests observability
	MYPYPATH=$(GEN) $(VENV)/bin/mypy services tools gateway observability

gateway-config: venv protos  ## Render the local and Kubernetes Envoy configs into build/gateway.
	$(PY) -m gateway.render --profile local --out build/gateway/envoy-local.yaml
	$(PY) -m gateway.render --profile k8s --out build/gateway/envoy-k8s.yaml

k8s-check: venv protos  ## Render every overlay, validate them strictly, and run the project's own checks.
	$(PY) -m tools.k8s_check deploy/k8s/overlays/dev deploy/k8s/overlays/prod deploy/k8s/overlays/prod-monitoring

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

bench: venv protos  ## Throughput/latency of the hot paths (medians and ratios; noisy machines).
	$(PY) -m tools.bench

SOAK_MINUTES ?= 30
soak: venv protos  ## 30 min of mixed load; memory, fds and connections per process each minute (not in CI).
	$(PY) -m tools.soak --minutes $(SOAK_MINUTES)
