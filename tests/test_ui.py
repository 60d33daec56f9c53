"""Web UI: the /ask API over a live server, feedback log under concurrency, table filter, CSV, chart."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from assistant.programs import program_rows
from assistant.ui import (
    EMPTY_MESSAGE,
    ERROR_MESSAGE,
    Answerer,
    chart_svg,
    chat_turn,
    comparison,
    filter_rows,
    parse_year,
    record_feedback,
    render_answer,
    write_csv,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(ui_server):
    from gradio_client import Client

    return Client(ui_server[0], verbose=False)


def test_ui_module_does_not_import_gradio():
    code = "import sys, assistant.ui; assert 'gradio' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_api_ask_answers_with_cited_figure(client):
    reply = client.predict("ACP推進事業の予算は？", "最新", api_name="/ask")
    assert "16,884" in reply["answer"]
    assert not reply["abstained"]
    assert any("16,884" in c["text"] for c in reply["citations"])
    assert reply["facts"][0]["source"]["line_start"] > 0


def test_api_year_choice(client):
    reply = client.predict("ACP推進事業の予算は？", "2020", api_name="/ask")
    assert "20,933" in reply["answer"].split("\n")[0]


def test_api_empty_question(client):
    reply = client.predict("   ", "最新", api_name="/ask")
    assert reply["answer"] == EMPTY_MESSAGE and reply["kind"] == "empty" and not reply["error"]


def test_chat_events_are_not_public_api(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert list(endpoints) == ["/ask"]


def test_parse_year():
    assert parse_year("2025") == 2025 and parse_year(2020) == 2020
    assert parse_year("最新") is None and parse_year("すべて") is None and parse_year(None) is None


class Recording:
    """Wraps the assistant and records what each ask received."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []
        self.corpus = inner.corpus

    def ask(self, question, history=None, year=None):
        self.calls.append((question, history, year))
        return self.inner.ask(question, history=history, year=year)


def test_chat_turn_renders_and_passes_history(loaded_assistant):
    recording = Recording(loaded_assistant)
    answerer, corpus = Answerer(recording), loaded_assistant.corpus
    messages, turns, box = chat_turn(answerer, corpus, "ACP推進事業の予算は？", [], [], "最新")
    assert box == "" and len(messages) == 2 == len(turns)
    shown = messages[1]["content"]
    assert "<strong>" in shown and "16,884" in shown.split("</strong>")[0]
    assert "<details" in shown and "ACP推進事業【16,884千円】" in shown
    messages, turns, _ = chat_turn(answerer, corpus, "補助率は？", messages, turns, "2020")
    assert recording.calls[-1] == ("補助率は？", ["ACP推進事業の予算は？"], 2020)
    assert turns[2] is None and turns[3]["question"] == "補助率は？" and turns[3]["answer"]


def test_chat_turn_empty_question(loaded_assistant):
    messages, turns, _ = chat_turn(Answerer(loaded_assistant), loaded_assistant.corpus, "  ", [], [], "最新")
    assert messages[1]["content"] == EMPTY_MESSAGE and turns == [None, None]


def test_failure_becomes_friendly_message(loaded_assistant):
    class Broken:
        corpus = loaded_assistant.corpus

        def ask(self, *args, **kwargs):
            raise RuntimeError("boom")

    messages, _, _ = chat_turn(Answerer(Broken()), Broken.corpus, "ACP推進事業の予算は？", [], [], "最新")
    assert messages[1]["content"] == ERROR_MESSAGE and "boom" not in messages[1]["content"]
    reply = Answerer(Broken()).ask_json("ACP推進事業の予算は？")
    assert reply["error"] and reply["answer"] == ERROR_MESSAGE


def test_render_escapes_cited_text(corpus):
    answer = Answer("q", "見出し <b>\n- 本文\n出典: X L1", False, "content",
                    citations=(Citation("fy2025", "題<i>", 1, 2, "<script>alert(1)</script>\n二行目"),))
    shown = render_answer(answer, corpus)
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "題&lt;i&gt;" in shown
    assert "<strong>見出し &lt;b&gt;</strong>" in shown and "出典: X" not in shown and "二行目" in shown


