"""Dispatch: route a parsed question to the handler of its intent and aggregation.
"""

from __future__ import annotations

import re

from .changes import change, extreme
from .counts import count, count_items, total
from .describe import BACKGROUND, content
from .intents import COVERAGE
from .items import ITEM_CUE, LIST_CUE
from .pairs import compared, count_compared
from .pick import ALONE, focus, ood, unknown_program
from .rates import asks_by_rate, by_rate
from .retrieve import link_name
from .single import facts_answer, figures, quoted_figures
from .themes import amounts_of, new, theme, topic_nouns
from .views import DETAIL_INTENTS, INTENT_KINDS, Args, plural


def dispatch(a: Args, intents: set[str]) -> None:
    """Route a question to its handler; questions over sets of programs go to ``aggregates``."""
    detail = intents & set(DETAIL_INTENTS)
    if (quoted := quoted_figures(a)):
        return figures(a, quoted)
    if not a.named and not a.ctx and not a.scope and ood(a):
        a.d.kind = a.q.primary
        return a.d.abstain()
    if COVERAGE.search(a.q.text) and a.unknown:
        a.d.kind = "target"
        return a.d.abstain("（その品目・対象は資料に挙げられていません）" if not a.q.english
                           else "(that item or target is not listed in them)")
    if not a.named and (unknown := unknown_program(a)):
        a.d.kind = a.q.primary
        return a.d.abstain(f"資料に「{unknown}」という事業は見当たりません。" if not a.q.english
                           else f"No program called 「{unknown}」 appears in them.")
    if not a.named and not a.ctx and ("theme" in intents or plural(a.q) or a.q.superlative) \
            and "total" not in intents and not topic_nouns(a) and (pairs := compared(a)) is not None:
        return count_compared(a, pairs)  # 「両年度で予算が増えた事業はどれ？」
    if a.ctx and len(a.ctx) > 1 and "amount" in intents and not a.named and plural(a.q):
        return amounts_of(a, a.ctx)  # 「そのうち金額が出ているのはどれ？」 over the programs just listed
    if (rate := asks_by_rate(a)) is not None:
        return by_rate(a, rate)  # 「補助率1/2の事業はどれ？」
    # 「補助率が書かれている事業・メニューはいくつ？」 counts programs by a stated fact, not one program's menus.
    by_fact = not a.named and re.search(r"(補助率|対象|期間|基準額|上限)(が|の)?(書かれ|示され|記載|ある|明記)"
                                        r"|with (a )?(stated|written) (subsidy )?(rate|target|period|cap)"
                                        r"|(state|states|stating|give|gives|list|lists|show|shows) (a |an |their |its )?"
                                        r"(subsidy rate|rate|target|period|cap)", a.q.text, re.I)
    if by_fact and not a.ctx and "count" not in intents and ("theme" in intents or plural(a.q)):
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
    if not a.named and not a.ctx and ("theme" in intents or (a.scope and plural(a.q))) and not single_fact - {"amount"} \
            and not re.search(r"例|examples?", a.q.text, re.IGNORECASE):  # 「…の例は？」 asks for content
        if "amount" not in intents or plural(a.q):
            return theme(a)
    programs = focus(a)
    if programs is None:
        return
    if single_fact:
        return facts_answer(a, programs, [i for i in a.q.intents if i in single_fact] or sorted(single_fact),
                            both_years="change" in intents or len(a.years) > 1)
    return content(a, programs)


MENUS = re.compile(r"メニュー|\bmenus?\b", re.IGNORECASE)
