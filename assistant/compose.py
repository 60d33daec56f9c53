"""Compose: turn a parsed question into an answer — choose programs, years and facts.

Program questions (amount, ratio, cap, target, period, method, content, survey)
resolve one program: named in the question, carried over from the chat, or the
best hybrid-retrieval hit. Aggregate questions (theme, new, count, total,
change) work over sets of programs. Whatever the documents do not state is
declined, never approximated from the nearest program.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .answer import Answer, Draft
from .corpus import Corpus
from .facts import Fact
from .glossary import SHARED_WORDS, covered_words, japanese_terms, strip_synonyms, synonym_terms
from .links import year_links
from .normalize import normalize
from .passages import Passage
from .question import Query, is_intent_word, parse
from .retrieve import Retriever, link_name, name_matches
from .tokenize import Tokenizer

# Words that say what is asked, not about what: left out when judging topic and relevance.
GENERIC = set("""
予算 額 予算額 金額 補助 率 補助率 割合 対象 事業 取組 取り組み 取り組む 年度 令和 平成 いくら 何 教える 資料 都 東京都 東京
円 千円 万円 億円 千 万 億 上限 基準 基準額 期間 実施 方法 内容 概要 新規 新しい 新た 加わる 追加 メニュー 合計 総額 全体 全部
件 数 増える 減る 変わる 変化 比べる 前 一番 大きい 多い 小さい 少ない 割 理由 使う 誰 向け いつ 具体 具体的 どんな どの どれ
独立 示す 書く 記載 載る 足す 合わせる 比較 増減 その 関係 関する 関連 つく 付く 示さ まとめる 知る 最も 以上 以下 年 度 今年
どう 場合 施策 はどう プログラム program programs 幾つ 幾 予算案 全額 先 際 データ 形 相手 上位 途中 設定 代わり 枠組み 辺り
上限額 方 人 もの 点 中 等 ほか 他 名 分 以外 単独 だけ ところ 自体 其れ それ自体 独立 単体 さん つき やつ 奴 アンケート 数字 数値 結果 データ パーセント 載る 乗る 一覧 含む 含める 関係 位置 位置付け 位置付ける 全て すべて 用意 流れ 明記 何本 本 記載 書く 載せる 挙げる 出る 持つ 持ってくれる 置く 状況 今年度 本年度 昨年度 前年度 備え 入り 本人 うち そのうち 其の 始まる 始める 新しく 始め 平均 お金 金 付き 金額付き 何個 個 事業数 総額 トータル 全部 何事業
中身 既存 既に 両方 双方 数える 内訳 項目 差額 差 増減額 違い 違う 補助額 補助金 計上 重複 表示 表記 順 順番 順位 ランキング 有り 無し
""".split())
EN_GENERIC = set("""
what which who whom whose how much many is are was were be been the a an of for in on to and or with by from at as
does do did it its this that these those there their they them budget program programs project projects fy fiscal year
years tokyo metropolitan government tmg get gets got give given tell me about please list show any anything all total
amount amounts money yen thousand million billion stated listed budgeted allocated spent spend go goes going per
new newly appear appears same compared compare change changed changes between since from than more less
can could would should will has have had one ones kind kinds type types some specific specifically part menu menus sub submenu submenus unit units topic topics subject switching pay pays paid paying plan plans separate building create creates created
main whole entire overall approximately about roughly under over above below each every other only also still
number numbers much share rate rates covered cover covers subsidy subsidies subsidize subsidized whatever
related relate relating regarding concerning such like include includes including example examples
across offer offers prepare strengthen strengthens strengthening audience grow grown shared sessions aimed applies
apply hire hires use used using selected proposed combined two three first second third items run runs keep receive
built build scheduled getting get start starts started doing done figures why seems seem taken take links link
without double counting repeated entries encourage encourages small medium don t doesn carried out up said care
because after before during whose section sections whom ones costs cost much spent part parts where there here
document documents listed list paper papers summary largest biggest highest smallest lowest least most
alone only specifically itself separately own set aside line lines both either neither got less fewer grand standalone brand excluded excluding add adds added materials material quote quotes quoted question questions asked results result shown whats difference differences come comes figure consist consists each say says saying want wants think thinks thought feel feels
state states stating scheme schemes inside within existing alongside flat uniform written fully partly partially wholly absolute relative terms stand opposed cut cuts
""".split())

def _comparative(word: str) -> bool:
    """"larger", "bigger": the comparative of a superlative the stop list has ("largest", "biggest")."""
    return word.endswith("er") and (word[:-1] + "st" in EN_GENERIC or word[:-2] + "est" in EN_GENERIC)


# One letter dropped or added changes the length by one, so only words of the neighbouring lengths are compared
# (and only words of four letters or more: shorter ones are one letter from too much).
_GENERIC_BY_LENGTH = {n: tuple(sorted(g for g in EN_GENERIC if len(g) == n)) for n in {len(g) for g in EN_GENERIC if len(g) >= 4}}


def _misspelt_generic(word: str) -> bool:
    """"aded", "progams": a letter dropped or doubled from a word that names no topic.

    Only a dropped or added letter counts: a changed one makes other words ("bike" is not "like").
    """
    from rapidfuzz.distance import Indel

    if len(word) < 4:
        return False
    near = _GENERIC_BY_LENGTH.get(len(word) - 1, ()) + _GENERIC_BY_LENGTH.get(len(word) + 1, ())
    return any(Indel.distance(word, g, score_cutoff=1) <= 1 for g in near)


SWITCH = re.compile(r"switching topics?|(change|changing) (of )?(the )?(topic|subject)|on another (note|topic)|different question"
                    r"|話(は|が)?変わ|別の(話|質問)|ところで", re.IGNORECASE)

OTHER = re.compile(r"もう(一|1|ひと)つ|もう片方|the other (one|program|project)|the other [\w-]+ (one|program|project)", re.IGNORECASE)

THAT_YEAR = re.compile(r"(that|the same|same) (fiscal )?year|その年度?|同じ年度?|当時", re.IGNORECASE)

FACT_INTENTS = ("amount", "ratio", "cap", "criterion", "target", "period", "method", "survey")


class Composer:
    """Answers questions over one corpus with one retriever."""

    def __init__(self, corpus: Corpus, retriever: Retriever, tokenizer: Tokenizer | None = None):
        self.corpus = corpus
        self.retriever = retriever
        self.tokenizer = tokenizer or retriever.tokenizer
        self.links = year_links(corpus)
        self.generic = GENERIC
        self.en_generic = EN_GENERIC
        self.latest = max(corpus.years())
        self.vocab = set(retriever.index.lexical.bm25.vocab_dict) if retriever else set()
        # Sudachi runs once per question, however many handlers ask for its topic.
        self.topic_terms = lru_cache(maxsize=512)(self._topic_terms)
        # Program names and all program text, normalized once, for spotting names the corpus never uses.
        self.name_keys = [normalize(p.name) for p in corpus.passages]
        self.corpus_text = normalize("".join(p.text for p in corpus.passages))
        self.sections = sorted({(p.fiscal_year, kind, value) for p in corpus.passages
                                for kind, value in (("section", p.section), ("group", p.group)) if value})
        # Each section heading's words, tokenized once rather than on every theme question.
        self.heading_terms = {v: frozenset(normalize(t) for t in self.tokenizer.terms(v))
                              for _, kind, v in self.sections if kind == "section"}

    # ---- entry point -------------------------------------------------------------
    def answer(self, question: str, history: list[str] | None = None, year: int | None = None) -> Answer:
        q = parse(question)
        draft = Draft(self.corpus, q.english)
        if not q.text:
            draft.kind = "empty"
            draft.abstained = True
            draft.say("質問を入力してください。 / Please type a question.")
            return draft.finish(question)
        context, last_kind = self.context(history or [], year)
        self.compose(q, draft, context, year, last_kind)
        return draft.finish(question)

    def context(self, history: list[str], year: int | None) -> tuple[list[str], str]:
        """Program ids the chat was last about, and the kind of that answer (earlier questions answered in order)."""
        programs: list[str] = []
        kind = ""
        recent = [h for h in history if h and h.strip()][-4:]
        for previous in recent:
            q = parse(previous)
            draft = Draft(self.corpus, q.english)
            self.compose(q, draft, programs, year, kind)
            if draft.programs:
                programs = [p.id for p, _ in draft.programs]
                kind = draft.kind
        return programs, kind

    # ---- topic and programs -------------------------------------------------------
    def _topic_terms(self, q: Query) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(topic terms, topic nouns the corpus never uses) of a question.

        Topic terms drive relevance; the unknown nouns drive the "not in these
        documents" decision, after the glossary or synonyms have mapped everyday
        words onto the documents' own.
        """
        text = q.text
        if q.english:
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", text.replace("'s", " ").replace("'", " "))]
            covered = covered_words(text)
            # Stop words, adverbs and participles ("if", "suddenly", "existing") name no topic;
            # only content words can be unknown.
            unknown = [w for w in words if w not in EN_GENERIC and w not in covered and w.rstrip("s") not in covered
                       and not is_intent_word(w) and w not in english_stop_words() and len(w) >= 3
                       and not (w.endswith("ly") and len(w) > 5)
                       and not (w.endswith(("ed", "ing")) and len(w) > 4 and w not in ("bed", "beds"))
                       and not _comparative(w) and not _misspelt_generic(w)
                       and w not in self.corpus_text]  # "BCP", "ACP", "Web" are the documents' own
            terms = [t for t in self.tokenizer.terms(" ".join(japanese_terms(text))) if t not in GENERIC]
            return tuple(terms + unknown), tuple(unknown)  # cached: immutable
        plain = re.sub(r"(令和|平成|R|H)\s*\d+\s*(年度?)?|\d{4}\s*(年度?)?", " ", text, flags=re.IGNORECASE)
        extra = " ".join(synonym_terms(plain))
        # A lone kana (「1つの」's つ) names nothing.
        terms = [t for t in self.tokenizer.terms(plain + " " + extra)
                 if t not in GENERIC and not re.fullmatch(r"[\d.,]+|[ぁ-ゖァ-ヺ]", t)]
        # Everyday words the synonym table maps (人生の最終段階 → ACP) are not unknown topics.
        nouns = [t for t in self.tokenizer.nouns(strip_synonyms(plain)) if t not in GENERIC]
        synonyms = {t for t in self.tokenizer.nouns(extra)}
        mapped = [t for t in nouns if any(t in n or n in t for n in synonyms)]
        unknown = [t for t in nouns if t not in self.vocab and t not in mapped and not _synonym_source(t)]
        # The question's first topic noun, when it heads a 「〜の」 or 「〜は」 phrase, is what it is about
        # (「保育園の整備費」「薬局の在宅訪問」): an unknown one is counted twice.
        # A question that opens with an unknown noun (「AED設置補助 金額」) is about it too.
        # Only in a one-sentence question: a sentence of background (「以前、近所の先生が…」) names no topic.
        head = normalize(plain).lower()
        one_sentence = len([s for s in re.split(r"[。．！!？?]", head) if s.strip()]) == 1
        if one_sentence and nouns and nouns[0] in unknown and len(nouns[0]) >= 2 and (
                re.search(re.escape(nouns[0]) + r"\s*(の|は|へ|に|を|って)", head) or head.lstrip(" 　「『").startswith(nouns[0])):
            unknown = [nouns[0]] + unknown
        return tuple(terms), tuple(unknown)

    def named(self, q: Query) -> list[Passage]:
        """Programs the question names, originals only (re-listed entries fold into them)."""
        found = name_matches(q.text, list(self.corpus.passages))
        out: list[Passage] = []
        for pid in sorted(found, key=lambda i: -found[i]):
            p = self.corpus.passage(pid)
            p = self.corpus.passage(p.repeat_of) if p.repeat_of else p
            if found[pid] >= 1.0 and p not in out:
                out.append(p)
        # Naming a sub-program with its parent (「区市町村在宅療養推進事業の中の小児等…」) asks about the sub-program.
        return [p for p in out if not any(o.parent_id == p.id for o in out)]

    def scopes(self, q: Query, years: list[int]) -> list[tuple[int, str, str]]:
        """Sections or groups the question names (「ACPに関する取組」, 【区市町村等への支援】)."""
        text = normalize(q.text)
        found = []
        asked = set(self.tokenizer.terms(q.text))
        for year, kind, value in self.sections:
            key = normalize(value)
            words = {t for t in self.tokenizer.terms(value) if t not in self.generic}
            if year in years and (key in text or (len(key) >= 6 and _partial(key, text) >= 85)
                                  or (len(words) >= 3 and words <= asked)):
                found.append((year, kind, value))
        if found or not q.english:
            return found
        # English: the sections whose name holds the most glossary terms, if at least two.
        # Words every section shares (在宅療養, 医療) say nothing about which one is meant.
        terms = [normalize(t) for t in japanese_terms(q.text) if len(t) >= 2 and t not in SHARED_WORDS]
        scored = [(sum(t in normalize(v) for t in terms), (y, k, v)) for y, k, v in self.sections if y in years]
        best = max((s for s, _ in scored), default=0)
        top = [item for s, item in scored if s == best]
        # "the programs grouped under support for municipalities": one section named by one word is enough
        # when the question says it is asking for a section.
        if best == 1 and len(top) == 1 and re.search(r"group|under|section|heading|categor|listed as|classed as", q.text, re.IGNORECASE):
            return top
        return top if best >= 2 else []

    def in_year(self, p: Passage, year: int) -> Passage | None:
        if p.fiscal_year == year:
            return p
        other = self.links.get(p.id, {}).get(year)
        return self.corpus.passage(other) if other else None

    def descendants(self, p: Passage) -> list[Passage]:
        out = []
        for child in self.corpus.children(p.id):
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def facts(self, p: Passage, *kinds: str, family: bool = True) -> list[Fact]:
        programs = [p] + (self.descendants(p) if family else [])
        return [f for prog in programs for f in self.corpus.facts_for(prog.id) if f.kind in kinds]

    # ---- dispatch --------------------------------------------------------------------
    def compose(self, q: Query, d: Draft, context: list[str], year: int | None, last_kind: str = "") -> None:
        from . import handlers

        years = list(self.corpus.years())
        unknown_years = [y for y in q.years if y not in years]
        explicit = [y for y in q.years if y in years]
        if q.latest and self.latest not in explicit:
            explicit.append(self.latest)
        schedule_years: list[int] = []
        if unknown_years and "survey" in q.intents:
            unknown_years = []  # 「世論調査はR5？」: the survey's year, not a budget year
        if unknown_years:
            if q.primary == "period" and all(2019 <= y <= 2035 for y in unknown_years):
                schedule_years = unknown_years
            else:
                d.kind = q.primary
                known = "、".join(f"{self.corpus.document(doc.id).era}" for doc in self.corpus.documents)
                d.abstain(f"資料にあるのは {known} の予算です。" if not q.english else
                          f"The documents cover FY{' and FY'.join(str(y) for y in sorted(years, reverse=True))} only.")
                return
        if q.unsupported:
            d.kind = q.primary
            d.abstain("（申請方法・連絡先・回数・人数・名称などは資料に記載されていません）" if not q.english
                      else "(how to apply, contacts, counts of times or people, and names are not stated in them)")
            return
        target_years = explicit or ([year] if year in years else [])
        topic, unknown = self.topic_terms(q)
        named = self.named(q)
        intents = set(q.intents)
        if "cap" in intents:
            intents.discard("amount")
        ctx = [self.corpus.passage(i) for i in context if self.corpus.get(i)]
        # A question leans on the chat when it names no program and either points back
        # (その, it), has no topic of its own, or only uses words of the chat's programs.
        # A word of one of their menus (「1医療機関当たり」 of a program's device menu) keeps the chat's subject too.
        ctx_family = ctx + [x for p in ctx for x in self.descendants(p)]
        ctx_text = normalize(" ".join(p.name + p.text for p in ctx_family))
        follow = bool(ctx) and not named and (
            _anaphora(q.text) or not topic or (q.follow_up and all(normalize(t) in ctx_text for t in topic))
            or all(normalize(t) in ctx_text for t in topic))
        # 「…その予算は？」 after another program: words of the chat's programs keep the chat's subject, but
        # words that name a different program (「部会」, "the one on ACP") switch to it.
        if follow and ctx and self._switches_topic(topic, unknown, ctx):
            follow = False
        # "Switching topics: …" says so; "…at the Tokyo Olympics?" turns to something the documents never name.
        if follow and (SWITCH.search(q.text) or (q.english and any(
                re.search(rf"\b(?:at|for|on|about|during)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}{re.escape(w)}\b", q.text, re.I)
                for w in unknown if len(w) >= 5 and normalize(w) not in ctx_text))):
            follow = False
        # 「あと新しくできたACPのほうは？」 after a program that is not new (nor any of its menus) asks for another one.
        if follow and "new" in intents and not any("新規" in p.flags for p in ctx_family):
            follow = False
        # 「もう一つのACP関連の事業は？」 / "the other one" asks for a program the chat has not been about.
        avoid: tuple[str, ...] = ()
        if ctx and not named and OTHER.search(q.text):
            follow, avoid = False, tuple(link_name(p.name) for p in ctx)
        if follow and len(ctx) > 1 and topic:
            ctx = self.narrow(q, ctx)
        # 「ACP推進 R2 予算」→「R7は？」: a follow-up that asks nothing of its own asks what was asked before.
        if follow and not intents and last_kind in FACT_INTENTS and len(re.sub(r"[\s?？。、!！]", "", q.text)) <= 14:
            intents.add(last_kind)
        # 「令和2年度の合計は？」→「じゃあ令和7年度は？」: a bare follow-up of a total asks for the same total.
        if follow and last_kind == "total" and not topic and not intents & {"ratio", "cap", "target", "period",
                                                                              "method", "survey", "count"}:
            intents.add("total")
        # "…that year" / 「その年度」 is the year the chat was about.
        if not explicit and ctx and THAT_YEAR.search(q.text):
            chat_years = {p.fiscal_year for p in ctx}
            if len(chat_years) == 1:
                target_years = list(chat_years)
        scope = self.scopes(q, target_years or years)
        args = handlers.Args(self, q, d, target_years, schedule_years, topic, unknown, named, ctx if follow else [],
                             scope, avoid)
        handlers.dispatch(args, intents)

    def _switches_topic(self, topic: tuple[str, ...], unknown: tuple[str, ...], ctx: list[Passage]) -> bool:
        """A follow-up's own words name another program (「…部会は？」 after a training program).

        Words of the chat's programs' names, their menus' names or words every program shares keep
        the chat's subject (「その中の研修は？」 is the chat program's own training menu).
        """
        family = ctx + [x for p in ctx for x in self.descendants(p)] + [self.corpus.passage(p.parent_id)
                                                                         for p in ctx if p.parent_id]
        inside = normalize(" ".join(p.name for p in family)).lower()
        ids = {p.id for p in family}
        others = [key.lower() for p, key in zip(self.corpus.passages, self.name_keys) if p.id not in ids and not p.repeat_of]
        # Only words that occur in some program's name can name one (「実施期間」 names none).
        words = [w for w in dict.fromkeys(normalize(t).lower() for t in topic
                                          if len(t) >= 2 and t not in SHARED_WORDS and t not in unknown)
                 if w not in inside and any(w in key for key in others)]
        return bool(words) and any(all(w in key for w in words) for key in others)

    def narrow(self, q: Query, programs: list[Passage]) -> list[Passage]:
        """The chat's programs that the question's words point at (all when none stands out)."""
        scores = {}
        for p in programs:
            text = normalize(p.name + p.text + " ".join(p.flags))
            scores[p.id] = sum(normalize(t) in text for t in self.topic_terms(q)[0])
        best = max(scores.values())
        return [p for p in programs if scores[p.id] == best] if best else programs

    def hits(self, q: Query, k: int = 10, year: int | None = None, mode: str = "hybrid", lift_new: bool = True):
        """Hybrid hits; BM25 sees only the topic words, so 「補助率」「予算」 do not drown the topic.

        A question about new programs lifts those marked 新規 (``lift_new=False`` ranks by topic alone).
        """
        topic = list(dict.fromkeys(self.topic_terms(q)[0]))  # a word counts once
        flag = "新規" if "new" in q.intents and lift_new else None
        return self.retriever.search(q.text, k=k, year=year, mode=mode, lexical_terms=topic or None, flag=flag)

    def search_year(self, q: Query) -> int | None:
        """The year filter a question implies: its one named fiscal year, if any.

        A change question names its baseline year (「令和2年度と比べて」) and is about both.
        """
        years = [y for y in q.years if y in self.corpus.years()]
        return years[0] if len(years) == 1 and "change" not in q.intents else None


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (a dependency of sentence-transformers, loaded once)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _anaphora(text: str) -> bool:
    from .question import ANAPHORA

    return bool(ANAPHORA.search(text))


def _synonym_source(term: str) -> bool:
    """A word the synonym table maps onto the documents' words (子供 → 小児)."""
    return bool(synonym_terms(term))


def _partial(key: str, text: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(key, text)
