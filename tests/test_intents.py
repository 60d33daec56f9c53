"""The intents file: every example parses with its intent, every counter-example without it; bad files refused."""

from __future__ import annotations

import pytest

from assistant.intents import FIXUPS, INTENTS, read_intents
from assistant.lexicon import LexiconError, read_words, words
from assistant.question import parse

CASES = [(i.name, q, True) for i in INTENTS for q in i.examples] + [(i.name, q, False) for i in INTENTS for q in i.counter]


@pytest.mark.parametrize(("intent", "question", "expected"), CASES, ids=[f"{i}:{q}" for i, q, _ in CASES])
def test_intent_examples(intent, question, expected):
    assert (intent in parse(question).intents) is expected


def test_every_intent_has_examples_and_counter_examples():
    assert len(INTENTS) == 14 and [i.name for i in INTENTS][:2] == ["survey", "ratio"]
    for intent in INTENTS:
        assert len(intent.examples) >= 2 and intent.counter, intent.name


def test_fixup_leads_and_drops():
    # 「…は補助される？」 with no 予算: target, ratio and cap lead, amount goes.
    assert parse("防犯ブザーの購入費用は補助される？").intents[:3] == ("target", "ratio", "cap")
    assert "amount" not in parse("防犯ブザーの購入費用は補助される？").intents
    # "Over how many years?" is a period, not a count.
    assert parse("Over how many years?").intents[0] == "period"
    assert len(FIXUPS) == 16


def _write(tmp_path, text):
    path = tmp_path / "intents.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cue_claimed_twice_is_refused(tmp_path):
    path = _write(tmp_path, '[[intent]]\nname = "a"\ncues = ["x"]\n[[intent]]\nname = "b"\ncues = ["x"]\n')
    with pytest.raises(LexiconError, match="claimed by 'a' and 'b'"):
        read_intents(path)
    shared = _write(tmp_path, '[[intent]]\nname = "a"\ncues = ["x"]\n[[intent]]\nname = "b"\nshares = ["x"]\ncues = ["x"]\n')
    assert [i.name for i in read_intents(shared)[0]] == ["a", "b"]


def test_fixup_naming_an_unknown_intent_or_pattern_is_refused(tmp_path):
    with pytest.raises(LexiconError, match="unknown intent"):
        read_intents(_write(tmp_path, '[[intent]]\nname = "a"\ncues = ["x"]\n[[fixup]]\nall = ["zzz"]\ndrop = ["a"]\n'))
    with pytest.raises(LexiconError, match="unknown pattern"):
        read_intents(_write(tmp_path, '[[intent]]\nname = "a"\ncues = ["x"]\n[[fixup]]\nmatch = "@nope"\ndrop = ["a"]\n'))
    with pytest.raises(LexiconError, match="does not compile"):
        read_intents(_write(tmp_path, '[[intent]]\nname = "a"\ncues = ["(x"]\n'))


def test_word_lists_load_and_refuse_repeats(tmp_path):
    lists = words()
    assert "予算" in lists["generic_ja"] and "budget" in lists["generic_en"] and "在宅療養" in lists["shared"]
    body = "".join(f'[{n}]\nwhy = "w"\nwords = ["a"]\n' for n in ("generic_en", "shared", "broad", "heading_stop",
                                                                   "survey_words"))
    path = tmp_path / "words.toml"
    path.write_text('[generic_ja]\nwhy = "w"\nwords = ["予算", "予算"]\n' + body, encoding="utf-8")
    with pytest.raises(LexiconError, match="lists '予算' twice"):
        read_words(path)
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"\[generic_ja\] needs"):
        read_words(path)
