"""The HTTP surface: a versioned JSON + SSE API for the embedded widget and portal backends.

    POST /v1/threads                                   create a thread (201)
    GET  /v1/threads                                   the tenant's recent threads
    GET  /v1/threads/{id}                              history + pending approval
    POST /v1/threads/{id}/runs        {text, lang?}    a user turn, streamed as SSE
    POST /v1/threads/{id}/approval    {action, args?}  answer a hold, the continued run streamed
    GET  /v1/threads/{id}/artifacts/{artifact_id}      download a term sheet (.md / .docx)
    GET  /healthz  /metrics  /widget.js  /demo (with a demo key)  /docs (OpenAPI)

Every SSE message is `event: <kind>` + `data: {"event": kind, "data": {...}}` — the agent's own
events (`agent.events`), except that artifacts carry a download `id`/`url` instead of a server path.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field, field_validator, model_validator
from sse_starlette import EventSourceResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent.errors import error_reference, internal_error
from agent.events import Decision, Event
from agent.journal import CHECKPOINTS_FILE, unfinished_threads
from knowledge.config import Settings, get_settings
from knowledge.integrity import STORE_NAMES, StoreDamaged, StoreProblem, check_data_dir
from web import errors
from web.db import WebDB, web_db_path
from web.errors import ApiError, error_responses
from web.keys import ApiKey, KeyStore, Rate, parse_rate
from web.lease import HEARTBEAT_SECONDS
from web.metrics import WebMetrics
from web.middleware import KEY_ORIGINS_STATE, BodyLimitMiddleware, CorsMiddleware, MetricsMiddleware
from web.ratelimit import TokenBuckets, retry_after_seconds
from web.runs import AgentLike, AgentRun
from web.settings import WebSettings
from web.threads import ThreadInfo, ThreadStore

STATIC_DIR = Path(__file__).parent / "static"
HEALTH_TTL = 5.0
"""Seconds a store check is reused (an integrity check reads every page; /healthz may be polled often)."""
logger = logging.getLogger("chengguo.web")

AgentFactory = Callable[[Settings], AgentLike]


def _default_agent_factory(settings: Settings) -> AgentLike:
    from agent.runtime import Agent  # imported late: the server starts without loading models

    agent: AgentLike = Agent(settings)
    return agent


@dataclass
class WebState:
    """Everything the endpoints share; one per app."""

    settings: Settings
    web: WebSettings
    db: WebDB
    keys: KeyStore
    threads: ThreadStore
    buckets: TokenBuckets
    metrics: WebMetrics
    run_threads: int
    agent_factory: AgentFactory
    _agent: AgentLike | None = None
    _agent_lock: threading.Lock = field(default_factory=threading.Lock)
    _executor: ThreadPoolExecutor | None = None

    warmed: bool = False
    recovered: bool = False
    _health: tuple[float, list[StoreProblem]] | None = None
    _health_lock: threading.Lock = field(default_factory=threading.Lock)
    _beat_stop: threading.Event | None = None

    def store_problems(self) -> list[StoreProblem]:
        """Damaged store files in the data dir; checked at most every HEALTH_TTL seconds."""
        now = time.monotonic()
        with self._health_lock:
            if self._health is None or now - self._health[0] > HEALTH_TTL:
                self._health = (now, check_data_dir(self.settings.data_dir))
            return self._health[1]

    def require_stores(self) -> None:
        """Refuse work with a 503 + reference while a store is damaged (the log names the file)."""
        problems = self.store_problems()
        if problems:
            ref = error_reference()
            logger.error("refused a request (ref %s): %s", ref, "; ".join(p.describe() for p in problems))
            raise errors.store_unavailable(ref)

    def agent_ready(self) -> bool:
        return self._agent is not None

    def warm_up(self) -> None:
        """Build the agent and open the knowledge base (index, embedder) before the first user needs them."""
        try:
            self.agent()
            from knowledge.kb import open_kb

            open_kb(self.settings)
        except StoreDamaged as exc:  # named at start already; /healthz and requests report it
            logger.error("not warmed up: %s", exc)
            return
        except Exception:  # a broken index shows up on the first request, with its own error event
            logger.exception("warming up the knowledge base failed")
        self.warmed = True

    def executor(self) -> ThreadPoolExecutor:
        """The pool that drives agent runs; rebuilt if the app is started again after a shutdown."""
        with self._agent_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.run_threads, thread_name_prefix="chengguo-run"
                )
            return self._executor

    def shutdown(self) -> None:
        with self._agent_lock:
            pool, self._executor = self._executor, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def start_heartbeat(self) -> None:
        """Beat this instance's row every HEARTBEAT_SECONDS so other servers see our leases are live."""
        stop = self._beat_stop = threading.Event()

        period = self.web.backup_hours * 3600
        next_backup = time.monotonic() + period

        def beat() -> None:
            nonlocal next_backup
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    self.threads.heartbeat()
                except Exception:  # a busy or damaged web.db must not kill the beat; /healthz reports it
                    logger.exception("heartbeat failed")
                if period > 0 and time.monotonic() >= next_backup:
                    next_backup = time.monotonic() + period
                    self.executor().submit(self.backup, "scheduled")

        threading.Thread(target=beat, name="chengguo-heartbeat", daemon=True).start()

    def stop_heartbeat(self) -> None:
        if self._beat_stop is not None:
            self._beat_stop.set()

    def backup(self, reason: str) -> None:
        """A rotating automatic backup (online API: safe while serving); never fatal."""
        try:
            from knowledge.backup import create_backup

            info = create_backup(self.settings, reason)
            logger.info("backup %s written", info.name)
        except Exception:
            logger.exception("automatic backup failed")

    def recover_thread(self, thread_id: str) -> bool:
        """Repair a run a crash cut short, under the thread's lease; False when a live run holds it."""
        agent = self.agent()
        recover = getattr(agent, "recover", None)
        if recover is None:
            return True
        owner = uuid.uuid4().hex
        if not self.threads.acquire_run(thread_id, owner):
            return False
        try:
            for _ in recover(thread_id):
                pass
        finally:
            self.threads.release_run(thread_id, owner)
        return True

    def recover_unfinished(self) -> None:
        """At startup: finish or mark every run the last crash cut short (decisions applied once)."""
        try:
            # Read from the journal itself: building the agent just to learn "nothing to do" would
            # load the knowledge base at every start.
            threads = unfinished_threads(self.settings.data_dir / CHECKPOINTS_FILE)
        except Exception:
            logger.exception("listing unfinished runs failed")
            return
        for thread_id in threads:
            try:
                self.recover_thread(thread_id)
            except Exception:
                logger.exception("recovering thread %s failed", thread_id)
        self.recovered = True

    def agent(self) -> AgentLike:
        """The shared agent, built on first use (building it may load the knowledge base)."""
        with self._agent_lock:
            if self._agent is None:
                self._agent = self.agent_factory(self.settings)
            return self._agent


