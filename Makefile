# BinoAuth developer entry points. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
GEN := build/gen
DESC := build/descriptors/api.pb
FED_OP := tests/e2e/federation
FED_OP_INSTALLED := $(FED_OP)/node_modules/.installed
PROTOS := $(shell find protos -name '*.proto' | sort)
GOOGLEAPIS = $(shell $(PY) -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))')
export PYTHONPATH := $(CURDIR):$(CURDIR)/$(GEN)

.PHONY: nextjs-example python-sdk python-sdk-sync venv protos openapi run observe observability-config test test-sdks test-unit test-integration test-e2e test-faults soak lint lint-protos pages-css gateway-config k8s-check bench bench-tenants bench-analytics bench-console clean console test-console

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

openapi: venv protos  ## Regenerate openapi/openapi.json from the protos (a test fails when it is stale).
	$(PY) -m tools.openapi --descriptor $(DESC) --out openapi/openapi.json
	# The Python client generated from it follows (python-sdk/, ~2 s).
	$(MAKE) --no-print-directory python-sdk-sync

# The Python client and CLI (python-sdk/): its admin API client is generated from
# openapi/openapi.json and its token rules are vendored from services/common/token_rules.py;
# tests/unit/python_sdk/test_python_sdk_sync.py fails when either is stale.
python-sdk-sync: venv  ## Regenerate python-sdk's admin client (openapi-python-client) and vendored token rules.
	$(PY) python-sdk/scripts/sync.py

PY_SDK_WHEEL_DIR := build/python-sdk
python-sdk: venv  ## Build the `binoauth` wheel (python-sdk/) into build/python-sdk.
	rm -rf $(PY_SDK_WHEEL_DIR) && mkdir -p $(PY_SDK_WHEEL_DIR)
	$(PIP) wheel -q --disable-pip-version-check --no-deps --no-build-isolation -w $(PY_SDK_WHEEL_DIR) ./python-sdk
	$(PY) -c 'import sys, zipfile, glob; names = zipfile.ZipFile(glob.glob("$(PY_SDK_WHEEL_DIR)/binoauth-*.whl")[0]).namelist(); \
	  missing = [n for n in ("binoauth_sdk/_token_rules.py", "binoauth_sdk/admin/client.py", "binoauth_sdk/cli/__init__.py", "binoauth_sdk/py.typed") if n not in names]; \
	  sys.exit("wheel lacks " + ", ".join(missing) if missing else 0)'

# --- the two commands -------------------------------------------------------------------
run: venv protos pages-css console  ## Start PostgreSQL, Redis, every service (2 replicas) and Envoy on :8080.
	$(PY) -m tools.stack run --data .data

observe: venv protos pages-css console  ## make run plus Prometheus (:9090) and Alertmanager (:9093); see observability/.
	$(PY) -m tools.observe run --data .data

observability-config: venv  ## Regenerate observability/prometheus.yml, the rules, the dashboards and the k8s monitoring component.
	$(PY) -m observability.scrape
	$(PY) -m observability.rules
	$(PY) -m observability.dashboards
	$(PY) -m observability.k8s

test: venv protos pages-css lint-protos python-sdk test-sdks test-console nextjs-example $(FED_OP_INSTALLED)  ## All test tiers.
	$(PY) -m pytest tests -q

# --- tiers and checks -------------------------------------------------------------------
# The independent upstream OpenID provider of tests/e2e/test_federation_providers.py (panva's
# oidc-provider): its own lock file, outside the root npm workspace, like the benchmark's peer.
$(FED_OP_INSTALLED): $(FED_OP)/package-lock.json
	cd $(FED_OP) && flock /tmp/npm.lock npm ci --no-audit --no-fund --silent
	touch $@

test-unit: venv protos
	$(PY) -m pytest tests -q -m unit

test-integration: venv protos
	$(PY) -m pytest tests -q -m integration

test-e2e: venv protos pages-css console nextjs-example $(FED_OP_INSTALLED)
	$(PY) -m pytest tests -q -m e2e

test-faults: venv protos  ## The fault tier alone: restarts, kills and slow datastores under load (~3 min).
	$(PY) -m pytest tests/faults -q -s

# npm ci: exactly package-lock.json (the workspace: console/, sdks/*, examples/react-spa,
# examples/express-api and the tools; examples/nextjs-app installs on its own: next is large).
node_modules/.bin/buf: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The admin console and the API reference page (Swagger UI), built to build/static, which
# Envoy serves at /console/ and /api/v1/reference (gateway/static.lua). sdks/admin (the
# generated API client the console uses) is regenerated from openapi/openapi.json first.
CONSOLE_STAMP := build/static/.stamp
CONSOLE_INPUTS := $(shell find console/src console/scripts sdks/admin/src -type f 2>/dev/null) console/index.html \
	console/vite.config.ts console/package.json sdks/admin/package.json openapi/openapi.json
