"""Pick: which program a one-program question is about, or that its topic is not in the documents.
"""

from __future__ import annotations

import re

from .glossary import outside_topic
from .lexicon import SHARED_WORDS
from .normalize import normalize
from .passages import Passage
from .retrieve import Hit, link_name
from .views import INTENT_KINDS, Args, era

PROGRAM_LIKE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9・]{3,}(?:事業|研修|部会|会議|制度)")


def unknown_program(a: Args) -> str | None:
    """A program name the question uses that no document has (「在宅歯科医療推進事業」)."""
    from rapidfuzz import fuzz

    names, text = a.c.name_keys, a.c.corpus_text
    for m in PROGRAM_LIKE.finditer(a.q.text):
        key = normalize(m[0])
        if len(key) < 6 or key in text:  # a component named in a program's text is no stranger
            continue
        stem = re.sub(r"(事業|研修|部会|会議|制度)$", "", key)
        if len(stem) <= 5 and stem in text:  # 「…を始めてもらうためのセミナー事業」 describes, it names nothing new
            continue
        if not any(key in n or n in key or fuzz.ratio(key, n) >= 85 for n in names):
            return m[0]
    return None


def ood(a: Args) -> bool:
    """The question's topic is not in the documents: most of its topic words never occur there."""
    if a.q.english and outside_topic(a.q.text):
        return True
    if not a.unknown:
        return False
    # topic_terms lists an unknown first noun twice: the question is about it (「保育園の整備費」).
    head_unknown = len(a.unknown) >= 2 and a.unknown[0] == a.unknown[1]
    known = [t for t in a.topic if t not in a.unknown]
    # "spending on dementia support", "a subsidy for buying an e-bike": the object of the question is unknown
    if a.q.english and any(re.search(rf"\b(?:(?:on|for|about)\s+|(?:buy|buying|purchas\w*|install\w*)\s+(?:(?:a|an|the|new|some)\s+)?"
                                     rf"(?:\w+-)?){re.escape(w)}\b", a.q.text, re.IGNORECASE)
                           for w in a.unknown if len(w) >= 4):
        return True
    # "funding for pay raises": the object after a word that names nothing (pay, new) is unknown.
    if a.q.english and any(_after_generic(a, w) for w in a.unknown if len(w) >= 4):
        return True
    # "…medical support at the Tokyo 2020 Olympics": the event or place the question is set at is unknown.
    if a.q.english and any(re.search(rf"\b(?:at|during)\s+the\s+(?:[\w-]+\s+){{0,2}}{re.escape(w)}\b", a.q.text, re.I)
                           for w in a.unknown if len(w) >= 5):
        return True
    if not a.q.english:
        # Judged on the question's own nouns: verb and one-character parts (買う, 御) name no topic.
        nouns = [t for t in dict.fromkeys(a.c.tokenizer.nouns(a.q.text)) if t not in a.c.generic and len(t) >= 2]
        strange = [t for t in nouns if t in a.unknown]
        if len(strange) >= 2 and len(strange) >= len(nouns) - len(strange):
            return True
    return head_unknown or not known or (len(a.unknown) >= 2 and len(a.unknown) > len(known))


ARTICLES = frozenset({"the", "a", "an", "this", "that", "its", "their"})


def _after_generic(a: Args, word: str) -> bool:
    """``word`` follows "for/on/about" and one word that names nothing ("for pay raises"), not an article."""
    m = re.search(rf"\b(?:on|for|about)\s+([\w-]+)\s+{re.escape(word)}\b", a.q.text, re.IGNORECASE)
    return bool(m) and m[1].lower() in a.c.en_generic and m[1].lower() not in ARTICLES


