"""Web UI (Gradio): chat with cited sources, program table and budget chart, served fully offline.

Gradio is imported inside functions only, so the CLI and the library never pay for it.
Nothing here reads the environment; ``app.py`` does that and calls ``serve``.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import logging
import re
import shutil
import tempfile
from pathlib import Path

from .answer import document_names
from .chat import (  # noqa: F401 (the chat names are part of this module's interface)
    ALL,
    EMPTY_MESSAGE,
    ERROR_MESSAGE,
    LATEST,
    TOO_LONG_MESSAGE,
    VOTES,
    Answerer,
    era,
    feedback_vote,
    parse_year,
    record_feedback,
    year_choice,
)
from .guard import MAX_QUESTION_CHARS, question_problem
from .links import year_links
from .normalize import normalize
from .programs import ProgramRow, format_rows, program_rows

log = logging.getLogger(__name__)

EXAMPLES = ("ACP推進事業の予算は？", "入退院時連携支援事業の補助率と対象は？", "家族を支援する事業は？",
            "令和2年度から予算はどう変わった？", "Which programs support families?")
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
    if answer.clarify is not None and answer.clarify.options:
        parts.append("\n".join(f"- {html.escape(o.question)}" for o in answer.clarify.options))
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


def chat_history(turns: list) -> list[str]:
    """The questions a follow-up may lean on: those since the last fresh start (an example clicked)."""
    asked = [t for t in turns if t]
    start = max((n for n, t in enumerate(asked) if t.get("fresh")), default=0)
    return [t["question"] for t in asked[start:]]


def chat_turn(answerer: Answerer, corpus, question: str, messages: list, turns: list, year: str, fresh: bool = False):
    """One chat exchange: (messages, turns, cleared textbox). ``turns`` parallels ``messages``:
    {question, answer} at each answered reply, None elsewhere; its questions are the follow-up history.
    A ``fresh`` question (an example clicked) leans on no earlier turn, and later follow-ups lean on it."""
    question = (question or "").strip()
    result = answerer.ask(question, year, [] if fresh else chat_history(turns))
    if isinstance(result, str):
        shown, turn = result, None
    else:
        shown, turn = render_answer(result, corpus), {"question": question, "answer": result.text, "fresh": fresh}
    if question_problem(question):
        question = question[:MAX_QUESTION_CHARS] + "…"
    messages = [*messages, {"role": "user", "content": question or "（空の質問）"},
                {"role": "assistant", "content": shown}]
    return messages, [*turns, None, turn], ""


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
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 {height}" width="900" height="{height}" '
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

def build_app(assistant, data_dir: Path, csv_dir: Path | None = None, failed: dict[int, str] | None = None):
    """The Blocks app: チャット, 事業一覧 and 予算比較 tabs, plus the ``/ask`` API endpoint.

    CSV downloads are written to ``csv_dir``; without one, a temporary folder removed at exit.
    """
    import gradio as gr

    answerer, corpus = Answerer(assistant, failed), assistant.corpus
    all_rows, years = program_rows(corpus), corpus.years()
    if csv_dir is None:
        csv_dir = Path(tempfile.mkdtemp(prefix="assistant-csv-"))
        atexit.register(shutil.rmtree, csv_dir, True)
    year_choices = [LATEST, *[str(y) for y in sorted(years, reverse=True)], ALL]
    private = {"api_visibility": "private"}

    def on_like(turns, data):
        """Feedback on an answer of this session's chat; anything malformed writes nothing and is an error."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
        valid = isinstance(index, int) and not isinstance(index, bool) and isinstance(turns, list)
        turn = turns[index] if valid and 0 <= index < len(turns) else None
        vote = feedback_vote(data.liked)
        if not isinstance(turn, dict) or vote is None:
            raise gr.Error("無効なフィードバックです。（invalid feedback: unknown message or vote）")
        try:
            record_feedback(data_dir, turn["question"], turn["answer"], vote)
        except ValueError as exc:
            raise gr.Error(f"無効なフィードバックです。（{exc}）") from None

    on_like.__annotations__["data"] = gr.LikeData  # resolved here: gradio is not a module global

    def refresh_table(year, text):
        rows = filter_rows(all_rows, year, text)
        return table_frame(rows), write_csv(rows, csv_dir, year), f"{len(rows)} 件"

    with gr.Blocks(title="在宅療養 予算アシスタント", analytics_enabled=False) as demo:
        gr.Markdown(f"## 在宅療養 予算アシスタント\n{document_names(corpus)}だけから答えます。"
                    "数値はすべて資料の該当行つきで示します。")
        with gr.Tab("チャット"):
            turns = gr.State([])
            year = gr.Radio(year_choices, value=LATEST, label="年度", info="「最新」は令和7年度の資料を優先します")
            chatbot = gr.Chatbot(label="回答", height=620, elem_id="chat", buttons=["copy", "copy_all"],
                                 placeholder="下の例を押すか、質問を入力してください。")
            with gr.Row():
                question = gr.Textbox(show_label=False, scale=5, elem_id="question", max_length=MAX_QUESTION_CHARS,
                                      placeholder=f"質問を入力（{MAX_QUESTION_CHARS:,}文字まで。例：ACP推進事業の予算は？）")
                send = gr.Button("送信", variant="primary", scale=1, elem_id="send")
            with gr.Row():
                examples = [gr.Button(q, size="sm") for q in EXAMPLES]
            io = ([question, chatbot, turns, year], [chatbot, turns, question])
            def respond(q, m, t, y, fresh=False):
                return chat_turn(answerer, corpus, q, m, t, y, fresh)

            send.click(respond, *io, **private)
            question.submit(respond, *io, **private)
            for button, text in zip(examples, EXAMPLES):
                button.click(lambda m, t, y, q=text: respond(q, m, t, y, fresh=True), io[0][1:], io[1], **private)
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
            # Markdown, not gr.HTML: gr.HTML renders through templates compiled with `new Function`, which
            # the Content-Security-Policy (no unsafe-eval) refuses; the sanitizer keeps the inline SVG.
            gr.Markdown(chart_svg(comparison(corpus), years), elem_id="budget-chart")
        gr.api(answerer.ask_json, api_name="ask",
               api_description="質問と年度（最新 / 2025 / 2020 / すべて）から、回答の JSON を返します。")
    return demo


def serve(demo, host: str = "127.0.0.1", port: int = 7860, share: bool = False, block: bool = True,
          allow_hosts: tuple[str, ...] = ()):
    """Launch offline: system fonts only, no SSR node server, no MCP, no PWA, no share link unless asked.

    The web guard checks the Host header (local names, ``host`` and ``allow_hosts``; a share link
    needs any), adds the security headers and refuses uploads.
    """
    import gradio as gr

    from .webguard import allowed_hosts, middleware

    theme = gr.themes.Default(font=FONTS, font_mono=["ui-monospace", "monospace"])
    hosts = None if share else allowed_hosts(host, allow_hosts)
    return demo.launch(server_name=host, server_port=port, share=share, prevent_thread_lock=not block,
                       theme=theme, css=CSS, ssr_mode=False, mcp_server=False, pwa=False,
                       enable_monitoring=False, quiet=not block, max_file_size="1kb",
                       app_kwargs={"middleware": middleware(hosts)})


def launch_app(settings, host: str = "127.0.0.1", port: int = 7860, share: bool = False):
    """Load the assistant for ``settings`` and serve the UI until interrupted."""
    from .assistant import Assistant

    serve(build_app(Assistant.load(settings, progress=True), settings.data_dir), host, port, share)