console: $(CONSOLE_STAMP)  ## Build the console and the API reference page into build/static (npm ci first).
$(CONSOLE_STAMP): node_modules/.bin/buf $(CONSOLE_INPUTS)
	npm run --silent build:console
	touch $@

test-console: console  ## tsc (strict), eslint and vitest for console/ and sdks/admin (~30 s).
	npm run --silent test:console

# The hosted pages' stylesheet (services/common/pages), built from web/pages.css by the Tailwind CLI.
PAGES_CSS := build/web/pages.css
pages-css: $(PAGES_CSS)
$(PAGES_CSS): web/pages.css services/common/pages/kit.py node_modules/.bin/buf
	npm run --silent build:pages

# The TypeScript SDKs (sdks/oauth-core, sdks/node, sdks/react) and the React example: tsc builds
# (strict), typecheck, vitest. The e2e tier (tests/e2e/test_sdk_examples.py) uses the builds.
test-sdks: node_modules/.bin/buf  ## Build, typecheck and unit-test the TypeScript SDKs (~40 s).
	npm run --silent test:sdks

# examples/nextjs-app installs on its own (next is ~330 MB, kept out of the root workspace);
# tests/e2e/test_sdk_examples.py runs it with `next dev`, as its README does.
NEXT_EXAMPLE := examples/nextjs-app/node_modules/.installed
nextjs-example: $(NEXT_EXAMPLE)  ## Install the Next.js example's own dependencies (npm ci).
$(NEXT_EXAMPLE): examples/nextjs-app/package-lock.json
	cd examples/nextjs-app && flock /tmp/npm.lock npm ci --no-audit --no-fund --silent
	touch $@

lint-protos: node_modules/.bin/buf $(DESC)
	node_modules/.bin/buf lint "$(DESC)#format=binpb" --path binoauth --config protos/buf.yaml
	node_modules/.bin/buf format --diff --exit-code protos

lint: venv protos lint-protos
	$(VENV)/bin/ruff check services tools gateway tests observability
	MYPYPATH=$(GEN) $(VENV)/bin/mypy services tools gateway observability
	# python-sdk: its own code strictly; the generated admin client is checked by its staleness test.
	$(VENV)/bin/ruff check python-sdk
	MYPYPATH=$(GEN) $(VENV)/bin/mypy --exclude 'binoauth_sdk/admin/' python-sdk/src/binoauth_sdk

gateway-config: venv protos  ## Render the local and Kubernetes Envoy configs into build/gateway.
	$(PY) -m gateway.render --profile local --out build/gateway/envoy-local.yaml
	$(PY) -m gateway.render --profile k8s --out build/gateway/envoy-k8s.yaml

k8s-check: venv protos  ## Render every overlay, validate them strictly, and run the project's own checks.
	$(PY) -m tools.k8s_check deploy/k8s/overlays/dev deploy/k8s/overlays/prod deploy/k8s/overlays/prod-monitoring

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

BENCH_PEER := tools/bench-peer
BENCH_ARGS ?=
bench: venv protos $(BENCH_PEER)/node_modules/.installed  ## Every scenario: req/s, p50, p99, CPU µs/request per process; oidc-provider beside it.
	$(PY) -m tools.bench $(BENCH_ARGS)

# The peer (panva's oidc-provider) has its own lock file, outside the root npm workspace;
# flock: several checkouts on one machine share npm's cache.
$(BENCH_PEER)/node_modules/.installed: $(BENCH_PEER)/package-lock.json
	cd $(BENCH_PEER) && flock /tmp/npm.lock npm ci --no-audit --no-fund --silent
	touch $@

N ?= 10000
USERS ?= 100000
bench-tenants: venv protos  ## Provision N tenants (N=10000), then token/sign-in p50, start-up, RSS, catalog at #1 and #N.
	$(PY) -m tools.bench_tenants --tenants $(N)

bench-analytics: venv protos  ## 30-day analytics queries (one tenant, platform-wide) with 10,000 tenants' rows stored.
	$(PY) -m tools.bench_analytics

bench-console: venv protos console  ## Console: initial JS (gzip) and every page's load time, N tenants and USERS users in one (Chromium).
	$(PY) -m tools.bench_console --tenants $(N) --users $(USERS)

SOAK_MINUTES ?= 30
soak: venv protos  ## 30 min of mixed load; memory, fds and connections per process each minute (not in CI).
	$(PY) -m tools.soak --minutes $(SOAK_MINUTES)
