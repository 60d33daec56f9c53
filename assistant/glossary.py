"""Glossary: English domain words → the Japanese words the documents use.

The documents are Japanese only. The multilingual model bridges some English,
but weakly for domain terms (家族, 入退院, 補助率); BM25 not at all. An English
question is therefore expanded with the Japanese terms of this glossary before
search and question analysis. Entries are domain vocabulary, not questions.
"""

from __future__ import annotations

import re

# (English pattern, Japanese terms). Patterns are matched case-insensitively on word boundaries.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (r"famil(y|ies)|relatives|caregivers?|carers?", "家族"),
    (r"support(s|ing)?|help(s|ing)?|assist(ance)?|aid", "支援"),
    (r"disasters?|earthquakes?|emergenc(y|ies)", "災害"),
    (r"business continuity|bcp", "BCP"),
    (r"child(ren)?|kids?|pediatric|paediatric|minors?", "小児"),
    (r"discharge[sd]?|leaving (the )?hospital|going home", "退院 入退院"),
    (r"(go|goes|going|come|comes|coming) (in)?to (the )?hospital|(come|comes|coming) out of (the )?hospital"
     r"|in and out of (the )?hospital|return(s|ing)? home", "入退院"),
    (r"(home[- ]visit(ing)? |visiting )?nursing stations?", "訪問看護ステーション"),
    (r"admission|admitted|hospitali[sz]ation", "入院 入退院"),
    (r"harass(ment|ed|ing)?|violen(ce|t)|abus(e|ed|ive|ing)|aggressi(on|ve)|shout(s|ing|ed)?|yell(s|ing|ed)?|threat(s|en\w*)?"
     r"|verbal(ly)? abus\w*|bull(y|ying|ied)", "ハラスメント"),
    (r"security|crime|burglar|alarms?|buzzers?|panic buttons?", "防犯"),
    (r"train(ing|s)?|courses?|education", "研修"),
    (r"seminars?|workshops?", "セミナー 研修"),
    (r"medical associations?", "医師会"),
    (r"doctors?|physicians?", "医師"),
    (r"nurses?|nursing", "看護師"),
    (r"dentists?|dental", "歯科"),
    (r"clinics?", "診療所"),
    (r"hospitals?", "病院"),
    (r"home (medical )?care|home health|at home|home-based", "在宅医療 在宅療養"),
    (r"ventilators?|respirators?", "人工呼吸器"),
    (r"(backup |standby )?generators?|power (outage|cut|failure)s?|blackouts?", "自家発電装置"),
    (r"portal|websites?|web ?sites?", "ポータルサイト"),
    (r"ict|digital|online|it systems?", "ICT デジタル オンライン"),
    (r"advance care planning|acp|end[- ]of[- ]life|living will", "ACP"),
    (r"terminal care|dying|death", "看取り"),
    (r"budgets?|funding|allocat(ed|ion)|how much money|cost", "予算"),
    (r"subsid(y|ies|ized)|grants?", "補助"),
    (r"subsidy rates?|rate of subsidy|share covered|co-?pay|ratio", "補助率"),
    (r"caps?|ceiling|upper limit|maximum|max|limit", "上限"),
    (r"base amount|standard amount", "基準額"),
    (r"eligib(le|ility)|who can|target(s|ed)?|for whom", "対象"),
    (r"period|duration|how long|when|until", "実施期間"),
    (r"commission(ed)?|outsourc(ed|ing)|contract(ed)?", "委託"),
    (r"municipal(it(y|ies))?|municipalities'|wards?|cities|city|local governments?", "区市町村"),
    (r"new(ly)?", "新規"),
    (r"surveys?|polls?|questionnaire|(public )?opinion", "調査 世論調査"),
    (r"burden|strain", "負担"),
    (r"long-term care|care workers?|care managers?", "介護"),
    (r"24[- ]hours?|round[- ]the[- ]clock", "24時間"),
    (r"council|conference|meetings?", "会議 部会"),
    (r"wide[- ]area|regional", "広域"),
    (r"human resources|workforce|staff(ing)?|personnel", "人材"),
    (r"enter(ing)?|entry|participat(e|ion)", "参入"),
    (r"equipment|devices?", "機器"),
    (r"small(er)? hospitals?|fewer than 200 beds|under 200 beds", "200床未満"),
    (r"beds?", "床"),
    (r"information[- ]sharing|share information|information|info", "情報共有"),
    (r"professionals?|practitioners?", "医療・介護関係者"),
    (r"collaborat(e|ion)|cooperat(e|ion)|coordinat(e|ion)|link(age)?", "連携"),
    (r"multi-?disciplinary|interprofessional|multi-?profession(al|s)?", "多職種"),
    (r"sudden (change|deterioration)|emergency response|emergenc(y|ies) at home", "急変"),
    (r"worr(y|ied|ies)|anxi(ous|ety)|concern(ed|s)?|uneasy", "不安"),
    (r"consultations?( desks?)?|advice( desks?)?|(help )?desks?|hotlines?|helplines?|counsel(l)?ing|handles?", "相談窓口"),
    (r"lawyers?|legal", "法律相談"),
    (r"promot(e|ion|ing)", "推進"),
    (r"strengthen(ing|s)?|enhanc(e|ement|ing)|reinforc(e|ement|ing)", "強化"),
    (r"symposi(um|a)|events?", "シンポジウム"),
    (r"leaders?", "リーダー"),
    (r"medical|medicine|health ?care", "医療"),
    (r"patients?", "患者"),
    (r"communit(y|ies)|local|regional", "地域"),
    (r"home|house", "在宅"),
    (r"house calls|home visits?|home-visits?|visits?|visiting", "訪問診療"),
    (r"population", "人口"),
    (r"private power|power", "自家発電装置"),
    (r"standards?|criteria", "基準"),
    (r"transition|move|shift", "移行"),
    (r"smooth(ly)?", "円滑"),
    (r"(medical )?institutions?|facilities", "医療機関"),
    (r"staff[- ]costs?|personnel costs?|salar(y|ies)|labou?r costs?", "人件費"),
    (r"web|online information", "Webサイト"),
    (r"information room", "Web情報室"),
    (r"practice|practical|hands[- ]on", "実践"),
    (r"capacity|capabilit(y|ies)|skills?", "育成 実践力"),
    (r"universit(y|ies)|academic", "大学提案"),
    (r"safe(ty)?|protect(ion)?", "安全"),
    (r"residents?|citizens?|people|public", "都民"),
    (r"difficult|hard", "難しい"),
    (r"percent(age)?|proportion|share of respondents", "割合"),
    (r"district", "地区"),
    (r"users?", "使用者"),
    (r"(sub-?)?committees?|working group|panel", "部会"),
    (r"menus?", "メニュー"),
    (r"volunteers?", "ボランティア"),
    (r"pharmac(y|ies|ists?)", "薬局"),
    (r"liaison|liaison council|contact meeting", "連絡会"),
    (r"secur(e|ing)|ensur(e|ing)", "確保"),
    (r"(condition|health|state)s? (suddenly |rapidly )?(worsen(s|ed|ing)?|deteriorat\w*|gets? worse|changes?)|suddenly (worsen\w*|deteriorat\w*|gets? worse)", "急変"),
    (r"fact[- ]finding|on[- ]the[- ]ground survey|survey of (medical|care|the) (and care )?(staff|workers|professionals)", "実態調査"),
    (r"anti[- ]crime|crime[- ]prevention", "防犯"),
    (r"new providers|newcomers|get(ting)? (\w+ ){0,2}into|bring\w* .{0,30}into|take up|start (doing|providing|offering)|start(ing)? (home|visiting|to (provide|offer))"
     r"|start(ing)? (making |doing )?house calls|not (yet )?(doing|providing|offering|involved in) (home|house)", "参入"),
    (r"activit(y|ies)|initiatives?|efforts?", "取組"),
    (r"(in-hospital |mutual )?understanding|awareness[- ]raising", "理解促進"),
    (r"mutual|each other|two-way|reciprocal", "相互"),
    (r"manuals?|handbooks?|guidebooks?|guidelines|procedures?|step-by-step", "手順書"),
    (r"finish(ed)?|complet(e|ed|ion)|draw(ing)? up|drawn up|formulat(e|ed|ion)", "策定"),
    (r"interim|mid-?term|halfway", "中間のまとめ"),
    (r"background|problems?|challenges?|issues?|current situation", "現状・課題"),
    (r"respondents?|answered|responses?", "都民"),
    (r"cop(e|ing)|deal(ing)? with|respond(ing)? to", "対応"),
    (r"purchas(e|es|ed|ing)|buy(ing|s)?|install(ing|ation)?|introduc(e|ing|tion)", "導入"),
    (r"repeats?|re-?listed|listed again|reposted", "再掲"),
    (r"systems?|set-?up", "体制"),
    (r"build(s|ing)?|construct(s|ing|ion)?|establish(es|ing|ment)?", "構築"),
    (r"block grants?|comprehensive (block )?grants?|lump-?sum grants?|包括補助", "包括補助"),
    (r"organi[sz]ations?|associations?|bodies", "団体"),
    (r"models?|pilots?|pilot projects?|trials?", "モデル"),
    (r"proposal[- ]type|proposal[- ]based", "提案型"),
    (r"environment(al)?( (improvement|development|building))?", "環境整備"),
    (r"(counter)?measures?|tackl(e|es|ing)|combat(ing)?", "対策"),
    (r"package (subsid(y|ies)|grants?)", "包括補助"),
)
# Public-health and welfare topics these documents never cover: an English question about one of
# them is answered "not in the documents", however many of its other words match (support, home, care).
OUTSIDE: tuple[str, ...] = (
    r"cancer|tumou?rs?|oncology", r"dementia|alzheimer'?s?", r"(special )?nursing homes?|care homes?|retirement homes?",
    r"vaccin\w*|immuni[sz]ations?|influenza|flu shots?|covid(-19)?|coronavirus", r"day ?care|nurser(y|ies)|child ?care|kindergartens?",
    r"insurance premiums?|pensions?", r"heat ?stroke|air[- ]condition\w*", r"mental health|suicide|depression",
    r"group homes?|disabilit(y|ies)", r"earthquake[- ]proof\w*|seismic|retrofit\w*", r"blood donations?",
    r"smoking|tobacco", r"fertility|infertility|maternity|pregnan\w*|childbirth", r"organ transplants?",
    r"school lunch\w*|schools?", r"housing|rent subsid\w*", r"health check-?ups?|screenings?",
    r"(adult )?guardianship|elder abuse|welfare benefits?|public assistance",
    r"home modifications?|handrails?|renovations?|barrier-free", r"pharmac(y|ies|ists?)",
    r"metropolitan hospitals?|public hospitals?|hospital operations?", r"solar( panels?| power)?|photovoltaic",
)
_OUTSIDE = re.compile(r"\b(?:" + "|".join(OUTSIDE) + r")\b", re.IGNORECASE)


