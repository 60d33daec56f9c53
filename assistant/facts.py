"""Facts: budget amounts, subsidy ratios, caps, targets, periods and survey figures.

Each fact is read from the document's lines (folded for matching) and keeps the
original lines it came from, so every figure an answer shows can be cited.
A fact belongs to the program that owns its line (see ``passages``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold
from .passages import ParsedDocument

KINDS = ("budget", "subsidy_rate", "base_amount", "cap", "target", "period",
         "method", "scheme", "survey", "criterion", "schedule", "previous_budget")


@dataclass(frozen=True)
class Fact:
    """One figure or statement about a program, with the source lines it came from."""

    id: str
    program_id: str
    document_id: str
    fiscal_year: int
    kind: str
    value: str
    condition: str = ""
    note: str = ""
    amount: int | None = None  # 千円, for budget / base_amount / cap
    percent: float | None = None  # for survey
    start_year: int | None = None  # western years, for period
    end_year: int | None = None
    text: str = ""
    line_start: int = 0
    line_end: int = 0
    yen: int | None = None  # the amount in yen, for budget / previous_budget / base_amount / cap
    unit: str = ""  # the unit as written (千円, 百万円, …)
    as_written: str = ""  # 「177百万円」


_BUDGET = re.compile(r"【\s*(?P<amount>[\d,]+)\s*千円\s*】")
_ANCHOR = re.compile(
    r"^\s*(?P<label>R\d+予算額(?:\(案\))?)\s*:\s*(?P<amount>[\d,]+)千円\s*(?:\((?P<note>[^)]*)\))?"
)
_RATE_MARK = re.compile(r"[〈<]補助率\s*:?\s*(?P<value>[^〉>]+)[〉>](?P<rest>\s*※[^〈<]*)?")
_RATE_LABEL = re.compile(r"^\s*(?:-\s*|■\s*)?補助率\s*:?\s*(?P<value>.*)$")
_RATIO = r"\d+/\d+(?:\s*(?:または|又は|若しくは|or)\s*\d+/\d+)*"
_CLAUSE = re.compile(rf"(?P<cond>[^、,※:]*?)\s*(?:は|:)?\s*(?P<value>{_RATIO})")
_BASE_LABEL = re.compile(r"^\s*(?:-\s*|■\s*)?基準額\s*:?\s*(?P<value>.*)$")
_MONEY = re.compile(r"(?P<unit>\d+\S*?(?:当たり|あたり))?\s*(?P<cap>上限)?\s*(?P<amount>[\d,]+)\s*千円")
_TARGET_MARK = re.compile(r"^\s*[〈<]対象[〉>]\s*(?P<value>.+)$")
_TARGET_LABEL = re.compile(r"^\s*-?\s*(?P<label>対象者|対象機器|対象)\s+(?P<value>\S.*)$")
# 「…医師及び看護師等に対し、…セミナー等を開催」「…看護師等向けの研修を実施」: whom a training is for
# (「…の強化に向け、」 says what for, not whom).
_AUDIENCE = re.compile(r"^\s*(?:-\s*)?(?P<value>[^、。]{3,40}?)(?:に対し、?|(?<!に)向けの)(?P<what>.*?(?P<kind>研修|セミナー))")
_PERIOD_LABEL = re.compile(r"^\s*[<〈]?\s*(?:■\s*)?実施期間\s*[>〉]?\s*:?\s*(?P<value>.*)$")
_METHOD_LABEL = re.compile(r"^\s*[<〈]?\s*(?:■\s*)?実施方法\s*[>〉]?\s*:?\s*(?P<value>.*)$")
_YEARS = re.compile(r"(?:令和|R)(?P<a>\d+)年度?\s*~\s*(?:令和|R)?(?P<b>\d+)年度")
_SURVEY = re.compile(r"^\s*-?\s*(?P<pct>\d+(?:\.\d+)?)%\s*(?P<item>\S.*)$")
_QUESTION = re.compile(r"^\s*Q\s*(?P<q>.+)$")
_SOURCE = re.compile(r"^\s*出典\s*:\s*(?P<src>.+)$")
_SCHEME = re.compile(r"\((?P<scheme>[^()]*包括補助(?:\([^()]*\))?[^()]*)\)")
_CRITERION = re.compile(r"人口[\d,]+人当たり[^、。を]*")
_PLAN = re.compile(r"令和\d+年度.*予定")
_MARKERS = re.compile(r"^[\s\-○●■・※✓➤]+")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _clean(text: str) -> str:
    return _MARKERS.sub("", text).strip()


def rate_clauses(text: str) -> list[tuple[str, str]]:
    """(condition, ratio) pairs of a subsidy-ratio text.

    「開始から3年間は10/10、4年目以降は1/2」 → [("開始から3年間", "10/10"), ("4年目以降", "1/2")];
    「1/2または3/4」 is one alternative ratio, not two.
    """
    return [(m["cond"].strip(), re.sub(r"\s+", "", m["value"])) for m in _CLAUSE.finditer(fold(text))]


class _Extractor:
    def __init__(self, parsed: ParsedDocument, program_parents: dict[str, str | None]):
        self.doc = parsed.document
        self.raw = list(self.doc.lines)
        self.folded = [fold(line) for line in self.raw]
        self.owners = parsed.owners
        self.parents = program_parents
        self.names = {p.id: fold(p.name) for p in parsed.passages}
        self.facts: list[Fact] = []

    def add(self, program: str, kind: str, value: str, first: int, last: int, **extra) -> None:
        count = sum(1 for f in self.facts if f.line_start == first and f.kind == kind)
        text = "\n".join(self.raw[i - 1].strip() for i in range(first, last + 1) if self.raw[i - 1].strip())
        self.facts.append(Fact(
            id=f"{program}#{kind}@{first}" + (f".{count + 1}" if count else ""),
            program_id=program, document_id=self.doc.id, fiscal_year=self.doc.fiscal_year,
            kind=kind, value=value, text=text, line_start=first, line_end=last, **extra,
        ))

    def next_value(self, i: int) -> tuple[int, str] | None:
        """The next non-blank line after a label line (0-based index), for 「■基準額」 layouts."""
        for j in range(i + 1, min(i + 6, len(self.folded))):
            if self.folded[j].strip():
                return j, self.folded[j].strip()
        return None

    def root(self, program: str) -> str:
        while self.parents.get(program):
            program = self.parents[program]
        return program

    def run(self) -> list[Fact]:
        question, source_cache = "", {}
        for i, line in enumerate(self.folded):
            program = self.owners.get(i + 1)
            if program is None or not line.strip():
                continue
            n = i + 1
            if m := _QUESTION.match(line):
                question = m["q"].strip()
                continue
            self.budget(program, line, n)
            self.rates(program, line, i)
            self.money(program, line, i)
            self.target(program, line, i)
            self.audience(program, line, n)
            self.period_method(program, line, i)
            if m := _SURVEY.match(line):
                source = source_cache.setdefault(question, self.survey_source(i))
                self.add(program, "survey", f"{m['pct']}%", n, n, condition=m["item"].strip(),
                         note=" / ".join(x for x in (question, source) if x), percent=float(m["pct"]))
            for m in _SCHEME.finditer(line):
                self.add(program, "scheme", m["scheme"].strip(), n, n)
            if m := _CRITERION.search(line):
                self.add(program, "criterion", m[0], n, n)
            if _PLAN.search(line) and not _YEARS.search(line):
                self.add(program, "schedule", _clean(self.raw[i]), n, n)
            if "\t" in line and (header := self.table_header(i)) is not None and header != i:
                cells = [c.strip() for c in self.raw[i].split("\t")]
                heads = [c.strip() for c in self.raw[header].split("\t")]
                value = "、".join(f"{h}：{c}" for h, c in zip(heads[1:], cells[1:]) if c)
                if value:
                    self.add(program, "schedule", f"{cells[0]}（{value}）", header + 1, n)
        return self.facts

    def budget(self, program: str, line: str, n: int) -> None:
        for m in _BUDGET.finditer(line):
            self.add(program, "budget", f"{_int(m['amount']):,}千円", n, n, amount=_int(m["amount"]))
        if m := _ANCHOR.match(line):
            note = (m["note"] or "").strip()
            owner = self.root(program) if note == "事業全体" else program
            self.add(owner, "budget", f"{_int(m['amount']):,}千円", n, n,
                     amount=_int(m["amount"]), note=note, condition=m["label"])

    def rates(self, program: str, line: str, i: int) -> None:
        n = i + 1
        for m in _RATE_MARK.finditer(line):
            # 「- **name**（scheme）〈補助率…〉」: the name is not a condition, the scheme is a note.
            prefix = _clean(re.sub(r"\*\*.*?\*\*", "", line[:m.start()]))
            condition = note = ""
            if prefix.startswith("(") and prefix.endswith(")"):
                note = prefix[1:-1].strip()
            elif prefix and not self.is_program_line(program, prefix):
                condition = prefix
            clauses = rate_clauses(m["value"] + (m["rest"] or ""))
            for k, (cond, value) in enumerate(clauses):
                self.add(program, "subsidy_rate", value, n, n,
                         condition=cond if k else (cond or condition), note=note)
        if (m := _RATE_LABEL.match(line)) and not _RATE_MARK.search(line):
            first, text = n, m["value"].strip()
            if not text and (nxt := self.next_value(i)):
                text, n = nxt[1], nxt[0] + 1
            note = text.split("※", 1)[1].strip() if "※" in text else ""
            for cond, value in rate_clauses(text.split("※", 1)[0]):
                self.add(program, "subsidy_rate", value, first, n, condition=cond, note=note)

    def is_program_line(self, program: str, prefix: str) -> bool:
        name = self.names.get(program, "")
        return bool(name) and (prefix.startswith(name) or name.startswith(prefix.split("<")[0]))

    def money(self, program: str, line: str, i: int) -> None:
        m = _BASE_LABEL.match(line)
        if not m:
            return
        first = last = i + 1
        text = m["value"].strip()
        if not text and (nxt := self.next_value(i)):
            text, last = nxt[1], nxt[0] + 1
        for money in _MONEY.finditer(text):
            kind = "cap" if money["cap"] else "base_amount"
            amount = _int(money["amount"])
            self.add(program, kind, f"{amount:,}千円", first, last,
                     condition=(money["unit"] or "").strip(), amount=amount)

    def target(self, program: str, line: str, i: int) -> None:
        m = _TARGET_MARK.match(line)
        label = "対象"
        if not m:
            m = _TARGET_LABEL.match(line)
            if not m:
                return
            label = m["label"]
        parts, last = [m["value"].strip()], i + 1
        for j in range(i + 1, min(i + 4, len(self.folded))):
            nxt = self.folded[j]
            if not nxt.strip() or re.match(r"^\s*[-■○<〈(【※✓]", nxt) or nxt[0].isspace():
                break
            parts.append(nxt.strip())
            last = j + 1
        self.add(program, "target", "、".join(parts), i + 1, last, condition=label)

    def audience(self, program: str, line: str, n: int) -> None:
        if m := _AUDIENCE.match(line):
            self.add(program, "target", m["value"].strip(), n, n, condition=f"{m['kind']}の対象")

    def period_method(self, program: str, line: str, i: int) -> None:
        for pattern, kind in ((_PERIOD_LABEL, "period"), (_METHOD_LABEL, "method")):
            m = pattern.match(line)
            if not m:
                continue
            first = last = i + 1
            text = m["value"].strip()
            if not text and (nxt := self.next_value(i)):
                text, last = nxt[1], nxt[0] + 1
            if kind == "period" and (years := _YEARS.search(text)):
                self.add(program, kind, text, first, last,
                         start_year=2018 + int(years["a"]), end_year=2018 + int(years["b"]))
            elif kind == "method" and text:
                value = "委託" if "委託" in text else text
                self.add(program, kind, value, first, last, condition=text)
        if (years := _YEARS.search(line)) and not _PERIOD_LABEL.match(line) and "期間" in line:
            self.add(program, "period", years[0], i + 1, i + 1,
                     start_year=2018 + int(years["a"]), end_year=2018 + int(years["b"]))

    def survey_source(self, i: int) -> str:
        for j in range(i + 1, min(i + 12, len(self.folded))):
            if m := _SOURCE.match(self.folded[j]):
                source = m["src"].strip()
                follow = self.folded[j + 1].strip() if j + 1 < len(self.folded) else ""
                if follow.startswith("東京都") and len(follow) < 20:
                    source += " " + follow
                return source
        return ""

    def table_header(self, i: int) -> int | None:
        """Index of the header row of the tab-separated table containing line i."""
        j = i
        while j > 0 and "\t" in self.folded[j - 1]:
            j -= 1
        return j if "年度" in self.folded[j] else None


def extract_facts(parsed: ParsedDocument) -> list[Fact]:
    """Every fact of one parsed document, in line order."""
    parents = {p.id: p.parent_id for p in parsed.passages}
    return _Extractor(parsed, parents).run()