@dataclass
class Client:
    """Who is calling: resolved from the key."""

    tenant: str
    key: ApiKey
    origin: str | None


# -- request bodies ---------------------------------------------------------------------------------


class RunRequest(BaseModel):
    text: str = Field(min_length=1, description="The user's message.")
    lang: Literal["zh", "en"] | None = Field(None, description="Reply language; default: the message's.")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is blank")
        return v


class ApprovalRequest(BaseModel):
    action: Literal["approve", "reject", "edit"]
    args: dict[str, Any] | None = Field(
        None, description="With edit: replacement arguments, e.g. other dates."
    )
    lang: Literal["zh", "en"] | None = None

    @model_validator(mode="after")
    def _edit_needs_args(self) -> ApprovalRequest:
        if self.action == "edit" and not self.args:
            raise ValueError("action 'edit' needs args (the replacement arguments)")
        return self


class ThreadOut(BaseModel):
    thread_id: str
    created_at: str


class ArtifactOut(BaseModel):
    kind: str = Field(description="`term_sheet_md` or `term_sheet_docx`.")
    name: str
    id: str
    url: str = Field(description="Download path under this API (send the same Authorization header).")


class ThreadDetail(ThreadOut):
    messages: list[dict[str, Any]]
    pending_approval: dict[str, Any] | None
    running: bool
    artifacts: list[ArtifactOut] = Field(
        default_factory=list, description="Files the thread's runs produced, oldest first."
    )


