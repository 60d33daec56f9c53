"""Handlers: answers about one program — which program, and its figures — each written into a ``Draft``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer import Draft
from .facts import Fact
from .glossary import SHARED_WORDS, outside_topic
from .items import ITEM_CUE, LIST_CUE
from .normalize import normalize
from .passages import Passage
from .question import COVERAGE, Query
from .render import Derived, amount_text, change_text, glossed, with_western_years
from .retrieve import Hit, link_name
from .survey import _cite_survey_context, _survey_gap, _survey_pick, survey_facts

LABELS = {
    "budget": ("予算額", "Budget"), "subsidy_rate": ("補助率", "Subsidy rate"),
    "base_amount": ("基準額", "Base amount"), "cap": ("上限額", "Cap"), "target": ("対象", "Eligibility"),
    "period": ("実施期間", "Period"), "method": ("実施方法", "Method"), "scheme": ("補助の枠組み", "Funding scheme"),
    "survey": ("調査結果", "Survey"), "criterion": ("給付基準", "Provision standard"),
    "schedule": ("スケジュール", "Schedule"),
}
INTENT_KINDS = {
    "amount": ("budget",), "ratio": ("subsidy_rate",), "cap": ("cap", "base_amount"),
    "criterion": ("criterion",), "target": ("target",), "period": ("period", "schedule"),
    "method": ("method", "scheme"), "survey": ("survey",),
}
DETAIL_INTENTS = ("ratio", "cap", "criterion", "target", "period", "method", "survey")


@dataclass
class Args:
    c: object  # Composer
    q: Query
    d: Draft
    years: list[int]
    schedule_years: list[int]
    topic: tuple[str, ...]
    unknown: tuple[str, ...]
    named: list[Passage]
    ctx: list[Passage]
    scope: list[tuple[int, str, str]]
    # 「もう一つの…」 / "the other one": the chat's programs, which the question asks to look past.
    avoid: tuple[str, ...] = ()


def dispatch(a: Args, intents: set[str]) -> None:
    """Route a question to its handler; questions over sets of programs go to ``aggregates``."""
    from .aggregates import (
        _compared,
        _topic_nouns,
        amounts_of,
        change,
        count,
        count_compared,
        count_items,
        extreme,
        new,
        theme,
        total,
    )
    from .describe import BACKGROUND, content
    from .rates import asks_by_rate, by_rate

    detail = intents & set(DETAIL_INTENTS)
    if (quoted := _quoted_figures(a)):
        return figures(a, quoted)
    if not a.named and not a.ctx and not a.scope and ood(a):
        a.d.kind = a.q.primary
        return a.d.abstain()
    if COVERAGE.search(a.q.text) and a.unknown:
        a.d.kind = "target"
        return a.d.abstain("（その品目・対象は資料に挙げられていません）" if not a.q.english
                           else "(that item or target is not listed in them)")
    if not a.named and (unknown := _unknown_program(a)):
        a.d.kind = a.q.primary
        return a.d.abstain(f"資料に「{unknown}」という事業は見当たりません。" if not a.q.english
                           else f"No program called 「{unknown}」 appears in them.")
    if not a.named and not a.ctx and ("theme" in intents or _plural(a.q) or a.q.superlative) \
            and "total" not in intents and not _topic_nouns(a) and (pairs := _compared(a)) is not None:
        return count_compared(a, pairs)  # 「両年度で予算が増えた事業はどれ？」
    if a.ctx and len(a.ctx) > 1 and "amount" in intents and not a.named and _plural(a.q):
        return amounts_of(a, a.ctx)  # 「そのうち金額が出ているのはどれ？」 over the programs just listed
    if (rate := asks_by_rate(a)) is not None:
        return by_rate(a, rate)  # 「補助率1/2の事業はどれ？」
    # 「補助率が書かれている事業・メニューはいくつ？」 counts programs by a stated fact, not one program's menus.
    by_fact = not a.named and re.search(r"(補助率|対象|期間|基準額|上限)(が|の)?(書かれ|示され|記載|ある|明記)"
                                        r"|with (a )?(stated|written) (subsidy )?(rate|target|period|cap)"
                                        r"|(state|states|stating|give|gives|list|lists|show|shows) (a |an |their |its )?"
                                        r"(subsidy rate|rate|target|period|cap)", a.q.text, re.I)
    if by_fact and not a.ctx and "count" not in intents and ("theme" in intents or _plural(a.q)):
        return count(a)  # 「補助率が明記されている事業をすべて挙げて」: the same programs, listed
    if "count" in intents and ITEM_CUE.search(a.q.text) and not by_fact \
            and (a.named or a.ctx or LIST_CUE.search(a.q.text) or ("new" not in intents and MENUS.search(a.q.text))) \
            and not a.q.threshold and count_items(a):
        return None
    if "count" in intents or (a.q.threshold and not a.named and "total" not in intents):  # 「1億円以上の事業は？」
        return count(a)
    # One program named in both years is one program: its "total budget" is its own amount.
    if "total" in intents and (not a.named or len({link_name(p.name) for p in a.named}) > 1):
        return total(a, "change" in intents)
    if a.q.superlative and not a.named and not a.ctx and ("amount" in intents or "theme" in intents):
        return extreme(a)
    if "change" in intents and not detail:
        return change(a)
    # "the budget of the new device subsidy alone" asks for one part's amount; 新規 only describes it.
    if "new" in intents and not detail and not a.q.superlative and not ("amount" in intents and a.named) \
            and not BACKGROUND.search(a.q.text) and not ("amount" in intents and ALONE.search(a.q.text)):
        return new(a)
    single_fact = intents & set(INTENT_KINDS)
    # 「ICT・情報共有の事業は？」 names a section and asks for its programs, with or without "which".
    if not a.named and not a.ctx and ("theme" in intents or (a.scope and _plural(a.q))) and not single_fact - {"amount"} \
            and not re.search(r"例|examples?", a.q.text, re.IGNORECASE):  # 「…の例は？」 asks for content
        if "amount" not in intents or _plural(a.q):
            return theme(a)
    programs = focus(a)
    if programs is None:
        return
    if single_fact:
        return facts_answer(a, programs, [i for i in a.q.intents if i in single_fact] or sorted(single_fact),
                            both_years="change" in intents or len(a.years) > 1)
    return content(a, programs)


MENUS = re.compile(r"メニュー|\bmenus?\b", re.IGNORECASE)
PROGRAM_LIKE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9・]{3,}(?:事業|研修|部会|会議|制度)")


def _unknown_program(a: Args) -> str | None:
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


def _plural(q: Query) -> bool:
    """The question asks about several programs (「…の事業は？」「どれ」, "which programs").

    「…する事業は、いくらの予算？」 asks the amount of the one program it describes: 事業は before いくら is one.
    """
    return bool(re.search(r"事業は(?!.*いくら)|どれ(?!だけ|くらい|ぐらい|ほど)|それぞれ|一覧|すべて|全て|全部|挙げて|which programs|what programs"
                          r"|programs", q.text, re.I))


def era(a: Args, year: int) -> str:
    doc = next(doc for doc in a.c.corpus.documents if doc.fiscal_year == year)
    return f"FY{year}（{doc.era}）" if a.q.english else doc.era


def status(a: Args, year: int) -> str:
    doc = next(doc for doc in a.c.corpus.documents if doc.fiscal_year == year)
    return doc.status


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
    elif a.ctx:
        base = a.ctx
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
    first = len(_named_parts(a, top[0].passage)[1]) if top else 0
    for h in top[1:]:
        items, named = _named_parts(a, h.passage)
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


def say_fact(a: Args, f: Fact, label: bool = True, about: Passage | None = None) -> str:
    """A fact as a labelled line, with its 万円 reading or western years; cites it.

    When the fact belongs to a sub-program of the program asked about, it says so:
    a ratio of one menu is not the ratio of the whole program.
    """
    english = a.q.english
    derived: list[Derived] = []
    owner = ""
    if about is not None and f.program_id != about.id:
        child = a.c.corpus.get(f.program_id)
        if child is not None:
            owner = f"［{'sub-program' if english else '内訳'}「{child.name}」］"
    if f.kind in ("budget", "base_amount", "cap") and f.amount is not None:
        value, derived = amount_text(f.amount, english)
        if english:
            value += f" (「{f.value}」)"  # the document's own figure, for checking against the source
    else:
        value = f.value
    cond = f"（{f.condition}）" if f.condition and f.kind not in ("budget", "method") and f.condition != "対象" else ""
    if f.kind == "survey":
        cond = f" {f.condition}"
    note = f"［{f.note}］" if f.note and f.kind in ("budget", "subsidy_rate", "survey") else ""
    if english and f.kind == "subsidy_rate" and "または" in value:
        value = f"{value} ({value.replace('または', ' or ')})"
    text = f"{value}{cond}{note}{owner}"
    if f.kind in ("period", "schedule", "survey"):
        text, more = with_western_years(text)
        derived += more
    a.d.use(f)
    if f.kind == "survey":
        _cite_survey_context(a, f)
    a.d.derived.extend(derived)
    text = glossed(text, english)
    if not label:
        return text
    name = LABELS[f.kind][1 if english else 0]
    return f"- {name}: {text}"


def _missing(a: Args, p: Passage, intent: str) -> str:
    rates = a.c.facts(p, "subsidy_rate") if intent == "ratio" and CONDITION.search(a.q.text) else []
    if rates:  # the ratio is stated; what decides between its values is not
        values = "、".join(say_fact(a, f, label=False) for f in rates)
        if a.q.english:
            return f"The subsidy rate of 「{p.name}」 is stated ({values}), but not the conditions that decide it."
        return f"「{p.name}」の補助率は {values} と示されていますが、どの場合にどの率になるかは資料に書かれていません。"
    label = {"amount": ("予算額", "budget"), "ratio": ("補助率", "subsidy rate"), "cap": ("基準額・上限", "cap or base amount"),
             "criterion": ("給付基準", "provision standard"), "target": ("対象", "eligibility"),
             "period": ("実施期間", "period"), "method": ("実施方法", "method"), "survey": ("調査結果", "survey figures")}[intent]
    if a.q.english:
        return f"The {era(a, p.fiscal_year)} document states no {label[1]} for 「{p.name}」."
    return f"「{p.name}」の{label[0]}は{era(a, p.fiscal_year)}の資料に示されていません。"


def facts_answer(a: Args, programs: list[Passage], intents: list[str], both_years: bool) -> None:
    from .describe import _evidence, _evidence_head

    c, d, q = a.c, a.d, a.q
    d.kind = intents[0]
    intents = list(dict.fromkeys(intents))
    if "cap" in intents and "amount" in intents:
        intents.remove("amount")
    if "ratio" in intents and CONDITION.search(q.text):
        # 「3/4になるのはどんな病院？」 asks what decides the rate; 「どんな病院」 is that condition, not the target.
        intents = ["ratio"]
    if q.superlative and len(programs) > 1 and "amount" in intents:
        ranked = [p for p in programs if c.corpus.budget(p.id) is not None]
        if ranked:
            pick = max if q.superlative == "max" else min
            programs = [pick(ranked, key=lambda p: c.corpus.budget(p.id))]
    main = programs[0]
    # 「その事業の予算は？」 after a menu without an amount of its own asks for the program it belongs to;
    # 「そのメニューだけの予算は？」 still asks for the menu's own, which is not stated.
    parent = c.corpus.get(main.parent_id) if main.parent_id else None
    if intents == ["amount"] and a.ctx and not a.named and not a.topic and parent and c.corpus.budget(main.id) is None \
            and c.corpus.budget(parent.id) is not None and not PART.search(q.text) \
            and not re.search(r"メニュー|\bmenus?\b|内訳|項目|窓口|desk|研修|training", q.text, re.I):
        d.programs.clear()
        programs = [parent] + [x for x in programs[1:] if x.id != parent.id]
        main = parent
    # 「ACP推進事業と参入促進事業、どちらが大きい？」: the amounts of every program named.
    # A menu named with its parent (「…推進事業の中の小児等…事業」) is one thing asked about, not two.
    several = intents == ["amount"] and len({p.name for p in programs}) >= 2 and len(a.named) >= 2 and not both_years \
        and not any(p.parent_id in {x.id for x in programs} for p in programs)
    if both_years and (not a.years or "change" in q.intents):  # 「令和2年度から変わった？」 names the baseline
        programs = [p for p in (c.in_year(main, y) for y in sorted(c.corpus.years(), reverse=True)) if p]
    head: list[str] = []
    body: list[str] = []
    answered = 0
    if "survey" in intents and "period" in intents:
        intents.remove("period")  # 「いつの調査」 asks for the survey's date, given with its figures
    if intents == ["survey"] and not c.facts(main, "survey"):
        survey = survey_facts(c.corpus, main.fiscal_year)
        if survey:
            main = c.corpus.passage(survey[0].program_id)
            programs = [main]
            d.programs.clear()
    survey_shown: list[Fact] = []
    for p in programs if both_years or several else [main]:
        d.program(p)
        for intent in intents:
            facts = _facts_for(a, p, intent)
            if intent == "survey" and p == main:
                survey_shown = facts
            if not facts:
                fallback = _evidence(a, p, intent) if intent in ("target", "method") else []
                if fallback:
                    answered += 1
                    head.append(_evidence_head(a, p, intent))
                    body.extend(fallback)
                    continue
                head.append(_missing(a, p, intent))
                if intent == "amount":
                    body.extend(_parent_total(a, p) or _whole_total(a, p))
                continue
            answered += 1
            head.append(_headline(a, p, intent, facts))
            body.extend(say_fact(a, f, about=p) for f in facts)
    if not answered:
        d.abstained = True
        d.lines.extend(head[:1])
        d.abstain()
        d.lines.extend(body)
        return
    if "amount" in intents and not a.years and not both_years and not several:
        body.extend(_other_year(a, main))
    if several and COMPARATIVE.search(q.text):
        budgeted = [p for p in programs if c.corpus.budget(p.id) is not None]
        if len(budgeted) == 2 and c.corpus.budget(budgeted[0].id) != c.corpus.budget(budgeted[1].id):
            big = max(budgeted, key=lambda p: c.corpus.budget(p.id))
            head.append(f"The larger is 「{big.name}」." if q.english else f"大きいのは「{big.name}」です。")
    body.extend(_survey_gap(a, survey_shown))
    d.lines.extend([" ".join(dict.fromkeys(head))] + _program_lines(a, programs if both_years or several else [main])
                   + body)


COMPARATIVE = re.compile(r"larger|bigger|more|higher|smaller|less|lower|どちら|どっち|多い|少ない|大きい|小さい", re.I)


# Asking what decides a figure (「どんな場合」, "what determines"), not the figure itself.
CONDITION = re.compile(r"どんな場合|どういう場合|どのような場合|どんなとき|どんな時|条件|何で決ま|どう決ま|基準は何|違いは何"
                       r"|\d+/\d+\s*(に|と)なる(の|場合|とき)|\d+/\d+\s*(rather than|instead of|ではなく)\s*\d+/\d+"
                       r"|under what condition|what condition|what determines|what decides|decides (whether|which|if)"
                       r"|when (does|is) it|which cases?|in what cases?",
                       re.IGNORECASE)


PART = re.compile(r"のうち|うち、|(?<!どれ)だけ|のみ|単独|内訳|part of|portion|alone|only|specifically|on its own|just (for|the|on)\b"
                  r"|how much of (the|its|that|this)\b"
                  r"|\bin the (?!(fy\s*\d+ |fiscal \d+ |r\d+ )?budget)[^?]*\b(program|project)",
                  re.IGNORECASE)


def _asks_for_part(a: Args, p: Passage) -> bool:
    """「ACP推進事業のうち普及啓発だけの予算」: an amount for a part of a program, named by words not in its name."""
    if _names_a_listed_part(a, p):
        return True
    if not PART.search(a.q.text):
        return False
    name = normalize(p.name)
    words = [t for t in (a.topic if a.q.english else a.c.tokenizer.nouns(a.q.text))
             if len(t) >= 2 and t not in a.c.generic and t not in a.unknown]
    return any(normalize(t) not in name for t in words)


def _names_a_listed_part(a: Args, p: Passage) -> bool:
    """「シンポジウムの予算は？」 of 在宅療養研修事業: the question names one of the items the program lists.

    Only the whole program's amount is stated, so an amount for a listed item (a ○ item,
    a bullet of its 事業内容) is not in the documents. Target, cap and rate lines are not items.
    """
    # In English the glossary maps every word of a long question, context included ("our clinic does home
    # visits…"): only a question that singles out a part ("under the …", "what do the … cost") is taken as one.
    if a.q.english and not re.search(r"\b(under|within|part of|in|of) (the|its|that|this)\b"
                                     r"(?! (R\d|FY|fiscal|budget|document|year|proposal|\d))|\bwhat (do|does) the\b.*\bcost",
                                     a.q.text, re.IGNORECASE):
        return False
    items, named = _named_parts(a, p)
    # 「24時間診療体制とオンライン病診連携を進める事業」 describes the whole program by all its items, and
    # 「24時間診療体制をつくる事業」 by one: a program described by what it does, not a part of it.
    if named and not PART.search(a.q.text) and re.search(
            r"([るたすぐつうくむ][^、。？?\s]{0,6}?|の)(事業|取組|取り組み)|\b(program|project|initiative)s? (that|which)\b", a.q.text):
        return False
    return bool(named) and not (len(named) >= 2 and len(named) == len(items))


def _named_parts(a: Args, p: Passage) -> tuple[list[str], list[str]]:
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


def _facts_for(a: Args, p: Passage, intent: str) -> list[Fact]:
    c = a.c
    kinds = INTENT_KINDS[intent]
    facts = c.facts(p, *kinds, family=intent != "amount")
    if intent == "amount":
        if _asks_for_part(a, p):
            return []  # only the whole program's amount is stated
        own = [f for f in facts if f.program_id == p.id]
        return own[:1]
    if intent == "survey":  # about all the figures of the survey page, whichever program matched
        facts = survey_facts(c.corpus, p.fiscal_year)
        return _survey_pick(a, facts) if facts else []
    if intent == "period" and a.schedule_years:
        eras = [f"令和{y - 2018}年度" for y in a.schedule_years]
        facts = [f for f in facts if any(e in f.text for e in eras)]
    if intent == "method" and not facts:
        # 「基金の区市町村計画として実施」 is written as a note on the subsidy rate: how the menu is run.
        facts = [f for f in c.facts(p, "subsidy_rate") if re.search(r"として実施|により実施|基金|包括補助", f.note)][:1]
    if intent == "ratio" and facts and not _item_matches(a, p, facts):
        return []
    if intent == "ratio" and facts and CONDITION.search(a.q.text) and not any(f.condition for f in facts):
        return []  # 「3/4になるのはどんな場合？」: the ratio is stated, what decides it is not
    return facts


def _item_matches(a: Args, p: Passage, facts: list[Fact]) -> bool:
    """A ratio that applies to one listed item only does not answer a question about another item."""
    items = [f for f in facts if f.condition and not re.search(r"年|期間", f.condition)]
    if len(items) != len(facts) or not a.topic:
        return True
    _, named = _named_parts(a, p)
    if named:  # 「オンライン病診連携の補助率は？」 where the rate is written on the 24時間 item only
        return any(normalize(f.condition) in normalize(text) for f in items for text in named)
    lines = [normalize(line) for line in p.text.split("\n")[1:]]
    def overlap(text: str) -> int:
        return sum(t in text for t in a.topic)
    best_condition = max(overlap(normalize(f.condition)) for f in items)
    best_other = max((overlap(line) for line in lines if not any(normalize(f.condition) in line for f in items)),
                     default=0)
    return best_condition >= best_other


def _headline(a: Args, p: Passage, intent: str, facts: list[Fact]) -> str:
    english = a.q.english
    derived: list[Derived] = []
    name = f"「{p.name}」"
    if intent == "amount":
        f = facts[0]
        value, derived = amount_text(f.amount, english)
        a.d.derived.extend(derived)
        if english:
            return f"The {era(a, p.fiscal_year)} budget ({status(a, p.fiscal_year)}) of {name} is {value}."
        return f"{name}の{era(a, p.fiscal_year)}{status(a, p.fiscal_year)}は {value} です。"
    values = "、".join(dict.fromkeys(say_fact(a, f, label=False, about=p) for f in facts))
    label = LABELS["method" if intent == "method" else facts[0].kind][1 if english else 0]
    if english:
        return f"{label} of {name} ({era(a, p.fiscal_year)}): {values}."
    return f"{name}（{era(a, p.fiscal_year)}）の{label}: {values}。"


def _program_lines(a: Args, programs: list[Passage]) -> list[str]:
    out = []
    for p in programs:
        parent = a.c.corpus.get(p.parent_id) if p.parent_id else None
        extra = f"（{'part of' if a.q.english else '親事業'}: {parent.name}）" if parent else ""
        flags = f"［{'・'.join(p.flags)}］" if p.flags else ""
        label = "Program" if a.q.english else "事業"
        where = "／".join(x for x in (p.section, p.group) if x)
        where = f"（{'under' if a.q.english else '施策'}: {where}）" if where else ""
        out.append(f"- {label}: {p.name}{glossed(flags, a.q.english) if flags else ''}{extra} — {era(a, p.fiscal_year)}{where}")
    return out


def _other_year(a: Args, p: Passage) -> list[str]:
    out = []
    for y in a.c.corpus.years():
        if y == p.fiscal_year:
            continue
        other = a.c.in_year(p, y)
        if other is None:
            continue
        facts = a.c.facts(other, "budget", family=False)[:1]
        if facts:
            a.d.program(other)
            value, derived = amount_text(facts[0].amount, a.q.english)
            a.d.use(facts[0])
            a.d.derived.extend(derived)
            text, more = change_text(a.c.corpus.budget(p.id), facts[0].amount, a.q.english)
            a.d.derived.extend(more)
            if a.q.english:
                out.append(f"- {era(a, y)}: {value} (this year vs then: {text})")
            else:
                out.append(f"- {era(a, y)}は {value} でした（{text}）。")
    return out


def _whole_total(a: Args, p: Passage) -> list[str]:
    """The program's own amount, said as the whole when a part of it was asked for."""
    facts = a.c.facts(p, "budget", family=False)[:1]
    if not facts or not _asks_for_part(a, p):
        return []
    a.d.use(facts[0])
    value, derived = amount_text(facts[0].amount, a.q.english)
    a.d.derived.extend(derived)
    if a.q.english:
        return [f"- Only the whole program's amount is stated: {value}."]
    return [f"- 示されているのは事業全体の {value} だけです。"]


