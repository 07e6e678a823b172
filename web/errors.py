"""One JSON error shape for the whole API: {"error": {"code", "message", "message_zh"}}.

Every error the API returns goes through `ApiError` (or is converted to it by the handlers in
`web.app`), so a widget or a portal backend can branch on a stable `code` and show either message.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class ApiError(Exception):
    """An HTTP error with a stable code and an English and a Chinese message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        message_zh: str,
        *,
        headers: dict[str, str] | None = None,
        details: list[dict[str, Any]] | None = None,
        ref: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.ref = ref
        self.status = status
        self.code = code
        self.message = message
        self.message_zh = message_zh
        self.headers = headers or {}
        self.details = details

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message, "message_zh": self.message_zh}
        if self.details is not None:
            err["details"] = self.details
        if self.ref is not None:
            err["ref"] = self.ref
        return {"error": err}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


# The errors used in more than one place, built by small functions so wording stays consistent.


def missing_key() -> ApiError:
    return ApiError(
        401,
        "missing_key",
        "Send your key as 'Authorization: Bearer pk_…' (widget) or 'Bearer sk_…' (server).",
        "缺少密钥：请在请求头中携带 'Authorization: Bearer pk_…'（网页组件）或 'Bearer sk_…'（服务端）。",
    )


def invalid_key() -> ApiError:
    return ApiError(401, "invalid_key", "Unknown or revoked key.", "密钥无效或已被吊销。")


def not_found(what: str = "thread") -> ApiError:
    zh = {"thread": "会话", "artifact": "文件"}.get(what, what)
    return ApiError(404, f"{what}_not_found", f"No such {what}.", f"未找到该{zh}。")


def run_in_progress() -> ApiError:
    return ApiError(
        409,
        "run_in_progress",
        "A run is already in progress on this thread; wait for it to finish.",
        "该会话正在处理上一条请求，请稍候再试。",
    )


def rate_limited(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        f"Too many requests for this key; retry in {retry_after} s.",
        f"请求过于频繁，请在 {retry_after} 秒后重试。",
        headers={"Retry-After": str(retry_after)},
    )


def body_too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "body_too_large",
        f"Request body exceeds {limit} bytes.",
        f"请求体超过 {limit} 字节的上限。",
    )


def store_unavailable(ref: str) -> ApiError:
    """A data file failed its check: the operator sees which in the log and /healthz; users a reference."""
    return ApiError(
        503,
        "store_unavailable",
        f"The service is temporarily unavailable (data store check failed). Reference {ref}.",
        f"服务暂时不可用（数据存储检查未通过），参考编号 {ref}。",
        headers={"Retry-After": "30"},
        ref=ref,
    )


def internal(ref: str) -> ApiError:
    return ApiError(
        500,
        "internal",
        f"Something went wrong on our side. Reference {ref}.",
        f"服务器内部错误，参考编号 {ref}。",
        ref=ref,
    )


# -- OpenAPI: the error shape and which codes each status carries, so /docs shows integrators the real bodies.


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `thread_not_found`.")
    message: str = Field(description="English message naming the problem.")
    message_zh: str = Field(description="The same message in Chinese.")
    details: list[dict[str, Any]] | None = Field(
        None, description="For `invalid_request`: one entry per problem with `loc` (where), `msg`, `type`."
    )
    ref: str | None = Field(None, description="For `internal` / `store_unavailable`: quote it to support.")


class ErrorBody(BaseModel):
    error: ErrorInfo


_STATUS_CODES: dict[int, str] = {
    401: "`missing_key`, `invalid_key`",
    403: "`origin_not_allowed`, `origin_required`, `secret_key_in_browser`",
    404: "`thread_not_found`, `artifact_not_found`, `not_found` — also for another tenant's thread",
    409: "`run_in_progress` (one run per thread), `no_pending_approval`",
    413: "`body_too_large`",
    422: "`invalid_request` (with `details[].loc`), `text_too_long`",
    429: "`rate_limited`; wait `Retry-After` seconds",
    500: "`internal` (with `ref`)",
    503: "`store_unavailable` (with `ref`); wait `Retry-After` seconds",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with the JSON error body and the codes it may carry."""
    return {s: {"model": ErrorBody, "description": _STATUS_CODES[s]} for s in statuses}
