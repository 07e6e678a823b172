"""HTTP API against a scripted agent: statuses, SSE framing, approvals, artifacts, limits, metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ORIGIN_A, ORIGIN_B, WebEnv, build_env, parse_sse
from web.settings import WebSettings


def _thread(env: WebEnv, headers: dict[str, str] | None = None) -> str:
    r = env.client.post("/v1/threads", headers=headers or env.a.browser())
    assert r.status_code == 201, r.text
    tid = r.json()["thread_id"]
    assert tid.startswith("th_") and len(tid) >= 30
    return str(tid)


def _events(text: str) -> list[dict]:
    return [e for e in parse_sse(text) if "event" in e]


def test_turn_streams_agent_events_as_sse(env: WebEnv) -> None:
    tid = _thread(env)
    r = env.client.post(
        f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "ACH-0001 的合作伙伴"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    evs = _events(r.text)
    kinds = [e["event"] for e in evs]
    assert kinds[0] == "plan" and kinds[-1] == "done"
    assert {"step", "token", "message"} <= set(kinds)
    for e in evs:  # `event:` line and the JSON envelope agree
        assert e["data"]["event"] == e["event"]
        assert set(e["data"]) == {"event", "data"}
    assert evs[-1]["data"]["data"] == {"thread_id": tid, "interrupted": False}
    tokens = "".join(e["data"]["data"]["text"] for e in evs if e["event"] == "token")
    message = next(e for e in evs if e["event"] == "message")["data"]["data"]
    assert tokens == message["text"] and "华东中试基地" in message["text"]
    # the agent got exactly this turn on this thread
    assert env.agent.calls == [(tid, "ACH-0001 的合作伙伴", None)]


def test_sse_frame_is_event_line_then_single_data_line(env: WebEnv) -> None:
    tid = _thread(env)
    r = env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.server(), json={"text": "多行\n问题"})
    frames = [f for f in r.text.replace("\r\n", "\n").split("\n\n") if f.strip()]
    for f in frames:
        lines = f.split("\n")
        assert lines[0].startswith("event: ")
        assert len(lines) == 2 and lines[1].startswith("data: "), f  # JSON escapes newlines: one data line
        assert json.loads(lines[1][6:])["event"] == lines[0][7:]


def test_approval_flow_and_artifact_download(env: WebEnv) -> None:
    tid = _thread(env)
    r = env.client.post(
        f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "预留中试平台 12 月"}
    )
    evs = _events(r.text)
    approval = next(e for e in evs if e["event"] == "approval")["data"]["data"]
    assert approval["action"] == "hold_slot"
    assert evs[-1]["data"]["data"]["interrupted"] is True

    detail = env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).json()
    assert detail["pending_approval"]["action"] == "hold_slot"
    assert detail["running"] is False
    assert [m["role"] for m in detail["messages"]] == ["user"]

    r = env.client.post(f"/v1/threads/{tid}/approval", headers=env.a.browser(), json={"action": "approve"})
    assert r.status_code == 200
    evs = _events(r.text)
    assert evs[-1]["data"]["data"]["interrupted"] is False
    msg = next(e for e in evs if e["event"] == "message")["data"]["data"]
    # the answer names the file but not the server's outputs directory
    assert f"{tid}-term-sheet.md" in msg["text"] and str(env.settings.outputs_dir) not in msg["text"]
    history = env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).json()["messages"]
    assert str(env.settings.outputs_dir) not in history[-1]["text"] and "term-sheet.md" in history[-1]["text"]
    arts = msg["artifacts"]
    assert [a["kind"] for a in arts] == ["term_sheet_md", "term_sheet_docx"]
    for a in arts:
        assert "path" not in a  # server paths never reach the browser
        assert a["url"] == f"/v1/threads/{tid}/artifacts/{a['id']}"

    md = env.client.get(arts[0]["url"], headers=env.a.browser())
    assert md.status_code == 200
    assert md.headers["content-type"].startswith("text/markdown")
    assert "发明人团队 ≥ 50%" in md.text
    assert (
        "attachment" in md.headers["content-disposition"]
        and "filename*=UTF-8''" in md.headers["content-disposition"]
    )
    docx = env.client.get(arts[1]["url"], headers=env.a.server())
    assert docx.status_code == 200 and docx.content.startswith(b"PK")

    # no approval pending any more -> 409, and the agent was not resumed again
    r = env.client.post(f"/v1/threads/{tid}/approval", headers=env.a.browser(), json={"action": "approve"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_pending_approval"
    assert [c[2] for c in env.agent.calls] == [None, "approve"]


def test_edit_decision_passes_new_args(env: WebEnv) -> None:
    tid = _thread(env)
    env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.server(), json={"text": "hold the pilot line"})
    new = {"facility_id": "FAC-0001", "start": "2026-12-08", "end": "2026-12-12"}
    r = env.client.post(
        f"/v1/threads/{tid}/approval", headers=env.a.server(), json={"action": "edit", "args": new}
    )
    done_step = next(
        e for e in _events(r.text) if e["event"] == "step" and e["data"]["data"]["status"] == "done"
    )
    assert done_step["data"]["data"]["result"]["start"] == "2026-12-08"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": 123},
        {"text": "hi", "lang": "fr"},
    ],
)
def test_422_bad_run_body(env: WebEnv, body: dict) -> None:
    tid = _thread(env)
    r = env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and err["message"] and err["message_zh"]
    assert env.agent.calls == []


def test_422_bad_approval_body(env: WebEnv) -> None:
    tid = _thread(env)
    for body in ({"action": "maybe"}, {"action": "edit"}):
        r = env.client.post(f"/v1/threads/{tid}/approval", headers=env.a.browser(), json=body)
        assert r.status_code == 422, body
    r = env.client.post(
        f"/v1/threads/{tid}/runs",
        headers={**env.a.browser(), "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert r.status_code == 422


def test_422_text_too_long(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d", web_settings=WebSettings(max_text=50))
    with e.client:
        tid = _thread(e)
        r = e.client.post(f"/v1/threads/{tid}/runs", headers=e.a.browser(), json={"text": "长" * 51})
        assert r.status_code == 422 and r.json()["error"]["code"] == "text_too_long"


def test_401_missing_unknown_and_revoked_keys(env: WebEnv) -> None:
    r = env.client.post("/v1/threads", headers={"Origin": ORIGIN_A})
    assert r.status_code == 401 and r.json()["error"]["code"] == "missing_key"
    for token in ("pk_doesnotexist", "sk_doesnotexist", "garbage", env.a.pk + "x"):
        r = env.client.post("/v1/threads", headers={"Authorization": f"Bearer {token}", "Origin": ORIGIN_A})
        assert r.status_code == 401, token
        assert r.json()["error"]["code"] == "invalid_key"
    tid = _thread(env)
    assert env.store.revoke(env.a.keys.key_id) == 2
    assert env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).status_code == 401
    assert env.client.get(f"/v1/threads/{tid}", headers=env.a.server()).status_code == 401


def test_403_origin_rules(env: WebEnv) -> None:
    pk = {"Authorization": f"Bearer {env.a.pk}"}
    # publishable key from a foreign origin, and with no origin at all (curl)
    r = env.client.post("/v1/threads", headers={**pk, "Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed"
    r = env.client.post("/v1/threads", headers={**pk, "Origin": env.b.origin})
    assert r.status_code == 403
    r = env.client.post("/v1/threads", headers=pk)
    assert r.status_code == 403 and r.json()["error"]["code"] == "origin_required"
    # secret key from a browser: refused even from the tenant's own origin
    r = env.client.post("/v1/threads", headers={**env.a.server(), "Origin": env.a.origin})
    assert r.status_code == 403 and r.json()["error"]["code"] == "secret_key_in_browser"
    r = env.client.post("/v1/threads", headers={**env.a.server(), "Sec-Fetch-Mode": "cors"})
    assert r.status_code == 403
    # same-origin GET from a page on an allowed origin carries no Origin header, only Sec-Fetch-Site
    tid = _thread(env)
    r = env.client.get(
        f"/v1/threads/{tid}",
        headers={**pk, "Sec-Fetch-Site": "same-origin", "Host": "portal-a.example"},
        # TestClient's base URL is http://testserver; the key allows https only -> still refused
    )
    assert r.status_code == 403
    assert env.agent.calls == []


def test_same_origin_get_without_origin_header(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d")
    keys = e.store.create("acme", ["http://testserver"], "100/min")
    with e.client:
        tid = e.client.post(
            "/v1/threads",
            headers={"Authorization": f"Bearer {keys.publishable_key}", "Origin": "http://testserver"},
        ).json()["thread_id"]
        r = e.client.get(
            f"/v1/threads/{tid}",
            headers={"Authorization": f"Bearer {keys.publishable_key}", "Sec-Fetch-Site": "same-origin"},
        )
        assert r.status_code == 200


def test_409_one_active_run_per_thread(env: WebEnv) -> None:
    tid = _thread(env)
    other = _thread(env)
    # a live lease held by another worker/request
    assert env.app.state.web.threads.acquire_run(tid, "someone-else")
    for path, body in (
        (f"/v1/threads/{tid}/runs", {"text": "hi"}),
        (f"/v1/threads/{tid}/approval", {"action": "approve"}),
    ):
        r = env.client.post(path, headers=env.a.browser(), json=body)
        assert r.status_code == 409 and r.json()["error"]["code"] == "run_in_progress"
    assert env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).json()["running"] is True
    # other threads are unaffected, and the lease is free again after the holder releases it
    assert (
        env.client.post(f"/v1/threads/{other}/runs", headers=env.a.browser(), json={"text": "hi"}).status_code
        == 200
    )
    env.app.state.web.threads.release_run(tid, "someone-else")
    assert (
        env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "hi"}).status_code
        == 200
    )
    # and a finished run released its own lease
    assert env.app.state.web.threads.run_active(tid) is False


def test_stale_lease_is_taken_over(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d", web_settings=WebSettings(lease_seconds=0.0))
    with e.client:
        tid = _thread(e)
        e.app.state.web.threads.acquire_run(tid, "crashed-worker")
        r = e.client.post(f"/v1/threads/{tid}/runs", headers=e.a.browser(), json={"text": "hi"})
        assert r.status_code == 200


def test_413_body_limit(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d", web_settings=WebSettings(body_limit=1024))
    with e.client:
        tid = _thread(e)
        big = json.dumps({"text": "x" * 2000}).encode()
        r = e.client.post(
            f"/v1/threads/{tid}/runs",
            headers={**e.a.browser(), "Content-Type": "application/json"},
            content=big,
        )
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
        assert r.headers["access-control-allow-origin"] == ORIGIN_A  # the widget can read why

        def chunks():  # no Content-Length: counted while reading
            for _ in range(4):
                yield b"x" * 400

        r = e.client.post(f"/v1/threads/{tid}/runs", headers=e.a.browser(), content=chunks())
        assert r.status_code == 413
        assert e.agent.calls == []


def test_429_rate_limit_with_retry_after(env: WebEnv) -> None:
    keys = env.store.create("slowco", ["https://slow.example"], "3/min")
    h = {"Authorization": f"Bearer {keys.publishable_key}", "Origin": "https://slow.example"}
    assert [env.client.post("/v1/threads", headers=h).status_code for _ in range(3)] == [201, 201, 201]
    r = env.client.post("/v1/threads", headers=h)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    # one token every 20 s
    assert 1 <= int(r.headers["retry-after"]) <= 20
    assert "retry-after" in r.headers["access-control-expose-headers"].lower()
    # the secret key of the same pair shares the bucket (a pair is one allowance); other tenants are unaffected
    assert (
        env.client.post("/v1/threads", headers={"Authorization": f"Bearer {keys.secret_key}"}).status_code
        == 429
    )
    assert env.client.post("/v1/threads", headers=env.a.browser()).status_code == 201
    assert "chengguo_rate_limited_total 2.0" in env.client.get("/metrics").text


def test_failed_auth_is_rate_limited_per_client_address(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d", web_settings=WebSettings(failed_auth_rate="5/min"))
    bad = {"Authorization": "Bearer pk_guess", "Origin": ORIGIN_A}
    codes = [e.client.post("/v1/threads", headers=bad).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    r = e.client.get("/v1/threads", headers={"Origin": ORIGIN_A})  # no key at all: same address, same bucket
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.headers["access-control-allow-origin"] == ORIGIN_A  # the widget can read it
    # a valid key is not slowed down by someone else's guessing
    assert e.client.post("/v1/threads", headers=e.a.browser()).status_code == 201


def test_secret_key_from_an_allowed_origin_gets_a_readable_403(env: WebEnv) -> None:
    r = env.client.post("/v1/threads", headers={"Authorization": f"Bearer {env.a.sk}", "Origin": ORIGIN_A})
    assert r.status_code == 403 and r.json()["error"]["code"] == "secret_key_in_browser"
    assert r.headers["access-control-allow-origin"] == ORIGIN_A
    # another tenant's origin is not told
    r = env.client.post("/v1/threads", headers={"Authorization": f"Bearer {env.a.sk}", "Origin": ORIGIN_B})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers


def test_token_bucket_refills() -> None:
    from web.keys import parse_rate
    from web.ratelimit import TokenBuckets, retry_after_seconds

    now = [100.0]
    b = TokenBuckets(clock=lambda: now[0])
    rate = parse_rate("2/s")
    assert b.take("k", rate) == 0 and b.take("k", rate) == 0
    wait = b.take("k", rate)
    assert wait == pytest.approx(0.5)
    assert retry_after_seconds(wait) == 1
    now[0] += 0.5
    assert b.take("k", rate) == 0


def test_404_unknown_thread_and_artifact_and_route(env: WebEnv) -> None:
    r = env.client.get("/v1/threads/th_00000000000000000000000000000000", headers=env.a.browser())
    assert r.status_code == 404 and r.json()["error"]["code"] == "thread_not_found"
    tid = _thread(env)
    r = env.client.get(f"/v1/threads/{tid}/artifacts/art_nope", headers=env.a.browser())
    assert r.status_code == 404 and r.json()["error"]["code"] == "artifact_not_found"
    assert env.client.get("/v1/nothing", headers=env.a.browser()).json()["error"]["code"] == "not_found"


def test_artifact_outside_outputs_dir_is_not_served(env: WebEnv, tmp_path: Path) -> None:
    tid = _thread(env)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    info = env.app.state.web.threads.add_artifact(tid, "term_sheet_md", "x.md", str(secret))
    r = env.client.get(f"/v1/threads/{tid}/artifacts/{info.artifact_id}", headers=env.a.browser())
    assert r.status_code == 404


def test_cors_preflight_and_headers_never_wildcard(env: WebEnv) -> None:
    pre = {
        "Origin": ORIGIN_A,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    r = env.client.options("/v1/threads", headers=pre)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == ORIGIN_A
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "origin" in r.headers["vary"].lower()
    r = env.client.options("/v1/threads", headers={**pre, "Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    # actual responses echo the key's own origin only
    r = env.client.post("/v1/threads", headers=env.a.browser())
    assert r.headers["access-control-allow-origin"] == ORIGIN_A
    # tenant B's origin using tenant A's key: refused, and B's origin is not echoed for A's key
    r = env.client.post(
        "/v1/threads", headers={"Authorization": f"Bearer {env.a.pk}", "Origin": env.b.origin}
    )
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = env.client.post(
        "/v1/threads", headers={"Origin": "https://evil.example", "Authorization": "Bearer pk_x"}
    )
    assert "access-control-allow-origin" not in r.headers
    # SSE responses carry it too
    tid = _thread(env)
    r = env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "hi"})
    assert r.headers["access-control-allow-origin"] == ORIGIN_A
    for resp in (r, env.client.get("/healthz", headers={"Origin": ORIGIN_A})):
        assert resp.headers.get("access-control-allow-origin") != "*"


def test_healthz_metrics_openapi(env: WebEnv) -> None:
    assert env.client.get("/healthz").json() == {"status": "ok", "agent": "cold", "stores": {"web.db": "ok"}}
    tid = _thread(env)
    env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "预留中试"})
    assert env.client.get("/healthz").json() == {"status": "ok", "agent": "ready", "stores": {"web.db": "ok"}}
    env.client.post(f"/v1/threads/{tid}/approval", headers=env.a.browser(), json={"action": "reject"})
    text = env.client.get("/metrics").text
    assert 'chengguo_runs_total{kind="turn",outcome="interrupted"} 1.0' in text
    assert 'chengguo_runs_total{kind="resume",outcome="done"} 1.0' in text
    assert 'chengguo_run_seconds_count{kind="turn"} 1.0' in text
    assert "chengguo_active_streams 0.0" in text
    assert 'chengguo_http_requests_total{method="POST",route="/v1/threads",status="201"} 1.0' in text
    spec = env.client.get("/openapi.json").json()
    assert {"/v1/threads", "/v1/threads/{thread_id}/runs", "/v1/threads/{thread_id}/approval"} <= set(
        spec["paths"]
    )
    assert env.client.get("/docs").status_code == 200


def test_agent_exception_becomes_error_event(env: WebEnv) -> None:
    def boom(*a: object, **k: object):
        raise RuntimeError("planner exploded")

    env.agent.stream = boom  # type: ignore[method-assign]
    tid = _thread(env)
    r = env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "hi"})
    evs = _events(r.text)
    assert [e["event"] for e in evs] == ["error", "done"]
    err = evs[0]["data"]["data"]
    # the user reads a sentence in their language and a reference, never the exception's text
    assert "planner exploded" not in json.dumps(err) and "RuntimeError" not in json.dumps(err)
    assert err["code"] == "internal" and err["ref"].startswith("ERR-") and err["ref"] in err["message"]
    assert err["ref"] in err["message_zh"] and "参考编号" in err["message_zh"]
    assert env.app.state.web.threads.run_active(tid) is False


def test_widget_js_and_demo(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d")
    r = e.client.get("/widget.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert "attachShadow" in r.text
    # no HTML sinks at all: every node is built with createElement/textContent
    assert not re.search(
        r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function", r.text
    )
    assert e.client.get("/demo").status_code == 404  # no demo key -> no demo page
    e2 = build_env(tmp_path / "d2", web_settings=WebSettings(demo_key="pk_demo123"))
    page = e2.client.get("/demo?lang=en").text
    assert 'data-key="pk_demo123"' in page and 'data-lang="en"' in page and 'src="/widget.js"' in page
    assert e2.client.get("/demo?lang=xx").status_code == 422


def test_app_restarts_after_lifespan_shutdown(tmp_path: Path) -> None:
    """Startup after a shutdown (tests, reloads) gets a fresh run pool instead of a dead one."""
    e = build_env(tmp_path / "d")
    for _ in range(2):
        with TestClient(e.app) as c:
            tid = c.post("/v1/threads", headers=e.a.server()).json()["thread_id"]
            r = c.post(f"/v1/threads/{tid}/runs", headers=e.a.server(), json={"text": "hi"})
            assert [f["event"] for f in _events(r.text)][-2:] == ["message", "done"]


def test_warm_up_builds_agent_and_opens_kb_at_startup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import knowledge.kb

    opened: list[Path] = []
    monkeypatch.setattr(knowledge.kb, "open_kb", lambda settings: opened.append(settings.data_dir))
    e = build_env(tmp_path / "d", web_settings=WebSettings(warm=True))
    with TestClient(e.app) as c:
        deadline = time.monotonic() + 10
        while c.get("/healthz").json()["agent"] != "ready" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert c.get("/healthz").json()["agent"] == "ready"
    assert opened == [e.settings.data_dir]
    assert e.agent.calls == []  # warming builds things; it runs no turn