def _parent_total(a: Args, p: Passage) -> list[str]:
    parent = a.c.corpus.get(p.parent_id) if p.parent_id else None
    if not parent:
        return []
    facts = a.c.facts(parent, "budget", family=False)
    if not facts:
        return []
    a.d.use(facts[-1])
    value, derived = amount_text(facts[-1].amount, a.q.english)
    a.d.derived.extend(derived)
    if a.q.english:
        return [f"- Only the whole program 「{parent.name}」 has a stated amount: {value}."]
    return [f"- 金額が示されているのは親事業「{parent.name}」全体の {value} です。"]


def _quoted_figures(a: Args) -> list[Fact]:
    """Facts whose figure the question quotes (「46.5%って何の数字？」, "the 70.7% figure")."""
    quoted = re.findall(r"(\d+(?:\.\d+)?)\s*%|([\d,]{4,})\s*(?:千円|thousand)", normalize(a.q.text))
    if not quoted or a.q.threshold:
        return []
    found = []
    for pct, amount in quoted:
        for f in a.c.corpus.facts:
            if pct and f.percent is not None and f"{f.percent}" == pct:
                found.append(f)
            elif amount and f.amount is not None and f.amount == int(amount.replace(",", "")):
                found.append(f)
    return found


def figures(a: Args, facts: list[Fact]) -> None:
    """Say what a quoted figure is: its program, year, label and source."""
    d = a.d
    d.kind = facts[0].kind
    for f in facts:
        p = a.c.corpus.passage(f.program_id)
        d.program(p)
        label = LABELS[f.kind][1 if a.q.english else 0]
        if a.q.english:
            d.say(f"{f.value} is the {label.lower()} of 「{p.name}」 in the {era(a, f.fiscal_year)} document: {say_fact(a, f, label=False)}")
        else:
            d.say(f"{f.value} は{era(a, f.fiscal_year)}の資料にある「{p.name}」の{label}です: {say_fact(a, f, label=False)}")
