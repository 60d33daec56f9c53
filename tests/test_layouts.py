"""The general structure reader on synthetic documents (tests/documents/), one per layout.

Each document was written for these tests (no public document is copied) and carries
PDF-extraction damage: amounts split over lines, a number alone on its line, two items'
names before their amounts, names continued on the next line, repeated column headers
and page footers. The golden tables give every program with its amount in yen, the
unit as written, the previous-year amount where stated, its parent and its flags.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import load_document
from assistant.layouts import counts, detect_layout, nothing_read, read_document

DOCS = Path(__file__).resolve().parent / "documents"
M = 1_000_000

# (name, yen, unit, previous yen, parent name, flags)
OUTLINE = [
    ("在宅医療推進事業", 177 * M, "百万円", None, None, ()),
    ("在宅医療連携拠点の運営支援", 45 * M, "百万円", None, "在宅医療推進事業", ()),
    ("訪問看護の推進", 32 * M, "百万円", None, "在宅医療推進事業", ()),
    ("新任訪問看護師研修", 12 * M, "百万円", None, "訪問看護の推進", ()),
    ("訪問看護ステーション経営支援", 20 * M, "百万円", None, "訪問看護の推進", ()),
    ("在宅医療に関する普及啓発", 100 * M, "百万円", None, "在宅医療推進事業", ()),
    ("在宅歯科医療推進事業", 58 * M, "百万円", None, None, ()),  # 「2」 alone on its line
    ("在宅療養支援病床確保事業", 120 * M, "百万円", None, None, ("新規",)),  # 「(120百」/「万円)」
    ("地域包括ケア推進事業", 50 * M, "百万円", None, None, ()),  # names, then both amounts
    ("看取り支援事業", 15 * M, "百万円", None, None, ("再掲",)),
    ("在宅療養人材育成事業", 85 * M, "百万円", None, None, ("拡充",)),
    ("多職種研修", 35 * M, "百万円", None, "在宅療養人材育成事業", ()),
    ("在宅医療コーディネーター養成", 50 * M, "百万円", None, "在宅療養人材育成事業", ()),  # name over two lines
    ("看取り支援事業", 15 * M, "百万円", 12 * M, None, ()),
    ("在宅医療ICT連携事業", 20_000_000, "千円", None, None, ()),
]
# Full-width digits and spaces, amounts trailing the name, one on the line after its name, a 前年度 note.
OUTLINE_FULL_WIDTH = [
    ("在宅医療推進事業", 177 * M, "百万円", None, None, ()),
    ("在宅医療連携拠点の運営", 45 * M, "百万円", None, "在宅医療推進事業", ()),
    ("訪問看護ステーションの開設支援", 32 * M, "百万円", None, "在宅医療推進事業", ("新規",)),
    ("在宅歯科医療連携室事業", 58 * M, "百万円", None, None, ()),
    ("かかりつけ医研修事業", 12 * M, "百万円", None, None, ("拡充",)),
    ("在宅療養後方支援病床確保事業", 278 * M, "百万円", 250 * M, None, ()),
    ("訪問看護師育成事業", 21 * M, "百万円", None, None, ()),
    ("介護職員たん吸引等研修事業", 12 * M, "百万円", None, None, ()),
]
PIPE = [
    ("在宅療養家族支援事業", 45_000_000, "千円", None, None, ("新規",)),
    ("訪問看護ステーション支援事業", 30_000_000, "千円", 24_000_000, None, ("拡充",)),
    ("運営費補助", 21_600_000, "千円", None, "訪問看護ステーション支援事業", ()),
    ("研修の実施", 8_400_000, "千円", None, "訪問看護ステーション支援事業", ()),
    ("在宅医療研修事業", 12_345_000, "千円", 12_000_000, None, ("継続",)),
    ("在宅医療・介護連携推進事業", 88_000_000, "千円", 90_500_000, None, ()),
    ("在宅療養普及啓発", 3_210_000, "千円", 3_000_000, None, ("継続",)),  # row broken over two lines
    ("在宅医療ICT基盤整備事業", 120_000_000, "億円", None, None, ("新規",)),  # 「1.2億円」 in a cell
]
COLUMNS = [
    ("在宅医療の推進", 420 * M, "百万円", 380 * M, None, ()),
    ("在宅医療提供体制の整備", None, "", None, "在宅医療の推進", ()),
    ("在宅医療連携推進事業", 150 * M, "百万円", 120 * M, "在宅医療提供体制の整備", ()),
    ("在宅療養支援窓口設置事業", 40 * M, "百万円", 0, "在宅医療提供体制の整備", ("新規",)),
    ("訪問歯科診療支援事業", 25 * M, "百万円", 30 * M, "在宅医療提供体制の整備", ()),  # numbers before the name
    ("在宅療養を支える人材の育成", 205 * M, "百万円", 230 * M, "在宅医療の推進", ()),
    ("訪問看護人材確保・定着支援事業", 120 * M, "百万円", 110 * M, "在宅療養を支える人材の育成", ()),  # footer between
    ("看取り支援事業", 85 * M, "百万円", 120 * M, "在宅療養を支える人材の育成", ()),  # one line
    ("在宅療養の普及啓発", 18 * M, "百万円", 20 * M, None, ()),
]


def _read(name: str, **entry):
    document = load_document(DOCS / name, {"id": "x", "fiscal_year": 2026, **entry})
    return read_document(document)


def _table(reading):
    names = {p.id: p.name for p in reading.parsed.passages}
    rows = []
    for p in reading.parsed.passages:
        budget = next((f for f in reading.facts if f.program_id == p.id and f.kind == "budget"), None)
        previous = next((f for f in reading.facts if f.program_id == p.id and f.kind == "previous_budget"), None)
        rows.append((p.name, budget.yen if budget else None, budget.unit if budget else "",
                     previous.yen if previous else None, names.get(p.parent_id), p.flags))
    return rows


@pytest.mark.parametrize("name,layout,golden", [
    ("outline_midori_r8.txt", "outline", OUTLINE),
    ("outline_fullwidth_r8.txt", "outline", OUTLINE_FULL_WIDTH),
    ("pipe_aoba_r8.txt", "pipe-table", PIPE),
    ("columns_kawabe_r8.txt", "columns", COLUMNS),
])
def test_golden_tables(name, layout, golden):
    reading = _read(name)
    assert reading.layout == layout
    assert _table(reading) == golden
    assert reading.warnings == ()


def test_amounts_keep_the_unit_as_written_and_thousand_yen():
    facts = {(f.program_id, f.kind): f for f in _read("outline_midori_r8.txt").facts}
    f = facts[("x/在宅医療推進事業", "budget")]
    assert (f.value, f.as_written, f.amount, f.yen, f.unit) == ("177百万円", "177百万円", 177_000, 177 * M, "百万円")
    f = _read("pipe_aoba_r8.txt").facts
    ict = next(x for x in f if x.program_id == "x/在宅医療ICT基盤整備事業" and x.kind == "budget")
    assert (ict.value, ict.amount, ict.condition) == ("1.2億円", 120_000, "要求額")


def test_ratios_and_caps_in_content_cells_and_lines():
    facts = _read("pipe_aoba_r8.txt").facts
    rates = [(f.program_id.split("/")[-1], f.value) for f in facts if f.kind == "subsidy_rate"]
    assert rates == [("在宅療養家族支援事業", "1/2"), ("訪問看護ステーション支援事業", "2/3"),
                     ("在宅医療・介護連携推進事業", "10/10")]
    caps = [(f.program_id.split("/")[-1], f.as_written, f.yen) for f in facts if f.kind == "cap"]
    assert caps == [("在宅療養家族支援事業", "1,500千円", 1_500_000)]
    caps = [(f.as_written, f.condition) for f in _read("outline_fullwidth_r8.txt").facts if f.kind == "cap"]
    assert caps == [("２百万円", "1か所当たり")]
    outline = _read("outline_midori_r8.txt").facts
    assert [(f.value, f.line_start) for f in outline if f.kind == "subsidy_rate"] == [("1/2", 9), ("2/3", 13)]
    assert [(f.as_written, f.line_start) for f in outline if f.kind == "cap"] == [("3百万円", 13)]


def test_repeat_links_to_the_original_listed_later():
    passages = {p.name + ("*" if p.repeat_of else ""): p for p in _read("outline_midori_r8.txt").parsed.passages}
    assert passages["看取り支援事業*"].repeat_of == passages["看取り支援事業"].id


def test_column_order_is_read_from_the_header(tmp_path):
    text = "令和8年度 予算\n単位:百万円\n区分\n前年度\n当年度\n増減\n1 A事業\n10\n12\n2\n"
    (tmp_path / "swap.txt").write_text(text, encoding="utf-8")
    document = load_document(tmp_path / "swap.txt", {"id": "s", "fiscal_year": 2026})
    reading = read_document(document)
    assert [(f.kind, f.yen) for f in reading.facts] == [("budget", 12 * M), ("previous_budget", 10 * M)]


def test_bare_numbers_without_a_legend_are_not_amounts(tmp_path):
    text = ("令和8年度 事業一覧\n| No | 事業名 | 要求額 |\n|---|---|---|\n| 1 | 在宅療養A事業 | 45,000 |\n"
            "| 2 | 在宅療養B事業 | 12千円 |\n")
    (tmp_path / "nounit.txt").write_text(text, encoding="utf-8")
    reading = read_document(load_document(tmp_path / "nounit.txt", {"id": "n", "fiscal_year": 2026}))
    assert [(f.program_id, f.yen, f.unit) for f in reading.facts if f.kind == "budget"] == [("n/在宅療養B事業", 12_000, "千円")]
    assert reading.warnings == ("line 4: 「45,000」 (要求額) of 「在宅療養A事業」 has no unit "
                                "(no 単位 legend or unit in the header); not read as an amount",)


def test_header_cell_unit_applies_to_bare_numbers(tmp_path):
    text = "| 事業名 | 予算額(百万円) |\n|---|---|\n| 在宅療養C事業 | 7 |\n"
    (tmp_path / "head.txt").write_text(text, encoding="utf-8")
    reading = read_document(load_document(tmp_path / "head.txt", {"id": "h", "fiscal_year": 2026}))
    assert [(f.yen, f.unit, f.as_written) for f in reading.facts] == [(7 * M, "百万円", "7百万円")]


def test_outline_total_that_does_not_add_up_is_a_warning(tmp_path):
    text = "令和8年度\nⅠ 在宅医療(3億円)\n1 A事業(100百万円)\n2 B事業(150百万円)\n"
    (tmp_path / "total.txt").write_text(text, encoding="utf-8")
    reading = read_document(load_document(tmp_path / "total.txt", {"id": "t", "fiscal_year": 2026}))
    assert reading.warnings == ("line 2: the total of 「在宅医療」 (3億円) is not the sum of its programs "
                                "(2.5億円); some amounts may be misread",)


def test_seeds_keep_the_seed_parser(corpus):
    for document in corpus.documents:
        assert detect_layout(document.lines) == "seed"
    assert {(c.document_id, c.layout, c.programs) for c in corpus.counts} == {
        ("fy2025", "seed", 16), ("fy2020", "seed", 12)}


def test_seed_money_facts_gain_yen_and_unit(corpus):
    f = next(f for f in corpus.facts if f.program_id == "fy2025/ACP推進事業" and f.kind == "budget")
    assert (f.amount, f.yen, f.unit, f.as_written) == (16_884, 16_884_000, "千円", "16,884千円")


def test_nothing_read_names_the_file_and_what_was_looked_for(tmp_path):
    (tmp_path / "prose.txt").write_text("令和8年度の取組について\n在宅医療を進めます。\n", encoding="utf-8")
    reading = read_document(load_document(tmp_path / "prose.txt", {"id": "p", "fiscal_year": 2026}))
    message = nothing_read(counts(reading), "prose.txt")
    assert message.startswith("prose.txt: no program with an amount or a subsidy ratio could be read (looked for:")
    assert "要求額/予算額" in message and "当年度/前年度" in message


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-8-sig"])
def test_encodings_read_identically(tmp_path, encoding):
    text = (DOCS / "pipe_aoba_r8.txt").read_text(encoding="utf-8")
    (tmp_path / "enc.txt").write_bytes(text.encode(encoding))
    reading = read_document(load_document(tmp_path / "enc.txt", {"id": "x", "fiscal_year": 2026}))
    assert _table(reading) == PIPE


def _read_text(tmp_path, text: str, year: int = 2026):
    (tmp_path / "v.txt").write_text(text, encoding="utf-8")
    reading = read_document(load_document(tmp_path / "v.txt", {"id": "v", "fiscal_year": year}))
    budgets = {f.program_id: f for f in reading.facts if f.kind == "budget"}
    previous = {f.program_id: f for f in reading.facts if f.kind == "previous_budget"}
    return reading.layout, [(p.name, budgets[p.id].as_written if p.id in budgets else None,
                             budgets[p.id].yen if p.id in budgets else None,
                             previous[p.id].yen if p.id in previous else None) for p in reading.parsed.passages]


def test_outline_amount_forms(tmp_path):
    text = ("令和8年度 予算の概要\n(単位:千円)\n1 在宅医療推進事業 177,000\n2 在宅歯科医療推進事業：58,000千円\n"
            "3 訪問看護推進事業【32百万円】\n4 小児在宅医療支援事業（１２，５００千円）\n・在宅医療の普及を図る\n")
    assert _read_text(tmp_path, text) == ("outline", [
        ("在宅医療推進事業", "177,000千円", 177_000_000, None),
        ("在宅歯科医療推進事業", "58,000千円", 58_000_000, None),
        ("訪問看護推進事業", "32百万円", 32_000_000, None),
        ("小児在宅医療支援事業", "１２，５００千円", 12_500_000, None),
    ])


def test_year_labelled_columns_on_one_header_line(tmp_path):
    text = "令和8年度 当初予算\n単位：百万円\n事業名 R8予算額 R7予算額 増減\n1 在宅医療推進事業 150 120 30\n"
    assert _read_text(tmp_path, text) == ("columns", [("在宅医療推進事業", "150百万円", 150 * M, 120 * M)])
    # For a FY2027 document there is no current-year column: three bare numbers are not guessed at.
    assert _read_text(tmp_path, text, year=2027) == ("outline", [("在宅医療推進事業 150 120 30", None, None, None)])


def test_pipe_table_with_a_kind_column_year_headers_and_breakdown_rows(tmp_path):
    text = ("| 区分 | 事業名 | 令和8年度予算額(千円) | 令和7年度予算額(千円) | 対前年度増減 |\n|---|---|---|---|---|\n"
            "| 新規 | 在宅療養支援事業 | 10,000 | 0 | 10,000 |\n| 拡充 | 訪問看護推進事業 | 22,000 | 20,000 | 2,000 |\n"
            "|  | ・研修事業 | 2,000 | 1,000 | 1,000 |\n")
    (tmp_path / "k.txt").write_text(text, encoding="utf-8")
    reading = read_document(load_document(tmp_path / "k.txt", {"id": "k", "fiscal_year": 2026}))
    names = {p.id: p.name for p in reading.parsed.passages}
    assert [(p.name, p.flags, names.get(p.parent_id)) for p in reading.parsed.passages] == [
        ("在宅療養支援事業", ("新規",), None), ("訪問看護推進事業", ("拡充",), None),
        ("研修事業", (), "訪問看護推進事業")]
    assert [(f.kind, f.yen, f.condition) for f in reading.facts if f.program_id == "k/訪問看護推進事業"] == [
        ("budget", 22_000_000, "令和8年度予算額(千円)"), ("previous_budget", 20_000_000, "令和7年度予算額(千円)")]


_TOKENS = ["1", "(1)", "ア", "①", "Ⅰ", "■", "○", "・", "-", "|", "| 事業名 | 要求額 | 前年度 |", "|---|---|", "当年度",
           "前年度", "増(△)減", "区分", "(単位:千円)", "単位:百万円", "177百万円", "(", ")", "【新規】", "(新)", "事業",
           "在宅医療推進事業", "..百万円", "1.2億円", "△5", "45,000", "補助率:1/2", "補助上限:", "うち", "- 3 -",
           "令和8年度", "R8予算額", "R7予算額", "(再掲)", " ", "、", "1億7,700万円"]


def test_any_arrangement_of_layout_pieces_reads_without_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from assistant.documents import Document

    line = st.lists(st.sampled_from(_TOKENS), max_size=5).map("".join)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(line, min_size=1, max_size=25))
    def check(lines):
        reading = read_document(Document("f", "t", "f.txt", 2026, "令和8年度", "", "", tuple(lines), "0"))
        ids = [p.id for p in reading.parsed.passages]
        assert len(set(ids)) == len(ids)
        assert len({f.id for f in reading.facts}) == len(reading.facts)
        assert all(f.unit and f.yen is not None for f in reading.facts if f.kind in ("budget", "cap"))

    check()


def test_amount_on_the_line_after_the_name_and_split_lines_are_owned(tmp_path):
    text = "令和8年度 概要\n1 在宅医療推進事業\n  予算額 177百万円\n  前年度 150百万円\n2 在宅歯科医療\n推進事業（58百万円）\n"
    assert _read_text(tmp_path, text) == ("outline", [("在宅医療推進事業", "177百万円", 177 * M, 150 * M),
                                                      ("在宅歯科医療推進事業", "58百万円", 58 * M, None)])
    passages = {p.name: p for p in _read("outline_midori_r8.txt").parsed.passages}
    assert passages["在宅療養支援病床確保事業"].spans == ((18, 20),)  # 「(120百」 / 「万円)」 joined


def test_tab_separated_table_with_an_indented_breakdown_row(tmp_path):
    text = "令和8年度 予算\n(単位:千円)\n事業名\t要求額\t前年度予算額\n在宅療養支援事業\t10,000\t8,000\n\t・研修事業\t2,000\t1,000\n"
    assert _read_text(tmp_path, text) == ("pipe-table", [("在宅療養支援事業", "10,000千円", 10_000_000, 8_000_000),
                                                         ("研修事業", "2,000千円", 2_000_000, 1_000_000)])


@pytest.mark.parametrize("text,name,flags", [
    ("【新規】在宅療養家族支援事業", "在宅療養家族支援事業", ["新規"]),
    ("(新)在宅療養支援窓口設置事業", "在宅療養支援窓口設置事業", ["新規"]),
    ("訪問看護推進事業＜拡充＞", "訪問看護推進事業", ["拡充"]),
    ("［継続］在宅医療研修事業", "在宅医療研修事業", ["継続"]),
    ("看取り支援事業（再掲）", "看取り支援事業", ["再掲"]),
    ("新規 在宅療養支援事業", "在宅療養支援事業", ["新規"]),
    ("新規事業の検討", "新規事業の検討", []),
    ("在宅医療(仮称)推進事業", "在宅医療(仮称)推進事業", []),
])
def test_tags_in_their_several_forms(text, name, flags):
    from assistant.reader import split_tags

    assert split_tags(text) == (name, flags)


def test_total_rows_are_not_programs_and_are_checked(tmp_path):
    head = "令和8年度\n(単位:千円)\n| No | 事業名 | 予算額（千円） | 前年度 |\n|---|---|---|---|\n"
    rows = "| 1 | A事業 | 100 | 90 |\n| 2 | B事業 | 50 | 40 |\n"
    (tmp_path / "t.txt").write_text(head + rows + "|  | 合計 | 150 | 130 |\n", encoding="utf-8")
    reading = read_document(load_document(tmp_path / "t.txt", {"id": "t", "fiscal_year": 2026}))
    assert [p.name for p in reading.parsed.passages] == ["A事業", "B事業"] and reading.warnings == ()
    (tmp_path / "t.txt").write_text(head + rows + "|  | 合計 | 160 | 130 |\n", encoding="utf-8")
    reading = read_document(load_document(tmp_path / "t.txt", {"id": "t", "fiscal_year": 2026}))
    assert reading.warnings == ("line 7: 「合計」 160千円 is not the sum of the programs above (150千円); "
                                "some amounts may be misread",)


def test_two_items_side_by_side_on_one_line(tmp_path):
    text = "令和8年度\n1 在宅医療推進事業(177百万円)　　2 在宅歯科医療推進事業(58百万円)\n3 看取り支援事業(15百万円)\n"
    assert _read_text(tmp_path, text) == ("outline", [("在宅医療推進事業", "177百万円", 177 * M, None),
                                                      ("在宅歯科医療推進事業", "58百万円", 58 * M, None),
                                                      ("看取り支援事業", "15百万円", 15 * M, None)])
