"""Aggregates: answers over sets of programs — themes, new programs, counts, totals, changes."""

from __future__ import annotations

import re

from .describe import _description, content
from .glossary import synonym_terms
from .handlers import Args, _missing, _plural, _program_lines, era, facts_answer, focus, ood, say_fact
from .normalize import normalize
from .passages import Passage
from .render import Derived, amount_text, change_text, glossed


def _strong_hits(a: Args, year: int | None, k: int = 8):
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
        listed = [p for p in c.corpus.passages if p.fiscal_year == year and _in_scope(p, a.scope)]
        # An entry listed again (再掲) under a section belongs to that section's theme: name the original.
        programs = list(dict.fromkeys(c.corpus.passage(p.repeat_of) if p.repeat_of else p for p in listed))
    elif quoted := _quoted_terms(a, year):
        # 「保健医療政策区市町村包括補助で実施される事業は？」: the entries that use the document's own term.
        programs = quoted
    else:
        if ood(a):
            d.abstain()
            return
        programs = [h.passage for h in _strong_hits(a, year)]
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
        d.say(_program_summary(a, p, describe=len(programs) <= 4))


def _in_scope(p: Passage, scope: list[tuple[int, str, str]]) -> bool:
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
    words = [normalize(t) for t in _topic_nouns(a) if t not in a.unknown]
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
HEADING_STOP = {"確保", "取組", "推進", "促進", "充実", "体制", "地域", "関する", "関わる", "活用", "開催", "対する", "東京都", "東京",
                "都", "生活"}


def _section_programs(a: Args, year: int) -> list[Passage]:
    """The programs of the one section whose heading carries a theme word of the question.

    Sections are the documents' own themes (「在宅医療従事者の安全確保に関する取組」); an entry listed
    again under one (一部再掲) belongs to it, which retrieval alone misses.
    """
    c = a.c
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and p.section]
    words = {normalize(t) for t in _topic_nouns(a) if t not in a.unknown}
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


def _program_summary(a: Args, p: Passage, describe: bool = False) -> str:
    c, d = a.c, a.d
    d.program(p)
    parts = []
    budget = c.facts(p, "budget", family=False)[:1]
    if budget:
        parts.append(say_fact(a, budget[0], label=False))
    rates = c.facts(p, "subsidy_rate", family=False)
    if rates:
        parts.append(("subsidy rate " if a.q.english else "補助率 ") + "、".join(say_fact(a, f, label=False) for f in rates))
    parent = c.corpus.get(p.parent_id) if p.parent_id else None
    flags = glossed("・".join(p.flags), a.q.english) if p.flags else ""
    head = f"- {p.name}" + (f"［{flags}］" if flags else "") + (f"（{'part of ' if a.q.english else ''}{parent.name}{'' if a.q.english else 'の内訳'}）" if parent else "")
    line = head + (": " + " / ".join(parts) if parts else "")
    if describe:
        lines = c.corpus.document(p.document_id).lines
        about = [n for n in _description(a, p, limit=6) if len(lines[n - 1].strip()) >= 15][:1]
        for n in about:
            d.cite(p.document_id, n, n)
            line += "\n  - " + glossed(lines[n - 1].strip().lstrip("-・ ○✓〈例〉"), a.q.english)
    return line


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
    elif [t for t in _topic_nouns(a) if t not in ("新規", "事業", "メニュー")]:
        # Which new program the topic words point to: every one of them is lifted alike in the
        # ordinary ranking, so rank by topic alone.
        ranked = [h.passage.id for h in c.hits(a.q, k=3, year=year, lift_new=False)]
        focused = [p for p in pool if p.id in ranked or p.parent_id in ranked[:1]]
        focused.sort(key=lambda p: ranked.index(p.id) if p.id in ranked else len(ranked))
        if not _plural(a.q) and (not a.q.english or re.search(r"\bthe new\b", a.q.text, re.I)) \
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
    _say_count(a, pool, f"New (新規) in the {era(a, year)} document: {{n}} program(s)/menu(s).",
               f"{era(a, year)}の新規事業・メニューは{{n}}件です。")
    for p in pool:
        d.say(_program_summary(a, p, describe=True))


