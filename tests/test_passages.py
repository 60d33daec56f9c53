"""Program passages over the real corpus: golden tables and structure."""

from __future__ import annotations

import pytest

from assistant.passages import parse_item

# Every program that carries an amount in the two documents, with its exact amount.
BUDGETS = [
    (2025, "区市町村在宅療養推進事業", 252_777),
    (2025, "災害時在宅医療提供体制強化事業", 18_729),
    (2025, "在宅療養研修事業", 11_209),
    (2025, "在宅医療推進強化事業", 600_000),
    (2025, "東京都多職種連携ポータルサイトの運営", 19_058),
    (2025, "入退院時連携強化事業", 144_948),
    (2025, "在宅医療参入促進事業", 11_213),
    (2025, "小児等在宅医療推進研修事業", 17_220),
    (2025, "ACP推進事業", 16_884),
    (2025, "都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成", 30_000),
    (2025, "在宅医療現場におけるハラスメント対策事業", 48_633),
    (2020, "区市町村在宅療養推進事業", 620_000),
    (2020, "在宅療養に係る多職種連携連絡会の運営", 12_306),
    (2020, "在宅療養研修事業", 10_681),
    (2020, "東京都多職種連携ポータルサイト（仮称）の運営", 19_437),
    (2020, "ICTを活用した医療介護連携モデル事業", 12_586),
    (2020, "入退院時連携強化事業", 222_185),
    (2020, "在宅医療参入促進事業", 13_606),
    (2020, "小児等在宅医療推進研修事業", 5_058),
    (2020, "ACP推進事業", 20_933),
]


def _named(corpus, year, name):
    found = [p for p in corpus.passages if p.fiscal_year == year and p.name == name and not p.repeat_of]
    assert len(found) == 1, (year, name, [p.id for p in found])
    return found[0]


@pytest.mark.parametrize("year,name,amount", BUDGETS)
def test_budget_golden(corpus, year, name, amount):
    assert corpus.budget(_named(corpus, year, name).id) == amount


def test_every_amount_is_in_the_golden_table(corpus):
    with_amount = {(p.fiscal_year, p.name, corpus.budget(p.id))
                   for p in corpus.passages if corpus.budget(p.id) is not None}
    assert with_amount == set(BUDGETS)


def test_totals_never_count_repeats_twice(corpus):
    assert corpus.total(2025) == sum(a for y, _, a in BUDGETS if y == 2025) == 1_170_671
    assert corpus.total(2020) == sum(a for y, _, a in BUDGETS if y == 2020) == 936_792


@pytest.mark.parametrize("year,name,parent", [
    (2025, "在宅療養患者家族支援事業", "区市町村在宅療養推進事業"),
    (2025, "小児等在宅医療推進事業", "区市町村在宅療養推進事業"),
    (2025, "入退院時連携支援事業", "入退院時連携強化事業"),
    (2025, "入退院時連携強化研修", "入退院時連携強化事業"),
    (2025, "防犯機器等導入支援", "在宅医療現場におけるハラスメント対策事業"),
    (2025, "在宅医療ハラスメント相談窓口の運営", "在宅医療現場におけるハラスメント対策事業"),
    (2020, "入退院時連携支援事業", "入退院時連携強化事業"),
    (2020, "入退院時連携強化研修", "入退院時連携強化事業"),
    (2020, "小児等在宅療養推進事業", "区市町村在宅療養推進事業"),
])
def test_sub_programs_link_to_parent(corpus, year, name, parent):
    child = next(p for p in corpus.passages if p.fiscal_year == year and p.name == name and p.parent_id)
    assert corpus.passage(child.parent_id).name == parent
    assert child.id.startswith(child.parent_id + "/")


@pytest.mark.parametrize("year,name,flags", [
    (2025, "在宅療養患者家族支援事業", ("新規",)),
    (2025, "災害時在宅医療提供体制強化事業", ("新規",)),
    (2025, "都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成", ("新規", "大学提案採択事業")),
    (2025, "防犯機器等導入支援", ("新規",)),
    (2020, "ICTを活用した医療介護連携モデル事業", ("新規",)),
    (2025, "ACP推進事業", ()),
])
def test_flags(corpus, year, name, flags):
    assert next(p for p in corpus.passages if p.fiscal_year == year and p.name == name).flags == flags


