"""Render: figures and labels as users read them, in Japanese or English.

Every number this module writes that is not copied from a fact is returned as
a ``Derived`` record (what it was computed from and how), so the grounding
check can recompute it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import canonical


@dataclass(frozen=True)
class Derived:
    """A number computed from cited figures: a difference, a percentage, a 万円 reading…"""

    kind: str  # sum | average | difference | percent | count | yen | western_year | scaled
    value: str
    inputs: tuple[str, ...]  # the figures (as written) or ids it was computed from


def yen_reading(thousand: int, english: bool) -> tuple[str, list[Derived]]:
    """「約1,688万円」 / "about ¥16.9 million" for an amount in 千円."""
    yen = thousand * 1000
    src = (f"{thousand}",)
    if english:
        if yen >= 1_000_000_000:
            value = f"{yen / 1e9:.2f}"
            return f"about ¥{value} billion", [Derived("yen", value, src)]
        value = f"{yen / 1e6:.1f}"
        return f"about ¥{value} million", [Derived("yen", value, src)]
    if yen >= 100_000_000:
        oku, rest = divmod(yen, 100_000_000)
        man = round(rest / 10_000)
        if man == 10_000:
            oku, man = oku + 1, 0
        derived = [Derived("yen", str(oku), src)]
        if man:
            derived.append(Derived("yen", str(man), src))
            return f"約{oku}億{man:,}万円", derived
        return f"約{oku}億円", derived
    man = round(yen / 10_000)
    return f"約{man:,}万円", [Derived("yen", str(man), src)]


def amount_text(thousand: int, english: bool) -> tuple[str, list[Derived]]:
    """「16,884千円（約1,688万円）」 / "16,884 thousand yen (about ¥16.9 million)"."""
    reading, derived = yen_reading(thousand, english)
    if english:
        return f"{thousand:,} thousand yen ({reading})", derived
    return f"{thousand:,}千円（{reading}）", derived


def change_text(new: int, old: int, english: bool, times: bool = False) -> tuple[str, list[Derived]]:
    """The difference between two amounts and its percentage, both recorded as derived.

    ``times`` (「何倍」, "how many times") adds the ratio of the new amount to the old, also derived.
    """
    text, derived = _change_text(new, old, english)
    if times and old:
        ratio = f"{new / old:.2f}"
        derived.append(Derived("ratio", ratio, (str(new), str(old))))
        text += f" (×{ratio})" if english else f"、{ratio}倍"
    return text, derived


def _change_text(new: int, old: int, english: bool) -> tuple[str, list[Derived]]:
    diff = new - old
    inputs = (str(new), str(old))
    derived = [Derived("difference", str(abs(diff)), inputs)]
    if old:
        pct = f"{abs(diff) / old * 100:.1f}"
        derived.append(Derived("percent", pct, inputs))
    else:
        pct = ""
    if english:
        word = "an increase" if diff > 0 else "a decrease" if diff < 0 else "no change"
        if diff == 0:
            return "no change", derived
        return f"{word} of {abs(diff):,} thousand yen ({'+' if diff > 0 else '-'}{pct}%)", derived
    if diff == 0:
        return "増減なし", derived
    word = "増加" if diff > 0 else "減少"
    return f"{abs(diff):,}千円の{word}（{'+' if diff > 0 else '-'}{pct}%）", derived


_ERA_YEAR = re.compile(r"(令和|R)(\d{1,2})(年度|年)?")


def with_western_years(text: str) -> tuple[str, list[Derived]]:
    """Add the western year after each 令和N年度 / RN: 「令和9年度（2027年度）」."""
    derived: list[Derived] = []

    def add(m: re.Match) -> str:
        year = 2018 + int(m[2])
        derived.append(Derived("western_year", str(year), (m[2],)))
        return f"{m[0]}（{year}年{'度' if m[3] == '年度' else ''}）"

    return _ERA_YEAR.sub(add, text), derived


# Japanese words of targets, flags and methods → English glosses for English answers.
GLOSS: tuple[tuple[str, str], ...] = (
    ("家族に負担をかける", "it would be a burden on the family"),
    ("急変時の対応が不安", "worried about what to do if the condition suddenly changes"),
    ("在宅療養地域リーダー", "local home care leaders"),
    ("シンポジウム", "symposium"),
    ("理解促進研修", "awareness training"),
    ("病診連携", "hospital-clinic collaboration"),
    ("協働学習", "collaborative learning"),
    ("Web情報室", "web information room"),
    ("Webサイト", "website"),
    ("実態調査", "fact-finding survey"),
    ("普及啓発", "public awareness"),
    ("看取り", "end-of-life care"),
    ("人口25,000人当たり", "per 25,000 population"),
    ("多職種連携連絡会", "multi-professional liaison council"),
    ("ポータルサイト", "portal website"),
    ("情報共有", "information sharing"),
    ("人件費", "staff costs"),
    ("入退院支援", "admission and discharge support"),
    ("災害", "disaster"),
    ("患者", "patients"),
    ("困難", "difficult"),
    ("200床未満の病院", "hospitals with fewer than 200 beds"),
    ("訪問看護ステーション", "home-visit nursing stations"),
    ("居宅介護支援事業所", "in-home care support offices"),
    ("地域包括支援センター", "community comprehensive support centers"),
    ("区市町村在宅療養支援窓口", "municipal home care support desks"),
    ("介護老人保健施設", "long-term care health facilities"),
    ("訪問歯科診療", "home-visit dental care"),
    ("歯科診療所", "dental clinics"),
    ("訪問診療", "home-visit medical care"),
    ("中小病院", "small and medium hospitals"),
    ("診療所", "clinics"),
    ("病院", "hospitals"),
    ("防犯ボタン付き携帯電話", "mobile phones with panic buttons"),
    ("防犯ブザー", "security buzzers"),
    ("防犯機器", "security equipment"),
    ("自家発電装置", "private power generators"),
    ("看護師", "nurses"),
    ("医師", "doctors"),
    ("弁護士", "lawyers"),
    ("ボランティア", "volunteers"),
    ("電話相談", "telephone consultation"),
    ("法律相談", "legal consultation"),
    ("相談窓口", "consultation desk"),
    ("研修", "training"),
    ("セミナー", "seminars"),
    ("モデル事業", "model projects"),
    ("委託", "commissioned to an outside body"),
    ("包括補助", "block grant"),
    ("基金", "fund"),
    ("連携モデル", "coordination model"),
    ("普及啓発", "public awareness"),
    ("提案型", "proposal type"),
    ("政策誘導型", "policy-guidance type"),
    ("大学提案採択事業", "adopted from a university proposal"),
    ("新規", "new"),
    ("再掲", "listed again"),
    ("区市町村", "municipalities"),
    ("医療・介護職", "medical and care professionals"),
    ("医療・介護関係者", "medical and care professionals"),
    ("家族", "families"),
    ("世論調査", "public opinion survey"),
    ("東京都政策企画局", "Tokyo Metropolitan Government, Policy Planning Bureau"),
    ("4年目以降", "from the 4th year"),
    ("開始から3年間", "for the first 3 years"),
    ("24時間診療体制", "24-hour care system"),
    ("オンライン", "online"),
    ("BCP", "business continuity plan"),
    ("多職種多機関", "multiple professions and institutions"),
    ("同業・類似事業者間", "between similar providers"),
    ("地域医療構想調整会議", "regional medical care vision coordination meeting"),
    ("ワーキンググループ", "working group"),
    ("推進部会", "promotion subcommittee"),
    ("部会", "subcommittee"),
    ("連絡会", "liaison meeting"),
    ("手順書", "step-by-step manual"),
    ("中間のまとめ", "interim summary"),
    ("実践力", "practical skills"),
    ("人材", "personnel"),
    ("参入", "entry into home care"),
    ("相互研修", "mutual training"),
    ("就労との両立", "balancing work and care"),
    ("仕事とケアの両立", "balancing work and care"),
    ("離職", "leaving their jobs"),
    ("負担", "burden"),
    ("悩みを共有", "sharing worries"),
    ("服薬補助", "help with medication"),
    ("急変時の付き添い", "accompanying in sudden changes"),
    ("代行", "taking over care"),
    ("派遣", "dispatch"),
    ("ハンドブック", "handbook"),
    ("病院救急車", "hospital ambulances"),
    ("搬送体制", "transport arrangements"),
    ("後方支援病床", "backup beds"),
    ("講演会", "lectures"),
    ("初度整備", "initial purchase"),
    ("利用者や家族", "patients and their families"),
    ("患者やその家族", "patients and their families"),
)


def gloss(text: str) -> str:
    """English glosses of the Japanese terms in ``text`` ("" when none), longest terms first."""
    found: list[str] = []
    rest = canonical(text)
    for ja, en in GLOSS:
        key = canonical(ja)
        if key in rest:
            rest = rest.replace(key, " ")
            if en not in found:
                found.append(en)
    return "; ".join(found)


def glossed(text: str, english: bool) -> str:
    """The Japanese text, followed by its English gloss for English readers."""
    if not english:
        return text
    g = gloss(text)
    return f"{text} ({g})" if g else text


def numbers_in(text: str) -> list[str]:
    """Numbers as written in a text, commas removed (「1/2」 gives 1 and 2)."""
    return [n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", canonical(text))]
