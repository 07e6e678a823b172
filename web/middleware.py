"""Pure ASGI middleware: CORS per key, a request body limit, request metrics.

Pure ASGI (not `BaseHTTPMiddleware`) so SSE responses stream through untouched and a client
disconnect still reaches the endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.errors import ApiError, body_too_large
from web.metrics import WebMetrics

# Set by the auth dependency in scope["state"]: the origins the request's key allows.
KEY_ORIGINS_STATE = "chengguo_key_origins"

_ALLOW_METHODS = "GET, POST, OPTIONS"
_ALLOW_HEADERS = "Authorization, Content-Type, Accept, Last-Event-ID"
_EXPOSE_HEADERS = "Retry-After, Content-Disposition"


async def _send_error(send: Send, err: ApiError, extra_headers: dict[str, str] | None = None) -> None:
    body = json.dumps(err.body(), ensure_ascii=False).encode("utf-8")
    headers = {"content-type": "application/json", "content-length": str(len(body)), **err.headers}
    headers.update(extra_headers or {})
    await send(
        {
            "type": "http.response.start",
            "status": err.status,
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class CorsMiddleware:
    """CORS with per-key origins: never `*`, the matching origin echoed, preflights answered here.

    A preflight carries no credentials, so it is allowed for any origin some active publishable key
    lists; the real request is then checked against its own key's origins (the auth dependency
    records them), and the response only carries `Access-Control-Allow-Origin` when they match.
    """

    def __init__(
        self, app: ASGIApp, allowed_origins: Callable[[], set[str]], path_prefix: str = "/v1/"
    ) -> None:
        self.app = app
        self.allowed_origins = allowed_origins
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            if origin is not None and origin in self.allowed_origins():
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [
                            (b"access-control-allow-origin", origin.encode()),
                            (b"access-control-allow-methods", _ALLOW_METHODS.encode()),
                            (b"access-control-allow-headers", _ALLOW_HEADERS.encode()),
                            (b"access-control-max-age", b"600"),
                            (b"vary", b"Origin"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await _send_error(
                    send,
                    ApiError(
                        403,
                        "origin_not_allowed",
                        "This origin is not allowed by any key.",
                        "该来源未被任何密钥允许。",
                    ),
                    {"vary": "Origin"},
                )
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.append("Vary", "Origin")
                if origin is not None:
                    key_origins = scope.get("state", {}).get(KEY_ORIGINS_STATE)
                    # Before a key is known (401, 413 …) fall back to the global allowlist, so the
                    # widget can still read the error; once known, only that key's origins count.
                    ok = (
                        origin in key_origins if key_origins is not None else origin in self.allowed_origins()
                    )
                    if ok:
                        out["Access-Control-Allow-Origin"] = origin
                        out["Access-Control-Expose-Headers"] = _EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)


class BodyLimitMiddleware:
    """413 for bodies above `limit` bytes, by Content-Length or by counting a chunked body."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _send_error(send, body_too_large(self.limit))
            return
        # Read the (small) body up front, then replay it; later receives (disconnect) pass through.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending its body: nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _send_error(send, body_too_large(self.limit))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class MetricsMiddleware:
    """Counts requests by method, route template (not raw path: ids would explode cardinality), status."""

    def __init__(self, app: ASGIApp, metrics: WebMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                route = scope.get("route")
                template = getattr(route, "path", None) or "unmatched"
                self.metrics.requests.labels(scope["method"], template, str(message["status"])).inc()
            await send(message)

        await self.app(scope, receive, send_counted)
