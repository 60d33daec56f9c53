"""Real browser (Debian's Chromium via Playwright): chat, table and chart render, and nothing leaves localhost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.environ.get("ASSISTANT_SKIP_BROWSER") == "1", reason="ASSISTANT_SKIP_BROWSER=1")]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob"} or parsed.hostname in {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium fonts-noto-cjk` "
                    "(or set ASSISTANT_SKIP_BROWSER=1 to skip the browser test)")
    if shutil.which("fc-list") and not subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout:
        warnings.warn("no Japanese font installed (apt-get install -y fonts-noto-cjk): screenshots will show boxes",
                      stacklevel=1)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ja-JP")
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        browser.close()


def test_chat_table_chart_offline(page, ui_server):
    from playwright.sync_api import expect

    url, data_dir = ui_server
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(url)

    # Chat: the answer's figure, the collapsible sources with the cited line, and like feedback.
    page.locator("#question textarea").fill("ACP推進事業の予算は？")
    page.locator("#send").click()
    chat = page.locator("#chat")
    expect(chat.locator("strong", has_text="16,884")).to_be_visible(timeout=30_000)
    summary = chat.locator("details.sources summary").last
    expect(summary).to_be_visible()
    summary.click()
    expect(chat.locator("details.sources code", has_text="ACP推進事業【16,884千円】").last).to_be_visible()
    chat.get_by_role("button", name="いいね", exact=True).last.click()  # gradio labels follow the ja-JP locale
    feedback = data_dir / "feedback.jsonl"
    for _ in range(50):
        if feedback.exists() and feedback.read_text(encoding="utf-8").strip():
            break
        time.sleep(0.2)
    record = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert record["question"] == "ACP推進事業の予算は？" and record["vote"] == "like" and "16,884" in record["answer"]
    page.screenshot(path=ARTIFACTS / "chat.png", full_page=True)

    # Program table: the first row, then the text filter down to a known row (the grid is virtualized,
    # so rows far down are not in the DOM until scrolled to).
    page.get_by_role("tab", name="事業一覧").click()
    table = page.locator("#programs")
    expect(table.get_by_role("row").filter(has_text="区市町村在宅療養推進事業").filter(has_text="252,777")).to_be_visible()
    page.get_by_label("絞り込み（事業名・施策・親事業）").fill("入退院")
    expect(table.get_by_role("row").filter(has_text="区市町村在宅療養推進事業")).to_have_count(0, timeout=10_000)
    expect(table.get_by_role("row").filter(has_text="入退院時連携強化事業").filter(has_text="144,948")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="222,185")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "table.png", full_page=True)

    # Budget chart: an SVG with bars and the linked programs' figures.
    page.get_by_role("tab", name="予算比較").click()
    chart = page.locator("#budget-chart svg")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() >= 10
    expect(chart.get_by_text("16,884", exact=True)).to_be_visible()
    expect(chart.get_by_text("20,933", exact=True)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "chart.png", full_page=True)

    outside = sorted({u for u in page.requests if not _local(u)})
    assert page.requests and not outside, f"requests left localhost: {outside}"
