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
    (r"admission|hospitali[sz]ation", "入院 入退院"),
    (r"harass(ment|ed)?|violen(ce|t)|abuse|aggression", "ハラスメント"),
    (r"security|crime|burglar|alarms?|buzzers?|panic buttons?", "防犯"),
    (r"train(ing|s)?|seminars?|courses?|workshops?|education", "研修"),
    (r"medical associations?", "医師会"),
    (r"doctors?|physicians?", "医師"),
    (r"nurses?|nursing", "看護師"),
    (r"dentists?|dental", "歯科"),
    (r"clinics?", "診療所"),
    (r"hospitals?", "病院"),
    (r"home (medical )?care|home health|at home|home-based", "在宅医療 在宅療養"),
    (r"ventilators?|respirators?", "人工呼吸器"),
    (r"generators?|power (outage|cut|failure)s?|blackouts?", "自家発電装置"),
    (r"portal|websites?|web ?sites?", "ポータルサイト"),
    (r"ict|digital|online|it systems?", "ICT デジタル"),
    (r"advance care planning|acp|end[- ]of[- ]life|living will", "ACP"),
    (r"terminal care|dying|death", "看取り"),
    (r"budgets?|funding|allocat(ed|ion)|how much money|cost", "予算"),
    (r"subsid(y|ies|ized)|grants?", "補助"),
    (r"subsidy rates?|rate of subsidy|share covered|co-?pay|ratio", "補助率"),
    (r"caps?|ceiling|upper limit|maximum|limit", "上限"),
    (r"base amount|standard amount", "基準額"),
    (r"eligib(le|ility)|who can|target(s|ed)?|for whom", "対象"),
    (r"period|duration|how long|when|until", "実施期間"),
    (r"commission(ed)?|outsourc(ed|ing)|contract(ed)?", "委託"),
    (r"municipalit(y|ies)|wards?|cities|city|local governments?", "区市町村"),
    (r"new(ly)?", "新規"),
    (r"surveys?|polls?|questionnaire", "調査 世論調査"),
    (r"burden|strain", "負担"),
    (r"long-term care|care workers?|care managers?", "介護"),
    (r"24[- ]hours?|round[- ]the[- ]clock", "24時間"),
    (r"council|conference|meetings?|committee", "会議 部会"),
    (r"wide[- ]area|regional", "広域"),
    (r"human resources|workforce|staff(ing)?|personnel", "人材"),
    (r"enter(ing)?|entry|participat(e|ion)", "参入"),
    (r"equipment|devices?", "機器"),
    (r"small(er)? hospitals?|fewer than 200 beds|under 200 beds", "200床未満"),
    (r"information sharing|share information", "情報共有"),
    (r"collaborat(e|ion)|cooperat(e|ion)|coordinat(e|ion)|link(age)?", "連携"),
    (r"multi-?disciplinary|interprofessional", "多職種"),
    (r"sudden (change|deterioration)|emergency response", "急変"),
    (r"consultation|hotline|helpline|counsel(l)?ing", "相談窓口"),
    (r"lawyers?|legal", "法律相談"),
    (r"promot(e|ion|ing)", "推進"),
)
_COMPILED = tuple((re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), terms) for pattern, terms in GLOSSARY)
_LATIN = re.compile(r"[A-Za-z]{3,}")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def is_english(text: str) -> bool:
    """True for a question written mostly in Latin letters."""
    latin = sum(len(m) for m in _LATIN.findall(text))
    return latin > 0 and latin >= 2 * len(_JAPANESE.findall(text))


def japanese_terms(text: str) -> list[str]:
    """Japanese glossary terms for the English words of ``text``, in order, once each."""
    terms: list[str] = []
    for pattern, japanese in _COMPILED:
        if pattern.search(text):
            terms.extend(t for t in japanese.split() if t not in terms)
    return terms


def expand(text: str) -> str:
    """An English question followed by its Japanese glossary terms; Japanese is unchanged."""
    if not is_english(text):
        return text
    terms = japanese_terms(text)
    return f"{text} {' '.join(terms)}" if terms else text