# 「補助率が示されている事業はいくつ？」: which kind of fact a counted program must state.
COUNT_BY_FACT = (
    (r"補助率|subsidy rate", "subsidy_rate", ("補助率が示されている事業・メニュー", "programs/menus with a stated subsidy rate")),
    (r"対象|eligib|target", "target", ("対象が示されている事業・メニュー", "programs/menus with stated eligibility")),
    (r"実施期間|期間|period", "period", ("実施期間が示されている事業", "programs with a stated period")),
    (r"基準額|上限|cap|base amount", "base_amount cap", ("基準額・上限が示されている事業・メニュー", "programs/menus with a base amount or cap")),
)


def _counted(a: Args, year: int) -> tuple[list[Passage], str]:
    c, q = a.c, a.q
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of]
    scope = [s for s in a.scope if s[0] == year]
    if scope:
        pool = [p for p in pool if _in_scope(p, scope)]
    for cue, kinds, labels in COUNT_BY_FACT:
        if re.search(cue, q.text, re.I) and not re.search(r"予算額?が(示|書|ある)|stated budget", q.text, re.I):
            chosen = [p for p in pool if c.facts(p, *kinds.split(), family=False)]
            return chosen, labels[1 if q.english else 0]
    if "new" in q.intents:
        fresh = [p for p in pool if "新規" in p.flags]
        if OWN_BUDGET.search(q.text) and not WITH_MENUS.search(q.text):  # 「新規事業のうち独自の予算額があるもの」
            return ([p for p in fresh if c.corpus.budget(p.id) is not None],
                    "予算額が示された新規事業" if not q.english else "new programs with a stated budget")
        return fresh, ("新規の事業・メニュー" if not q.english else "new programs/menus")
    if _topic_nouns(a) and not q.threshold:  # 「ACPに関する事業はいくつ？」: count the programs on the topic
        themed = {h.passage.id for h in _strong_hits(a, year)}
        pool = [p for p in pool if p.id in themed] or pool
    budgeted = [p for p in pool if c.corpus.budget(p.id) is not None]
    if q.threshold:
        return _over_threshold(a, budgeted)
    return budgeted, ("予算額が示されている事業" if not q.english else "programs with a stated budget")


def _over_threshold(a: Args, budgeted: list[Passage]) -> tuple[list[Passage], str]:
    """The programs whose stated budget passes the question's threshold, with a label saying so."""
    cmp, value = a.q.threshold
    ops = {">=": lambda x: x >= value, ">": lambda x: x > value, "<": lambda x: x < value, "<=": lambda x: x <= value}
    chosen = [p for p in budgeted if ops[cmp](a.c.corpus.budget(p.id))]
    if a.q.threshold_written and a.q.threshold_written[1] != 1:  # 1,000万円 said as 10,000千円: a recorded conversion
        a.d.derived.append(Derived("scaled", str(value), (a.q.threshold_written[0], str(a.q.threshold_written[1]))))
    label = f"予算額が{value:,}千円{ {'>=': '以上', '>': '超', '<': '未満', '<=': '以下'}[cmp]}の事業"
    return chosen, (label if not a.q.english else f"programs with a budget {cmp} {value:,} thousand yen")


def _say_count(a: Args, programs: list[Passage], english: str, japanese: str) -> None:
    """Say how many programs there are ({n} in the templates), recording the count as derived."""
    n = str(len(programs))
    a.d.say((english if a.q.english else japanese).format(n=n), [Derived("count", n, tuple(p.id for p in programs))])


UP = re.compile(r"増え|増加|増額|伸び|上が|多くな|increase|grew|grow|went up|go up|rose|more money|higher|larger|bigger", re.I)
DOWN = re.compile(r"減っ|減少|減額|下が|少なくな|decrease|fell|went down|go down|cut|less money|lower|smaller|shrank", re.I)
BOTH = re.compile(r"(?<!の)両方(?!を)|両年度|どちらにも|どちらの年度にも|いずれの年度にも|both (years|documents|fy)|in both", re.I)


def _compared(a: Args) -> list[tuple[Passage, Passage]] | None:
    """Programs with a stated amount in both years, as (latest, earlier) pairs — or None when not asked.

    「両年度に金額がある事業で、予算が増えたのはいくつ？」 counts over programs matched across years.
    """
    c, q = a.c, a.q
    both = BOTH.search(q.text) or (len(set(a.years)) >= 2 and "change" in q.intents)
    if not both and not ("change" in q.intents and (UP.search(q.text) or DOWN.search(q.text))):
        return None
    years = sorted(c.corpus.years(), reverse=True)
    pairs = [(p, c.in_year(p, years[1])) for p in c.corpus.passages
             if p.fiscal_year == years[0] and not p.repeat_of and _budget_in_all_years(c, p, years)]
    which = _direction(q.text)
    if which == "up":
        pairs = [(n, o) for n, o in pairs if c.corpus.budget(n.id) > c.corpus.budget(o.id)]
    elif which == "down":
        pairs = [(n, o) for n, o in pairs if c.corpus.budget(n.id) < c.corpus.budget(o.id)]
    return pairs


