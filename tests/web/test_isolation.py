"""Two tenants swap thread ids and keys on every endpoint: always 404 (never 403), nothing runs or leaks."""

from __future__ import annotations

from tests.web.conftest import WebEnv, parse_sse


def _setup(env: WebEnv) -> tuple[str, str, str]:
    """Tenant A: a thread with a finished hold and an artifact. Tenant B: a thread waiting for approval."""
    ta = env.client.post("/v1/threads", headers=env.a.browser()).json()["thread_id"]
    env.client.post(f"/v1/threads/{ta}/runs", headers=env.a.browser(), json={"text": "预留中试平台"})
    r = env.client.post(f"/v1/threads/{ta}/approval", headers=env.a.browser(), json={"action": "approve"})
    msg = next(e for e in parse_sse(r.text) if e.get("event") == "message")
    art_url = msg["data"]["data"]["artifacts"][0]["url"]
    tb = env.client.post("/v1/threads", headers=env.b.server()).json()["thread_id"]
    env.client.post(f"/v1/threads/{tb}/runs", headers=env.b.server(), json={"text": "hold the pilot line"})
    return ta, tb, art_url


def test_cross_tenant_access_is_404_everywhere(env: WebEnv) -> None:
    ta, tb, art_a = _setup(env)
    calls_before = list(env.agent.calls)
    art_id = art_a.rsplit("/", 1)[1]
    cases = []
    for other, victim in ((env.b, ta), (env.a, tb)):
        for headers in (other.browser(), other.server()):
            cases += [
                ("GET", f"/v1/threads/{victim}", None, headers),
                ("POST", f"/v1/threads/{victim}/runs", {"text": "leak?"}, headers),
                ("POST", f"/v1/threads/{victim}/approval", {"action": "approve"}, headers),
                ("GET", f"/v1/threads/{victim}/artifacts/{art_id}", None, headers),
            ]
    # tenant A's artifact id under B's own thread id must not resolve either
    cases.append(("GET", f"/v1/threads/{tb}/artifacts/{art_id}", None, env.b.server()))
    for method, path, body, headers in cases:
        r = env.client.request(method, path, json=body, headers=headers)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert r.json()["error"]["code"] in ("thread_not_found", "artifact_not_found")
        # the error is the same as for an id that never existed: no hint the thread is real
        assert "leak" not in r.text and victim_text_absent(r.text)
    assert env.agent.calls == calls_before  # the agent never ran for a foreign thread

    # B's pending approval is untouched and still answerable by B
    assert (
        env.client.get(f"/v1/threads/{tb}", headers=env.b.server()).json()["pending_approval"]["action"]
        == "hold_slot"
    )
    r = env.client.post(f"/v1/threads/{tb}/approval", headers=env.b.server(), json={"action": "reject"})
    assert r.status_code == 200


def victim_text_absent(text: str) -> bool:
    return "预留中试平台" not in text and "hold the pilot line" not in text


def test_thread_lists_are_per_tenant(env: WebEnv) -> None:
    ta, tb, _ = _setup(env)
    la = [t["thread_id"] for t in env.client.get("/v1/threads", headers=env.a.browser()).json()]
    lb = [t["thread_id"] for t in env.client.get("/v1/threads", headers=env.b.server()).json()]
    assert la == [ta] and lb == [tb]


def test_keys_of_two_pairs_of_one_tenant_share_threads(env: WebEnv) -> None:
    # threads belong to the tenant, not to the key: rotating keys keeps conversations
    ta = env.client.post("/v1/threads", headers=env.a.browser()).json()["thread_id"]
    rotated = env.store.create("acme", [env.a.origin], "100/min")
    env.store.revoke(env.a.keys.key_id)
    r = env.client.get(
        f"/v1/threads/{ta}",
        headers={"Authorization": f"Bearer {rotated.publishable_key}", "Origin": env.a.origin},
    )
    assert r.status_code == 200
