"""The widget when the network or the server misbehaves, and how it renders what it is sent.

The run/approval responses are replaced in the browser (Playwright routing) so each case is exact:
a connection that drops, a stream that ends before `done`, a server that stops sending anything,
a 429, an answer with nested lists. Same demo portal and Debian chromium as test_browser.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, serve_demo

pytestmark = pytest.mark.browser

ROOT = "document.querySelector('#chengguo-widget').shadowRoot"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    srv, _env = serve_demo(tmp_path_factory.mktemp("resilience"))
    with srv:
        yield srv


def sse(*events: tuple[str, dict[str, Any]]) -> str:
    return "".join(
        f"event: {k}\ndata: {json.dumps({'event': k, 'data': d}, ensure_ascii=False)}\n\n" for k, d in events
    )


def open_widget(browser: Any, server: LiveServer, lang: str = "zh", *, stall: str | None = None) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    if stall:  # the portal sets a short stall timeout on the script tag

        def demo(route: Any) -> None:
            body = route.fetch().text().replace("data-key=", f'data-stall-timeout="{stall}" data-key=')
            route.fulfill(body=body, content_type="text/html; charset=utf-8")

        page.route("**/demo*", demo)
    page.goto(f"{server.url}/demo?lang={lang}")
    page.locator("#chengguo-widget >> button.launcher").click()
    page.locator("#chengguo-widget >> textarea").wait_for(state="visible")
    return page


def ask(page: Any, text: str) -> None:
    box = page.locator("#chengguo-widget >> textarea")
    box.fill(text)
    box.press("Enter")
    page.locator("#chengguo-widget >> button.send:not([disabled])").wait_for(timeout=20_000)


def shadow(page: Any, js: str) -> Any:
    return page.evaluate(f"(() => {{ const r = {ROOT}; return {js}; }})()")


STARTED = (
    ("plan", {"steps": [{"id": "s1", "tool": "find_partners", "summary": "寻找合作方"}]}),
    ("step", {"step_id": "s1", "tool": "find_partners", "status": "started"}),
    ("token", {"text": "正在"}),
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "与服务器的连接中断，回答没有完成"), ("en", "The connection to the server was lost")],
)
def test_stream_cut_before_done_shows_interrupted(
    browser: Any, server: LiveServer, lang: str, expected: str
) -> None:
    page = open_widget(browser, server, lang)
    page.route(
        "**/runs", lambda r: r.fulfill(status=200, content_type="text/event-stream", body=sse(*STARTED))
    )
    ask(page, "ACH-0001 partners")
    err = page.locator("#chengguo-widget >> .err")
    assert err.count() == 1
    assert expected in err.inner_text()
    assert err.get_attribute("role") == "alert"
    # the partial answer stays visible; the typing indicator is gone
    assert "正在" in shadow(page, "r.querySelector('.log').innerText")
    assert shadow(page, "r.querySelectorAll('.typing').length") == 0
    # the step that was running does not spin forever
    assert shadow(page, "r.querySelector('[data-step=s1]').className") == "st-stopped"
    page.close()


@pytest.mark.parametrize(
    ("lang", "expected", "raw"),
    [("zh", "无法连接到服务器", "Failed to fetch"), ("en", "Can't reach the server", "Failed to fetch")],
)
def test_unreachable_server_is_translated_and_text_kept(
    browser: Any, server: LiveServer, lang: str, expected: str, raw: str
) -> None:
    page = open_widget(browser, server, lang)
    page.route("**/v1/threads**", lambda r: r.abort("connectionrefused"))
    ask(page, "帮我找合作方")
    err = page.locator("#chengguo-widget >> .err")
    assert expected in err.inner_text()
    assert raw not in err.inner_text() and "network error" not in err.inner_text()
    if lang == "en":
        assert err.inner_text().startswith("Something went wrong: ")  # no full-width colon in English
    # the message never reached the server: it is back in the box, not shown as sent
    assert page.locator("#chengguo-widget >> textarea").input_value() == "帮我找合作方"
    assert page.locator("#chengguo-widget >> .msg.user").count() == 0
    page.close()


def test_silent_server_gives_up_after_stall_timeout(browser: Any, server: LiveServer) -> None:
    page = open_widget(browser, server, "en", stall="1.5")
    held: list[Any] = []
    page.route("**/runs", lambda r: held.append(r))  # never answered: a hung server
    ask(page, "find partners")
    assert len(held) == 1
    assert "The server stopped responding" in page.locator("#chengguo-widget >> .err").inner_text()
    page.close()


@pytest.mark.parametrize(("lang", "expected"), [("zh", "请在 17 秒后再试"), ("en", "try again in 17 s")])
def test_rate_limited_is_a_polite_notice(browser: Any, server: LiveServer, lang: str, expected: str) -> None:
    page = open_widget(browser, server, lang)
    body = {
        "error": {
            "code": "rate_limited",
            "message": "Too many requests for this key; retry in 17 s.",
            "message_zh": "请求过于频繁，请在 17 秒后重试。",
        }
    }
    page.route(
        "**/runs",
        lambda r: r.fulfill(
            status=429,
            headers={
                "Retry-After": "17",
                "Access-Control-Allow-Origin": server.url,
                "Access-Control-Expose-Headers": "Retry-After",
            },
            content_type="application/json",
            body=json.dumps(body),
        ),
    )
    ask(page, "hello there")
    note = page.locator("#chengguo-widget >> .notice")
    text = note.inner_text()
    assert expected in text
    assert text.count("17") == 1  # the wait is said once, not twice
    assert page.locator("#chengguo-widget >> .err").count() == 0
    assert page.locator("#chengguo-widget >> textarea").input_value() == "hello there"
    page.close()


def test_nested_lists_and_continuation_lines(browser: Any, server: LiveServer) -> None:
    text = (
        "档期查询：\n"
        "- [FAC-0001] 固态电池中试线：可用窗口：\n"
        "  • 2026-12-06 至 2026-12-11\n"
        "  需提前 14 天预订。\n"
        "- [FAC-0004] 钠离子中试线：无空档\n"
        "\n"
        "3. third\n"
        "4. fourth"
    )
    msg = {
        "text": text,
        "citations": [{"id": "SAMPLE-NOTE-ROYALTY-PRACTICE-ZH", "title": "样例指引", "ref": "第五项"}],
    }
    page = open_widget(browser, server, "zh")
    page.route(
        "**/runs",
        lambda r: r.fulfill(
            status=200,
            content_type="text/event-stream",
            body=sse(("message", msg), ("done", {"interrupted": False})),
        ),
    )
    ask(page, "档期")
    md = ".msg.bot .md"
    # two top-level items; the window is a sub-item of the first; the lead-time note stays in the first
    assert shadow(page, f"r.querySelectorAll('{md} > ul > li').length") == 2
    first = shadow(page, f"r.querySelector('{md} > ul > li').innerText")
    assert "需提前 14 天预订" in first and "2026-12-06" in first
    assert (
        shadow(page, f"r.querySelector('{md} > ul > li > ul > li').textContent") == "2026-12-06 至 2026-12-11"
    )
    assert shadow(page, f"r.querySelector('{md} > ol').getAttribute('start')") == "3"
    # the cited id is one unbreakable-at-hyphen piece
    assert shadow(page, "r.querySelector('.cites .cid').textContent") == "(SAMPLE-NOTE-ROYALTY-PRACTICE-ZH)"
    assert shadow(page, "getComputedStyle(r.querySelector('.cites .cid')).display") == "inline-block"
    assert page.locator("#chengguo-widget >> .err").count() == 0
    page.close()


def test_failed_approval_reopens_the_decision(browser: Any, server: LiveServer) -> None:
    page = open_widget(browser, server, "en")
    ask(page, "hold the pilot line in December")
    page.locator("#chengguo-widget >> button.approve").wait_for()
    page.route("**/approval", lambda r: r.abort("connectionreset"))
    page.locator("#chengguo-widget >> button.approve").click()
    page.locator("#chengguo-widget >> .err").wait_for()
    page.locator("#chengguo-widget >> button.send:not([disabled])").wait_for()
    assert "Can't reach the server" in page.locator("#chengguo-widget >> .err").inner_text()
    assert page.locator("#chengguo-widget >> .decided").count() == 0  # not "Approved"
    assert page.locator("#chengguo-widget >> button.approve").is_enabled()
    page.close()


def test_demo_page_requests_nothing_that_404s(browser: Any, server: LiveServer) -> None:
    # Debian's chromium (plain --headless) asks for /favicon.ico, which the API answers 404: the demo
    # declares an inline icon so the integrator's console stays clean.
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(server.url + "/demo")
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert page.evaluate("document.querySelector('link[rel=icon]')?.getAttribute('href')", None).startswith(
        "data:"
    )
    page.close()


def test_phone_header_subtitle_is_not_cut_off(browser: Any, server: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 700})
    page.goto(f"{server.url}/demo?lang=en")
    page.locator("#chengguo-widget >> button.launcher").click()
    sub = page.locator("#chengguo-widget >> .head p")
    sub.wait_for(state="visible")
    assert sub.inner_text() == "Partners · Pilot facilities · Term sheets · Policy"
    assert sub.evaluate("e => e.scrollWidth <= e.clientWidth")  # wrapped, not "Partners · … · P…"
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    page.close()


def test_keyboard_focus_survives_an_approval(browser: Any, server: LiveServer) -> None:
    page = open_widget(browser, server, "en")
    ask(page, "hold the pilot line in December")
    page.locator("#chengguo-widget >> button.approve").wait_for()
    assert shadow(page, "r.activeElement && r.activeElement.className") == "btn primary approve"
    page.keyboard.press("Enter")  # approve with the keyboard
    page.locator("#chengguo-widget >> .decided").wait_for()
    page.locator("#chengguo-widget >> button.send:not([disabled])").wait_for(timeout=20_000)
    # focus went to the message box, not to <body>: the next question can be typed at once
    assert shadow(page, "r.activeElement && r.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("next question")
    assert page.locator("#chengguo-widget >> textarea").input_value() == "next question"
    page.close()


def test_term_sheet_still_downloadable_after_reload(browser: Any, server: LiveServer) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{server.url}/demo?lang=zh")
    page.locator("#chengguo-widget >> button.launcher").click()
    ask(page, "预留中试平台 12 月")
    page.locator("#chengguo-widget >> button.approve").click()
    page.locator("#chengguo-widget >> button.file").first.wait_for(timeout=20_000)
    page.reload()
    page.locator("#chengguo-widget >> button.launcher").click()
    files = page.locator("#chengguo-widget >> .msg.bot button.file")
    files.first.wait_for(timeout=10_000)
    assert [files.nth(i).inner_text() for i in range(files.count())] == ["条款清单.md", "term-sheet.docx"]
    with page.expect_download() as dl:
        files.nth(1).click()
    assert Path(dl.value.path()).read_bytes().startswith(b"PK")
    assert dl.value.suggested_filename == "term-sheet.docx"
    ctx.close()
