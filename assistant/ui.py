"""Web UI (Gradio): chat with cited sources, program table and budget chart, served fully offline.

Gradio is imported inside functions only, so the CLI and the library never pay for it.
Nothing here reads the environment; ``app.py`` does that and calls ``serve``.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import json
import logging
import os
import re
import tempfile
import threading
from datetime import datetime
from pathlib import Path

from .links import year_links
from .normalize import normalize
from .programs import ProgramRow, format_rows, program_rows

log = logging.getLogger(__name__)

EXAMPLES = ("ACP推進事業の予算は？", "入退院時連携支援事業の補助率と対象は？", "家族を支援する事業は？",
            "令和2年度から予算はどう変わった？", "Which programs support families?")
EMPTY_MESSAGE = "質問を入力してください。（例：「ACP推進事業の予算は？」）"
ERROR_MESSAGE = "申し訳ありません。回答の作成中にエラーが発生しました。質問を言い換えて、もう一度お試しください。"
LATEST, ALL = "最新", "すべて"
KIND_LABELS = {"budget": "予算額", "subsidy_rate": "補助率", "base_amount": "基準額", "cap": "上限額",
               "target": "対象", "period": "実施期間", "method": "実施方法", "scheme": "補助の仕組み",
               "survey": "調査結果", "criterion": "基準", "schedule": "予定"}
TABLE_COLUMNS = ["年度", "施策", "事業名", "予算額(千円)", "補助率", "区分", "親事業"]
YEAR_COLORS = ("#94a3b8", "#2563eb", "#f59e0b", "#10b981")
FONTS = ["system-ui", "-apple-system", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", "Meiryo", "sans-serif"]
CSS = """
.headline strong { font-size: 1.1em; }
.sources code { white-space: pre-wrap; }
.sources summary { cursor: pointer; }
#budget-chart svg { max-width: 100%; height: auto; }
"""


def era(year: int) -> str:
    """令和7年度 for 2025 (the documents' own way of naming years)."""
    return f"令和{year - 2018}年度" if year >= 2019 else f"{year}年度"


def parse_year(choice: str | int | None) -> int | None:
    """「2025」→ 2025; 「最新」「すべて」 or anything else → None (the assistant picks the latest)."""
    match = re.search(r"\d{4}", str(choice or ""))
    return int(match[0]) if match else None


# --- answers ---------------------------------------------------------------------------------------

def _cell(text: object) -> str:
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def render_answer(answer, corpus) -> str:
    """Markdown for the chat: bold headline, body, fact table, and collapsible cited lines."""
    lines = answer.text.split("\n")
    body = [ln for ln in lines[1:] if not re.match(r"^(出典|Sources): ", ln)]
    parts = [f'<p class="headline"><strong>{html.escape(lines[0])}</strong></p>']
    if body:
        parts.append(html.escape("\n".join(body), quote=False))
    if answer.facts:
        table = ["| 事業 | 年度 | 項目 | 内容 | 出典 |", "| --- | --- | --- | --- | --- |"]
        for f in answer.facts:
            program = corpus.get(f.program_id)
            value = f.value + (f"（{f.condition}）" if f.condition and f.condition != f.value
                               and not f.condition.startswith("対象") else "")
            value += f"［{f.note}］" if f.note else ""
            where = f"L{f.line_start}" + (f"-{f.line_end}" if f.line_end != f.line_start else "")
            table.append(f"| {_cell(program.name if program else f.program_id)} | {era(f.fiscal_year)} | "
                         f"{KIND_LABELS.get(f.kind, f.kind)} | {_cell(value)} | {where} |")
        parts.append("\n".join(table))
    if answer.citations:
        items = "".join(
            f"<div><b>{html.escape(c.document_title)} L{c.line_start}"
            + (f"-{c.line_end}" if c.line_end != c.line_start else "") + "</b><br>"
            + "<br>".join(f"<code>{html.escape(t)}</code>" for t in c.text.split("\n")) + "</div>"
            for c in answer.citations)
        parts.append(f'<details class="sources"><summary>出典（{len(answer.citations)}件）'
                     f"— 資料の該当行</summary>{items}</details>")
    return "\n\n".join(parts)


class Answerer:
    """Serializes calls into the assistant (its tokenizers are not thread-safe) and never raises."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.lock = threading.Lock()

    def ask(self, question: str, year: str | None, history: list[str] | None = None):
        """The Answer, or a message string when the question is empty or answering failed."""
        question = (question or "").strip()
        if not question:
            return EMPTY_MESSAGE
        try:
            with self.lock:
                return self.assistant.ask(question, history=history or None, year=parse_year(year))
        except BaseException as exc:  # a Rust panic in a tokenizer is a BaseException, not an Exception
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            log.exception("answering %r failed", question)
            return ERROR_MESSAGE

    def ask_json(self, question: str, year: str = LATEST) -> dict:
        """The API's reply: ``Answer.to_json()``, or {question, answer, abstained, kind, error} on failure."""
        result = self.ask(question, year)
        if isinstance(result, str):
            kind = "empty" if result == EMPTY_MESSAGE else "error"
            return {"question": question or "", "answer": result, "abstained": True, "kind": kind,
                    "programs": [], "facts": [], "citations": [], "derived": [], "error": kind == "error"}
        return result.to_json()


def chat_turn(answerer: Answerer, corpus, question: str, messages: list, turns: list, year: str):
    """One chat exchange: (messages, turns, cleared textbox). ``turns`` parallels ``messages``:
    {question, answer} at each answered reply, None elsewhere; its questions are the follow-up history."""
    question = (question or "").strip()
    result = answerer.ask(question, year, [t["question"] for t in turns if t])
    if isinstance(result, str):
        shown, turn = result, None
    else:
        shown, turn = render_answer(result, corpus), {"question": question, "answer": result.text}
    messages = [*messages, {"role": "user", "content": question or "（空の質問）"},
                {"role": "assistant", "content": shown}]
    return messages, [*turns, None, turn], ""


def record_feedback(data_dir: Path, question: str, answer: str, vote: str) -> dict:
    """Append one JSON line to ``data_dir/feedback.jsonl``: locked, one write, so lines never interleave."""
    record = {"question": question, "answer": answer, "vote": vote,
              "time": datetime.now().astimezone().isoformat(timespec="seconds")}
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / "feedback.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)  # closing releases the lock
    return record


# --- program table ---------------------------------------------------------------------------------

def filter_rows(rows: list[ProgramRow], year: str | None, text: str | None) -> list[ProgramRow]:
    """Rows of the chosen year whose name, section or parent contains ``text`` (width/case folded)."""
    wanted, needle = parse_year(year), normalize(text or "")
    return [r for r in rows if (wanted is None or r.fiscal_year == wanted)
            and needle in normalize(" ".join([r.name, r.section, r.parent or ""]))]


def table_frame(rows: list[ProgramRow]):
    """The table tab's data; amounts stay numbers (so they sort) and are shown with thousands commas."""
    import pandas as pd

    def flags(r: ProgramRow) -> str:
        marks = list(r.flags) + (["再掲(同名)"] if r.repeat_of and "再掲" not in "".join(r.flags) else [])
        return "、".join(marks)

    frame = pd.DataFrame([[era(r.fiscal_year), r.section, r.name, r.budget_thousand_yen, "、".join(r.subsidy_rates),
                           flags(r), r.parent or ""] for r in rows], columns=TABLE_COLUMNS)
    frame["予算額(千円)"] = frame["予算額(千円)"].astype("Int64")
    return frame.style.format({"予算額(千円)": lambda v: "" if pd.isna(v) else f"{int(v):,}"})


def write_csv(rows: list[ProgramRow], out_dir: Path, year: str | None) -> Path:
    """The rows as CSV (UTF-8 with BOM, so spreadsheet apps read the Japanese) in ``out_dir``."""
    text = format_rows(rows, "csv")
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    path = Path(out_dir) / f"programs_{parse_year(year) or 'all'}_{digest}.csv"
    if not path.exists():
        path.write_text(text, encoding="utf-8-sig")
    return path


# --- budget comparison -----------------------------------------------------------------------------

def comparison(corpus) -> list[tuple[str, str, dict[int, int | None]]]:
    """(short name, full name, {year: 千円}) per program, the same program's years side by side."""
    links, seen, out = year_links(corpus), set(), []
    for p in sorted(corpus.passages, key=lambda p: -p.fiscal_year):  # stable: document order per year
        if p.repeat_of or p.id in seen:
            continue
        ids = {p.fiscal_year: p.id, **links.get(p.id, {})}
        seen.update(ids.values())
        amounts = {y: corpus.budget(pid) for y, pid in ids.items()}
        if any(a is not None for a in amounts.values()):
            short = re.sub(r"（[^）]*）|\([^)]*\)", "", p.name)
            out.append((short if len(short) <= 20 else short[:19] + "…", p.name, amounts))
    return out


def chart_svg(data, years: tuple[int, ...]) -> str:
    """A grouped horizontal bar chart as inline SVG: drawn by the browser, so no server fonts are needed."""
    bar, gap, label_w, plot_w, top = 16, 14, 300, 480, 48
    peak = max((a or 0) for _, _, amounts in data for a in amounts.values()) or 1
    height = top + len(data) * (bar * len(years) + gap) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 {height}" width="900" '
           f'role="img" aria-label="事業別予算額の年度比較" font-family="{", ".join(FONTS)}" font-size="13">',
           '<text x="0" y="18" font-size="16" font-weight="bold">事業別予算額の年度比較（千円）</text>']
    for j, year in enumerate(years):
        out.append(f'<rect x="{label_w + j * 140}" y="28" width="12" height="12" fill="{YEAR_COLORS[j % 4]}"/>'
                   f'<text x="{label_w + j * 140 + 18}" y="39">{era(year)}（{year}）</text>')
    for i, (short, full, amounts) in enumerate(data):
        y0 = top + i * (bar * len(years) + gap)
        out.append(f'<text x="{label_w - 10}" y="{y0 + bar * len(years) / 2 + 5}" text-anchor="end">'
                   f"<title>{html.escape(full)}</title>{html.escape(short)}</text>")
        for j, year in enumerate(years):
            amount, y = amounts.get(year), y0 + j * bar
            width = 0 if amount is None else max(1, round(plot_w * amount / peak))
            label = f"{amount:,}" if amount is not None else "記載なし"
            out.append(f'<rect class="bar" x="{label_w}" y="{y + 1}" width="{width}" height="{bar - 2}" '
                       f'fill="{YEAR_COLORS[j % 4]}"><title>{era(year)} {label}</title></rect>'
                       f'<text x="{label_w + width + 6}" y="{y + bar - 4}" font-size="11" fill="#374151">{label}</text>')
    return "".join(out) + "</svg>"


