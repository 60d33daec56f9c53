"""Question understanding: what is asked, for which year, and whether it leans on the chat.

Rules over the folded question text, in Japanese and (through the glossary)
English. The result is a plain ``Query``; choosing programs is the answer
stage's job, since it needs the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .glossary import correct_english, expand, is_english
from .normalize import canonical

# Intent cues, checked in this order of specificity. Each maps to an answer kind.
INTENTS: tuple[tuple[str, str], ...] = (
    ("survey", r"世論調査|調査結果|(やった|行った|実施した|した)調査|調査[?？]|誰が.{0,6}調査|(心配|不安|懸念)(する|な|に思う|に感じる)(人|都民)|(思|考え|感じ)る(人|都民)(は|が|の)|(人|都民)はどのくらい|根拠|データ|data\b|evidence|share of (tokyo |the )?(residents|people|respondents|citizens)|share (worried|concerned|anxious|who)|その調査|調査は|調査で|アンケート|答えた|回答|理由|何%|パーセント|\d+\s*割(くらい|ぐらい|程度|も)|って人|(?<!補助)(?<!負担)割合|難しいと(考え|思|感じ)|percent|percentage|%|survey|poll|reasons?|why .*difficult|difficult because|(most|many) people|(people|residents|respondents|citizens) (say|said|think|thought|answered)"),
    ("ratio", r"\d+/\d+\s*(?:or|または|か|と|/|rather than|instead of|ではなく)\s*\d+/\d+|\d+/\d+\s*(?:に|と)なる|補助率|補助りつ|補助割合|負担割合|100\s*%|full cost|cover (all|100)|(どのくらい|どれくらい|どれだけ|どの程度)の?割合を?(補助|持|負担|出)|補助[はがを]?(どれくらい|どのくらい|どれだけ)|何割|全額|subsidy rate|rate|share of (the )?costs?|ratio|what share|how much of the cost|fraction|what portion|what proportion of the cost|(half|a quarter|three quarters) of the cost"),
    ("cap", r"上限|基準額|限度額|いくらまで|最大いくら|1医療機関あたり|1事業あたり|cap\b|ceiling|up to how much|maximum amount|base amount|standard amount|upper limit|per project|per (medical )?institution|per (hospital|clinic|facility|provider)|per municipality|maximum(?! budget)|at most|(can|could) (a|an|each|one|we|i|they) [\w-]+( [\w-]+)? (get|receive)|(can|could) receive|how much can .* get"),
    ("criterion", r"給付基準|人口.*当たり|人口何人|何人に\s*1\s*台|何台|per population|standard number|how many (units|items) (per|for each|can|are (given|provided|supplied|funded))"
                  r"|standard for how many|how many [\w-]+ (get|are|is|can be) (covered|provided|given|supplied)"
                  r"|relative to (the )?population|per (head of )?population|provision (standard|benchmark)|benefit standard|benchmark"),
    ("target", r"(使え|利用でき|申請でき|受けられ)るのは(どこ|誰|だれ)|対象|誰が使|誰に向け|誰向け|どんな病院|どの病院|どの医療機関|どこの(医療機関|病院|診療所|施設)|誰のため|だれ|eligib|who can|who is .* for|aimed at|target|which hospitals|which (medical )?institutions|for whom|who are|who (attends?|takes?|joins?|participates?)|participants|audience|(could|can) (we|i) (get|receive|use)|qualif(y|ies)|\d+[- ]beds?\b"),
    ("period", r"実施期間|いつから|いつまで|何年間|how many years|何年度(から|まで)|何年から|始まった|期間|いつ(?!でも|も)|since when|when did .* start|which (fiscal )?years?|what (fiscal )?year|in what year|スケジュール|予定.*(いつ|年度)|"
     r"when (?:does|did|will|is|was|are|were|do|can|should|would)\b|when\s*\?|(?:since|until|from|by) when|"
     r"when (?:it|they|this|that|the [\w-]+) (?:starts?|begins?|ends?|runs?|started|began|ended)|how long|period|schedule|scheduled|until|which years?"),
    ("method", r"実施方法|財源|基金|包括補助.{0,6}(type|種類|型|区分)|(which|what) (kind of )?(包括補助|block grant)|run (it|this|that) (itself|directly)|run by|who runs|(自ら|自分で|自前で)(実施|運営|やる|行う)|直接(実施|運営|やる)|funding (plan|scheme|source)|(is|are|was|were|it|they|be|being|gets?|get) funded (by|through|under)|how (is|are|was|were) [^?]{0,60} funded|委託|どうやって実施|枠組み|どういう形|誰が対応|方法|how is it (run|carried out|implemented)|how (is|are) [^?]{0,60}(implemented|administered|financed)|in terms of funding|under what (kind of )?(plan|scheme)|commission|outsourc|framework|(which|what) (kind of |funding )?scheme|scheme (is|does) (it|this|that)|who handles|how .*carried out"),
    # 「新規参入」「新たに開設」 are about newcomers to home care, not new programs.
    ("new", r"新規(?!参入|開設|開業)|新しく(?!参入|開設|開業)|新た(?!に(参入|開設|開業))|新しい|加わった|追加された"
            r"|new\b(?! (entrants?|providers?|clinics?|stations?))|newly(?! (entering|opened|open))|added"),
    ("count", r"いくつ|何件|何個|何種類|何本|何項目|何通り|何事業|事業数|件数|数は|how many|number of (fy\s*\d+ )?(new )?(programs?|projects?|menus?)"),
    ("total", r"合計|総額|全部足す|足すと|足した|合わせると|合わせて|合わせた|合算|全体の予算|全部で|(?<!地域)全体で|トータル|平均|(?<!not the )whole .*budget|entire budget|add(s|ed)? up|sum (of|up)|grand total|overall budget|total|combined|sum\b|altogether|in all|together(?! with)|average|mean\b"),
    ("change", r"how much (higher|lower|more|less|bigger|smaller) .*than|変わ|変化|違い|違う|違っ|増え|減っ|増減|増額|減額|比べ|前年|前回|推移|差|増加|減少|chang|increase|decrease|grow|grew|compare|differ|rise|fall(?!s? (?:under|within|into))|more or less|up or down|(less|more) money|got (less|more)|budget cuts?|go(es|ne)? (up|down)|went (up|down)"),
    ("amount", r"what (did|does|will) (the [\w-]+ one|it|that|this|the [\w\s-]{0,30}(program|project)) get\b|予算|金額|いくら|経費|費用|運営費|事業費|費は|お金|かかって|額|千円|万円|億円|budget|how much|cost|funding|allocated|amount|money|spend"),
    ("content", r"何をする|どんな|内容|中身|概要|具体的|何に取り組|教えて|とは|目的|違い|どう違|what does|what is|tell me|describe|about|examples?|what kinds?|purpose|differ"),
    ("theme", r"関係する|関する|関連|取組は|取り組みは|事業は|どんな(事業|取組|取り組み)が|関係の(事業|取組)|系の(事業|取組)|関連事業|何があ[るり]|どんなのがあ[るり]|どんなもの(が|は)あ[るり]|どのようなもの(が|は)あ[るり]|どんな事業(が|は)あ[るり]|どれ(?!くらい|だけ|ほど)|どの事業|まとめて|全部教えて|一覧|すべて|全て|挙げて|which (fy\s*\d+ )?programs?|(which|what) (fy\s*\d+ )?(entries|projects|initiatives|measures|schemes|efforts)|which (fy\s*\d+ )?items (are|were) (about|for|related|aimed)|what (fy\s*\d+ )?programs?|programs? (that(?! (fiscal )?year)|for|to|related)|relate|list (all|the)"),
)


def _bounded(pattern: str) -> str:
    """Wrap each top-level English alternative in word boundaries ("ratio" must not match "cooperation")."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return "|".join(rf"\b(?:{p})" if p.isascii() and re.search("[a-z]", p) else p for p in parts)