def test_feedback_concurrent_writes_keep_every_line(tmp_path):
    data_dir = tmp_path / "new" / "data"  # created on first write
    long_answer = "回答" * 3000  # lines far above PIPE_BUF, so torn writes would show

    def worker(n):
        for i in range(50):
            record_feedback(data_dir, f"q{n}-{i}", long_answer, "like" if i % 2 else "dislike")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 400
    assert {r["question"] for r in records} == {f"q{n}-{i}" for n in range(8) for i in range(50)}
    assert all(r["answer"] == long_answer and r["vote"] in {"like", "dislike"} and "T" in r["time"]
               for r in records)


def test_table_filter(corpus):
    rows = program_rows(corpus)
    assert len(filter_rows(rows, "すべて", "")) == len(rows)
    assert {r.fiscal_year for r in filter_rows(rows, "2020", None)} == {2020}
    hits = filter_rows(rows, "2025", "入退院")
    assert {r.name for r in hits} >= {"入退院時連携強化事業", "入退院時連携支援事業"}
    assert all(r.fiscal_year == 2025 for r in hits)
    assert [r.name for r in filter_rows(rows, "2025", "ａｃｐ")][:1] == ["ACP推進事業"]  # width and case folded
    assert filter_rows(rows, "2025", "在宅療養生活への円滑な移行")  # section text matches too
    assert filter_rows(rows, None, "存在しない事業") == []


def test_csv_download(corpus, tmp_path):
    rows = filter_rows(program_rows(corpus), "2025", "入退院")
    path = write_csv(rows, tmp_path, "2025")
    assert path.name.startswith("programs_2025_") and path.suffix == ".csv"
    table = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert len(table) == len(rows)
    row = next(r for r in table if r["name"] == "入退院時連携強化事業")
    assert row["budget_thousand_yen"] == "144948" and row["fiscal_year"] == "2025"


def test_comparison_links_years(corpus):
    data = comparison(corpus)
    by_name = {full: amounts for _, full, amounts in data}
    assert by_name["ACP推進事業"] == {2025: 16884, 2020: 20933}
    assert by_name["東京都多職種連携ポータルサイトの運営"] == {2025: 19058, 2020: 19437}  # renamed program
    assert all(any(a is not None for a in amounts.values()) for _, _, amounts in data)
    svg = chart_svg(data, corpus.years())
    assert svg.startswith("<svg") and svg.count('class="bar"') == 2 * len(data) and "16,884" in svg


def test_app_reports_load_failure_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "app.py", "--root", str(tmp_path), "--port", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: could not load the assistant")
    assert "Traceback" not in result.stderr


def test_clicked_example_starts_fresh_and_follow_ups_lean_on_it(loaded_assistant):
    recording = Recording(loaded_assistant)
    answerer, corpus = Answerer(recording), loaded_assistant.corpus
    messages, turns, _ = chat_turn(answerer, corpus, "ACP推進事業の予算は？", [], [], "最新")
    messages, turns, _ = chat_turn(answerer, corpus, "補助率は？", messages, turns, "最新")
    # an example clicked after other turns: no history, and it answers its own program
    messages, turns, _ = chat_turn(answerer, corpus, "入退院時連携支援事業の補助率と対象は？", messages, turns, "最新",
                                   fresh=True)
    assert recording.calls[-1][1] is None
    assert "1/2または3/4" in messages[-1]["content"] and "200床未満" in messages[-1]["content"]
    messages, turns, _ = chat_turn(answerer, corpus, "予算は？", messages, turns, "最新")
    assert recording.calls[-1][1] == ["入退院時連携支援事業の補助率と対象は？"]


def test_clarifying_question_shows_its_options(corpus):
    from assistant.answer import Clarify, Option

    answer = Answer("q", "どの事業についての質問ですか？", True, "clarify",
                    clarify=Clarify("どの事業についての質問ですか？", (Option("A", "「A」の予算額は？"), Option("B", "「B」の予算額は？"))))
    shown = render_answer(answer, corpus)
    assert "「A」の予算額は？" in shown and "「B」の予算額は？" in shown