# --- the app ---------------------------------------------------------------------------------------

def build_app(assistant, data_dir: Path):
    """The Blocks app: チャット, 事業一覧 and 予算比較 tabs, plus the ``/ask`` API endpoint."""
    import gradio as gr

    answerer, corpus = Answerer(assistant), assistant.corpus
    all_rows, years = program_rows(corpus), corpus.years()
    csv_dir = Path(tempfile.mkdtemp(prefix="assistant-csv-"))
    year_choices = [LATEST, *[str(y) for y in sorted(years, reverse=True)], ALL]
    private = {"api_visibility": "private"}

    def on_like(turns, data):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = turns[index] if 0 <= index < len(turns) else None
        if turn:
            vote = {True: "like", False: "dislike"}.get(data.liked, str(data.liked or "none"))
            record_feedback(data_dir, turn["question"], turn["answer"], vote)

    on_like.__annotations__["data"] = gr.LikeData  # resolved here: gradio is not a module global

    def refresh_table(year, text):
        rows = filter_rows(all_rows, year, text)
        return table_frame(rows), write_csv(rows, csv_dir, year), f"{len(rows)} 件"

    with gr.Blocks(title="在宅療養 予算アシスタント", analytics_enabled=False) as demo:
        gr.Markdown("## 在宅療養 予算アシスタント\n東京都の在宅療養関連事業の予算資料（令和7年度・令和2年度）だけから答えます。"
                    "数値はすべて資料の該当行つきで示します。")
        with gr.Tab("チャット"):
            turns = gr.State([])
            year = gr.Radio(year_choices, value=LATEST, label="年度", info="「最新」は令和7年度の資料を優先します")
            chatbot = gr.Chatbot(label="回答", height=620, elem_id="chat", buttons=["copy", "copy_all"],
                                 placeholder="下の例を押すか、質問を入力してください。")
            with gr.Row():
                question = gr.Textbox(show_label=False, placeholder="質問を入力（例：ACP推進事業の予算は？）",
                                      scale=5, elem_id="question")
                send = gr.Button("送信", variant="primary", scale=1, elem_id="send")
            with gr.Row():
                examples = [gr.Button(q, size="sm") for q in EXAMPLES]
            io = ([question, chatbot, turns, year], [chatbot, turns, question])
            def respond(q, m, t, y):
                return chat_turn(answerer, corpus, q, m, t, y)

            send.click(respond, *io, **private)
            question.submit(respond, *io, **private)
            for button, text in zip(examples, EXAMPLES):
                button.click(lambda m, t, y, q=text: respond(q, m, t, y), io[0][1:], io[1], **private)
            chatbot.clear(lambda: [], None, turns, **private)
            chatbot.like(on_like, [turns], None, **private)
        with gr.Tab("事業一覧"):
            with gr.Row():
                table_year = gr.Radio([ALL, *[str(y) for y in sorted(years, reverse=True)]], value=ALL, label="年度")
                table_text = gr.Textbox(label="絞り込み（事業名・施策・親事業）", placeholder="例：ACP、研修")
                count = gr.Markdown(f"{len(all_rows)} 件")
            table = gr.Dataframe(table_frame(all_rows), label="事業一覧", interactive=False, wrap=True,
                                 elem_id="programs", datatype=["str", "str", "str", "number", "str", "str", "str"],
                                 column_widths=["9%", "18%", "22%", "10%", "17%", "9%", "15%"], max_height=640)
            download = gr.DownloadButton("CSV をダウンロード", write_csv(all_rows, csv_dir, ALL), size="sm")
            table_io = ([table_year, table_text], [table, download, count])
            table_year.change(refresh_table, *table_io, **private)
            table_text.change(refresh_table, *table_io, **private)
        with gr.Tab("予算比較"):
            gr.Markdown("同じ事業を年度間で対応づけて並べています（予算額の記載がある事業のみ）。")
            gr.HTML(chart_svg(comparison(corpus), years), elem_id="budget-chart")
        gr.api(answerer.ask_json, api_name="ask",
               api_description="質問と年度（最新 / 2025 / 2020 / すべて）から、回答の JSON を返します。")
    return demo


def serve(demo, host: str = "127.0.0.1", port: int = 7860, share: bool = False, block: bool = True):
    """Launch offline: system fonts only, no SSR node server, no MCP, no PWA, no share link unless asked."""
    import gradio as gr

    theme = gr.themes.Default(font=FONTS, font_mono=["ui-monospace", "monospace"])
    return demo.launch(server_name=host, server_port=port, share=share, prevent_thread_lock=not block,
                       theme=theme, css=CSS, ssr_mode=False, mcp_server=False, pwa=False,
                       enable_monitoring=False, quiet=not block)


def launch_app(settings, host: str = "127.0.0.1", port: int = 7860, share: bool = False):
    """Load the assistant for ``settings`` and serve the UI until interrupted."""
    from .assistant import Assistant

    serve(build_app(Assistant.load(settings, progress=True), settings.data_dir), host, port, share)