def outside_topic(text: str) -> str | None:
    """The first topic of an English question that these documents never cover ("dementia"), if any."""
    m = _OUTSIDE.search(text)
    return m[0] if m else None




# Everyday Japanese → the documents' own words (人生会議 is the official name for ACP).
SYNONYMS: tuple[tuple[str, str], ...] = (
    (r"子ども|子供|こども|小児", "小児"),
    # Tokyo's wards, cities, towns and villages are 区市町村 in the documents, in that order.
    (r"自治体|市区町村|(?<!区)市町村", "区市町村"),
    (r"人生会議|人生の最終段階|人生の(最後|終わり|しまい)|最期|終末期|話し合", "ACP"),
    (r"暴言|暴力|迷惑行為|嫌がらせ|カスハラ", "ハラスメント"),
    (r"停電", "自家発電装置 災害"),
    (r"地震|非常時|有事|緊急時", "災害"),
    (r"自宅|家に戻|家で|おうち", "在宅"),
    (r"退院|入院", "入退院"),
    (r"介護者|ケアラー|家族介護|親|両親|母|父|祖母|祖父|夫|妻|息子|娘", "家族"),
    (r"ネット|ＩＴ|IT化|ウェブ", "ICT デジタル"),
    (r"勉強会|講習|講座|勉強", "研修 セミナー"),
    (r"セキュリティ|防犯", "防犯"),
    (r"グッズ|道具|器具|装置", "機器"),
    (r"夜間|休日|夜中|深夜|24時間対応", "24時間"),
    (r"往診|家に来て|自宅に来て|訪問して", "訪問診療"),
    (r"(訪問診療|在宅医療|往診)を?(始め|はじめ)", "参入"),
    (r"お年寄り|高齢者|老人", "在宅療養"),
    (r"ケアマネ(ジャー)?|介護支援専門員", "居宅介護支援事業所"),
    (r"訪問看護師|訪看", "訪問看護ステーション"),
    (r"急に具合|具合が悪|容体が急|急に悪化", "急変"),
    (r"呼吸器", "人工呼吸器"),
    (r"担い手|スタッフ", "人材"),
    (r"訪問先", "訪問"),
    (r"歯医者|歯科医", "歯科"),
    (r"無理|厳しい|困難", "難しい"),
    (r"心配|気がかり|懸念", "不安 懸念"),
    (r"背景|課題|問題点|現状", "現状・課題"),
    (r"お医者さん|医者|かかりつけ(の先生|医)?|掛かり付け|先生", "医師"),
    (r"看護婦", "看護師"),
    (r"スムーズ|スムース", "円滑"),
    (r"(体制|仕組み|しくみ)(づくり|作り|を作|をつく)", "構築"),
    (r"移(る|れ|り)|切り替え|切替", "移行"),
)
_SYNONYMS = tuple((re.compile(p), terms) for p, terms in SYNONYMS)
# Plural and -es forms count: "sudden changes" is "sudden change".
_COMPILED = tuple((re.compile(rf"\b(?:{pattern})(?:s|es)?\b", re.IGNORECASE), terms) for pattern, terms in GLOSSARY)
_LATIN = re.compile(r"[A-Za-z]{3,}")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# Words worth mending when misspelled: the domain's own English vocabulary.
_VOCAB = tuple("""
harassment emergency emergencies pediatric paediatric disaster disasters budget budgets subsidy subsidies
municipal municipality municipalities discharge admission security ventilator ventilators generator
generators training hospital hospitals clinic clinics family families caregiver caregivers portal
promotion consultation eligibility eligible schedule survey percentage children dental doctors nurses
association associations collaboration information program programs project projects medical
""".split())