def _direction(text: str) -> str:
    """"up" / "down" when a question asks for budgets that rose or fell (not both), else ""."""
    up, down = UP.search(text), DOWN.search(text)
    return "up" if up and not down else "down" if down and not up else ""


def count_compared(a: Args, pairs: list[tuple[Passage, Passage]]) -> None:
    """How many (and which) programs went up, went down, or have amounts in both years."""
    d, c = a.d, a.c
    d.kind = "count"
    years = sorted(c.corpus.years(), reverse=True)
    which = _direction(a.q.text)
    if a.q.superlative and pairs:
        return _most_changed(a, pairs, which)
    label = {"up": ("予算が増えた事業", "programs whose budget went up"),
             "down": ("予算が減った事業", "programs whose budget went down"),
             "": ("両年度とも予算額が示されている事業", "programs with a stated budget in both years")}[which]
    _say_count(a, [n for n, _ in pairs],
               f"Of the programs with a stated amount in both {era(a, years[1])} and {era(a, years[0])}, "
               f"{{n}} are {label[1]}.",
               f"{era(a, years[1])}と{era(a, years[0])}の両方に予算額がある事業のうち、{label[0]}は{{n}}件です。"
               if which else f"{label[0]}は{{n}}件です。")
    for new_p, old_p in pairs:
        _say_pair(a, new_p, old_p)


def _say_pair(a: Args, new_p: Passage, old_p: Passage) -> None:
    """One program's line of a cross-year list: earlier amount → latest amount (difference, percent)."""
    d, c = a.d, a.c
    new_f = c.facts(new_p, "budget", family=False)[0]
    old_f = c.facts(old_p, "budget", family=False)[0]
    text, derived = change_text(new_f.amount, old_f.amount, a.q.english)
    d.derived.extend(derived)
    d.program(new_p)
    d.program(old_p)
    d.say(f"- {new_p.name}: {say_fact(a, old_f, label=False)} → {say_fact(a, new_f, label=False)}（{text}）")


def _most_changed(a: Args, pairs: list[tuple[Passage, Passage]], which: str) -> None:
    """「両年度に予算がある事業で一番増えたのは？」: the pair with the largest rise (fall, or change)."""
    d, c = a.d, a.c
    d.kind = "change"
    diff = {n.id: c.corpus.budget(n.id) - c.corpus.budget(o.id) for n, o in pairs}
    if which == "up":
        new_p, old_p = max(pairs, key=lambda pair: diff[pair[0].id])
    elif which == "down":
        new_p, old_p = min(pairs, key=lambda pair: diff[pair[0].id])
    else:
        pick = max if a.q.superlative == "max" else min
        new_p, old_p = pick(pairs, key=lambda pair: abs(diff[pair[0].id]))
    years = sorted(c.corpus.years(), reverse=True)
    most = {"up": ("増加額が最も大きい", "the largest increase"), "down": ("減少額が最も大きい", "the largest decrease"),
            "": ("増減額が最も大きい" if a.q.superlative == "max" else "増減額が最も小さい",
                 "the largest change" if a.q.superlative == "max" else "the smallest change")}[which]
    if a.q.english:
        d.say(f"Of the programs with a stated budget in both {era(a, years[1])} and {era(a, years[0])}, "
              f"{most[1]} is:")
    else:
        d.say(f"{era(a, years[1])}と{era(a, years[0])}の両方に予算額がある事業のうち、{most[0]}のは次の事業です。")
    _say_pair(a, new_p, old_p)


