"""Units of money: amounts with units, legends for bare numbers, readings in 億/万."""

from __future__ import annotations

import pytest

from assistant.units import Amount, bare_amount, find_amounts, find_legend, make_amount, reading


@pytest.mark.parametrize("text,yen,unit,written", [
    ("在宅医療推進事業(177百万円)", 177_000_000, "百万円", "177百万円"),
    ("総額 4.2億円", 420_000_000, "億円", "4.2億円"),
    ("【252,777千円】", 252_777_000, "千円", "252,777千円"),
    ("上限１，５００千円", 1_500_000, "千円", "１，５００千円"),
    ("1億7,700万円", 177_000_000, "億円", "1億7,700万円"),
    ("単価 3,000円", 3_000, "円", "3,000円"),
    ("△5百万円", -5_000_000, "百万円", "△5百万円"),
])
def test_find_amounts(text, yen, unit, written):
    ((amount, start, end),) = find_amounts(text)
    assert (amount.yen, amount.unit, amount.as_written) == (yen, unit, written)
    assert text[start:end] == written


def test_million_is_never_read_as_ten_thousand():
    assert [a.unit for a, _, _ in find_amounts("(58百万円)、(12万円)")] == ["百万円", "万円"]


def test_thousand_yen_rounds_half_up_and_fractions_of_a_yen_are_refused():
    assert Amount(12_345_500, "円", "12,345,500円").thousand_yen == 12_346
    assert Amount(-1_500, "円", "△1,500円").thousand_yen == -2
    assert make_amount("1.2345", "千円") is None  # 1,234.5円 is not a whole yen amount


@pytest.mark.parametrize("lines,unit", [
    (["令和8年度", "(単位:千円)"], "千円"),
    (["単位：百万円"], "百万円"),
    (["（単位：円）"], "円"),
    (["金額は千円単位"], None),
])
def test_legends(lines, unit):
    assert find_legend(lines) == unit


def test_bare_numbers_need_a_legend():
    assert bare_amount("45,000", "千円") == Amount(45_000_000, "千円", "45,000千円")
    assert bare_amount("45,000", None) is None
    assert bare_amount("1.2億円", "千円") == Amount(120_000_000, "億円", "1.2億円")  # its own unit wins


@pytest.mark.parametrize("yen,text", [
    (177_000_000, "1億7,700万円"), (45_000_000, "4,500万円"), (12_345_000, "約1,234万円"),
    (3_000, "3,000円"), (-5_000_000, "△500万円"), (0, "0円"),
])
def test_reading(yen, text):
    assert reading(yen) == text


@pytest.mark.parametrize("yen,unit,text", [
    (150_000_000, "百万円", "150百万円"), (250_000_000, "億円", "2.5億円"), (150_000, "千円", "150千円"),
    (12_345_500, "千円", "12,345.5千円"), (3_000, "円", "3,000円"),
])
def test_in_unit(yen, unit, text):
    from assistant.units import in_unit

    assert in_unit(yen, unit) == text
