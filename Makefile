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

.PHONY: venv protos run test test-unit test-integration test-e2e lint lint-protos gateway-config k8s-check bench clean

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
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

# --- the two commands -------------------------------------------------------------------
run: venv protos  ## Start PostgreSQL, Redis, every service (2 replicas) and Envoy on :8080.
	$(PY) -m tools.stack run --data .data

test: venv protos lint-protos  ## All test tiers.
	$(PY) -m pytest tests -q

# --- tiers and checks -------------------------------------------------------------------
test-unit: venv protos
	$(PY) -m pytest tests -q -m unit

test-integration: venv protos
	$(PY) -m pytest tests -q -m integration

test-e2e: venv protos
	$(PY) -m pytest tests -q -m e2e

node_modules/.bin/buf: package.json
	npm install --no-audit --no-fund --silent
	touch $@

lint-protos: node_modules/.bin/buf $(DESC)
	node_modules/.bin/buf lint "$(DESC)#format=binpb" --path binoauth --config protos/buf.yaml
	node_modules/.bin/buf format --diff --exit-code protos

lint: venv protos lint-protos
	$(VENV)/bin/ruff check services tools gateway tests
	MYPYPATH=$(GEN) $(VENV)/bin/mypy services tools gateway

gateway-config: venv protos  ## Render the local and Kubernetes Envoy configs into build/gateway.
	$(PY) -m gateway.render --profile local --out build/gateway/envoy-local.yaml
	$(PY) -m gateway.render --profile k8s --out build/gateway/envoy-k8s.yaml

k8s-check: venv protos  ## Render both overlays, validate them strictly, and run the project's own checks.
	$(PY) -m tools.k8s_check deploy/k8s/overlays/dev deploy/k8s/overlays/prod

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

bench: venv protos  ## Throughput/latency of the hot paths (medians and ratios; noisy machines).
	$(PY) -m tools.bench