def count(a: Args) -> None:
    d, c = a.d, a.c
    d.kind = "count"
    if (pairs := _compared(a)) is not None and not a.q.threshold:
        return count_compared(a, pairs)
    year = a.years[0] if a.years else c.latest
    programs, label = _counted(a, year)
    _say_count(a, programs, f"{era(a, year)}: {{n}} {label} (entries listed again, 再掲, are counted once).",
               f"{era(a, year)}の{label}は{{n}}件です（再掲は重複して数えません）。")
    if not a.q.threshold and "new" not in a.q.intents:
        # Which programs count depends on what one counts: say the other tallies too.
        scope = [s for s in a.scope if s[0] == year]
        listed = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of
                  and (not scope or _in_scope(p, scope))]
        tops = [p for p in listed if not p.parent_id]
        more = [Derived("count", str(len(tops)), tuple(p.id for p in tops)),
                Derived("count", str(len(listed)), tuple(p.id for p in listed))]
        if a.q.english:
            d.say(f"The document lists {len(tops)} programs ({len(listed)} including sub-programs/menus), "
                  "each counted once.", more)
        else:
            d.say(f"資料に掲載された事業は{len(tops)}件、内訳のメニューを含めると{len(listed)}件です（再掲を除く）。", more)
    for p in programs:
        d.say(_program_summary(a, p))


def count_items(a: Args) -> bool:
    """「補助メニューはいくつ？」「取組例は何個？」: count the entries a program lists. False if it lists none."""
    from .items import list_items

    programs = focus(a)
    if not programs:
        return a.d.abstained
    p = programs[0]
    doc = a.c.corpus.document(p.document_id)
    entries: list[tuple[int, str]] = []
    what, source = "対象", p
    if re.search(r"対象|target|eligib|who can", a.q.text, re.IGNORECASE):
        # 「研修の対象として挙がっている機関は何種類？」: the entries of the stated target list, 「等」 not counted
        for f in a.c.facts(p, "target"):
            entries += [(f.line_start, part.strip()) for part in re.split(r"[、,]", re.sub(r"\s*等\s*$", "", f.value))
                        if part.strip()]
    if not entries:  # the program's own list, else its parent's
        for source in [p] + ([a.c.corpus.passage(p.parent_id)] if p.parent_id else []):
            what, entries = list_items(list(doc.lines), source, a.q.text)
            if entries:
                break
    if not entries:
        a.d.programs.clear()
        return False
    a.d.kind = "count"
    label = {"items": ("掲げられている項目", "items"), "種類": ("種類", "types"), "対象": ("対象として挙げられているもの", "listed targets"),
             "取組例": ("取組例", "examples (取組例)"), "補助メニュー": ("補助メニュー", "subsidy menus (補助メニュー)")
             }.get(what, (what, what))
    n = str(len(entries))
    derived = [Derived("count", n, tuple(f"L{line}:{text}" for line, text in entries))]
    if a.q.english:
        a.d.say(f"「{source.name}」 ({era(a, source.fiscal_year)}) lists {n} {label[1]}:", derived)
    else:
        a.d.say(f"「{source.name}」（{era(a, source.fiscal_year)}）の{label[0]}は{n}件です。", derived)
    for line, text in entries:
        a.d.cite(source.document_id, line, line)
        a.d.say(f"- {glossed(text, a.q.english)}")
    return True


BROAD = {"在宅", "療養", "医療", "在宅医療", "在宅療養", "事業", "再掲", "案", "関連", "全体", "介護", "両", "共", "両方", "両年度", "年度"}


def _topic_nouns(a: Args) -> list[str]:
    """Nouns that narrow a question to a theme (「ACP」「災害」), not words every program shares."""
    if a.q.english:
        words = [t for t in a.topic if t not in a.unknown]
    else:
        words = a.c.tokenizer.nouns(a.q.text)
    return [t for t in dict.fromkeys(words) if t not in a.c.generic and t not in BROAD and len(t) >= 2]


