"""Tracing stays off unless the standard OTEL_* variables configure an exporter; log lines
inside a span carry its ids."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider

from services.common import tracing
from services.common.tracing import add_trace_ids, tracing_requested

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("env", "on"), [
    ({}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317"}, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4317"}, True),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_TRACES_EXPORTER": "none"}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_SDK_DISABLED": "true"}, False),
])
def test_tracing_is_off_unless_an_exporter_is_configured(env: dict[str, str], on: bool) -> None:
    assert tracing_requested(env) is on


def test_log_lines_inside_a_span_carry_its_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = TracerProvider()
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("rpc"):
        assert "trace_id" not in add_trace_ids(None, "info", {"event": "tracing off"})
    monkeypatch.setattr(tracing, "_provider", provider)
    assert "trace_id" not in add_trace_ids(None, "info", {"event": "outside"})
    with tracer.start_as_current_span("rpc") as span:
        event = add_trace_ids(None, "info", {"event": "inside"})
    assert event["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert event["span_id"] == format(span.get_span_context().span_id, "016x")


def test_the_otlp_exporter_imports_with_the_installed_protos() -> None:
    # xds-protos ships an older opentelemetry/proto; the installers put opentelemetry-proto's
    # files back (Makefile venv). Without that, every service exits at start when tracing is on.
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    assert OTLPSpanExporter is not None
