"""Units of money: 円, 千円, 万円, 百万円, 億円, and 「(単位:千円)」 legends for bare numbers.

An amount is kept as integer yen together with the unit and the text as written
(「177百万円」), so every display can use the document's own unit. A number whose
unit cannot be determined is not an amount: callers get ``None`` and warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .normalize import fold

# Longest first so that 百万円 is never read as 万円.
UNITS = {"百万円": 1_000_000, "億円": 100_000_000, "千円": 1_000, "万円": 10_000, "円": 1}
_UNIT = "|".join(UNITS)
NUMBER = r"[△▲\-]?\d[\d,]*(?:\.\d+)?"
AMOUNT = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>{_UNIT})")
# 「1億7,700万円」: two units in one amount.
_OKU_MAN = re.compile(r"(?P<oku>\d[\d,]*)億(?P<man>\d[\d,]*)万円")
_LEGEND = re.compile(rf"単位\s*[:]?\s*(?P<unit>{_UNIT})")
_BARE = re.compile(rf"^\s*(?P<number>{NUMBER})\s*$")


@dataclass(frozen=True)
class Amount:
    """Money as written in a document, and its value in yen."""

    yen: int
    unit: str
    as_written: str

    @property
    def thousand_yen(self) -> int:
        """The amount in 千円, the unit the rest of the assistant counts in (rounded half up)."""
        sign = -1 if self.yen < 0 else 1
        return sign * ((abs(self.yen) + 500) // 1000)


def _number(text: str) -> Decimal | None:
    text = text.replace(",", "")
    negative = text[:1] in "△▲-"
    try:
        value = Decimal(text.lstrip("△▲-"))
    except InvalidOperation:
        return None
    return -value if negative else value


def make_amount(number: str, unit: str, as_written: str | None = None) -> Amount | None:
    """An amount from a number and a unit; None if the yen value would not be whole."""
    value = _number(fold(number))
    if value is None or unit not in UNITS:
        return None
    yen = value * UNITS[unit]
    if yen != int(yen):
        return None
    written = as_written if as_written is not None else f"{number.strip()}{unit}"
    return Amount(int(yen), unit, written)


def find_amounts(text: str) -> list[tuple[Amount, int, int]]:
    """Every amount with a unit in a text, with its (start, end) offsets."""
    folded = fold(text)
    found: list[tuple[Amount, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _OKU_MAN.finditer(folded):
        yen = int(m["oku"].replace(",", "")) * UNITS["億円"] + int(m["man"].replace(",", "")) * UNITS["万円"]
        found.append((Amount(yen, "億円", text[m.start():m.end()]), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in AMOUNT.finditer(folded):
        if any(s <= m.start() < e for s, e in taken):
            continue
        amount = make_amount(m["number"], m["unit"], text[m.start():m.end()])
        if amount is not None:
            found.append((amount, m.start(), m.end()))
    return sorted(found, key=lambda x: x[1])


def bare_amount(cell: str, legend: str | None) -> Amount | None:
    """A table cell: an amount with its own unit, or a bare number in the legend's unit."""
    amounts = find_amounts(cell)
    if len(amounts) == 1:
        return amounts[0][0]
    m = _BARE.match(fold(cell))
    if m and legend:
        number = cell.strip()
        return make_amount(m["number"], legend, f"{number}{legend}")
    return None


def is_bare_number(cell: str) -> bool:
    return bool(_BARE.match(fold(cell)))


def find_legend(lines: list[str] | tuple[str, ...]) -> str | None:
    """The unit of a 「(単位:千円)」 / 「単位：百万円」 legend, the first one stated."""
    for line in lines:
        if m := _LEGEND.search(fold(line)):
            return m["unit"]
    return None


def legend_unit(line: str) -> str | None:
    m = _LEGEND.search(fold(line))
    return m["unit"] if m else None


def in_unit(yen: int, unit: str) -> str:
    """A yen amount written in a document's unit: (150,000,000, 百万円) → 150百万円; 1.2億円 stays exact."""
    value = Decimal(yen) / UNITS.get(unit, 1)
    text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
    return f"{text}{unit}"


def reading(yen: int) -> str:
    """A reading of a yen amount in 億/万: 177,000,000 → 約1億7,700万円; 45,000 → 4万5,000円."""
    sign, yen = ("△" if yen < 0 else ""), abs(yen)
    oku, rest = divmod(yen, UNITS["億円"])
    man, en = divmod(rest, UNITS["万円"])
    parts = ([f"{oku:,}億"] if oku else []) + ([f"{man:,}万"] if man else [])
    if not parts:
        return f"{sign}{en:,}円"
    exact = "" if en == 0 else "約"
    return f"{exact}{sign}{''.join(parts)}円"