def focus(a: Args) -> list[Passage] | None:
    """The program(s) a program question is about, in the year(s) asked."""
    c, d = a.c, a.d
    scores: dict[str, float] = {}
    if a.named:
        base = a.named
        d.evidence["resolved"] = "named"
    elif a.ctx:
        base = a.ctx
        d.evidence["resolved"] = "chat"
    else:
        if ood(a):
            d.kind = a.q.primary
            d.abstain()
            return None
        hits = c.hits(a.q, k=10, year=a.years[0] if len(a.years) == 1 else None)
        if a.avoid:
            hits = [h for h in hits if link_name(h.passage.name) not in a.avoid]
        stated = _stated_in_question(a)
        if stated is not None:
            hits = [h for h in hits if h.passage.id == stated.id] or hits
            if hits[0].passage.id != stated.id:
                base = [stated]
        if not hits:
            d.kind = a.q.primary
            d.abstain()
            return None
        if stated is None and (elsewhere := _only_in_other_year(a, hits[0].passage)) is not None:
            d.kind = a.q.primary
            d.program(elsewhere)
            d.abstain(f"{'・'.join(era(a, y) for y in a.years)}の資料には「{elsewhere.name}」（{era(a, elsewhere.fiscal_year)}）"
                      "にあたる事業の記載がありません。" if not a.q.english else
                      f"「{elsewhere.name}」 ({era(a, elsewhere.fiscal_year)}) has no counterpart in the "
                      f"{' / '.join(era(a, y) for y in a.years)} document.")
            return None
        if a.q.flags:  # 「大学提案の…」 points at the program carrying that flag
            hits = [h for h in hits if any(f in h.passage.flags for f in a.q.flags)] or hits
        hits = _most_parts_first(a, _name_word_first(a, _parent_over_bare_menu(a, hits)))
        base = [stated] if stated is not None else [_with_facts(a, hits[0].passage)]
        scores = {h.passage.id: h.score for h in hits}
        # What the confidence weighs: how the program was found, and how clearly it led the ranking.
        d.evidence.update(resolved="stated" if stated is not None else "retrieved", hits=tuple(hits[:4]))
    if WHOLE.search(a.q.text):  # 「そのメニューを含む事業全体だといくら？」: the parent program
        base = [c.corpus.passage(p.parent_id) if p.parent_id else p for p in base]
    years = a.years or [c.latest]
    out: list[Passage] = []
    for p in base:
        for y in years:
            m = c.in_year(p, y)
            if m and m not in out:
                out.append(m)
    if not out:
        if a.years:
            d.kind = a.q.primary
            names = "、".join(f"「{p.name}」" for p in base[:2])
            d.abstain(f"{'・'.join(era(a, y) for y in a.years)}の資料には{names}の記載がありません。" if not a.q.english
                      else f"{names} does not appear in the {' / '.join(era(a, y) for y in a.years)} document.")
            return None
        out = base[:1]
    for p in out:
        d.program(p, scores.get(p.id, 1.0))
    return out


WHOLE = re.compile(r"事業全体|全体だと|全体では|含む事業|親事業|whole program|entire program|overall program|parent program",
                   re.IGNORECASE)


def _name_word_first(a: Args, hits: list) -> list:
    """Put first the best near-top hit whose name holds a distinctive word of the question.

    "a patient's family keeps shouting at her — anything for that harassment?" matches the
    family-support menu on many words, but ハラスメント names one program: the question is about it.
    """
    names = [normalize(p.name) for p in a.c.corpus.passages if not p.repeat_of]
    words = {normalize(t) for t in a.topic if len(t) >= 4 and t not in a.c.generic}
    distinctive = {w for w in words if 1 <= sum(w in n for n in names) <= 2}
    if not distinctive or any(w in normalize(hits[0].passage.name) for w in distinctive):
        return hits
    holders = [h for h in hits[:5] if any(w in normalize(h.passage.name) for w in distinctive)]
    if not holders:
        return hits
    return [holders[0]] + [h for h in hits if h is not holders[0]]


def _parent_over_bare_menu(a: Args, hits: list) -> list:
    """Put a menu listed by its name alone behind its parent, unless the question names the menu.

    「小児等在宅療養推進事業」 is a line under 区市町村在宅療養推進事業 and is indexed with its parent's
    name; a short passage of nothing but those names outranks the parent on the parent's own words
    (「区市町村の在宅療養の取組を支援する補助事業」), though the question says nothing of 小児.
    """
    if not hits or not hits[0].passage.parent_id:
        return hits
    menu = hits[0].passage
    if re.sub(r"[\s\-・*#【】\[\]()<>〈〉○●■◆]", "", normalize(menu.text)) != normalize(menu.name):
        return hits  # the menu has text of its own: the question may describe it
    parent = a.c.corpus.passage(menu.parent_id)
    own = {normalize(t) for t in a.c.tokenizer.terms(menu.name)} - {normalize(t) for t in a.c.tokenizer.terms(parent.name)}
    own -= {normalize(t) for t in a.c.generic}
    asked = normalize(a.q.text) + " ".join(normalize(t) for t in a.topic)
    if not own or any(w in asked for w in own):
        return hits
    first = next((h for h in hits if h.passage.id == parent.id), None)
    if first is None:
        first = Hit(passage=parent, score=hits[0].score, rank=1)
    return [first] + [h for h in hits if h is not first]


def _most_parts_first(a: Args, hits: list) -> list:
    """Put first a near-top program whose listed items (two or more) the question names all of.

    「24時間診てもらえる体制やオンラインで病院と診療所をつなぐ取組の予算」 describes 在宅医療推進強化事業
    by its two items, though a broader program mentions one of them among its examples.
    """
    top = hits[:3]
    first = len(named_parts(a, top[0].passage)[1]) if top else 0
    for h in top[1:]:
        items, named = named_parts(a, h.passage)
        if len(named) >= 2 and len(named) == len(items) and first < len(named):
            return [h] + [x for x in hits if x is not h]
    return hits


