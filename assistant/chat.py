"""Chat requests of the web app: the checks before an answer (empty, too long, which year), the lock
around the assistant, and the feedback log. Gradio is not imported here.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
from datetime import datetime
from pathlib import Path

from .guard import MAX_ANSWER_CHARS, MAX_QUESTION_CHARS, question_problem

log = logging.getLogger(__name__)

EMPTY_MESSAGE = "質問を入力してください。（例：「ACP推進事業の予算は？」）"
ERROR_MESSAGE = "申し訳ありません。回答の作成中にエラーが発生しました。質問を言い換えて、もう一度お試しください。"
TOO_LONG_MESSAGE = f"質問が長すぎます（{MAX_QUESTION_CHARS:,}文字まで）。短くして、もう一度お試しください。"
VOTES = ("like", "dislike", "retract")
LATEST, ALL = "最新", "すべて"


def era(year: int) -> str:
    """令和7年度 for 2025 (the documents' own way of naming years)."""
    return f"令和{year - 2018}年度" if year >= 2019 else f"{year}年度"


def parse_year(choice: str | int | None) -> int | None:
    """「2025」→ 2025; 「最新」「すべて」 or anything else → None (the assistant picks the latest)."""
    match = re.search(r"\d{4}", str(choice or ""))
    return int(match[0]) if match else None


def year_choice(choice: object, years: tuple[int, ...], failed: dict[int, str] | None = None) -> int | str | None:
    """The fiscal year of a year choice (None: latest or all), or a message naming the years there are."""
    if choice is None or (isinstance(choice, str) and choice.strip() in ("", LATEST, ALL)):
        return None
    text = str(choice).strip()
    year = int(text) if re.fullmatch(r"\d{4}", text) else None
    if year is not None and (not years or year in years):
        return year
    have = "、".join(f"{era(y)}（{y}）" for y in sorted(years, reverse=True))
    if year is not None and failed and year in failed:
        return f"{era(year)}（{year}）の資料は読み込めませんでした。回答できる年度: {have}、{LATEST}、{ALL}"
    return f"年度「{text[:20]}」の資料はありません。回答できる年度: {have}、{LATEST}、{ALL}"


class Answerer:
    """Serializes calls into the assistant (its tokenizers are not thread-safe) and never raises."""

    def __init__(self, assistant, failed: dict[int, str] | None = None):
        self.assistant = assistant
        self.years = tuple(assistant.corpus.years())
        self.failed = failed or {}
        self.lock = threading.Lock()

    def ask(self, question: str, year: str | None, history: list[str] | None = None):
        """The Answer, or a message string when the question is empty, too long, for a year
        there is no document of, or answering failed."""
        if not isinstance(question, str | None):
            return EMPTY_MESSAGE
        question = (question or "").strip()
        if not question:
            return EMPTY_MESSAGE
        if question_problem(question):
            return TOO_LONG_MESSAGE
        wanted = year_choice(year, self.years, self.failed)
        if isinstance(wanted, str):
            return wanted
        history = [h for h in history or [] if isinstance(h, str) and not question_problem(h)]
        try:
            with self.lock:
                return self.assistant.ask(question, history=history or None, year=wanted)
        except BaseException as exc:  # a Rust panic in a tokenizer is a BaseException, not an Exception
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            log.exception("answering %r failed", question)
            return ERROR_MESSAGE

    def ask_json(self, question: str, year: str = LATEST) -> dict:
        """The API's reply: ``Answer.to_json()``, or {question, answer, abstained, kind, error} on failure."""
        result = self.ask(question, year)
        if isinstance(result, str):
            kind = {EMPTY_MESSAGE: "empty", ERROR_MESSAGE: "error", TOO_LONG_MESSAGE: "too_long"}.get(result, "year")
            question = question[:MAX_QUESTION_CHARS] if isinstance(question, str) else ""
            return {"question": question, "answer": result, "abstained": True, "kind": kind,
                    "programs": [], "facts": [], "citations": [], "derived": [], "error": kind == "error"}
        return result.to_json()


def record_feedback(data_dir: Path, question: str, answer: str, vote: str) -> dict:
    """Append one JSON line to ``data_dir/feedback.jsonl``: locked, one write, so lines never interleave.

    ValueError, and nothing written, unless the vote is one of ``VOTES`` and the sizes are within the caps.
    """
    if vote not in VOTES:
        raise ValueError(f"the vote must be one of {', '.join(VOTES)}")
    if not isinstance(question, str) or not question.strip() or question_problem(question):
        raise ValueError(f"the question must be text of at most {MAX_QUESTION_CHARS:,} characters")
    if not isinstance(answer, str) or len(answer) > MAX_ANSWER_CHARS:
        raise ValueError(f"the answer must be text of at most {MAX_ANSWER_CHARS:,} characters")
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


def feedback_vote(liked: object) -> str | None:
    """The vote of a like event: True → like, False → dislike, or one of ``VOTES``; None for anything else."""
    if liked is True or liked is False:
        return "like" if liked else "dislike"
    return liked if isinstance(liked, str) and liked in VOTES else None
