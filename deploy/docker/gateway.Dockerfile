# syntax=docker/dockerfile:1
# Envoy with the descriptor set, the Lua filter, the rendered Kubernetes config and the built
# admin console (+ API reference page) baked in.
# The Deployment mounts the same config (deploy/k8s/base/gateway/envoy.yaml) from a ConfigMap
# at /etc/envoy/envoy.yaml; api.pb and filter.lua stay in the image under /etc/binoauth/gateway
# (gateway/values.py: K8S_CONFIG_DIR), so image and config come from the same protos.
# Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t REGISTRY/binoauth-gateway:TAG .

# --- build: descriptor set (as `make protos`) and the k8s Envoy config (as gateway.render) ---
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.txt requirements-dev.txt ./
# PyYAML (the renderer's only extra dependency) at the pin of requirements-dev.txt.
RUN pip install -r requirements.txt "$(grep -i '^pyyaml==' requirements-dev.txt)"
COPY protos/ protos/
COPY gateway/ gateway/
RUN GOOGLEAPIS="$(python -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))')" \
 && mkdir -p /out \
 && python -m grpc_tools.protoc -Iprotos -I"$GOOGLEAPIS" --include_imports --include_source_info \
      --descriptor_set_out=/out/api.pb $(find protos -name '*.proto' | sort) \
      google/rpc/status.proto google/rpc/error_details.proto \
 && python -m gateway.render --profile k8s --set descriptor_source=/out/api.pb --out /out/envoy.yaml

# --- console: the admin console and the API reference page (as `make console`) -------------
# npm ci needs every workspace's package.json (console/, sdks/*, examples/*); the build
# regenerates sdks/admin's client from openapi.json, then Vite writes build/static/console,
# scripts/reference.mjs build/static/reference, scripts/compress.mjs their .gz copies.
FROM node:20.20-bookworm-slim AS console
WORKDIR /src
COPY package.json package-lock.json ./
COPY console/ console/
COPY sdks/ sdks/
COPY examples/ examples/
COPY openapi/openapi.json openapi/openapi.json
RUN npm ci --no-audit --no-fund && npm run build:console

# --- runtime ----------------------------------------------------------------------------
FROM envoyproxy/envoy:v1.40.0
COPY --from=build /out/api.pb /etc/binoauth/gateway/api.pb
COPY gateway/filter.lua /etc/binoauth/gateway/filter.lua
COPY openapi/openapi.json /etc/binoauth/gateway/openapi.json
# Served by gateway/static.lua at /console/ and /api/v1/reference (values.static_root).
COPY --from=console /src/build/static /etc/binoauth/gateway/static
COPY --from=build /out/envoy.yaml /etc/envoy/envoy.yaml
# uid 101 is the image's `envoy` user; numeric so that runAsNonRoot can verify it.
USER 101:101
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/envoy"]
CMD ["-c", "/etc/envoy/envoy.yaml", "--log-level", "info"]
