"""OpenTelemetry tracing: off unless the standard OTEL_* variables name an exporter.

W3C trace context (`traceparent`) comes in with each RPC (from Envoy, which starts the trace,
or from another service), and goes out on every internal call: the instrumentation's own
grpc.aio interceptors do both. Spans carry the tenant, never a secret: the interceptors
record the method, status and peer only, and our attributes are ids.

Configuration is OpenTelemetry's own (https://opentelemetry.io/docs/specs/otel/configuration/
sdk-environment-variables/): OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) turns it on,
OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true keeps it off, OTEL_TRACES_SAMPLER and the
OTEL_BSP_* batching variables apply as the SDK reads them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from opentelemetry import trace

_provider: Any = None


def tracing_requested(env: Mapping[str, str]) -> bool:
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() in ("none", ""):
        return False
    return bool(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))


def configure_tracing(service: str, env: Mapping[str, str] = os.environ) -> bool:
    """Installs the process's tracer provider (service.name binoauth-<service>) exporting over
    OTLP/gRPC; False (and nothing installed) when tracing is not configured."""
    global _provider
    if _provider is not None or not tracing_requested(env):
        return _provider is not None
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": f"binoauth-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    return True


def enabled() -> bool:
    return _provider is not None


def server_interceptors() -> list[Any]:
    if not enabled():
        return []
    from opentelemetry.instrumentation.grpc import aio_server_interceptor

    return [aio_server_interceptor()]


def client_interceptors() -> list[Any]:
    if not enabled():
        return []
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    return list(aio_client_interceptors())


def annotate(**attributes: str) -> None:
    """Sets `binoauth.<name>` attributes (ids only) on the current span, if one records."""
    if _provider is None:
        return  # tracing off: no work on every RPC
    span = trace.get_current_span()
    if span.is_recording():
        for name, value in attributes.items():
            if value:
                span.set_attribute(f"binoauth.{name}", value)


@contextlib.contextmanager
def span(name: str, **attributes: str) -> Iterator[None]:
    """A child span of the current one around a step worth seeing in a trace (ids only)."""
    if _provider is None:
        yield  # tracing off: no span objects on the hot path
        return
    with trace.get_tracer("binoauth").start_as_current_span(
            name, attributes={f"binoauth.{k}": v for k, v in attributes.items() if v}):
        yield


def add_trace_ids(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the current trace and span ids on every line logged inside a span."""
    if _provider is None:
        return event  # tracing off: no work on every log line
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def shutdown() -> None:
    """Flushes the spans still queued (on stop)."""
    if _provider is not None:
        _provider.shutdown()
