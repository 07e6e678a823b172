"""Prometheus metrics of the HTTP surface, on a registry per app (tests build many apps)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class WebMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "chengguo_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.runs = Counter(
            "chengguo_runs_total",
            "Agent runs by kind (turn, resume) and outcome (done, interrupted, error, disconnected).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.run_seconds = Histogram(
            "chengguo_run_seconds",
            "Wall time of one agent run, first byte to done.",
            ["kind"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
            registry=self.registry,
        )
        self.active_streams = Gauge(
            "chengguo_active_streams", "SSE streams currently open.", registry=self.registry
        )
        self.rate_limited = Counter(
            "chengguo_rate_limited_total", "Requests refused with 429.", registry=self.registry
        )
