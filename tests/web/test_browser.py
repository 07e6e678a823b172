"""The widget in Debian's chromium (Playwright), embedded in the demo portal served on loopback.

These fail (never skip) when /usr/bin/chromium is missing: run `make browser-deps`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from tests.web.conftest import LiveServer, WebEnv, build_env, free_port, make_keys, real_agent_factory
from web.app import create_app
from web.settings import WebSettings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = (
    '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
    "[点我](javascript:window.__xss=1) <svg onload=window.__xss=1>"
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium with `make browser-deps` (or apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def serve_demo(data_dir: Path, *, payload: str = "") -> tuple[LiveServer, WebEnv]:
    """The demo portal with the scripted agent, on a free loopback port with a key for that origin."""
    port = free_port()
    keys = make_keys(Settings(data_dir=data_dir)).create(
        "demo", [f"http://127.0.0.1:{port}"], "600/min", with_secret=False
    )
    env = build_env(data_dir, payload=payload, web_settings=WebSettings(demo_key=keys.publishable_key))
    return LiveServer(env.app, port), env


def serve_real_demo(data_dir: Path) -> LiveServer:
    """The demo portal with the real agent (builtin planner) over `data_dir`."""
    port = free_port()
    settings = Settings(data_dir=data_dir)
    keys = make_keys(settings).create("demo", [f"http://127.0.0.1:{port}"], "600/min", with_secret=False)
    app = create_app(
        settings, agent_factory=real_agent_factory, web_settings=WebSettings(demo_key=keys.publishable_key)
    )
    return LiveServer(app, port)


def shadow_text(page: object) -> str:
    return page.evaluate("document.querySelector('#chengguo-widget').shadowRoot.textContent")  # type: ignore[attr-defined]


def test_widget_flow_with_xss_payloads(browser: object, tmp_path: Path) -> None:
    srv, _env = serve_demo(tmp_path / "d", payload=XSS)
    with srv:
        ctx = browser.new_context(
            viewport={"width": 1280, "height": 860}, accept_downloads=True, locale="zh-CN"
        )  # type: ignore[attr-defined]
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(srv.url + "/demo")
        launcher = page.locator("#chengguo-widget >> button.launcher")
        launcher.click()
        box = page.locator("#chengguo-widget >> textarea")
        box.wait_for(state="visible")
        assert (
            page.evaluate("document.querySelector('#chengguo-widget').shadowRoot.activeElement?.tagName")
            == "TEXTAREA"
        )
        box.fill("帮我预留 12 月的中试平台")
        box.press("Enter")

        card = page.locator("#chengguo-widget >> .card.approval")
        card.wait_for(timeout=10_000)
        # plan and step progress are shown; the step finished
        assert page.locator("#chengguo-widget >> .steps li.st-done").count() >= 1
        # the payload arrived (plan note, step summaries, approval summary) and is shown as text
        assert "<img src=x onerror=" in shadow_text(page)
        page.locator("#chengguo-widget >> button.approve").click()
        answer = page.locator("#chengguo-widget >> .msg.bot .md", has_text="已预留")
        answer.wait_for(timeout=10_000)
        assert "HOLD-1" in answer.inner_text()
        # markdown: bold and code rendered as elements
        assert answer.locator("strong").first.inner_text() == "FAC-0001"
        assert answer.locator("code").first.inner_text() == "HOLD-1"
        # a link whose URL holds parentheses stays whole, and its ")" is not left over as text
        law = answer.locator("a", has_text="第四十五条（示例）")
        assert law.get_attribute("href") == "https://example.org/law_(2015)#art45"
        assert "依据 第四十五条（示例）。" in answer.inner_text() and "art45" not in answer.inner_text()

        # nothing executed, nothing injected
        assert page.evaluate("window.__xss") is None
        root = "document.querySelector('#chengguo-widget').shadowRoot"
        assert (
            page.evaluate(f"{root}.querySelectorAll('img,script,iframe,object,embed,foreignObject').length")
            == 0
        )
        hrefs = page.evaluate(f"[...{root}.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs), (
            hrefs
        )  # javascript: stayed text
        assert "javascript:window.__xss=1" not in "".join(hrefs)
        assert page.evaluate("document.querySelectorAll('img,script:not([src])').length") == 0

        # the term sheet downloads through the API with the widget's key
        with page.expect_download() as dl:
            page.locator("#chengguo-widget >> button.file").first.click()
        path = dl.value.path()
        assert "发明人团队 ≥ 50%" in Path(path).read_text(encoding="utf-8")

        # Esc closes and returns focus to the launcher
        box.press("Escape")
        assert page.locator("#chengguo-widget >> .panel").is_hidden()
        assert page.evaluate(f"{root}.activeElement?.className") == "launcher"

        # the thread id survives a reload (localStorage per key) and its history comes back
        page.reload()
        page.locator("#chengguo-widget >> button.launcher").click()
        page.locator("#chengguo-widget >> .msg.user", has_text="帮我预留 12 月的中试平台").wait_for(
            timeout=10_000
        )
        assert page.evaluate("window.__xss") is None
        assert errors == []
        ctx.close()


def test_reject_and_edit_dates(browser: object, tmp_path: Path) -> None:
    srv, env = serve_demo(tmp_path / "d")
    with srv:
        page = browser.new_page(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
        page.goto(srv.url + "/demo?lang=en")
        page.locator("#chengguo-widget >> button.launcher").click()
        box = page.locator("#chengguo-widget >> textarea")
        assert box.get_attribute("aria-label", timeout=5000).startswith("Type your question")
        box.fill("hold the pilot line in December")
        box.press("Enter")
        page.locator("#chengguo-widget >> button.edit-dates").click()
        page.locator("#chengguo-widget >> input[name=start]").fill("2026-12-08")
        page.locator("#chengguo-widget >> input[name=end]").fill("2026-12-12")
        page.locator("#chengguo-widget >> form.edit button[type=submit]").click()
        page.locator("#chengguo-widget >> .msg.bot .md", has_text="2026-12-08").wait_for(timeout=10_000)
        assert env.agent.calls[-1][2] == "edit"
        # second thread turn: reject path
        box.fill("another pilot hold")
        box.press("Enter")
        page.locator("#chengguo-widget >> .card.approval >> nth=1").wait_for()
        page.locator("#chengguo-widget >> button.reject >> nth=1").click()
        page.locator("#chengguo-widget >> .msg.bot .md", has_text="Hold cancelled").wait_for(timeout=10_000)
        page.close()


def test_phone_width_full_screen_and_screenshot(browser: object, tmp_path: Path) -> None:
    srv, _env = serve_demo(tmp_path / "d")
    with srv:
        page = browser.new_page(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
        page.goto(srv.url + "/demo")
        page.locator("[data-chengguo-open]").click()  # the portal's own button opens the widget
        panel = page.locator("#chengguo-widget >> .panel")
        panel.wait_for(state="visible")
        b = panel.bounding_box()
        assert b is not None and b["x"] == 0 and b["y"] == 0 and b["width"] == 375 and b["height"] == 740
        # the launcher would cover the send button: hidden while the full-screen panel is open
        assert page.locator("#chengguo-widget >> button.launcher").is_hidden()
        page.keyboard.press("Escape")
        assert panel.is_hidden() and page.locator("#chengguo-widget >> button.launcher").is_visible()
        page.close()

        page = browser.new_page(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
        page.goto(srv.url + "/demo")
        page.locator("#chengguo-widget >> button.launcher").click()
        box = page.locator("#chengguo-widget >> textarea")
        box.fill("ACH-0001 的合作伙伴")
        box.press("Enter")
        page.locator("#chengguo-widget >> .cites").wait_for(timeout=10_000)
        shot = Path(os.environ.get("CHENGGUO_WIDGET_SCREENSHOT", str(tmp_path / "widget.png")))
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        page.close()


def ask(page: object, text: str) -> None:
    box = page.locator("#chengguo-widget >> textarea")  # type: ignore[attr-defined]
    box.fill(text)
    box.press("Enter")
    # wait until the turn is over (the send button is enabled again)
    page.locator("#chengguo-widget >> button.send:not([disabled])").wait_for(timeout=30_000)  # type: ignore[attr-defined]


def test_widget_with_real_agent(browser: object, agent_data_dir: Path) -> None:
    """Chinese question -> hold approval -> answer; ingested script payloads render as text; term sheet download."""
    with serve_real_demo(agent_data_dir) as srv:
        ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)  # type: ignore[attr-defined]
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(srv.url + "/demo")
        page.locator("#chengguo-widget >> button.launcher").click()
        ask(page, "查一下 FAC-9001 在 2027 年 1 月有没有 5 天的档期，有的话帮我预留")
        card = page.locator("#chengguo-widget >> .card.approval")
        card.wait_for(timeout=30_000)
        assert "FAC-9001" in card.inner_text()
        assert page.locator("#chengguo-widget >> .steps li.st-done").count() >= 1
        page.locator("#chengguo-widget >> button.approve").click()
        page.locator("#chengguo-widget >> .decided").wait_for()
        page.locator("#chengguo-widget >> button.send:not([disabled])").wait_for(timeout=30_000)
        answers = page.locator("#chengguo-widget >> .msg.bot .md")
        assert "FAC-9001" in answers.last.inner_text()
        assert page.locator("#chengguo-widget >> .err").count() == 0

        # an ingested achievement whose title and summary carry script payloads
        ask(page, "ACH-9001")
        last = page.locator("#chengguo-widget >> .msg.bot .md").last
        assert "<img src=x onerror=" in last.inner_text() and "<svg onload=" in last.inner_text()

        ask(page, "为 ACH-9001 起草一份普通许可条款清单，入门费 200 万元")
        with page.expect_download() as dl:
            page.locator("#chengguo-widget >> button.file", has_text=".md").first.click()
        assert "50%" in Path(dl.value.path()).read_text(encoding="utf-8")

        root = "document.querySelector('#chengguo-widget').shadowRoot"
        assert page.evaluate("window.__xss") is None
        assert page.evaluate(f"{root}.querySelectorAll('img,script,iframe,object,embed').length") == 0
        # no element anywhere carries an event-handler attribute (onerror, onload, onmouseover …)
        handlers = page.evaluate(
            "[...document.querySelectorAll('*'), ...document.querySelector('#chengguo-widget').shadowRoot"
            ".querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
        )
        assert handlers == []
        hrefs = page.evaluate(f"[...{root}.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        # http(s) links, and the widget's own download blob; the payload's javascript: link stayed text
        assert all(h.startswith(("https://", "http://", f"blob:{srv.url}/")) for h in hrefs), hrefs
        assert errors == []
        ctx.close()
