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

.PHONY: venv protos run test test-unit test-integration test-e2e lint bench k8s-check gateway-config clean

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
