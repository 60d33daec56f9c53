"""Facts over the real corpus: every subsidy ratio, caps, targets, periods, surveys."""

from __future__ import annotations

import pytest

from assistant.facts import rate_clauses

# Every subsidy ratio stated in both documents: (program id, ratio, condition, line).
RATES = [
    ("fy2025/区市町村在宅療養推進事業", "10/10", "", 10),
    ("fy2025/区市町村在宅療養推進事業", "1/2", "4年目以降", 10),
    ("fy2025/在宅療養環境整備支援事業", "1/2", "", 21),
    ("fy2025/在宅人工呼吸器使用者療養支援事業", "1/2", "", 25),
    ("fy2025/在宅医療推進強化事業", "10/10", "地域における24時間診療体制の構築の推進", 37),
    ("fy2025/入退院時連携強化事業/入退院時連携支援事業", "1/2または3/4", "", 59),
    ("fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", "10/10", "開始から3年間", 141),
    ("fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", "1/2", "4年目以降", 141),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援", "1/2", "", 254),
    ("fy2020/区市町村在宅療養推進事業", "10/10", "", 9),
    ("fy2020/区市町村在宅療養推進事業", "1/2", "4年目以降", 9),
    ("fy2020/在宅療養環境整備支援事業", "1/2", "", 31),
    ("fy2020/在宅人工呼吸器使用者療養支援事業", "1/2", "", 37),
    ("fy2020/入退院時連携強化事業/入退院時連携支援事業", "1/2または3/4", "", 81),
]


def test_every_subsidy_rate(corpus):
    got = [(f.program_id, f.value, f.condition, f.line_start) for f in corpus.facts if f.kind == "subsidy_rate"]
    assert sorted(got) == sorted(RATES)


@pytest.mark.parametrize("text,expected", [
    ("10/10", [("", "10/10")]),
    ("10/10※4年目以降:1/2", [("", "10/10"), ("4年目以降", "1/2")]),
    ("開始から3年間は10/10、4年目以降は1/2", [("開始から3年間", "10/10"), ("4年目以降", "1/2")]),
    ("1/2または3/4", [("", "1/2または3/4")]),
    ("１／２または３／４", [("", "1/2または3/4")]),
    ("補助対象外", []),
])
def test_rate_clauses(text, expected):
    assert rate_clauses(text) == expected


def _facts(corpus, program, kind):
    return [f for f in corpus.facts if f.program_id == program and f.kind == kind]


def test_scheme_notes(corpus):
    (f,) = _facts(corpus, "fy2025/在宅人工呼吸器使用者療養支援事業", "subsidy_rate")
    assert f.note == "保健医療政策区市町村包括補助(選択:政策誘導型)"
    (f,) = _facts(corpus, "fy2025/在宅療養環境整備支援事業", "subsidy_rate")
    assert f.note == "保健医療政策区市町村包括補助(選択:提案型)"


def test_budget_scope_whole_program(corpus):
    facts = _facts(corpus, "fy2025/区市町村在宅療養推進事業", "budget")
    assert [(f.amount, f.note, f.line_start) for f in facts] == [(252_777, "", 9), (252_777, "事業全体", 96)]
    facts = _facts(corpus, "fy2025/在宅医療現場におけるハラスメント対策事業", "budget")
    assert [(f.amount, f.note) for f in facts] == [(48_633, ""), (48_633, "事業全体")]
    (f,) = [f for f in _facts(corpus, "fy2025/災害時在宅医療提供体制強化事業", "budget") if f.line_start == 149]
    assert (f.amount, f.condition, f.text) == (18_729, "R7予算額(案)", "R7予算額（案）：18,729千円")