# -- helpers ----------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _rate(text: str) -> Rate:
    return parse_rate(text)


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def _browser_origin(request: Request) -> str | None:
    """The calling page's origin: `Origin`, or for same-origin GETs (which carry none) the host itself."""
    origin = request.headers.get("origin")
    if origin:
        return origin
    if request.headers.get("sec-fetch-site") == "same-origin":
        host = request.headers.get("host")
        if host:
            return f"{request.url.scheme}://{host}"
    return None


def _sse(ev: Event | dict[str, Any]) -> dict[str, str]:
    payload = ev.model_dump(mode="json") if isinstance(ev, Event) else ev
    return {
        "event": str(payload["event"]),
        "data": json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str),
    }


# -- auth -----------------------------------------------------------------------------------------

# Declared so /docs shows the scheme and its "Authorize" button; `authenticate` reads the header itself
# to answer a missing or malformed one with our own JSON error rather than FastAPI's.
_bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="key",
    description="`pk_…` (publishable, for the widget in a browser on an allowed origin) or "
    "`sk_…` (secret, server to server). Create them with `chengguo keys create`.",
)

API_DESCRIPTION = """
The chat API behind the chengguo widget, for portal backends too. 成果转化智能体的对话接口。

**Auth.** `Authorization: Bearer sk_…` from your server, or `Bearer pk_…` from a page on one of the
key's origins (the widget). Threads belong to the key's tenant; another tenant's thread answers 404.

**Streaming.** `POST …/runs` and `POST …/approval` answer `text/event-stream`. Each message is
`event: <kind>` and one `data:` line holding `{"event": kind, "data": {...}}`; kinds in order:
`plan` (steps), `step` (started / done / error, with a summary), `approval` (action, args, quote —
the run stops here with `done.interrupted = true`; answer it with `POST …/approval`), `token`
(streamed text), `message` (final `text`, `citations`, `artifacts` with a download `url`), `error`,
and always last `done`. Lines starting with `:` are heartbeats. Closing the connection stops the run;
what it finished is kept.

**Errors** are JSON `{"error": {"code", "message", "message_zh", "details"?}}` — branch on `code`.
"""


async def authenticate(
    request: Request,
    _key: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)] = None,
) -> Client:
    """Resolve the key; enforce origin rules (pk: allowed origins only; sk: never from a browser) and the rate.

    Async on purpose: two indexed SQLite reads take microseconds, less than a thread-pool hop.
    """
    state: WebState = request.app.state.web
    try:
        return _authenticate(state, request)
    except ApiError as exc:
        if exc.status in (401, 403):
            # Failed auth is limited per client address, so guessing keys (or hammering with a
            # revoked one) is as slow as any key's own limit allows.
            addr = request.client.host if request.client else "unknown"
            wait = state.buckets.take("addr:" + addr, _rate(state.web.failed_auth_rate))
            if wait > 0:
                state.metrics.rate_limited.inc()
                raise errors.rate_limited(retry_after_seconds(wait)) from None
        raise


