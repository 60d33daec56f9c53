"""Question understanding: what is asked, for which year, and whether it leans on the chat.

Rules over the folded question text, in Japanese and (through the glossary)
English; the intent cues and their fix-ups are data (``intents.py``). The result
is a plain ``Query``; choosing programs is the answer stage's job, since it needs the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .glossary import correct_english, expand, is_english
from .intents import TIMES, match_intents
from .normalize import canonical

# Things the documents never state, whatever the program: frequency, head counts, named bodies.
UNSUPPORTED = re.compile(
    r"何回|回数|年に何|how (often|many times)|頻度|(?<!人口)何人|人数|how many (people|residents|patients|doctors|institutions|hospitals|places)"
    r"|how many (?!(?:[\w-]+ ){0,4}(?:programs?|projects?|(?:sub-?)?menus?|sub-?programs?|items?|examples|activities|initiatives|services|parts|components|steps|kinds|types|entries|categories|percentage|years?)\b|of (the|them)|got|saw|had|were|are|did|received)"
    r"|の数は|数を教|何か所|何カ所|何箇所|何名|どこの大学|どの大学|大学はどこ|大学名|大学の名|which (university|ward)|名前は|名称は"
    r"|how many (?!programs?|projects?|menus?|items?)[\w-]+ (per|a|each|every) (year|month|week)"
    r"|(区市町村|自治体|病院|診療所|医療機関|施設|事業所|ステーション|薬局)(って|は|が|の数は)?.{0,3}(いくつ|何か所|何カ所|何箇所|何件|何団体)"
    r"|(いくつ|何か所|何カ所|何箇所|何件)の(区市町村|自治体|病院|診療所|医療機関|施設|事業所|ステーション|薬局)"
    r"|謝礼|時給|報酬|日当|hourly (pay|rate|wage)|pay rate|honorarium"
    r"|申請|問い合わせ|問合せ|連絡先|電話番号|締め?切|応募|どこで(開|行|実施|受け|申し込|やっ|でき)|会場|開催場所|どの区(?!分)|どの市|どこの区市町村"
    r"|受付時間|営業時間|開設時間|時間帯|何時|何曜|曜日|opening hours|what time|which days|office hours"
    r"|委託先|どこに委託|受託|業者|which (company|organi[sz]ation|firm|contractor|body)|who (is|was|will be) contracted"
    r"|who (is|are|was|were|will be) the contractors?|name of the contractor|申し込|申込|何(区市町村|自治体|団体|施設|病院|診療所|医療機関|事業所|ステーション)"
    r"|URL|アドレス|ホームページ|委員|メンバー|講師|者数|受講者|参加者|利用者数|実績|登録|受講料|参加費|無料|有料"
    r"|区市町村はどこ|どの区市町村|which (municipalities|wards|cities)|register|sign up|fee|free of charge"
    r"|website address|web ?address|web ?link|\burl\b|committee members|lecturers?|number of (participants|attendees)"
    r"|how (do|can) (i|we|you) apply|application|deadline|contact|phone number|where (is|are|will|can)",
    re.IGNORECASE,
)

ANAPHORA = re.compile(
    r"^(その|それ|この|これ|そこ|同じ|そのうち|うち|では|じゃあ|あと|また|前と|それぞれ)|その|それ|この事業|これら|そこから|そこより|"
    r"\b(it|its|it's|this|that|these|those|they|them|their|the same|what about|and in|and the|how about)\b|^and\b",
    re.IGNORECASE,
)

_ERA = re.compile(r"(令和|平成|R|H)\s*(\d{1,2}|元)\s*年?度?")
_ERA_PAIR = re.compile(r"(令和|平成)\s*(\d{1,2}|元)\s*年度?\s*(?:と|から|～|~|、|・)\s*(\d{1,2})\s*年度")
_WEST = re.compile(r"(?:FY\s*|fiscal (?:year )?)?(20\d\d)\s*(?:年度|年)?", re.IGNORECASE)
# Earlier years only with a fiscal-year mark (「1999年度」, "FY1999"): a bare 19xx may be a figure.
_OLD_WEST = re.compile(r"(?:FY\s*|fiscal (?:year )?)(19\d\d)\b|(19\d\d)\s*年度", re.IGNORECASE)
_LATEST = re.compile(r"今年度|本年度|最新|今年|現在|this (fiscal )?year|current|latest", re.IGNORECASE)
_PREVIOUS = re.compile(r"前回|前の|以前|前と|previous|earlier|before|last time", re.IGNORECASE)
_SUPERLATIVE_MAX = re.compile(r"(一番|最も|いちばん)[^。、？?]{0,8}(大き|多[いかく]|高|かか|増え|増加|減っ|減少|伸び|変わ|変化)|最大|最高|(大き|多|高)い順|largest|biggest|highest|most", re.IGNORECASE)
_SUPERLATIVE_MIN = re.compile(r"(一番|最も|いちばん)[^。、？?]{0,6}(小さ|少な|低)|最小|最低|(小さ|少な|低)い順|smallest|lowest|(?<!at )least", re.IGNORECASE)
_THRESHOLD = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>億円|千万円|万円|千円|million yen|thousand yen|億|万)?\s*(?:\([^)]*\))?\)?\s*"
    r"(?P<cmp>以上|超|より多|を超え|未満|以下|or more|and above|or less)",
    re.IGNORECASE,
)
# An English comparison word followed by an amount: "below 15,000千円", "at least 100 million".
_AMOUNT = r"\s*(?:¥|yen\s*)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>million|thousand|千円|万円|億円)?"
_LESS_THAN = re.compile(r"(?:less than|fewer than|below|under)" + _AMOUNT, re.IGNORECASE)
_AT_LEAST = re.compile(r"(?:at least|no less than)" + _AMOUNT, re.IGNORECASE)
_MORE_THAN = re.compile(r"(?:(?:more|greater) than|above|over|exceeding)" + _AMOUNT, re.IGNORECASE)
_ORDINAL = re.compile(r"(\d+)番目|上位(\d+)|(\d+)位|top (\d+)", re.IGNORECASE)
_SECOND = re.compile(r"\b(next|second)[- ](most|largest|highest|biggest|common)|次に(多|大き|高)|二番目", re.IGNORECASE)
# "the two largest", "which three programs have the biggest", 「上位3つ」「大きい順に3つ」: the first N of a ranking.
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "二": 2, "三": 3, "四": 4, "五": 5}
_TOP_K = re.compile(r"\b(?:top|the)\s+(\d+|two|three|four|five)\s+(?:largest|biggest|highest|smallest|lowest)"
                    r"|\b(?:which|what)\s+(\d+|two|three|four|five)\s+(?:fy\s*\d+\s+)?(?:programs?|projects?)\b[^?]{0,30}"
                    r"(?:largest|biggest|highest|smallest|lowest|most|least)"
                    r"|上位\s*(\d+|[二三四五])|(?:大きい|多い|高い|小さい|少ない)順に\s*(\d+|[二三四五])|トップ\s*(\d+|[二三四五])",
                    re.IGNORECASE)


def _top_k(text: str) -> int | None:
    """N of "the N largest" in a canonical (NFKC) question, whose digits are therefore ASCII."""
    m = _TOP_K.search(text)
    if not m:
        return None
    word = next(g for g in m.groups() if g).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


@dataclass(frozen=True)
class Query:
    """A parsed question."""

    text: str
    expanded: str
    english: bool
    intents: tuple[str, ...]
    years: tuple[int, ...]
    latest: bool = False
    previous: bool = False
    follow_up: bool = False
    superlative: str = ""  # "max" / "min"
    threshold: tuple[str, int] | None = None  # (">=" / ">" / "<" / "<=", 千円)
    threshold_written: tuple[str, int] | None = None  # (the number as the question wrote it, its scale to 千円)
    top_n: int | None = None
    top_k: int | None = None  # the first N of a ranking ("the two largest")
    unsupported: bool = False
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def primary(self) -> str:
        return self.intents[0] if self.intents else "content"


_DESCRIBED_YEAR = re.compile(
    r"(令和|平成|R|H)\s*(\d+|元)\s*年度?(に|で)(あった|存在した|始まった|実施された|実施していた|新規だった|計上された|新設された)"
    r"|\b(that|which) (existed|ran|was run|started|began|was new) in (fy\s*|fiscal (year )?)?\d{4}\b"
    r"|\bfrom (fy\s*|fiscal (year )?)?\d{4}\b(?= [\w-]+ (program|project))", re.IGNORECASE)


def parse_years(text: str) -> tuple[int, ...]:
    """Fiscal years named in a question (令和7年度, R2, 2020年度, FY2025 → western years)."""
    years: list[int] = []
    for era, n in _ERA.findall(text):
        if era in ("R", "H") and not re.search(rf"{era}\s*{n}\s*(年|度|の|予算|から|まで|と|で|は|も|$|\W)", text):
            continue
        value = 1 if n == "元" else int(n)
        years.append((2018 if era in ("令和", "R") else 1988) + value)
    # 「令和2年度と7年度」: the second year keeps the era of the first.
    for era, _, n in _ERA_PAIR.findall(text):
        years.append((2018 if era in ("令和", "R") else 1988) + int(n))
    for west in _WEST.findall(text):
        years.append(int(west))
    for fy, nendo in _OLD_WEST.findall(text):
        years.append(int(fy or nendo))
    return tuple(dict.fromkeys(years))


def _threshold(text: str) -> tuple[str, int, str, int] | None:
    """(comparison, 千円, the number as written, its scale to 千円) of a budget threshold."""
    m = _THRESHOLD.search(text)
    least = _AT_LEAST.search(text)
    more = None if least else _MORE_THAN.search(text)
    less = _LESS_THAN.search(text)
    if m:
        found, unit = m, (m["unit"] or "千円").lower()
        cmp = {"以上": ">=", "or more": ">=", "and above": ">=", "超": ">", "より多": ">", "を超え": ">",
               "未満": "<", "以下": "<=", "or less": "<="}[m["cmp"].lower()]
    elif (more or less) and re.search(r"budget|yen|amount|cost|million|thousand|予算|円", text, re.IGNORECASE) \
            and not re.search(r"^\s*(beds?|people|persons|residents|床|人)", text[(more or less).end():], re.IGNORECASE):
        found = more or less  # "fewer than 200 beds" is a target, not a budget threshold
        unit, cmp = (found["unit"] or "thousand").lower(), ">" if more else "<"
    elif least:
        found, unit, cmp = least, (least["unit"] or "thousand").lower(), ">="
    else:
        return None
    written = found["num"]
    value = float(written.replace(",", ""))
    scale = {"億円": 100_000, "億": 100_000, "千万円": 10_000, "万円": 10, "万": 10, "千円": 1, "thousand yen": 1,
             "thousand": 1, "million yen": 1_000, "million": 1_000}.get(unit, 1)
    return cmp, int(value * scale), written, scale


# Key words typed in kana, left unconverted by the IME (「よさんは？」「ざいたく療養」): the documents only
# write them in kanji. Only words that read as nothing else in a question about these programs.
KANA_WORDS = {"よさん": "予算", "ほじょりつ": "補助率", "ほじょきん": "補助金", "ざいたく": "在宅", "りょうよう": "療養",
              "けんしゅう": "研修", "じぎょう": "事業"}
_KANA = re.compile("|".join(KANA_WORDS))


def parse(question: str) -> Query:
    """Parse one question (without its chat history)."""
    text = _KANA.sub(lambda m: KANA_WORDS[m[0]], canonical(question)).strip()
    english = is_english(text)
    if english:
        text = correct_english(text)
    expanded = expand(text)
    intents = match_intents(text)
    years = parse_years(text)
    # 「令和2年度にあった…は、令和7年度には？」: the year that only describes the program is not the one asked about.
    if len(years) == 2 and "change" not in intents:
        described = {y for m in _DESCRIBED_YEAR.finditer(text) for y in parse_years(m.group(0))}
        if len(described) == 1 and described < set(years):
            years = tuple(y for y in years if y not in described)
    threshold = _threshold(text)
    top = _ORDINAL.search(text)
    # Short questions that name neither a program nor a topic lean on the chat.
    follow_up = bool(ANAPHORA.search(text)) or len(re.sub(r"[\s?？。、!！]", "", text)) <= 12
    flags = tuple(f for f, cue in (("大学提案採択事業", r"大学|universit"),) if re.search(cue, text, re.I))
    return Query(
        text=text,
        expanded=expanded,
        english=english,
        intents=tuple(intents),
        years=years,
        latest=bool(_LATEST.search(text)),
        previous=bool(_PREVIOUS.search(text)),
        follow_up=follow_up,
        superlative="min" if _SUPERLATIVE_MIN.search(text) else "max" if _SUPERLATIVE_MAX.search(text) else "",
        threshold=threshold[:2] if threshold else None,
        threshold_written=threshold[2:] if threshold else None,
        top_n=int(next(g for g in top.groups() if g)) if top else 2 if _SECOND.search(text) else None,
        top_k=_top_k(text),
        # "how many times larger" asks for a ratio of amounts, not how often something happens.
        unsupported=bool(UNSUPPORTED.search(text)) and not ("criterion" in intents and "count" not in intents)
        and not TIMES.search(text),
        flags=flags,
    )
