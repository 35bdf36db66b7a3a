"""Prometheus, Alertmanager and Grafana configuration as code (see observability/README.md)."""
