"""Text normalization for matching: width folding, old-form kanji, whitespace.

Two forms are offered. ``fold`` maps character by character so that the folded
string has exactly the same length as the original: parsers match patterns on
the folded line and slice the *original* line at the same offsets, so what a
user sees is always the document's own text. ``normalize`` is the looser form
used for search keys (NFKC of the whole string, lower case, spaces removed).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Old (旧字体) or variant forms seen in Japanese government PDFs, mapped to the
# forms the rest of the corpus uses. 醫 occurs in the FY2020 document.
VARIANTS = {
    "醫": "医", "會": "会", "國": "国", "區": "区", "縣": "県", "體": "体",
    "學": "学", "廣": "広", "濱": "浜", "邊": "辺", "邉": "辺", "齋": "斎",
    "齊": "斉", "髙": "高", "﨑": "崎", "德": "徳", "與": "与", "藥": "薬",
    "圖": "図", "號": "号", "豫": "予", "豐": "豊", "樂": "楽", "發": "発",
    "劑": "剤", "當": "当", "將": "将", "寫": "写", "價": "価", "險": "険",
    "勞": "労", "禮": "礼", "戰": "戦", "爲": "為", "經": "経",
    "擔": "担", "對": "対", "續": "続", "聯": "連", "黑": "黒", "檢": "検",
    "圓": "円", "萬": "万", "壹": "一", "貳": "二", "參": "三",
    # Dashes and tildes that PDF extraction produces interchangeably.
    "〜": "~", "～": "~", "−": "-", "‐": "-", "―": "-", "─": "-",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in VARIANTS:
        return VARIANTS[ch]
    folded = unicodedata.normalize("NFKC", ch)
    # Keep the original where NFKC would change the length (e.g. ㈱ → (株)),
    # so offsets in the folded string stay valid in the original.
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Fold width and variant characters one for one; ``len(fold(s)) == len(s)``."""
    return "".join(_fold_char(ch) for ch in text)


_SPACES = re.compile(r"\s+")


def canonical(text: str) -> str:
    """NFKC and variant kanji, white space kept (the input of the tokenizer)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(VARIANTS.get(ch, ch) for ch in text)


def normalize(text: str) -> str:
    """Normalize for matching: NFKC, variant kanji, lower case, no white space."""
    return _SPACES.sub("", canonical(text)).lower()
