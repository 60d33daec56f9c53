"""Answers over the real corpus with the real model: every question kind, JA and EN."""

from __future__ import annotations

import json

import pytest

from assistant.answer import Answer
from assistant.assistant import Assistant
from assistant.evaluate import load_questions
from assistant.grounding import ungrounded

from .conftest import ROOT


@pytest.fixture(scope="module")
def assistant(composer) -> Assistant:
    return Assistant(composer)


# (question, figures that must be in the answer, id of the first program or None)
ANSWERED = [
    # amounts, with the other year and a 万円 reading
    ("ACP推進事業の予算は？", ["16,884千円", "約1,688万円", "20,933千円"], "fy2025/ACP推進事業"),
    ("令和2年度のACP推進事業の予算は？", ["20,933千円"], "fy2020/ACP推進事業"),
    ("What is the FY2025 budget of the ACP promotion program?", ["16,884 thousand yen", "¥16.9 million"],
     "fy2025/ACP推進事業"),
    ("子どもの在宅医療を担う人の研修の予算は？", ["17,220千円"], "fy2025/小児等在宅医療推進研修事業"),
    # ratios with conditions and targets
    ("入退院時連携支援事業の補助率と対象は？", ["1/2または3/4", "200床未満の病院"],
     "fy2025/入退院時連携強化事業/入退院時連携支援事業"),
    ("区市町村在宅療養推進事業の補助率は？", ["10/10", "1/2（4年目以降）"], "fy2025/区市町村在宅療養推進事業"),
    ("What is the subsidy rate for hospitals with fewer than 200 beds?", ["1/2 or 3/4"],
     "fy2025/入退院時連携強化事業/入退院時連携支援事業"),
    # base amounts and caps
    ("防犯機器の導入補助は1医療機関あたり上限いくら？", ["100千円", "1医療機関当たり"],
     "fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援"),
    ("1事業あたりの基準額はいくら？", ["10,000千円"], "fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業"),
    # period, schedule and method
    ("災害時在宅医療提供体制強化事業はいつまで？", ["令和9年度", "2027"], "fy2025/災害時在宅医療提供体制強化事業"),
    ("災害時在宅医療提供体制強化事業の実施方法は？", ["委託"], "fy2025/災害時在宅医療提供体制強化事業"),
    # content
    ("ハラスメント対策事業では何をするの？", ["法律相談", "防犯機器"], "fy2025/在宅医療現場におけるハラスメント対策事業"),
    ("What does the ACP promotion program do?", ["普及啓発"], "fy2025/ACP推進事業"),
    # themes, new programs
    ("家族を支援する事業は？", ["在宅療養患者家族支援事業"], None),
    ("which programs support families?", ["在宅療養患者家族支援事業"], None),
    ("令和7年度の新規事業を教えて", ["災害時在宅医療提供体制強化事業", "防犯機器等導入支援", "4件"], None),
    # changes between years
    ("ACP推進事業は令和2年度と比べてどうなった？", ["20,933千円", "16,884千円", "4,049千円の減少", "-19.3%"], None),
    ("How did the pediatric home care training budget change since FY2020?", ["17,220", "5,058", "+240.5%"], None),
    ("令和2年度から予算はどう変わった？", ["936,792千円", "1,170,671千円", "233,879千円の増加"], None),
    # survey figures
    ("在宅療養が難しいと考える理由は？", ["70.7%", "46.5%", "保健医療に関する世論調査"], None),
    ("Why do people think home care is difficult?", ["70.7%", "burden on the family"], None),
    # counts and totals, repeats counted once
    ("令和7年度の事業はいくつ？", ["11件"], None),
    ("令和7年度の新規事業はいくつ？", ["4件"], None),
    ("令和7年度の予算の合計は？", ["1,170,671千円"], None),
    ("令和2年度の予算の合計は？", ["936,792千円"], None),
    ("令和7年度のACPに関する取組の予算を合わせるといくら？", ["46,884千円"], None),
    ("令和7年度の予算が一番大きい事業は？", ["600,000千円"], "fy2025/在宅医療推進強化事業"),
    ("46.5%って何の数字？", ["急変時の対応が不安"], None),
    # comparisons across years: which programs went up or down, and how many
    ("両年度とも予算額がある事業のうち、予算が増えたのはどれ？", ["2件", "在宅療養研修事業", "小児等在宅医療推進研修事業"], None),
    ("How many programs with a budget in both years got less money in FY2025?", ["5 are", "ACP推進事業"], None),
    # entries a program lists, counted from the document's own lists
    ("令和7年度の区市町村在宅療養推進事業の補助メニューはいくつ？", ["4件", "在宅療養患者家族支援事業"], None),
    ("家族支援の新しいメニューの取組例はいくつ？", ["4件", "ボランティアの養成"], None),
    # the program whose own list was counted is the one named, not its parent
    ("在宅医療ハラスメント相談窓口の運営の中身は何本立て？", ["「在宅医療ハラスメント相談窓口の運営」（令和7年度）の掲げられている項目は3件"], None),
    # the gap between two survey figures, recomputed from them
    ("在宅療養が難しい理由の上位2つは何ポイント差？", ["70.7%", "46.5%", "24.2ポイント"], None),
    # why a program exists: its 現状・課題 lines, not the survey
    ("ACP実践力の育成が必要な理由は？", ["困難を感じている"],
     "fy2025/都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成"),
    # the totals of the programs named, in the year asked
    ("令和2年度のACP推進事業と小児等在宅医療推進研修事業を合わせた予算は？", ["25,991千円"], None),
    # a program described by all of its listed items is the whole program, not a part of it
    ("夜間も診てもらえる体制づくりとオンラインでの病院・診療所の連携、この二つを進める事業の予算は？",
     ["600,000千円"], "fy2025/在宅医療推進強化事業"),
    # 「いつでも」 is no period question; a program whose items the question names all of comes first
    ("親が心配なので、24時間いつでも診てもらえる体制や病院と診療所をオンラインでつなぐ取組の予算を知りたい",
     ["600,000千円"], "fy2025/在宅医療推進強化事業"),
    # new programs: which started, how many with the menus, and the one a topic picks
    ("令和2年度に新規で始まった取組は？", ["ICTを活用した医療介護連携モデル事業"], None),
    ("新規の事業とメニュー、令和7年度は合わせていくつ？", ["4件"], None),
    ("災害に備える新しい事業の予算はいくら？", ["18,729千円"], "fy2025/災害時在宅医療提供体制強化事業"),
    # counts by a stated fact are not one program's menu list
    ("令和7年度で補助率の記載がある事業・メニューはいくつ？", ["7件"], None),
    # two programs named for their amounts: both, and which is larger when asked
    ("令和2年度のACP推進事業と在宅医療参入促進事業、予算はどっちが多い？", ["20,933千円", "13,606千円", "大きいのは「ACP推進事業」"],
     None),
    # entries that use a term copied from the documents
    ("保健医療政策区市町村包括補助（選択：政策誘導型）で行われる事業はどれ？", ["在宅人工呼吸器使用者療養支援事業"], None),
    # adverb-like words (それぞれ, 全部) narrow nothing; a long "how many FY… programs" is a program count
    ("令和2年度、それぞれ金額が載っている事業は全部でいくつ？", ["9件"], None),
    ("How many FY2020 home medical care programs come with a budget figure?", ["9 programs"], None),
    # menus counted with programs when the question adds them together
    ("新規の表示がある事業とメニューを合わせると令和7年度はいくつ？", ["4件"], None),
    # a total over a threshold sums only the programs above it
    ("令和7年度に予算が1億円以上ある事業の予算を足すと？", ["997,725千円"], None),
    # programs listed by a fact they state
    ("List the FY2025 programs and menus that state a subsidy rate.", ["7 programs/menus", "防犯機器等導入支援"], None),
    ("How many programs with amounts in both years had a bigger budget in FY2025?", ["2 are", "在宅療養研修事業"], None),
    # a theme names every program under the one section heading that carries its word, 一部再掲 included
    ("令和7年度、病院から家での療養にスムーズに移行するための事業を全部挙げて", ["入退院時連携強化事業", "在宅療養研修事業"], None),
    ("Which FY2025 measures are about the safety of home medical care workers?",
     ["在宅医療現場におけるハラスメント対策事業", "防犯機器等導入支援"], None),
    ("What initiatives for children needing medical care at home were in the FY2020 budget?",
     ["小児等在宅医療推進部会", "小児等在宅医療推進研修事業", "小児等在宅医療推進事業"], None),
    # a word a few programs carry in their names names each of them
    ("Which FY2025 programs deal with ACP?", ["ACP推進事業", "ACP実践力の育成"], None),
    # the opinion survey, and the proposal-type block grant, by their English names
    ("What share said they were uneasy about sudden changes in the public opinion survey?", ["46.5%"], None),
    ("Subsidy rate of the proposal-type block grant for municipalities?", ["1/2"], "fy2025/在宅療養環境整備支援事業"),
    # "which … are eligible" asks for the list, not whether one thing is covered
    ("Which institutions are eligible for the security-device subsidy?", ["歯科診療所"],
     "fy2025/在宅医療現場におけるハラスメント対策事業/防犯機器等導入支援"),
    # which block-grant type, and a program's provision benchmark relative to population
    ("environment improvement support for municipalities: which 包括補助 type is it?", ["提案型"],
     "fy2025/在宅療養環境整備支援事業"),
    ("What is the benchmark relative to population for ventilator users' generators?", ["25,000"],
     "fy2025/在宅人工呼吸器使用者療養支援事業"),
    # a letter dropped from a word that names no topic is no unknown topic
    ("Which new progams are in the FY2025 budget?", ["災害時在宅医療提供体制強化事業"], None),
    # 「体制づくり」 is the document's 「体制の構築」
    ("区市町村の在宅療養の仕組みづくりを都が支える補助事業の令和2年度予算は？", ["620,000千円"], "fy2020/区市町村在宅療養推進事業"),
    # a hospital stating its beds asks whether it is eligible: the written target answers
    ("We run a 150-bed hospital. Can we get the subsidy for staff who support discharges?", ["200床未満の病院"], None),
    # "a new scheme" is a program, not a question about its funding method
    ("Is there a new scheme that helps families caring at home?", ["在宅療養患者家族支援事業", "ボランティア"], None),
    # 新規参入 is entry into home care, not a new program
    ("在宅医療に新規参入する医師向けのセミナーの予算は？", ["11,213千円"], "fy2025/在宅医療参入促進事業"),
    # the largest fall among programs with amounts in both years
    ("両年度に予算額がある事業のうち、最も減ったのはどれ？", ["区市町村在宅療養推進事業", "367,223千円の減少"], None),
    # 計上 is how a budget is listed, and "sub-menus" are menus: neither is a topic
    ("令和7年度に新しく計上されたメニューは？", ["在宅療養患者家族支援事業", "防犯機器等導入支援"], None),
    ("List the FY2025 sub-menus that are new.", ["在宅療養患者家族支援事業", "防犯機器等導入支援"], None),
    # 「地域全体で」 is the whole region, "together with" a partner: neither asks for a sum
    ("地域全体でBCPを作る取組の実施期間は？", ["令和9年度"], "fy2025/災害時在宅医療提供体制強化事業"),
    ("What does the training program run together with the medical association include?", ["シンポジウム"],
     "fy2025/在宅療養研修事業"),
    # 「重複して数えない」 says how to count, not what to count
    ("令和2年度の予算額を全部足すと？重複は数えないで", ["936,792千円"], None),
    # "residents said" asks for a survey figure; "benefit standard" for the provision standard
    ("What share of residents thought home care would be hard because of the burden on family?", ["70.7%"], None),
    ("What is the benefit standard for standby generators for ventilator users?", ["25,000"],
     "fy2025/在宅人工呼吸器使用者療養支援事業"),
    # a sentence of background (「近所の…」) is no topic: the question is in the last sentence
    ("近所の薬局で聞いた話です。令和2年度の、子どもの在宅医療を担う医師向け研修の予算はいくら？", ["5,058千円"], None),
    # "coming out of hospital" is 入退院, "nursing stations" 訪問看護ステーション, "get … into" 参入
    ("Can nursing stations join the hands-on training for patients coming out of hospital?", ["訪問看護ステーション"],
     "fy2025/入退院時連携強化事業/入退院時連携強化研修"),
    ("Who are the seminars that get clinic doctors into home care for?", ["診療所"], "fy2025/在宅医療参入促進事業"),
    # the first N of a ranking by stated budget, in order
    ("令和2年度で予算が大きい順に3つ教えて", ["区市町村在宅療養推進事業」: 620,000千円", "入退院時連携強化事業」: 222,185千円",
                                "ACP推進事業」: 20,933千円"], "fy2020/区市町村在宅療養推進事業"),
    ("What are the three smallest FY2025 budgets?", ["在宅療養研修事業", "在宅医療参入促進事業", "ACP推進事業"], None),
    # a letter dropped from "building", "plan" and 「あり」 name no topic; "how many items" counts unless it asks per unit
    ("FY2025 budget for buildng the online hospital-clinic links?", ["600,000"], "fy2025/在宅医療推進強化事業"),
    ("How many items in the FY2020 plan are marked new?", ["1 new programs/menus"], None),
    ("令和2年度の新規事業（金額あり）は？", ["ICTを活用した医療介護連携モデル事業", "12,586千円"], None),
    # the second-ranked survey reason, 「使えるのはどこ」 as eligibility, "starting home care" as entry
    ("在宅療養が難しいと考える理由で二番目に多いのは？", ["46.5%"], None),
    ("防犯機器等導入支援を使えるのはどこ？", ["歯科診療所"], None),
    ("Who are the FY2025 seminars for doctors starting home visits aimed at?", ["中小病院"], "fy2025/在宅医療参入促進事業"),
    # a menu listed by name alone yields to its parent when the question says nothing of it; kana left unconverted
    ("区市町村が行う在宅療養の取組への補助、令和2年度のよさんは？", ["620,000千円"], "fy2020/区市町村在宅療養推進事業"),
    ("入退院時連携支援事業のほじょりつは？", ["1/2または3/4"], "fy2025/入退院時連携強化事業/入退院時連携支援事業"),
    # "not yet doing home care" describes the providers the entry seminars (参入) address
    ("How much do the seminars urging hospitals not yet doing home care get?", ["11,213"], "fy2025/在宅医療参入促進事業"),
    # 自治体 and 市区町村 are the documents' 区市町村
    ("自治体の在宅療養の取組を支える補助事業の予算は？", ["252,777千円"], "fy2025/区市町村在宅療養推進事業"),
]


