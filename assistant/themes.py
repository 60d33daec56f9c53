"""Themes: programs matching a theme, a section, or the new programs of a year.
"""

from __future__ import annotations

import re

from .describe import content, program_summary
from .glossary import synonym_terms
from .lexicon import BROAD, HEADING_STOP
from .normalize import normalize
from .passages import Passage
from .pick import ood
from .render import Derived
from .single import facts_answer
from .views import Args, era, plural, say_count, say_fact


def strong_hits(a: Args, year: int | None, k: int = 8):
    """Hits both sides agree on: near the top of one ranking and not far down the other.

    Fused scores are too compressed to threshold, so agreement of the two
    rankings decides what counts as a match for a theme.
    """
    hits = a.c.hits(a.q, k=k, year=year)
    if not hits:
        return []
    def rank(r):
        return r if r is not None else 99
    return [h for h in hits if h is hits[0] or h.name_match > 0
            or (rank(h.bm25_rank) <= 3 and rank(h.dense_rank) <= 6)
            or (rank(h.dense_rank) <= 3 and rank(h.bm25_rank) <= 6)]


def theme(a: Args) -> None:
    """Programs matching a theme, each with its amount and ratio; weak matches left out."""
    d, c = a.d, a.c
    d.kind = "theme"
    year = a.years[0] if a.years else c.latest
    if a.scope:
        listed = [p for p in c.corpus.passages if p.fiscal_year == year and in_scope(p, a.scope)]
        # An entry listed again (再掲) under a section belongs to that section's theme: name the original.
        programs = list(dict.fromkeys(c.corpus.passage(p.repeat_of) if p.repeat_of else p for p in listed))
    elif quoted := _quoted_terms(a, year):
        # 「保健医療政策区市町村包括補助で実施される事業は？」: the entries that use the document's own term.
        programs = quoted
    else:
        if ood(a):
            d.abstain()
            return
        programs = [h.passage for h in strong_hits(a, year)]
        programs += [p for p in _naming_programs(a, year) if p not in programs]
        programs += [p for p in _section_programs(a, year) if p not in programs]
    if not programs:
        d.abstain()
        return
    if a.q.english:
        d.say(f"{len(programs)} program(s) in the {era(a, year)} document match:", [Derived("count", str(len(programs)), tuple(p.id for p in programs))])
    else:
        d.say(f"{era(a, year)}の資料で該当する事業は次の{len(programs)}件です。", [Derived("count", str(len(programs)), tuple(p.id for p in programs))])
    for p in programs:
        d.say(program_summary(a, p, describe=len(programs) <= 4))


def in_scope(p: Passage, scope: list[tuple[int, str, str]]) -> bool:
    """The passage sits under one of the (year, "section" or "group", heading) scopes a question names."""
    return any(year == p.fiscal_year and getattr(p, kind) == heading for year, kind, heading in scope)


def _quoted_terms(a: Args, year: int) -> list[Passage]:
    """Entries of a year whose text uses a long term the question copies from the documents (8+ characters)."""
    c = a.c
    runs = [normalize(r) for r in re.findall(r"[\u3040-\u30ff\u4e00-\u9fff・ー]{8,}", a.q.text)]
    terms = [r for r in runs if r in c.corpus_text and not any(r in key for key in c.name_keys)]
    if not terms:
        return []
    return [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of
            and any(t in normalize(p.text) for t in terms)]


def _naming_programs(a: Args, year: int) -> list[Passage]:
    """Programs that use a distinctive topic word of the question (「オンライン」, 「部会」) in their own entry.

    Retrieval agreement keeps themes precise but can drop a program whose entry
    names the topic only in passing; a word that few programs use is decisive.
    """
    c = a.c
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of]
    words = [normalize(t) for t in topic_nouns(a) if t not in a.unknown]
    entries = {p.id: normalize(p.name + " " + _entry_text(c, p)) for p in pool} if words else {}
    out: list[Passage] = []
    for w in dict.fromkeys(words):
        if len(w) < 2:
            continue
        users = [p for p in pool if w in entries[p.id]]
        if 1 <= len(users) <= 2:
            out += [p for p in users if p not in out]
        # A word a few programs carry in their very names (ACP, 研修) names each of them.
        named = [p for p in pool if w in normalize(p.name)]
        if 1 <= len(named) <= 3:
            out += [p for p in named if p not in out]
    return out


# Heading words every section shares or that say nothing of a theme.


def _section_programs(a: Args, year: int) -> list[Passage]:
    """The programs of the one section whose heading carries a theme word of the question.

    Sections are the documents' own themes (「在宅医療従事者の安全確保に関する取組」); an entry listed
    again under one (一部再掲) belongs to it, which retrieval alone misses.
    """
    c = a.c
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and p.section]
    words = {normalize(t) for t in topic_nouns(a) if t not in a.unknown}
    if not a.q.english:  # 「スムーズに移れる」 is the heading's 「円滑な移行」
        words |= {normalize(t) for t in c.tokenizer.terms(" ".join(synonym_terms(a.q.text)))}
    if not words:
        return []
    heads = {p.section for p in pool}
    nouns = {h: c.heading_terms[h] - HEADING_STOP - BROAD for h in heads}
    chosen = set()
    for w in words:
        carrying = [h for h in heads if w in nouns[h]]
        if len(carrying) == 1:
            chosen.add(carrying[0])
    listed = [p for p in pool if p.section in chosen]
    return list(dict.fromkeys(c.corpus.passage(p.repeat_of) if p.repeat_of else p for p in listed))