def _authenticate(state: WebState, request: Request) -> Client:
    token = _bearer(request)
    if token is None:
        raise errors.missing_key()
    key = state.keys.lookup(token)
    if key is None:
        raise errors.invalid_key()
    origin = _browser_origin(request)
    browser = origin is not None or "sec-fetch-mode" in request.headers
    if key.kind == "sk":
        setattr(request.state, KEY_ORIGINS_STATE, [])
        if browser:
            # The page is told why (CORS header) when it is one of the tenant's own widget origins.
            tenant_origins = sorted({o for k in state.keys.list(key.tenant) for o in k.origins})
            setattr(request.state, KEY_ORIGINS_STATE, tenant_origins)
            raise ApiError(
                403,
                "secret_key_in_browser",
                "Secret keys (sk_) are for servers only; browsers must use the publishable key (pk_).",
                "服务端密钥（sk_）只能在服务器之间使用，浏览器请使用公开密钥（pk_）。",
            )
    else:
        setattr(request.state, KEY_ORIGINS_STATE, key.origins)
        if origin is None:
            raise ApiError(
                403,
                "origin_required",
                "Publishable keys (pk_) only work from a web page on an allowed origin.",
                "公开密钥（pk_）只能在允许的网页来源中使用。",
            )
        if origin not in key.origins:
            raise ApiError(
                403,
                "origin_not_allowed",
                f"Origin {origin} is not allowed for this key.",
                f"该密钥不允许来源 {origin}。",
            )
    # One bucket per key pair: the pk and sk of a tenant's key share its rate.
    wait = state.buckets.take(key.key_id, _rate(key.rate))
    if wait > 0:
        state.metrics.rate_limited.inc()
        raise errors.rate_limited(retry_after_seconds(wait))
    return Client(tenant=key.tenant, key=key, origin=origin)


ClientDep = Annotated[Client, Depends(authenticate)]


