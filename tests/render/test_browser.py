"""The HTML page in real headless Chromium: no console errors, no requests, no horizontal scroll at 375 px.

Screenshots go to ``artifacts/`` at the repository root (gitignored), for CI to keep.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from postmortem.render import render_html

from .cdp import Browser
from .helpers import FIXTURES, ROOT, load, options_for, sample_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    assert CHROMIUM is not None
    b = Browser(CHROMIUM, str(tmp_path_factory.mktemp("chromium-profile")))
    yield b  # type: ignore[misc]
    b.close()


def visit(browser: Browser, url: str, width: int, dark: bool = False) -> dict[str, object]:
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.events.clear()
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500},
        session=session,
    )
    browser.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
        session=session,
    )
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    metrics = browser.send(
        "Runtime.evaluate",
        {
            "expression": "JSON.stringify({sw: document.scrollingElement.scrollWidth, cw: document.documentElement.clientWidth, h: document.scrollingElement.scrollHeight})",
            "returnByValue": True,
        },
        session=session,
    )["result"]["value"]
    import json

    m = json.loads(metrics)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(int(m["h"]), 16000), "deviceScaleFactor": 1, "mobile": width < 500},
        session=session,
    )
    shot = browser.send(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session, timeout=60
    )["data"]
    events = [e for e in browser.events if e.get("sessionId") == session]
    browser.send("Target.closeTarget", {"targetId": target})
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    requests = [u for u in requests if not u.startswith("data:")]  # inline images: not a network request
    errors = [e["params"] for e in events if e.get("method") == "Runtime.exceptionThrown"]
    errors += [
        e["params"]
        for e in events
        if e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") in ("error", "warning", "assert")
    ]
    errors += [
        e["params"]["entry"]
        for e in events
        if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") in ("error", "warning")
    ]
    return {
        "scroll_width": m["sw"],
        "client_width": m["cw"],
        "requests": requests,
        "errors": errors,
        "png": base64.b64decode(shot),
    }


CASES = [FIXTURES / "full.yml", FIXTURES / "hostile.yml", *sample_paths()[:2]]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_page_in_chromium_at_375px(browser: Browser, tmp_path: Path, path: Path, dark: bool) -> None:
    incident = load(path)
    html = render_html(incident, options_for(path, incident))
    page = tmp_path / f"{path.stem}.html"
    page.write_text(html, encoding="utf-8")
    url = page.as_uri()
    result = visit(browser, url, 375, dark)
    assert result["requests"] == [url], "no request other than the page itself"
    assert result["errors"] == [], "no console errors (a CSP violation would be one)"
    assert result["scroll_width"] <= 375, f"horizontal scroll: {result['scroll_width']} px"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{path.stem}-375-{'dark' if dark else 'light'}.png").write_bytes(result["png"])  # type: ignore[arg-type]


def test_page_in_chromium_at_1200px(browser: Browser, tmp_path: Path) -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    page = tmp_path / "full.html"
    page.write_text(render_html(incident, options_for(path, incident)), encoding="utf-8")
    result = visit(browser, page.as_uri(), 1200)
    assert result["errors"] == [] and result["scroll_width"] <= 1200
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "full-1200-light.png").write_bytes(result["png"])  # type: ignore[arg-type]


def test_the_harness_sees_scroll_requests_and_csp_errors(browser: Browser, tmp_path: Path) -> None:
    """The checks above can fail: a wide element, a remote image blocked by the CSP."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body><div style="width: 900px">wide</div><img src="http://127.0.0.1:9/x.png" alt="x"></body></html>'
    )
    result = visit(browser, page.as_uri(), 375)
    assert result["scroll_width"] > 375  # type: ignore[operator]
    assert result["errors"], "the CSP violation is reported"
