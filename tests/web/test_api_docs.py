"""What an integrator reads: the OpenAPI page documents auth, the SSE format and the real error bodies."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import WebEnv


@pytest.fixture()
def spec(env: WebEnv) -> dict[str, Any]:
    r = env.client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def test_openapi_declares_bearer_key_on_every_v1_route(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert list(schemes.values()) == [schemes["key"]]
    assert schemes["key"]["type"] == "http" and schemes["key"]["scheme"] == "bearer"
    assert "pk_" in schemes["key"]["description"] and "sk_" in schemes["key"]["description"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.startswith("/v1/"):
                assert op.get("security") == [{"key": []}], (method, path)
            else:
                assert "security" not in op, (method, path)


def test_openapi_error_responses_use_the_real_error_shape(spec: dict[str, Any]) -> None:
    runs = spec["paths"]["/v1/threads/{thread_id}/runs"]["post"]["responses"]
    assert set(runs) == {"200", "401", "403", "404", "409", "413", "422", "429", "503"}
    for status in ("401", "403", "404", "409", "413", "422", "429", "503"):
        ref = runs[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorBody", status
    assert "run_in_progress" in runs["409"]["description"]
    assert "Retry-After" in runs["429"]["description"]
    info = spec["components"]["schemas"]["ErrorInfo"]
    assert set(info["required"]) == {"code", "message", "message_zh"}
    # no route advertises FastAPI's default {"detail": [...]} body, which this API never sends
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, resp in op["responses"].items():
                schema = resp.get("content", {}).get("application/json", {}).get("schema", {})
                assert schema.get("$ref") != "#/components/schemas/HTTPValidationError", (
                    method,
                    path,
                    status,
                )


def test_openapi_description_explains_the_event_stream(spec: dict[str, Any]) -> None:
    text = spec["info"]["description"]
    for word in (
        "text/event-stream",
        "`plan`",
        "`step`",
        "`approval`",
        "`token`",
        "`message`",
        "`done`",
        "heartbeat",
    ):
        assert word in text, word
    assert spec["paths"]["/metrics"]["get"]["description"].startswith("Prometheus")


def test_invalid_json_body_names_the_problem(env: WebEnv) -> None:
    tid = env.client.post("/v1/threads", headers=env.a.server()).json()["thread_id"]
    r = env.client.post(
        f"/v1/threads/{tid}/runs",
        headers={**env.a.server(), "Content-Type": "application/json"},
        content=b'{"text": "hi",}',
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_request"
    assert err["details"] == [
        {
            "loc": ["body"],
            "msg": "not valid JSON (Expecting property name enclosed in double quotes at byte 14)",
            "type": "json_invalid",
        }
    ]
    assert "body: not valid JSON" in err["message"]


def test_docs_work_offline(tmp_path: Path) -> None:
    """/docs and /redoc load their scripts and styles from this server, not a CDN."""
    from tests.web.conftest import build_env

    e = build_env(tmp_path / "d")
    for page in ("/docs", "/redoc"):
        html = e.client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets, page
        assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], (page, assets)
        for a in assets:
            if a.endswith((".js", ".css")):
                r = e.client.get(a)
                assert r.status_code == 200 and len(r.content) > 10_000, a
