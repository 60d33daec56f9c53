"""Items: the entries a program lists, counted from the real documents (golden table)."""

from __future__ import annotations

import pytest

from assistant.items import list_items


@pytest.mark.parametrize("program_id,question,what,lines", [
    # the heading the question names, items until the next heading; a (…) line continues the item above
    ("fy2025/区市町村在宅療養推進事業", "補助メニューはいくつ？", "補助メニュー", [121, 123, 126, 128]),
    ("fy2025/区市町村在宅療養推進事業", "取組例は何個？", "取組例", [132, 133, 134, 135]),
    ("fy2025/区市町村在宅療養推進事業", "How many examples are listed?", "取組例", [132, 133, 134, 135]),
    # no such heading: the entry's own bullets — indented "-" items, or ○ items (several on one line)
    ("fy2025/区市町村在宅療養推進事業", "内訳はいくつ？", "items", [12, 14, 17, 18]),
    ("fy2020/区市町村在宅療養推進事業", "○の項目はいくつ？", "items", [13, 17, 27]),
    ("fy2025/在宅療養研修事業", "項目はいくつ？", "items", [34, 34, 35, 35, 35]),
    ("fy2025/ACP推進事業", "取組はいくつ？", "items", [84, 84]),  # ①… ②… on one line
    ("fy2025/在宅医療現場におけるハラスメント対策事業/在宅医療ハラスメント相談窓口の運営", "中身は何本立て？", "items",
     [234, 238, 242]),  # (1) (2) (3)
    # 「BCPは何種類？」: the note's definitions 「機関型BCP：…」
    ("fy2025/災害時在宅医療提供体制強化事業", "BCPは何種類？", "種類", [178, 179, 180]),
])
def test_list_items(corpus, program_id, question, what, lines):
    p = corpus.passage(program_id)
    found_what, entries = list_items(list(corpus.document(p.document_id).lines), p, question)
    assert found_what == what
    assert [n for n, _ in entries] == lines
    assert all(text and not text.startswith(("-", "✓", "○")) for _, text in entries)


def test_a_program_without_a_list_has_no_items(corpus):
    p = corpus.passage("fy2025/在宅医療参入促進事業")
    _, entries = list_items(list(corpus.document(p.document_id).lines), p, "項目はいくつ？")
    assert entries == []