@pytest.mark.parametrize("program,kind,amount,condition", [
    ("fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", "base_amount", 10_000, "1事業あたり"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援", "cap", 100, "1医療機関当たり"),
])
def test_base_amounts_and_caps(corpus, program, kind, amount, condition):
    (f,) = _facts(corpus, program, kind)
    assert (f.amount, f.condition) == (amount, condition)


@pytest.mark.parametrize("program,label,value", [
    ("fy2025/入退院時連携強化事業/入退院時連携支援事業", "対象", "200床未満の病院"),
    ("fy2020/入退院時連携強化事業/入退院時連携支援事業", "対象", "200床未満の病院"),
    ("fy2025/入退院時連携強化事業/入退院時連携強化研修", "対象",
     "病院、診療所、訪問看護ステーション、居宅介護支援事業所、地域包括支援センター、区市町村在宅療養支援窓口、介護老人保健施設 等"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援", "対象者",
     "訪問診療を行う病院、診療所、訪問歯科診療を行う病院、歯科診療所"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援", "対象機器", "防犯ブザー、防犯ボタン付き携帯電話等"),
    # whom a training or seminar is for, written in its sentence (「…に対し、」「…向けの研修」)
    ("fy2025/在宅医療参入促進事業", "セミナーの対象", "訪問診療等を実施していない中小病院と診療所の医師及び看護師等"),
    ("fy2020/在宅医療参入促進事業", "セミナーの対象", "訪問診療等を実施していない診療所医師等"),
    ("fy2025/小児等在宅医療推進研修事業", "研修の対象", "小児医療に関する診療所の医師及び看護師等"),
    ("fy2025/在宅医療現場におけるハラスメント対策事業/在宅医療ハラスメント相談窓口の運営", "研修の対象", "在宅医療に関わる医療関係者等"),
])
def test_targets(corpus, program, label, value):
    assert (label, value) in [(f.condition, f.value) for f in _facts(corpus, program, "target")]


def test_no_purpose_is_taken_for_an_audience(corpus):
    # 「…連携・情報共有の一層の強化に向け、実践的な研修を実施」 says what the training is for, not whom.
    values = [f.value for f in corpus.facts if f.kind == "target"]
    assert len(values) == 11 and not any(v.endswith("に") for v in values)


@pytest.mark.parametrize("program,start,end", [
    ("fy2025/災害時在宅医療提供体制強化事業", 2025, 2027),
    ("fy2025/都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成", 2025, 2027),
])
def test_periods(corpus, program, start, end):
    (f,) = _facts(corpus, program, "period")
    assert (f.start_year, f.end_year, f.text) == (start, end, "<実施期間>\n令和7年度～令和9年度")


def test_method(corpus):
    (f,) = _facts(corpus, "fy2025/災害時在宅医療提供体制強化事業", "method")
    assert (f.value, f.condition) == ("委託", "委託により実施")


def test_survey(corpus):
    facts = _facts(corpus, "fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", "survey")
    assert [(f.percent, f.condition) for f in facts] == [(70.7, "家族に負担をかける"), (46.5, "急変時の対応が不安")]
    assert all("R5「保健医療に関する世論調査」" in f.note and "在宅療養は難しいと考える理由" in f.note for f in facts)


def test_criterion(corpus):
    (f,) = _facts(corpus, "fy2025/在宅人工呼吸器使用者療養支援事業", "criterion")
    assert f.value == "人口25,000人当たり各補助対象品目1台"


def test_schedule_table(corpus):
    facts = _facts(corpus, "fy2025/都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成", "schedule")
    assert [f.value for f in facts] == [
        "実態調査（令和7年度：実施・分析）",
        "Web情報室(仮)（令和7年度：内容の検討、令和8年度：作成・効果測定）",
        "協働学習の“場”（令和7年度：試作版の作成、令和8年度：協働学習実施・評価）",
    ]


def test_fact_text_is_the_source_lines(corpus):
    for fact in corpus.facts:
        doc = corpus.document(fact.document_id)
        source = [doc.lines[n - 1].strip() for n in range(fact.line_start, fact.line_end + 1)]
        assert fact.text == "\n".join(s for s in source if s), fact.id