@pytest.mark.parametrize("question,figures,first", ANSWERED)
def test_answers(assistant, question, figures, first):
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    for figure in figures:
        assert figure in answer.text, (figure, answer.text)
    if first:
        assert answer.programs[0].id == first
    assert ungrounded(answer, assistant.corpus) == []


ABSTAIN = [
    "がん検診の予算は？",
    "介護保険料はいくら？",
    "待機児童対策にはいくら使われる？",
    "オリンピックスタジアムの建設費は？",
    "What is the budget for the Olympic stadium?",
    "ACP推進事業の補助率は？",  # no ratio is stated for it
    "在宅療養環境整備支援事業の予算額は？",  # no amount line
    "令和2年度の災害時在宅医療提供体制強化事業の予算は？",  # a FY2025-only program
    "令和5年度のACP推進事業の予算は？",  # a year not in the corpus
    "在宅医療参入促進事業のセミナーは年に何回開かれる？",
    "オンラインを活用した病診連携の推進の補助率は？",  # the 10/10 is for the 24-hour item only
    "What was the FY2020 budget for disaster preparedness in home medical care?",  # a FY2025-only program
    "入退院時連携支援事業で補助率が3/4になるのはどんな場合？",  # the ratio is stated, its condition is not
    "ハラスメント相談窓口の受付時間は？",
    "Which company is contracted to run the disaster BCP model project?",
    "Does the security-device subsidy cover security cameras?",  # not among the listed items
    "熱中症対策でお年寄りにエアコンを買う補助の予算は？",
    "How much is Tokyo spending on dementia support in FY2025?",  # a topic the documents never cover
    "How many home ventilator users live in Tokyo?",
    "What subsidy rate covers installing solar panels at home?",  # never covered
    "24時間の診療体制づくりだけに使われる予算はいくら？",  # an item of a program: only the whole is stated
    "新しい家族支援メニューにはいくら配分されている？",  # a new menu without an amount of its own
    "What is the FY2025 budget of the ICT model project for medical and care collaboration?",  # FY2020 only
    "What is the total budget of 在宅人工呼吸器使用者療養支援事業?",  # one program, no amount line
    "AED購入補助 予算",  # opens with a word the documents never use
    "Can I get a grant for purchasing a wheelchair?",  # the object bought is never covered
    # what decides between the two stated rates is not written, whoever asks about it
    "3/4になるのはどんな病院？入退院時連携支援事業の場合",
    "What decides if the discharge-support staff grant pays 1/2 or 3/4?",
    "Which hospitals get 3/4 rather than 1/2?",
    # a contractor, an application route, how many municipalities: not written
    "Who is the contractor running the harassment consultation desk?",
    "家族の代わりにケアしてくれる看護師の派遣はどこに申し込むの？",
    "家族支援メニューは何区市町村で実施される予定？",
    # the budget of a program that has none, whatever the sentence says about its funding
    "What is the budget of the ventilator program funded through the policy-guidance grant?",
    # the year that only describes the program (「令和2年度にあった」) is not the year asked about
    "令和2年度にあったICTのモデル事業に、令和7年度はいくら付いた？",
    "How much did Tokyo budget for first-aid teams at the Tokyo Marathon?",  # the event is never covered
    "How much is there for pay rises for home helpers?",  # the object after "pay" is never covered
    # "the new … alone": 新規 describes the menu whose own amount is not stated
    "What is the separate budget for the new family-support menu alone?",
    "防犯機器の補助はこれまで何診療所が使った？",  # a count of recipients is not written
    "How many sessions per year does the pediatric home care committee hold?",  # a count of meetings
    # one program described (「…する事業は」) that FY2020 does not have, not a list of FY2020 programs
    "災害時の在宅医療体制を強くする事業は、令和2年度にはいくらだった？",
]