def _entry_text(c, p: Passage) -> str:
    """The program's own entry lines (its first span), not merged detail pages."""
    lines = c.corpus.document(p.document_id).lines
    start, end = p.spans[0]
    return "".join(lines[start - 1:end])


def amounts_of(a: Args, programs: list[Passage]) -> None:
    """The stated amounts among the programs the chat just listed; those without one are said to have none."""
    d, c = a.d, a.c
    d.kind = "amount"
    stated = [p for p in programs if c.corpus.budget(p.id) is not None]
    if not stated:
        return d.abstain("（挙げた事業にはいずれも金額が示されていません）" if not a.q.english
                         else "(none of those programs has a stated amount)")
    for p in stated:
        d.program(p)
        d.say(f"- {p.name}（{era(a, p.fiscal_year)}）: {say_fact(a, c.facts(p, 'budget', family=False)[0], label=False)}")
    rest = [p.name for p in programs if p not in stated]
    if rest:
        d.say(("No stated amount: " if a.q.english else "金額の記載なし: ") + "、".join(rest))


OWN_BUDGET = re.compile(r"それ自体に|独立|単独|独自の予算|予算額?(が|の)?(つ|付)|予算額?(が|の)?(ある|示|書)|stand-?alone|own (budget|amount)"
                        r"|with (a |its own |their own )?(stated )?(budget|amount)", re.IGNORECASE)


WITH_MENUS = re.compile(r"\bboth\b|and (new )?menus|menus? (too|as well)|メニューも|メニューを含|メニュー含|含めて|新メニュー|両方を数え"
                        r"|メニュー(を|と)?(合わせ|あわせ|合計|足)|事業と.{0,15}メニュー",
                        re.IGNORECASE)


def new(a: Args) -> None:
    """New (新規) programs of a year, within a named program when one is given."""
    d, c = a.d, a.c
    d.kind = "new"
    year = a.years[0] if a.years else c.latest
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and "新規" in p.flags and not p.repeat_of]
    if re.search(r"メニュー|\bmenus?\b", a.q.text, re.I) and re.search(r"既存|existing|added to|加わ|追加", a.q.text, re.I) \
            and not re.search(r"including|as well|\bboth\b|含め|含む|合わせ|両方|everything|all\b|すべて|全て|全部", a.q.text, re.I):
        pool = [p for p in pool if p.parent_id]  # "new menus added to existing programs": the menus only
    elif OWN_BUDGET.search(a.q.text) and not WITH_MENUS.search(a.q.text):  # menus without their own amount do not count
        pool = [p for p in pool if c.corpus.budget(p.id) is not None]
    within = a.named or a.ctx
    if within:
        roots = [c.in_year(p, year) or p for p in within]
        ids = {x.id for r in roots for x in [r] + c.descendants(r)}
        pool = [p for p in pool if p.id in ids]
    elif [t for t in topic_nouns(a) if t not in ("新規", "事業", "メニュー")]:
        # Which new program the topic words point to: every one of them is lifted alike in the
        # ordinary ranking, so rank by topic alone.
        ranked = [h.passage.id for h in c.hits(a.q, k=3, year=year, lift_new=False)]
        focused = [p for p in pool if p.id in ranked or p.parent_id in ranked[:1]]
        focused.sort(key=lambda p: ranked.index(p.id) if p.id in ranked else len(ranked))
        if not plural(a.q) and (not a.q.english or re.search(r"\bthe new\b", a.q.text, re.I)) \
                and focused and ranked and focused[0].id == ranked[0]:
            focused = focused[:1]  # "What does the new disaster program do?" is about the one it ranks first
        pool = focused or pool
    if len(pool) == 1 and "amount" in a.q.intents and "content" not in a.q.intents:
        # 「災害に備える新しい事業の予算は？」, "How much is earmarked for the new family-support menu?":
        # that one's budget, or that none of its own is stated.
        return facts_answer(a, pool, ["amount"], both_years=False)
    if len(pool) == 1 and (a.topic or "content" in a.q.intents):
        a.d.say("新規の事業・メニューです。" if not a.q.english else "This is new (新規) in this budget.")
        return content(a, pool)
    if not pool:
        d.abstain("（新規の事業は見つかりませんでした）" if not a.q.english else "(no new programs found)")
        return
    say_count(a, pool, f"New (新規) in the {era(a, year)} document: {{n}} program(s)/menu(s).",
               f"{era(a, year)}の新規事業・メニューは{{n}}件です。")
    for p in pool:
        d.say(program_summary(a, p, describe=True))




def topic_nouns(a: Args) -> list[str]:
    """Nouns that narrow a question to a theme (「ACP」「災害」), not words every program shares."""
    if a.q.english:
        words = [t for t in a.topic if t not in a.unknown]
    else:
        words = a.c.tokenizer.nouns(a.q.text)
    return [t for t in dict.fromkeys(words) if t not in a.c.generic and t not in BROAD and len(t) >= 2]