def _only_in_other_year(a: Args, best_in_year: Passage) -> Passage | None:
    """The program a year-bound question is really about, when it exists only in another year.

    「令和2年度の災害対策の予算は？」: with the year filter the search still returns some FY2020
    program; without it, the FY2025-only disaster program covers more of the question's words.
    """
    if len(a.years) != 1:
        return None
    free = a.c.hits(a.q, k=3)
    if not free or free[0].passage.fiscal_year == a.years[0] or a.c.in_year(free[0].passage, a.years[0]):
        return None
    terms = {normalize(t) for t in a.topic if len(t) >= 2 and t not in SHARED_WORDS}

    def covered(p: Passage) -> int:
        text = normalize(p.name + p.text)
        return sum(t in text for t in terms)

    other = free[0].passage
    return other if covered(other) > covered(best_in_year) else None


def _stated_in_question(a: Args) -> Passage | None:
    """The one program whose fact condition or value the question quotes (「1事業あたり」, 「200床未満の病院」)."""
    wanted = {k for i in a.q.intents if i in INTENT_KINDS for k in INTENT_KINDS[i]}
    wanted |= {"cap", "base_amount", "target", "subsidy_rate", "criterion"}
    text = normalize(a.q.text)
    owners = set()
    for f in a.c.corpus.facts:
        if f.kind not in wanted or (a.years and f.fiscal_year not in a.years):
            continue
        # 「1/2または3/4」 quoted as "1/2 or 3/4": a rate with two or more values, all of them named.
        rates = set(re.findall(r"\d+/\d+", f.value)) if f.kind == "subsidy_rate" else set()
        if len(rates) >= 2 and rates <= set(re.findall(r"\d+/\d+", text)):
            owners.add(f.program_id)
        # A quoted condition, value, or one item of a listed value (「防犯ブザー」).
        for phrase in (f.condition, f.value, *re.split(r"[、,]", f.value)):
            key = normalize(phrase)
            if len(key) >= 5 and not re.fullmatch(r"[\d/または,.千円]+", key) and key in text:
                owners.add(f.program_id)
    # The same program in both years (no year asked) is one program: the latest year's.
    if len(owners) == 1:
        return a.c.corpus.passage(owners.pop())
    latest = {a.c.in_year(a.c.corpus.passage(o), a.c.latest) or a.c.corpus.passage(o) for o in owners}
    return latest.pop() if len(latest) == 1 and not a.years else None


ALONE = re.compile(r"\b(its|the) own (budget|amount)|\bseparate (budget|amount)|(budget|amount|allocation)\b[^.?]{0,60}(?<!stand-)\balone\b|on its own"
                   r"|by itself|だけの予算|単独の予算", re.IGNORECASE)


ONLY = re.compile(r"(?<!どれ)だけ|のみ|単独|単体|alone|only|specifically|by itself|separately", re.IGNORECASE)


def _with_facts(a: Args, p: Passage) -> Passage:
    """A retrieved sub-program that lacks the figure asked for yields to its parent, which states it."""
    wanted = [k for i in a.q.intents if i in INTENT_KINDS for k in INTENT_KINDS[i]]
    if not wanted or not p.parent_id:
        return p
    if ONLY.search(a.q.text):  # 「…だけの予算」 asks about the part itself, even if nothing is stated for it
        return p
    if a.c.facts(p, *wanted, family=False):
        return p
    parent = a.c.corpus.passage(p.parent_id)
    return parent if a.c.facts(parent, *wanted, family=False) else p


def named_parts(a: Args, p: Passage) -> tuple[list[str], list[str]]:
    """(the items a program lists, those of them the question names by words outside the program's overview)."""
    from .items import entry_overview, listed_parts

    # Nouns only (「対する」 is no item): the question's own nouns and Latin/katakana words, or for English
    # the glossary's Japanese terms.
    # Kanji compounds as written count too: Sudachi splits 「防犯機器」 into 防犯 + 機器.
    own = list(a.topic) if a.q.english else (a.c.tokenizer.nouns(a.q.text) + re.findall(
        r"[A-Za-z]{3,}[\u4e00-\u9fff]*|[\u30a0-\u30ff]{3,}|[\u4e00-\u9fff]{4,}", a.q.text))
    lines = list(a.c.corpus.document(p.document_id).lines)
    overview = entry_overview(lines, p)
    words = list(dict.fromkeys(normalize(t) for t in own if len(t) >= 2 and t not in a.c.generic
                               and normalize(t) not in overview and not re.fullmatch(r"[\d.,]+", t)))
    # A 〈補助率：10/10〉 note on an item does not make it a rate line.
    items = [text for text in listed_parts(lines, p)
             if not re.search(r"対象|基準額|補助率|上限|R\d+予算額", re.sub(r"〈[^〉]*〉|<[^>]*>", "", text))]

    def names(item: str) -> bool:
        # One long word (「シンポジウム」) or several short ones (「24時間」「診療」「体制」) of the item.
        hits = [w for w in words if w in normalize(item)]
        return any(len(w) >= 3 for w in hits) or sum(map(len, hits)) >= 5

    return items, [text for text in items if names(text)]