_COMPILED = tuple((name, re.compile(_bounded(p), re.IGNORECASE)) for name, p in INTENTS)

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

COVERAGE = re.compile(r"補助され(る|ます)(か|\s*[?？]|$)|補助の対象にな(る|ります)(か|\s*[?？]|$)|補助は(ある|出る)(か|\s*[?？]|$)"
                      r"|(対象|品目|対象品目|対象機器)に(入る|入ります|含まれる|含まれます)(か|\s*[?？]|$)"
                      r"|^(is|are) .* (covered|subsidi[sz]ed)|^(does|do|will|would|can) .* (cover|pay for|subsidi[sz]e)\b"
                      r"|^(?!\s*(which|what|who|how)\b).*eligible for",  # "which … are eligible" asks for the list
                      re.IGNORECASE)
_ERA = re.compile(r"(令和|平成|R|H)\s*(\d{1,2}|元)\s*年?度?")
_ERA_PAIR = re.compile(r"(令和|平成)\s*(\d{1,2}|元)\s*年度?\s*(?:と|から|～|~|、|・)\s*(\d{1,2})\s*年度")
_WEST = re.compile(r"(?:FY\s*|fiscal (?:year )?)?(20\d\d)\s*(?:年度|年)?", re.IGNORECASE)
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


def is_intent_word(word: str) -> bool:
    """An English word that only says what kind of answer is wanted ("total", "increase")."""
    return any(pattern.fullmatch(word) or pattern.match(word) and len(word) <= 12 and pattern.match(word).end() == len(word)
               for _, pattern in _COMPILED)


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
    intents = [name for name, pattern in _COMPILED if pattern.search(text)]
    # 「防犯ブザーの購入費用は補助される？」 asks whether and how much is covered, not a budget.
    if COVERAGE.search(text) and not re.search(r"予算|budget", text, re.IGNORECASE):
        intents = ["target", "ratio", "cap"] + [i for i in intents if i not in ("amount", "target", "ratio", "cap")]
    # "Does Tokyo cover 100%?" asks for a ratio, not a survey figure.
    if "survey" in intents and "ratio" in intents and \
            not re.search(r"調査|理由|survey|poll|reason|residents|respondents|people|citizens", text, re.I):
        intents.remove("survey")
    # 「何%増えた？」 asks for a change, not a survey figure.
    if "survey" in intents and ("change" in intents or "total" in intents) and \
            not re.search(r"調査|理由|アンケート|survey|poll|reason", text, re.IGNORECASE):
        intents.remove("survey")
    # "the benchmark for how many items can be funded" asks for the provision standard, not a count of programs.
    if "criterion" in intents and "count" in intents and \
            re.search(r"benchmark|standard|基準|人口|population", text, re.I) and \
            not re.search(r"how many (fy\s*\d+ )?(programs?|projects?|menus?)|何事業|事業(は|が)?いくつ|事業数", text, re.I):
        intents.remove("count")
    # 実態調査 (a fact-finding survey the ACP program runs) is a scheduled activity, not the opinion poll.
    if "survey" in intents and re.search(r"実態調査|fact[- ]finding", text, re.IGNORECASE):
        intents.remove("survey")
    # "How many percentage points higher …" asks for a gap between survey figures, not a count.
    if "survey" in intents and "count" in intents and re.search(r"percent|ポイント|points|%", text, re.I):
        intents.remove("count")
    # 「新規で始まった事業はどれ？」 asks which programs are new, not when they started.
    if "new" in intents and "period" in intents and not re.search(r"いつ|何年|when|which year|what year", text, re.I) \
            and re.search(r"(新規|新しく|新た)\S{0,2}(始ま|スタート|開始|立ち上)|(newly|new) (started|launched|begun)", text, re.I):
        intents.remove("period")
    # "The standard for how many generators get covered" asks for the 給付基準, not a count.
    if "criterion" in intents and "count" in intents and re.search(r"standard|基準", text, re.IGNORECASE):
        intents.remove("count")
    # "Is there anything in the FY2025 budget to help us prepare?" asks what the budget offers, not how much.
    if "amount" in intents and re.search(r"\b(in|from|under) (the|this|its|tokyo'?s) ([\w-]+ ){0,2}budget\b"
                                         r"|budget (offers?|includes?|provides?|has|have|does|do)\b", text, re.I) \
            and not re.search(r"how much|amount|cost|spend|allocat|yen|\bsum\b|total|how big|size|funding for it", text, re.I):
        intents.remove("amount")
    # "How is the menu implemented in terms of funding?" asks for the method, not an amount.
    if "amount" in intents and "method" in intents and not re.search(r"how much|いくら|予算額|金額|amount|\byen\b", text, re.I):
        intents.remove("amount")
    # "Give examples of what municipalities can get funding for" asks for content, not an amount.
    if "amount" in intents and re.search(r"\bexamples?\b|例を|例は|例として", text, re.I) \
            and not re.search(r"how much|いくら|予算額|金額", text, re.I):
        intents.remove("amount")
    # "Over how many years?" asks for a period, not a count of programs.
    if "count" in intents and re.search(r"how many years|何年間|何年度分", text, re.IGNORECASE):
        intents = ["period"] + [i for i in intents if i not in ("count", "period")]
    # "How do the two parts differ?" compares what programs do, not budgets across years.
    if "change" in intents and re.search(r"differ|違い|違う", text, re.I) and \
            not re.search(r"予算|金額|額|budget|amount|cost|money|年度|FY|20\d\d|increase|decrease|増|減", text, re.I):
        intents = ["content"] + [i for i in intents if i not in ("change", "content")]
    # 「…が必要な理由は？」 asks why a program exists (its 現状・課題), not for the survey's reasons.
    if "survey" in intents and re.search(r"必要な理由|必要とされる理由|なぜ|どうして|背景|why (is|does|do|fund|was|are)", text, re.I) \
            and not re.search(r"調査|世論|アンケート|survey|poll|難し|無理|hard|difficult|%|割合|percent", text, re.I):
        intents = ["content"] + [i for i in intents if i not in ("survey", "content")]
    # "What share of residents say …" asks for a survey figure, not a subsidy share.
    if "survey" in intents and "ratio" in intents and \
            re.search(r"residents|respondents|people|citizens|都民|人の割合|人は何", text, re.IGNORECASE):
        intents.remove("ratio")
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
        unsupported=bool(UNSUPPORTED.search(text)) and not ("criterion" in intents and "count" not in intents),
        flags=flags,
    )
