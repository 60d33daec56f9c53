"""Tokenize Japanese text with Sudachi into BM25 terms.

Terms are Sudachi's normalized forms of content words (particles, auxiliaries,
symbols and a few light verbs dropped). Compounds give recall at two grains:
the mode C word (医療機関) and its mode A parts (医療, 機関), so a question
written with either finds the other.
"""

from __future__ import annotations

from functools import cached_property

from .normalize import canonical

# Parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
DROP_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "接続詞", "感動詞", "連体詞"}
# Light words that occur in almost every question or program line.
STOPWORDS = {
    "為る", "有る", "居る", "成る", "れる", "られる", "こと", "もの", "ため", "等", "など",
    "よう", "何", "どう", "どんな", "いくら", "幾ら", "教える", "知る", "ある", "いる", "する",
    "なる", "ない", "です", "ます", "おく", "於く", "the", "a", "an", "of", "for", "and", "or", "to", "in",
    "is", "are", "what", "which", "how", "much", "many", "does", "do", "it", "its", "be",
}
# Sudachi refuses inputs over about 49,000 bytes; passages are cut into lines first.
_MAX_CHARS = 4000


class Tokenizer:
    """Sudachi (core dictionary) tokenizer producing BM25 terms; loads lazily."""

    @cached_property
    def _sudachi(self):
        from sudachipy import Dictionary, SplitMode

        self._mode_a = SplitMode.A
        return Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def terms(self, text: str) -> list[str]:
        """Content-word terms of ``text``: mode C words plus their mode A parts."""
        sudachi = self._sudachi
        out: list[str] = []
        for chunk in _chunks(canonical(text)):
            for m in sudachi.tokenize(chunk):
                if not self._content(m):
                    continue
                out.append(m.normalized_form().lower())
                parts = m.split(self._mode_a)
                if len(parts) > 1:
                    out.extend(p.normalized_form().lower() for p in parts if self._content(p))
        return out

    def nouns(self, text: str) -> list[str]:
        """Normalized nouns of ``text`` (mode C and their mode A parts): the words that carry a topic.

        Numerals and adverb-like nouns (全部, それぞれ, 今回, 毎年) are left out: they say how
        much or when, never what about.
        """
        out: list[str] = []
        for chunk in _chunks(canonical(text)):
            for m in self._sudachi.tokenize(chunk):
                if _topical(m) and self._content(m):
                    out.append(m.normalized_form().lower())
                    parts = m.split(self._mode_a)
                    if len(parts) > 1:
                        out.extend(p.normalized_form().lower() for p in parts if _topical(p) and self._content(p))
        return out

    @staticmethod
    def _content(m) -> bool:
        pos = m.part_of_speech()
        if pos[0] in DROP_POS or (pos[0] == "動詞" and pos[1] == "非自立可能"):
            return False
        form = m.normalized_form().lower()
        return bool(form.strip()) and form not in STOPWORDS and m.surface().lower() not in STOPWORDS


def _topical(m) -> bool:
    pos = m.part_of_speech()
    return pos[0] == "名詞" and pos[1] != "数詞" and pos[2] != "副詞可能"


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    for line in text.split("\n"):
        while len(line) > _MAX_CHARS:
            chunks.append(line[:_MAX_CHARS])
            line = line[_MAX_CHARS:]
        if line.strip():
            chunks.append(line)
    return chunks