def create_app(
    settings: Settings | None = None,
    agent_factory: AgentFactory | None = None,
    *,
    web_settings: WebSettings | None = None,
) -> FastAPI:
    """Build the app. Tests pass a scripted `agent_factory`; the default builds `agent.runtime.Agent`."""
    settings = settings or get_settings()
    web = web_settings or WebSettings()
    settings.ensure_dirs()
    db = WebDB(web_db_path(settings))
    state = WebState(
        settings=settings,
        web=web,
        db=db,
        keys=KeyStore(db),
        threads=ThreadStore(db, lease_seconds=web.lease_seconds),
        buckets=TokenBuckets(),
        metrics=WebMetrics(),
        run_threads=web.run_threads,
        agent_factory=agent_factory or _default_agent_factory,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.threads.register_instance()
        freed = state.threads.reap_dead()  # leases of a crashed server: free now, not in 15 minutes
        if freed:
            logger.warning("took over %d run lease(s) left by a stopped server", len(freed))
        state.start_heartbeat()
        if web.warm:  # first request should not pay for loading the knowledge base
            state.executor().submit(state.warm_up)
        # Runs a crash cut short are repaired in the background; their threads answer 409 meanwhile.
        state.executor().submit(state.recover_unfinished)
        if web.backup_hours > 0:
            state.executor().submit(state.backup, "serve")
        yield
        state.stop_heartbeat()
        state.shutdown()
        state.threads.unregister_instance()

    # FastAPIOffline serves Swagger UI and ReDoc from the package's own copies (/static-offline-docs),
    # so /docs works on a machine without internet access (FastAPI's default loads them from a CDN).
    app = FastAPIOffline(
        title="chengguo API",
        version="1",
        summary="成果转化智能体 — chat API for the embedded widget and portal backends.",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.web = state

    # Each add wraps the previous: requests pass Metrics -> CORS -> BodyLimit -> routes.
    app.add_middleware(BodyLimitMiddleware, limit=web.body_limit)
    app.add_middleware(CorsMiddleware, allowed_origins=state.keys.allowed_origins)
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)

    # -- errors -------------------------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = []
        for e in exc.errors():
            loc, msg = list(e.get("loc", ())), str(e.get("msg", ""))
            if e.get("type") == "json_invalid":  # pydantic reports the byte offset as loc ["body", 0]
                ctx = e.get("ctx") or {}
                loc = ["body"]
                msg = (
                    f"not valid JSON ({ctx.get('error', 'decode error')} at byte {e.get('loc', ('', 0))[-1]})"
                )
            details.append({"loc": loc, "msg": msg, "type": str(e.get("type", ""))})
        where = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details)
        return ApiError(
            422, "invalid_request", f"Invalid request — {where}", f"请求参数有误 — {where}", details=details
        ).response()

    @app.exception_handler(sqlite3.DatabaseError)
    async def _store_error(_: Request, exc: sqlite3.DatabaseError) -> JSONResponse:
        ref = error_reference()
        logger.error("store error (ref %s): %s", ref, exc)
        state._health = None  # re-check now: /healthz should say which file
        return errors.store_unavailable(ref).response()

    @app.exception_handler(StoreDamaged)
    async def _store_damaged(_: Request, exc: StoreDamaged) -> JSONResponse:
        ref = error_reference()
        logger.error("store damaged (ref %s): %s", ref, exc)
        return errors.store_unavailable(ref).response()

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        ref = error_reference()
        logger.error("unhandled error (ref %s)", ref, exc_info=exc)
        return errors.internal(ref).response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return errors.ApiError(404, "not_found", "No such resource.", "未找到该资源。").response()
        if exc.status_code == 405:
            return ApiError(405, "method_not_allowed", "Method not allowed.", "不支持该请求方法。").response()
        return ApiError(exc.status_code, "http_error", str(exc.detail), str(exc.detail)).response()

    def own_thread(client: Client, thread_id: str) -> ThreadInfo:
        info = state.threads.get(client.tenant, thread_id)
        if info is None:
            raise errors.not_found("thread")
        return info

    # -- runs ---------------------------------------------------------------------------------------

    out_prefixes = sorted(
        {str(settings.outputs_dir) + "/", str(settings.outputs_dir.resolve()) + "/"}, key=len, reverse=True
    )

    def scrub_paths(text: Any) -> Any:
        """Drop the server's outputs directory from answer text (file names stay; downloads go by URL)."""
        if not isinstance(text, str):
            return text
        for prefix in out_prefixes:
            text = text.replace(prefix, "")
        return text

    def _public_artifacts(thread_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Register a message's artifacts for download and replace server paths with API URLs."""
        data = {**data, "text": scrub_paths(data.get("text", ""))}
        arts = data.get("artifacts")
        if not arts:
            return data
        public = []
        for a in arts:
            a = dict(a)
            path = str(a.pop("path", ""))
            if path:
                info = state.threads.add_artifact(
                    thread_id, str(a.get("kind", "")), str(a.get("name", "")), path
                )
                a["id"] = info.artifact_id
                a["url"] = f"/v1/threads/{thread_id}/artifacts/{info.artifact_id}"
            public.append(a)
        return {**data, "artifacts": public}

    def start_stream(
        thread_id: str,
        kind: str,
        *,
        text: str | None,
        decision: Decision | None,
        lang: str | None,
        owner: str,
    ) -> EventSourceResponse:
        agent = state.agent()
        run = AgentRun(
            agent,
            state.executor(),
            thread_id,
            text=text,
            decision=decision,
            lang=lang,
            on_finished=lambda: state.threads.release_run(thread_id, owner),
        )

        async def frames() -> AsyncIterator[dict[str, str]]:
            state.metrics.active_streams.inc()
            t0 = time.perf_counter()
            outcome = "disconnected"
            saw_done = False
            try:
                async for ev in run.events():
                    data = ev.data
                    if ev.event == "message":
                        data = _public_artifacts(thread_id, data)
                    if ev.event == "done":
                        saw_done = True
                        outcome = "interrupted" if data.get("interrupted") else "done"
                    yield _sse({"event": ev.event, "data": data})
                if not saw_done:  # a runtime that ends without `done` still closes the stream cleanly
                    outcome = "done"
                    yield _sse({"event": "done", "data": {"thread_id": thread_id, "interrupted": False}})
            except Exception:
                outcome = "error"
                ref = error_reference()
                logger.exception("run on thread %s failed (ref %s)", thread_id, ref)
                yield _sse({"event": "error", "data": internal_error(lang, ref)})
                yield _sse({"event": "done", "data": {"thread_id": thread_id, "interrupted": False}})
            finally:
                state.metrics.active_streams.dec()
                state.metrics.runs.labels(kind, outcome).inc()
                state.metrics.run_seconds.labels(kind).observe(time.perf_counter() - t0)

        return EventSourceResponse(
            frames(),
            ping=web.ping_seconds,
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    def take_lease(thread_id: str) -> str:
        owner = uuid.uuid4().hex
        if not state.threads.acquire_run(thread_id, owner):
            raise errors.run_in_progress()
        return owner

    # -- endpoints ----------------------------------------------------------------------------------

    @app.post(
        "/v1/threads",
        status_code=201,
        response_model=ThreadOut,
        tags=["threads"],
        responses=error_responses(401, 403, 429),
    )
    async def create_thread(client: ClientDep) -> ThreadOut:
        """Create a conversation thread owned by the caller's tenant."""
        info = state.threads.create(client.tenant)
        return ThreadOut(thread_id=info.thread_id, created_at=info.created_at)

    @app.get(
        "/v1/threads",
        response_model=list[ThreadOut],
        tags=["threads"],
        responses=error_responses(401, 403, 429),
    )
    async def list_threads(client: ClientDep) -> list[ThreadOut]:
        """The tenant's most recent threads."""
        return [
            ThreadOut(thread_id=t.thread_id, created_at=t.created_at)
            for t in state.threads.list(client.tenant)
        ]

    @app.get(
        "/v1/threads/{thread_id}",
        response_model=ThreadDetail,
        tags=["threads"],
        responses=error_responses(401, 403, 404, 422, 429, 503),
    )
    async def get_thread(thread_id: str, client: ClientDep) -> ThreadDetail:
        """A thread's messages (role, text, ts), the approval it waits for (if any) and its files."""
        info = own_thread(client, thread_id)
        state.require_stores()

        def read() -> tuple[list[dict[str, Any]], dict[str, Any] | None, bool]:
            agent = state.agent()
            busy = state.threads.run_active(thread_id)
            needs = getattr(agent, "needs_recovery", None)
            if needs is not None and needs(thread_id):
                # A run a crash cut short: repair it now (unless another request already is), so
                # the reader sees its outcome; while it is unrepaired the thread reads as running.
                if not busy:
                    state.recover_thread(thread_id)
                busy = needs(thread_id)
            return agent.history(thread_id), agent.pending_approval(thread_id), busy

        messages, pending, running = await anyio.to_thread.run_sync(read)
        return ThreadDetail(
            thread_id=info.thread_id,
            created_at=info.created_at,
            messages=[
                {**m, "text": scrub_paths(m.get("text"))}
                for m in json.loads(json.dumps(messages, default=str))
            ],
            pending_approval=json.loads(json.dumps(pending, default=str)) if pending else None,
            running=running,
            artifacts=[
                ArtifactOut(
                    kind=a.kind,
                    name=a.name,
                    id=a.artifact_id,
                    url=f"/v1/threads/{thread_id}/artifacts/{a.artifact_id}",
                )
                for a in state.threads.artifacts(thread_id)
            ],
        )

    @app.post(
        "/v1/threads/{thread_id}/runs",
        tags=["runs"],
        response_class=EventSourceResponse,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "The run's events as SSE."},
            **error_responses(401, 403, 404, 409, 413, 422, 429, 503),
        },
    )
    async def start_run(thread_id: str, body: RunRequest, client: ClientDep) -> EventSourceResponse:
        """Send a user message; the agent's events stream back as SSE until `done`."""
        own_thread(client, thread_id)
        state.require_stores()
        if len(body.text) > web.max_text:
            raise ApiError(
                422,
                "text_too_long",
                f"text: at most {web.max_text} characters.",
                f"text：最多 {web.max_text} 个字符。",
            )
        owner = take_lease(thread_id)
        try:
            if not state.agent_ready():  # build the agent off the event loop, once
                await anyio.to_thread.run_sync(state.agent)
            return start_stream(thread_id, "turn", text=body.text, decision=None, lang=body.lang, owner=owner)
        except BaseException:
            state.threads.release_run(thread_id, owner)
            raise

    @app.post(
        "/v1/threads/{thread_id}/approval",
        tags=["runs"],
        response_class=EventSourceResponse,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "The continued run as SSE."},
            **error_responses(401, 403, 404, 409, 413, 422, 429, 503),
        },
    )
    async def answer_approval(
        thread_id: str, body: ApprovalRequest, client: ClientDep
    ) -> EventSourceResponse:
        """Approve, reject or edit the pending action; the continued run streams back as SSE."""
        own_thread(client, thread_id)
        state.require_stores()
        owner = take_lease(thread_id)
        try:
            pending = await anyio.to_thread.run_sync(lambda: state.agent().pending_approval(thread_id))
            if not pending:
                raise ApiError(
                    409,
                    "no_pending_approval",
                    "This thread is not waiting for an approval.",
                    "该会话当前没有待审批的操作。",
                )
            decision = Decision(action=body.action, args=body.args)
            return start_stream(
                thread_id, "resume", text=None, decision=decision, lang=body.lang, owner=owner
            )
        except BaseException:
            state.threads.release_run(thread_id, owner)
            raise

    @app.get(
        "/v1/threads/{thread_id}/artifacts/{artifact_id}",
        tags=["threads"],
        response_class=FileResponse,
        responses={
            200: {"description": "The file, as an attachment (Markdown or .docx)."},
            **error_responses(401, 403, 404, 422, 429),
        },
    )
    async def download_artifact(thread_id: str, artifact_id: str, client: ClientDep) -> FileResponse:
        """Download a file (term sheet .md / .docx) one of this thread's runs produced."""
        own_thread(client, thread_id)
        art = state.threads.get_artifact(thread_id, artifact_id)
        if art is None:
            raise errors.not_found("artifact")
        path = Path(art.path).resolve()
        outputs = state.settings.outputs_dir.resolve()
        # Only files under the outputs dir, whatever a (possibly LLM-planned) tool reported.
        if not path.is_file() or not path.is_relative_to(outputs):
            raise errors.not_found("artifact")
        name = art.name or path.name
        ascii_name = "".join(
            ch for ch in name if ch.isascii() and ch.isprintable() and ch not in '"\\;'
        ).strip()
        if not Path(ascii_name).stem.strip("._- "):
            ascii_name = path.name
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".md":
            media = "text/markdown; charset=utf-8"
        return FileResponse(
            path,
            media_type=media,
            headers={
                "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/healthz", tags=["ops"], responses={503: {"description": "A store failed its check."}})
    async def healthz() -> JSONResponse:
        """Readiness: each store's integrity check, and whether the agent is loaded yet.

        503 names the damaged file and how to recover (keep this endpoint on the internal network).
        """
        problems = await anyio.to_thread.run_sync(state.store_problems)
        ready = state.warmed if web.warm else state.agent_ready()
        bad = {p.file.name: p for p in problems}
        body: dict[str, Any] = {
            "status": "unhealthy" if problems else "ok",
            "agent": "ready" if ready else "cold",
            "stores": {
                name: ("damaged" if name in bad else "ok")
                for name in STORE_NAMES
                if name in bad or (state.settings.data_dir / name).exists()
            },
        }
        if problems:
            body["problems"] = [
                {
                    "file": p.file.name,
                    "problem": p.problem,
                    "recover": p.recover_en,
                    "recover_zh": p.recover_zh,
                }
                for p in problems
            ]
        return JSONResponse(body, status_code=503 if problems else 200)

    @app.get("/metrics", tags=["ops"], response_class=Response)
    async def metrics() -> Response:
        """Prometheus text format: requests, runs, run seconds, open streams, rate-limited calls."""
        return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/widget.js", include_in_schema=False)
    async def widget_js() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "widget.js",
            media_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
        )

    if web.demo_key:
        demo_html = (STATIC_DIR / "demo.html").read_text(encoding="utf-8")

        @app.get("/demo", include_in_schema=False)
        async def demo(lang: Literal["zh", "en"] | None = None) -> HTMLResponse:
            """A mock enterprise portal embedding the widget exactly as a portal would."""
            page = demo_html.replace("__CHENGGUO_KEY__", web.demo_key or "").replace(
                "__CHENGGUO_LANG__", lang or web.demo_lang
            )
            return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` / multi-worker serving: settings from the environment."""
    return create_app(get_settings())
