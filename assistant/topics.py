"""Topics: what a question is about — its topic terms, and the topic nouns the documents never use.

Topic terms drive relevance; the unknown nouns drive the "not in these documents"
decision, after the glossary or synonyms have mapped everyday words onto the documents' own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .glossary import covered_words, japanese_terms, strip_synonyms, synonym_terms
from .intents import is_intent_word
from .lexicon import EN_GENERIC, GENERIC
from .normalize import normalize
from .question import Query
from .tokenize import Tokenizer


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


class TopicReader:
    """Reads a question's topic against one corpus's vocabulary and text."""

    def __init__(self, tokenizer: Tokenizer, vocab: set[str], corpus_text: str):
        self.tokenizer = tokenizer
        self.vocab = vocab
        self.corpus_text = corpus_text

    def __call__(self, q: Query) -> tuple[tuple[str, ...], tuple[str, ...]]:
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

@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (a dependency of sentence-transformers, loaded once)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)

def _synonym_source(term: str) -> bool:
    """A word the synonym table maps onto the documents' words (子供 → 小児)."""
    return bool(synonym_terms(term))
