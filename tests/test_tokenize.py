"""Sudachi tokenization golden table."""

from __future__ import annotations

import pytest

from assistant.tokenize import Tokenizer

TOKENIZER = Tokenizer()


@pytest.mark.parametrize("text,terms", [
    ("家族を支援する事業は？", ["家族", "支援", "事業"]),
    # Compounds: the mode C word and its mode A parts.
    ("医療機関における入退院支援", ["医療機関", "医療", "機関", "入退院", "支援"]),
    # 醫 folds to 医 before Sudachi sees it.
    ("東京都醫師会と連携した研修", ["東京都", "東京", "都", "医師会", "医師", "会", "連携", "研修"]),
    ("ACP推進事業の予算は？", ["acp", "推進", "事業", "予算"]),
    ("〈補助率：１／２〉", ["補助", "率", "1", "2"]),
    ("ＡＣＰ", ["acp"]),
    ("", []),
    ("。、？！「」", []),
])
def test_terms(text, terms):
    assert TOKENIZER.terms(text) == terms


def test_english_does_not_crash_and_drops_function_words():
    terms = TOKENIZER.terms("Which programs support the families?")
    assert "which" not in terms and "the" not in terms
    assert "families" in terms


def test_long_text_is_chunked():
    text = "在宅療養の推進。" * 20000  # well past Sudachi's input limit
    assert len(TOKENIZER.terms(text)) >= 20000


@pytest.mark.parametrize("text,nouns", [
    ("家族を支援する事業は？", ["家族", "支援", "事業"]),
    # adverb-like nouns say how much or when, never what about
    ("それぞれの事業の予算は全部でいくら？", ["事業", "予算"]),
    ("今回と前回の研修", ["研修"]),
    # numerals are no topic either
    ("3つの事業", ["事業"]),
])
def test_topic_nouns(text, nouns):
    assert TOKENIZER.nouns(text) == nouns
