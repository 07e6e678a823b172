"""Damaged store files: /healthz names them, users get a reference, never exception text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.web.conftest import build_env
from web import app as web_app


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _make_db(path: Path, rows: int = 2000) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kb_items (id TEXT PRIMARY KEY, data TEXT)")
    conn.executemany("INSERT INTO kb_items VALUES (?, ?)", [(f"ACH-{i}", "x" * 200) for i in range(rows)])
    conn.commit()
    conn.close()


def test_healthz_names_a_damaged_store_and_requests_get_a_reference(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(web_app, "HEALTH_TTL", 0.0)
    e = build_env(tmp_path / "d")
    db = e.settings.data_dir / "chengguo.db"
    _make_db(db)
    tid = e.client.post("/v1/threads", headers=e.a.browser()).json()["thread_id"]
    assert e.client.get("/healthz").json()["stores"]["chengguo.db"] == "ok"
    _truncate(db)
    r = e.client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "unhealthy" and body["stores"]["chengguo.db"] == "damaged"
    (p,) = body["problems"]
    assert p["file"] == "chengguo.db" and "chengguo restore --file chengguo.db" in p["recover"]
    assert "恢复" in p["recover_zh"]
    for method, path, payload in (
        ("post", f"/v1/threads/{tid}/runs", {"text": "hi"}),
        ("get", f"/v1/threads/{tid}", None),
    ):
        r = getattr(e.client, method)(path, headers=e.a.browser(), **({"json": payload} if payload else {}))
        err = r.json()["error"]
        assert r.status_code == 503 and err["code"] == "store_unavailable"
        assert (
            err["ref"].startswith("ERR-") and err["ref"] in err["message"] and err["ref"] in err["message_zh"]
        )
        assert "malformed" not in json.dumps(err) and "chengguo.db" not in json.dumps(err)
    assert e.agent.calls == []
    # repaired: ready again
    shutil.move(db, db.with_name("chengguo.db.bad"))
    _make_db(db)
    assert e.client.get("/healthz").status_code == 200


def test_unexpected_endpoint_errors_are_json_with_a_reference(tmp_path: Path) -> None:
    e = build_env(tmp_path / "d")
    tid = e.client.post("/v1/threads", headers=e.a.browser()).json()["thread_id"]

    def broken(thread_id: str) -> list[dict[str, object]]:
        raise RuntimeError("secret internals")

    e.agent.history = broken  # type: ignore[method-assign]
    client = e.client.__class__(e.app, raise_server_exceptions=False)
    r = client.get(f"/v1/threads/{tid}", headers=e.a.browser())
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["code"] == "internal" and err["ref"] in err["message_zh"] and "secret" not in r.text