def _total_of(a: Args, year: int) -> tuple[list[Passage], str]:
    c = a.c
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of
            and c.corpus.budget(p.id) is not None]
    scope = [s for s in a.scope if s[0] == year]
    if scope:
        chosen = [p for p in pool if _in_scope(p, scope)]
        return chosen, "・".join(f"「{v}」" for _, _, v in scope)
    if "new" in a.q.intents:
        return [p for p in pool if "新規" in p.flags], ("新規事業" if not a.q.english else "new programs")
    if a.q.threshold and not a.named:  # 「1億円を超える事業の予算を合計すると」
        return _over_threshold(a, pool)
    # Named in the question, or the programs the chat was just about when the question points at them
    # ("what do they add up to?"); "the same total for FY2020" is about the whole budget again.
    pointed = a.ctx if re.search(r"\b(they|them|those|these|both)\b|それら|これら|その\d?つ|両方|二つ|2つ", a.q.text, re.I) else []
    if a.named or pointed:
        named = {(c.in_year(p, year) or p).id for p in (a.named or pointed)}
        chosen = [p for p in pool if p.id in named]
        if chosen:
            return chosen, "・".join(f"「{p.name}」" for p in chosen)
    if _topic_nouns(a):
        # 「ACPに関する事業の予算の合計」: the programs the topic matches, not the whole budget.
        ranked = [h.passage.id for h in _strong_hits(a, year)]
        chosen = sorted((p for p in pool if p.id in ranked), key=lambda p: ranked.index(p.id))
        if (n := _stated_number(a.q.text)) and len(chosen) > n:
            chosen = chosen[:n]  # 「ICTを使った取組2つの予算を足すと」: the two that match best
        if chosen:
            return chosen, ("「" + "・".join(_topic_nouns(a)[:3]) + "」に関する事業" if not a.q.english
                            else "the programs on this topic")
    return pool, ("予算額が示された全事業" if not a.q.english else "all programs with a stated budget")


def _stated_number(text: str) -> int | None:
    """How many programs a question says it is about (「2つ」, "the two", "three programs")."""
    m = re.search(r"([2-9２-９]|二|三|四)\s*(つ|事業|件)|\b(two|three|four|both)\b", text, re.IGNORECASE)
    if not m:
        return None
    word = (m[1] or m[3]).lower()
    return {"二": 2, "三": 3, "四": 4, "two": 2, "both": 2, "three": 3, "four": 4}.get(word) or int(
        word.translate(str.maketrans("２３４５６７８９", "23456789")))


def total(a: Args, with_change: bool) -> None:
    d, c = a.d, a.c
    d.kind = "total"
    years = sorted(c.corpus.years(), reverse=True) if with_change else (a.years or [c.latest])
    sums = {}
    for year in years:
        programs, label = _total_of(a, year)
        if not programs:
            continue
        facts = [c.facts(p, "budget", family=False)[0] for p in programs]
        value = sum(f.amount for f in facts)
        sums[year] = value
        text, readings = amount_text(value, a.q.english)
        derived = [Derived("sum", str(value), tuple(str(f.amount) for f in facts))] + readings
        if a.q.english:
            d.say(f"{era(a, year)} total of {label} ({len(programs)} programs, 再掲 counted once): {text}.", derived)
        else:
            d.say(f"{era(a, year)}の{label}（{len(programs)}事業、再掲は除く）の予算額の合計は {text} です。", derived)
        d.derived.append(Derived("count", str(len(programs)), tuple(p.id for p in programs)))
        if re.search(r"平均|average|mean", a.q.text, re.I):
            mean = f"{value / len(facts):,.1f}".rstrip("0").rstrip(".")
            d.derived.append(Derived("average", mean.replace(",", ""), tuple(str(f.amount) for f in facts)))
            d.say(f"Average per program: {mean} thousand yen." if a.q.english else f"事業ごとの平均は {mean}千円です。")
        for p, f in zip(programs, facts):
            d.program(p)
            d.say(f"  - {p.name}: {say_fact(a, f, label=False)}")
    if not sums:
        d.abstain()
        return
    if len(sums) == 2:
        new_year, old_year = sorted(sums, reverse=True)
        text, derived = change_text(sums[new_year], sums[old_year], a.q.english)
        old_text = f"{sums[old_year]:,}" + (" thousand yen" if a.q.english else "千円")
        new_text = f"{sums[new_year]:,}" + (" thousand yen" if a.q.english else "千円")
        head = (f"Total budget: {era(a, old_year)} {old_text} → {era(a, new_year)} {new_text}, {text}." if a.q.english
                else f"予算額の合計は {era(a, old_year)} {old_text} → {era(a, new_year)} {new_text}、{text}です。")
        d.lines.insert(0, head)
        d.derived.extend(derived)


def _budget_in_all_years(c, p: Passage, years: list[int]) -> bool:
    versions = [c.in_year(p, y) for y in years]
    return all(v is not None and c.corpus.budget(v.id) is not None for v in versions)