ABSTAIN_FOLLOW_UPS = [
    ["区市町村在宅療養推進事業に新しく加わったメニューは？", "そのメニューだけの予算は？"],  # the menu's own amount
    ["ハラスメント対策の防犯機器の補助について教えて", "その防犯機器の補助の予算はいくら？"],
    ["What is the budget of the harassment program?", "How much of it is just for the security devices?"],
    # a committee is a 部会: a follow-up naming one switches to it, and it has no amount
    ["What is the budget of the pediatric home care training?", "and the pediatric committee — how much money does it get?"],
    # a follow-up set at something the documents never name leaves the chat's program
    ["What was the FY2020 budget of the portal site?", "And how much went to medical volunteers at the Tokyo Marathon?"],
]


@pytest.mark.parametrize("question", ABSTAIN)
def test_abstains(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained, answer.text
    assert answer.text.startswith(("資料には該当する情報が見つかりませんでした", "The documents do not contain"))
    assert ungrounded(answer, assistant.corpus) == []


@pytest.mark.parametrize("turns", ABSTAIN_FOLLOW_UPS)
def test_follow_ups_that_abstain(assistant, turns):
    answer = assistant.ask(turns[-1], history=turns[:-1])
    assert answer.abstained, answer.text


@pytest.mark.parametrize("turns,figures", [
    (["ACP推進事業の予算は？", "令和2年度は？"], ["20,933千円"]),
    # 「もう一つの…」 asks for the program the chat has not been about
    (["ACPの普及啓発をする事業の予算は？", "もう一つのACPの事業の予算は？"], ["30,000千円"]),
    # 中身 asks what the chat's program does, after an amount
    (["ACP推進事業の予算は？", "中身は？"], ["普及啓発"]),
    (["入退院時連携支援事業について教えて", "その補助率は？"], ["1/2または3/4"]),
    (["入退院時連携支援事業について教えて", "その補助率は？", "対象は？"], ["200床未満の病院"]),
    (["What is the budget of the ACP promotion program?", "And in FY2020?"], ["20,933"]),
    (["令和7年度の新規事業を教えて", "そのうち予算額が一番大きいのは？"], ["30,000千円"]),
    (["多職種連携のポータルサイトの運営費は？", "前と比べて増えた？減った？"], ["19,058", "19,437", "379千円の減少"]),
    # a follow-up whose words name another program switches to it
    (["What does the pediatric home care training cost?", "and the other one on ACP skills - its budget?"], ["30,000"]),
    (["入退院時連携強化事業について教えて", "その中の研修の対象は？"], ["入退院時連携強化研修"]),
    # 「その事業」 after a menu without its own amount is the program it belongs to
    (["ハラスメントの相談窓口はある？", "その事業の予算は？"], ["48,633千円"]),
    # a new program asked for after one that is not new (nor any of its menus) is another program
    (["ACP推進事業の予算は？", "新しく始まったACPの事業は何をするの？"], ["協働学習"]),
    # a word of the chat program's menu (per institution) keeps the chat's subject
    (["Tell me about the harassment measures program.", "What is the cap per institution?"], ["100 thousand yen"]),
    # 「1つの」's lone kana is no topic word of its own
    (["ハラスメント対策事業の防犯機器の補助率は？", "1つの医療機関につき上限はいくら？"], ["100千円"]),
    # "Switching topics" leaves the chat's program
    (["ACP推進事業の予算は？", "Switching topics: what is the FY2025 total of all programs with a stated budget?"],
     ["1,170,671"]),
    # "the municipal one" of the two just ranked, and what it "got" is its budget
    (["Which two programs have the largest FY2025 budgets?", "What did the municipal one get in FY2020?"], ["620,000"]),
    # "that year" is the year the chat was about
    (["What was the ACP promotion budget in FY2020?", "and the pediatric training program that year?"], ["5,058"]),
    # a benchmark "for how many items" is the provision standard, not a count of programs
    (["Tell me about the ventilator users' support program.", "What is the benchmark for how many units are funded?"],
     ["25,000"]),
])
def test_follow_ups(assistant, turns, figures):
    answer = assistant.ask(turns[-1], history=turns[:-1])
    assert not answer.abstained, answer.text
    for figure in figures:
        assert figure in answer.text


def test_total_of_the_programs_just_listed(assistant):
    answer = assistant.ask("What do they add up to?", history=["令和7年度の新規事業で予算額がついているのは？"])
    assert "48,729" in answer.text and ungrounded(answer, assistant.corpus) == []


def test_a_bare_follow_up_of_a_total_repeats_the_total(assistant):
    answer = assistant.ask("じゃあ令和7年度は？どれくらい増えた？", history=["令和2年度の予算の合計は？"])
    assert "936,792千円" in answer.text and "1,170,671千円" in answer.text and "233,879千円の増加" in answer.text


def test_a_changed_target_shows_both_years(assistant):
    answer = assistant.ask("対象って令和2年度から変わってる？", history=["在宅医療参入促進事業について教えて"])
    assert "中小病院" in answer.text and "診療所医師等" in answer.text


def test_follow_up_of_a_missing_year_abstains(assistant):
    answer = assistant.ask("What was its budget in FY2020?",
                           history=["Tell me about the new program that strengthens home medical care for disasters."])
    assert answer.abstained


def test_year_argument_applies_when_the_question_names_none(assistant):
    answer = assistant.ask("ACP推進事業の予算は？", year=2020)
    assert answer.programs[0].id == "fy2020/ACP推進事業" and "20,933千円" in answer.headline


def test_empty_question_is_a_message_not_an_error(assistant):
    answer = assistant.ask("   ")
    assert answer.abstained and answer.kind == "empty" and "質問を入力" in answer.text


def test_answer_json_shape(assistant):
    data = assistant.ask("入退院時連携支援事業の補助率は？").to_json()
    assert set(data) >= {"question", "answer", "abstained", "programs", "facts", "citations"}
    program = data["programs"][0]
    assert set(program) >= {"id", "name", "fiscal_year", "parent", "budget_thousand_yen", "subsidy_rates", "score"}
    assert program["fiscal_year"] == 2025 and program["parent"] == "入退院時連携強化事業"
    assert program["subsidy_rates"] == ["1/2または3/4"]
    fact = next(f for f in data["facts"] if f["kind"] == "subsidy_rate")
    assert fact["source"] == {"document": "fy2025", "line_start": 59, "line_end": 59}
    assert any(c["document"] == "fy2025" and c["line_start"] == 59 and c["line_end"] == 59
               and "1/2または3/4" in c["text"] for c in data["citations"])
    json.dumps(data, ensure_ascii=False)


def test_every_eval_answer_is_grounded(assistant):
    """Grounding is absolute: over the whole eval set, every number is in a cited line or derived from them."""
    histories: dict[str, list[str]] = {}
    failures = []
    for q in load_questions(ROOT / "eval" / "questions.jsonl"):
        history = histories.get(q.dialog, []) if q.dialog else []
        answer: Answer = assistant.ask(q.question, history=history)
        if q.dialog:
            histories[q.dialog] = history + [q.question]
        bad = ungrounded(answer, assistant.corpus)
        if bad:
            failures.append((q.id, bad))
    assert failures == []
