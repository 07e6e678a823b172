"""A thread's files are listed with its history, so a reloaded widget can still offer the term sheet."""

from __future__ import annotations

from tests.web.conftest import WebEnv


def test_thread_detail_lists_its_files_for_download(env: WebEnv) -> None:
    tid = env.client.post("/v1/threads", headers=env.a.browser()).json()["thread_id"]
    assert env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).json()["artifacts"] == []
    env.client.post(f"/v1/threads/{tid}/runs", headers=env.a.browser(), json={"text": "预留中试平台 12 月"})
    r = env.client.post(f"/v1/threads/{tid}/approval", headers=env.a.browser(), json={"action": "approve"})
    streamed = [e for e in r.text.split("\n") if e.startswith("data:") and '"event":"message"' in e]
    assert len(streamed) == 1

    detail = env.client.get(f"/v1/threads/{tid}", headers=env.a.browser()).json()
    arts = detail["artifacts"]
    assert [a["kind"] for a in arts] == ["term_sheet_md", "term_sheet_docx"]
    assert [a["name"] for a in arts] == ["条款清单.md", "term-sheet.docx"]
    for a in arts:
        assert set(a) == {"kind", "name", "id", "url"}  # no server path
        assert a["url"] == f"/v1/threads/{tid}/artifacts/{a['id']}"
        assert a["id"] in streamed[0]  # the same ids the run announced
    docx = env.client.get(arts[1]["url"], headers=env.a.server())
    assert docx.status_code == 200 and docx.content.startswith(b"PK")

    # another tenant sees neither the thread nor its files
    assert env.client.get(f"/v1/threads/{tid}", headers=env.b.server()).status_code == 404
    assert env.client.get(arts[0]["url"], headers=env.b.server()).status_code == 404