# British spellings → the American ones the glossary and intent cues use.
_SPELLINGS = ((r"programme", "program"), (r"organis", "organiz"), (r"subsidis", "subsidiz"), (r"hospitalis", "hospitaliz"),
              (r"labour", "labor"), (r"centre", "center"), (r"paediatric", "pediatric"), (r"utilis", "utiliz"))


def correct_english(text: str) -> str:
    """Mend misspelled domain words ("harrassment" → "harassment") so the glossary still maps them."""
    from rapidfuzz import fuzz, process

    for british, american in _SPELLINGS:
        text = re.sub(british, american, text, flags=re.IGNORECASE)

    def fix(m: re.Match) -> str:
        word = m[0].lower()
        if word in _VOCAB:
            return m[0]
        best = process.extractOne(word, _VOCAB, scorer=fuzz.ratio)
        return best[0] if best and best[1] >= 88 else m[0]

    return re.sub(r"[A-Za-z]{6,}", fix, text)


def is_english(text: str) -> bool:
    """True for a question written mostly in Latin letters."""
    latin = sum(len(m) for m in _LATIN.findall(text))
    return latin > 0 and latin >= 2 * len(_JAPANESE.findall(text))


def _terms(table, text: str) -> list[str]:
    """The documents' words for every entry of ``table`` that ``text`` matches, in order, once each."""
    terms: list[str] = []
    for pattern, japanese in table:
        if pattern.search(text):
            terms.extend(t for t in japanese.split() if t not in terms)
    return terms


def japanese_terms(text: str) -> list[str]:
    """Japanese glossary terms for the English words of ``text``."""
    return _terms(_COMPILED, text)


def covered_words(text: str) -> set[str]:
    """English words of ``text`` that some glossary entry translates."""
    words: set[str] = set()
    for pattern, _ in _COMPILED:
        for m in pattern.finditer(text):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", m[0]))
    return words


def synonym_terms(text: str) -> list[str]:
    """The documents' words for everyday Japanese words in ``text``."""
    return _terms(_SYNONYMS, text)


def strip_synonyms(text: str) -> str:
    """``text`` without the everyday words the synonym table maps."""
    for pattern, _ in _SYNONYMS:
        text = pattern.sub(" ", text)
    return text


def expand(text: str) -> str:
    """The question followed by the documents' words for it (glossary or synonyms)."""
    terms = japanese_terms(text) if is_english(text) else synonym_terms(text)
    return f"{text} {' '.join(terms)}" if terms else text