@pytest.mark.parametrize("year,name,count,original", [
    (2025, "在宅療養研修事業", 2, "fy2025/在宅療養研修事業"),
    (2025, "小児等在宅医療推進事業", 1, "fy2025/区市町村在宅療養推進事業/小児等在宅医療推進事業"),
    (2020, "在宅療養研修事業", 2, "fy2020/在宅療養研修事業"),  # repeated with no 再掲 mark
])
def test_repeats_link_to_the_original(corpus, year, name, count, original):
    repeats = [p for p in corpus.passages if p.fiscal_year == year and p.name == name and p.repeat_of]
    assert len(repeats) == count
    assert {p.repeat_of for p in repeats} == {original}
    assert all(corpus.budget(p.id) is None for p in repeats)


@pytest.mark.parametrize("program,lines,contains", [
    # Detail pages are merged into the program they describe: by title, by title
    # and sub-program, and (the ACP page has no title) by its amount.
    ("fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", (94, 143), "70.7% 家族に負担をかける"),
    ("fy2025/災害時在宅医療提供体制強化事業", (145, 182), "令和7年度～令和9年度"),
    ("fy2025/都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成", (186, 219), "Web情報室"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業", (221, 256), "防犯ブザー"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援", (246, 256), "1医療機関当たり上限100千円"),
])
def test_detail_pages_attach(corpus, program, lines, contains):
    passage = corpus.passage(program)
    assert lines in passage.spans
    assert contains in passage.text


def test_no_orphan_detail_lines(corpus):
    """Every non-blank line after the overview belongs to some program."""
    doc = corpus.document("fy2025")
    covered = {n for p in corpus.passages if p.document_id == "fy2025" for s, e in p.spans for n in range(s, e + 1)}
    detail = [n for n in range(94, len(doc.lines) + 1) if doc.lines[n - 1].strip()]
    assert [n for n in detail if n not in covered] == []


def test_sections_and_groups(corpus):
    p = corpus.passage("fy2025/在宅医療推進強化事業")
    assert (p.section, p.group) == ("地域における在宅療養体制の確保", "東京都医師会・地区医師会との連携")
    p = corpus.passage("fy2020/在宅療養研修事業")
    assert p.group == "東京都醫師会・地区医師会との連携"  # displayed as written
    assert corpus.passage("fy2020/ACP推進事業").section == "看取り支援に関する取組"
    assert corpus.passage("fy2025/東京都多職種連携ポータルサイトの運営").section == "デジタル技術を活用した情報共有の充実"


def test_ids_are_stable_and_unique(corpus):
    from assistant.corpus import load_corpus

    from .conftest import CORPUS_DIR
    again = load_corpus(CORPUS_DIR)
    assert [p.id for p in again.passages] == [p.id for p in corpus.passages]
    assert len({p.id for p in corpus.passages}) == len(corpus.passages)
    assert [f.id for f in again.facts] == [f.id for f in corpus.facts]
    assert len({f.id for f in corpus.facts}) == len(corpus.facts)


def test_passage_counts(corpus):
    assert sum(p.fiscal_year == 2025 for p in corpus.passages) == 25
    assert sum(p.fiscal_year == 2020 for p in corpus.passages) == 20


@pytest.mark.parametrize("item,name,flags,has_amount", [
    ("在宅療養患者家族支援事業<新規>", "在宅療養患者家族支援事業", ["新規"], False),
    ("災害時在宅医療提供体制強化事業<新規>【18,729千円】", "災害時在宅医療提供体制強化事業", ["新規"], True),
    ("入退院時連携支援事業〈補助率：1/2または3/4〉", "入退院時連携支援事業", [], False),
    ("在宅療養研修事業<一部再掲>", "在宅療養研修事業", ["一部再掲"], False),
    ("防犯機器等導入支援（新規）", "防犯機器等導入支援", ["新規"], False),
    ("【新規】在宅療養患者家族支援事業", "在宅療養患者家族支援事業", ["新規"], False),
    ("在宅療養環境整備支援事業（医療保健政策区市町村包括補助（選択：提案型））", "在宅療養環境整備支援事業", [], False),
    ("広域連携支援・東京都地域医療構想調整会議 在宅療養ワーキンググループの開催", "広域連携支援", [], False),
    ("東京都多職種連携ポータルサイト（仮称）の運営【19,437千円】", "東京都多職種連携ポータルサイト（仮称）の運営", [], True),
    ("ＡＣＰ推進事業【１６，８８４千円】", "ＡＣＰ推進事業", [], True),
])
def test_parse_item(item, name, flags, has_amount):
    from assistant.normalize import fold
    got = parse_item(item, fold(item))
    assert (got[0], got[2], got[3]) == (name, flags, has_amount)
