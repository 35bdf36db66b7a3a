# syntax=docker/dockerfile:1
# One image for the four services; the Deployment picks the module:
#   args: ["services.tenant"]   (ENTRYPOINT is `python -m`)
# Build from the repository root:
#   docker build -f deploy/docker/service.Dockerfile -t REGISTRY/binoauth-service:TAG .

# --- build: pinned requirements into a venv, generated gRPC code from protos/ -------------
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY protos/ protos/
COPY tools/make_packages.py tools/make_packages.py
# Same protoc invocation as `make protos` (build/gen).
RUN GOOGLEAPIS="$(python -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))')" \
 && mkdir -p /out/gen \
 && python -m grpc_tools.protoc -Iprotos -I"$GOOGLEAPIS" \
      --python_out=/out/gen --grpc_python_out=/out/gen $(find protos -name '*.proto' | sort) \
 && python tools/make_packages.py /out/gen

# --- the hosted pages' stylesheet: Tailwind 4 CLI from package.json (as `make pages-css`) --
FROM node:20-bookworm-slim AS pages
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY web/pages.css web/pages.css
COPY services/common/pages/ services/common/pages/
RUN npm run build:pages

# --- runtime: slim base, no compilers, non-root ---------------------------------------
FROM python:3.11.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app:/app/gen \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 binoauth \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin binoauth
COPY --from=build /opt/venv /opt/venv
COPY --from=build /out/gen /app/gen
COPY services/ /app/services/
# services/common/pages/assets.py serves it from here (/assets/pages.css).
COPY --from=pages /src/build/web/pages.css /app/build/web/pages.css
WORKDIR /app
USER 10001:10001
EXPOSE 50051 9101
ENTRYPOINT ["python", "-m"]
CMD ["services.tenant"]
