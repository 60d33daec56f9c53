"""Normalization golden table."""

from __future__ import annotations

import pytest

from assistant.normalize import fold, normalize


@pytest.mark.parametrize("text,folded", [
    ("【２５２，７７７千円】", "【252,777千円】"),
    ("〈補助率：１／２〉", "〈補助率:1/2〉"),
    ("東京都醫師会", "東京都医師会"),
    ("令和7年度～令和9年度", "令和7年度~令和9年度"),
    ("ﾎﾟｰﾀﾙ", "ホ\u309aータル"),  # one for one: the sound mark stays a combining character
    ("①都民", "1都民"),
    ("㈱", "㈱"),  # NFKC would lengthen it; kept so offsets stay valid
])
def test_fold(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("text,normalized", [
    ("東京都多職種連携ポータルサイト（仮称）の運営", "東京都多職種連携ポータルサイト(仮称)の運営"),
    ("ＡＣＰ 推進　事業", "acp推進事業"),
    ("ﾎﾟｰﾀﾙ", "ポータル"),
    ("東京都醫師会", "東京都医師会"),
])
def test_normalize(text, normalized):
    assert normalize(text) == normalized