def change(a: Args) -> None:
    """How a program's budget changed between the two years (both values, difference, percentage)."""
    d, c = a.d, a.c
    d.kind = "change"
    if not a.named and not a.ctx and not _topic_nouns(a):
        return total(a, True)
    # 「令和2年度から」 names the baseline, not the program's year: search all years.
    programs = focus(Args(**{**a.__dict__, "years": []}))
    if programs is None:
        return
    years = sorted(c.corpus.years(), reverse=True)
    if not a.named and not a.ctx and not _budget_in_all_years(c, programs[0], years):
        # A budget change is asked of a program with amounts: among the close hits, take the first that has them.
        for h in c.hits(a.q, k=3):
            if _budget_in_all_years(c, h.passage, years):
                d.programs.clear()
                d.program(h.passage, h.score)
                programs = [h.passage]
                break
    versions = [c.in_year(programs[0], y) for y in years]
    if any(v is None for v in versions):
        present = next(v for v in versions if v)
        missing = [era(a, y) for y, v in zip(years, versions) if v is None]
        d.abstain(f"「{present.name}」は{'・'.join(missing)}の資料にないため比較できません。" if not a.q.english else
                  f"「{present.name}」 is not in the {' / '.join(missing)} document, so no change can be given.")
        return
    budgets = [c.facts(v, "budget", family=False)[:1] for v in versions]
    if not all(budgets):
        d.abstain(_missing(a, versions[[bool(b) for b in budgets].index(False)], "amount"))
        return
    new_f, old_f = budgets[0][0], budgets[1][0]
    text, derived = change_text(new_f.amount, old_f.amount, a.q.english)
    d.derived.extend(derived)
    new_v, new_d = amount_text(new_f.amount, a.q.english)
    old_v, old_d = amount_text(old_f.amount, a.q.english)
    d.derived.extend(new_d + old_d)
    if a.q.english:
        d.say(f"「{versions[0].name}」: {era(a, years[0])} {new_v} vs {era(a, years[1])} {old_v} — {text}.")
    else:
        d.say(f"「{versions[0].name}」は {era(a, years[1])} {old_v} → {era(a, years[0])} {new_v}、{text}です。")
    for v, f in zip(versions, (new_f, old_f)):
        d.program(v)
        d.say(f"- {v.name}（{era(a, v.fiscal_year)}）: {say_fact(a, f, label=False)}")


def extreme(a: Args) -> None:
    """The program with the largest (or smallest) stated budget of a year or a section."""
    d, c = a.d, a.c
    d.kind = "amount"
    year = a.years[0] if a.years else c.latest
    programs, label = _total_of(a, year)
    if not programs:
        return d.abstain()
    ranked = sorted(programs, key=lambda x: c.corpus.budget(x.id), reverse=a.q.superlative == "max")
    if a.q.top_k and 1 < a.q.top_k < len(ranked):
        return _top_k(a, year, programs, ranked[:a.q.top_k])
    p = ranked[0]
    f = c.facts(p, "budget", family=False)[0]
    d.program(p)
    word = ("largest" if a.q.superlative == "max" else "smallest") if a.q.english else \
        ("最も大きい" if a.q.superlative == "max" else "最も小さい")
    value = say_fact(a, f, label=False)
    n = str(len(programs))
    counted = [Derived("count", n, tuple(x.id for x in programs))]
    if a.q.english:
        d.say(f"The {word} budget among the {n} programs with a stated amount in the {era(a, year)} document: 「{p.name}」, {value}.", counted)
    else:
        d.say(f"{era(a, year)}の予算額が示された{n}事業のうち、{word}のは「{p.name}」の {value} です。", counted)
    d.lines.extend(_program_lines(a, [p]))


def _top_k(a: Args, year: int, programs: list[Passage], top: list[Passage]) -> None:
    """The first N programs by stated budget (「上位3事業」, "the two largest")."""
    d, c = a.d, a.c
    n, k = str(len(programs)), str(len(top))
    counted = [Derived("count", n, tuple(x.id for x in programs)), Derived("count", k, tuple(x.id for x in top))]
    big = a.q.superlative == "max"
    if a.q.english:
        d.say(f"The {k} {'largest' if big else 'smallest'} budgets among the {n} programs with a stated amount "
              f"in the {era(a, year)} document:", counted)
    else:
        d.say(f"{era(a, year)}の予算額が示された{n}事業のうち、予算額が{'大きい' if big else '小さい'}順に{k}事業:", counted)
    for p in top:  # in ranked order; bullets, as a rank number would be a figure no fact holds
        d.program(p)
        d.say(f"- 「{p.name}」: {say_fact(a, c.facts(p, 'budget', family=False)[0], label=False)}")
