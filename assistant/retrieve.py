"""Retrieve: hybrid search over program passages (BM25 + dense, fused by reciprocal rank).

A question that names a program (exactly, without its （仮称）-style notes, or
fuzzily) boosts that program above anything fusion alone would rank; 再掲
entries are folded into the program they repeat, so a program appears once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from .glossary import expand
from .normalize import normalize
from .passages import Passage
from .store import LoadedIndex
from .tokenize import Tokenizer

RRF_K = 60
NAME_BOOST = 1.0  # larger than any fused score (at most 2 / (RRF_K + 1))
# A named heading lifts every program under it above fusion alone, but below a program
# the question names itself.
GROUP_BOOST = 0.5
FUZZY_MIN = 88
LEXICAL_MARGIN = 1.5


@dataclass(frozen=True)
class Hit:
    """One ranked program with the evidence for its rank."""

    passage: Passage
    score: float
    rank: int
    bm25_score: float | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None
    dense_rank: int | None = None
    name_match: float = 0.0


def rrf(rankings: list[list[str]], k: int = RRF_K, weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal-rank fusion: sum over rankings of weight / (k + rank), ranks from 1."""
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = weights[i] if weights else 1.0
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


def link_name(name: str) -> str:
    """A program's name without （…） notes: the same program across years shares it."""
    return re.sub(r"\([^)]*\)", "", normalize(name))


def name_keys(name: str) -> set[str]:
    """Forms of a program name a question may use: as written, without （…）, without 事業."""
    key = normalize(name)
    bare = re.sub(r"\([^)]*\)", "", key)
    keys = {key, bare}
    # 「在宅医療現場におけるハラスメント対策事業」 is called 「ハラスメント対策事業」 for short.
    if "における" in bare and len(bare.split("における", 1)[1]) >= 5:
        keys.add(bare.split("における", 1)[1])
    # 「都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成」 is called 「ACP実践力の育成」:
    # a long, comma-led name goes by its last clause and that clause's tail after の.
    if "、" in bare and len(bare) >= 15:
        tail = bare.rsplit("、", 1)[1]
        keys.add(tail)
        keys.update(part for part in (tail.split("の", i)[-1] for i in range(1, tail.count("の") + 1)) if len(part) >= 8)
    for k in (key, bare):
        short = re.sub(r"事業$", "", k)
        if len(short) >= 4:
            keys.add(short)
    return {k for k in keys if len(k) >= 3}


def name_matches(question: str, passages: list[Passage]) -> dict[str, float]:
    """Passages a question names, with a strength in (0, 1]; nested names yield to longer ones."""
    q = normalize(question)
    found: dict[str, tuple[float, str]] = {}
    for p in passages:
        best, best_key = 0.0, ""
        for key in name_keys(p.name):
            if key in q:
                strength = 1.0
            elif len(key) >= 6:
                ratio = fuzz.partial_ratio(key, q)
                strength = 0.6 * ratio / 100 if ratio >= FUZZY_MIN else 0.0
            else:
                strength = 0.0
            if (strength, len(key)) > (best, len(best_key)):
                best, best_key = strength, key
        if best > 0:
            found[p.id] = (best, best_key)
    exact = {k for s, k in found.values() if s == 1.0}
    return {
        pid: strength for pid, (strength, key) in found.items()
        # 「小児等在宅医療推進研修事業」 also contains 「在宅医療推進」-like shorter keys
        if not any(key != other and key in other for other in exact)
    }


def heading_matches(question: str, passages: list[Passage]) -> set[str]:
    """Passages whose section or group heading the question names (「区市町村等への支援の事業は？」).

    The headings differ by a 等 between the years (区市町村等への支援 / 区市町村への支援), so
    either form names both.
    """
    q = normalize(question).replace("等", "")
    return {p.id for p in passages
            for heading in (p.section, p.group)
            if len(heading) >= 5 and normalize(heading).replace("等", "") in q}


class Retriever:
    """Hybrid search over a loaded index with a given embedder."""

    def __init__(self, index: LoadedIndex, embedder, tokenizer: Tokenizer | None = None,
                 weights: tuple[float, float] = (1.0, 0.8)):
        self.index = index
        # (BM25, dense) in the fusion. 0.8 for dense: on the dev split it lifted Recall@1
        # from 0.672 to 0.720 (MRR@10 0.819 → 0.845) against equal weights.
        self.weights = weights
        self.embedder = embedder
        self.tokenizer = tokenizer or Tokenizer()
        self.passages = list(index.corpus.passages)
        self.years = np.array([p.fiscal_year for p in self.passages])
        self.chunk_rows = np.asarray(index.chunk_rows, dtype=np.int64)
        self.canonical = [p.repeat_of or p.id for p in self.passages]
        self.link_names = {p.id: link_name(p.name) for p in self.passages}

    def _allowed(self, year: int | None) -> np.ndarray | None:
        return None if year is None else self.years == year

    def bm25(self, question: str, k: int, year: int | None = None,
             terms: list[str] | None = None) -> list[tuple[str, float]]:
        terms = terms if terms is not None else self.tokenizer.terms(question)
        found = self.index.lexical.search(terms, k, self._allowed(year))
        return [(self.passages[r].id, float(s)) for r, s in zip(found.rows, found.scores)]

    def dense(self, question: str, k: int, year: int | None = None) -> list[tuple[str, float]]:
        """Passages by their best-matching chunk vector."""
        query = self.embedder.encode_queries([question])[0]
        allowed = self._allowed(year)
        chunk_allowed = None if allowed is None else allowed[self.chunk_rows]
        found = self.index.vectors.search(query, k * 8, chunk_allowed)
        best: dict[int, float] = {}
        for row, score in zip(self.chunk_rows[found.rows], found.scores):
            if int(row) not in best:
                best[int(row)] = float(score)
        return [(self.passages[r].id, s) for r, s in list(best.items())[:k]]

    def search(self, question: str, k: int = 10, year: int | None = None,
               mode: str = "hybrid", lexical_terms: list[str] | None = None,
               flag: str | None = None) -> list[Hit]:
        """The k best programs for a question; ``mode`` is hybrid, bm25 or dense.

        ``lexical_terms`` replaces the question's own terms on the BM25 side
        (the answer stage passes the topic words without 「予算」「補助率」); ``flag``
        (「新規」) lifts the programs marked with it, for a question that asks for them.
        """
        depth = max(50, 5 * k)
        question = expand(question)
        lexical = self.bm25(question, depth, year, lexical_terms) if mode in ("hybrid", "bm25") else []
        dense = self.dense(question, depth, year) if mode in ("hybrid", "dense") else []
        canon = dict(zip((p.id for p in self.passages), self.canonical))
        # Fold 再掲 entries into their original, keeping each ranking's best position.
        pairs = [(r, w) for r, w in zip((lexical, dense), self.weights) if r]
        fused = rrf([_dedupe([canon[i] for i, _ in r]) for r, _ in pairs], weights=[w for _, w in pairs])
        # Ranks hide margins: when BM25's best clearly outscores its runner-up, that
        # evidence counts as one more first place.
        names = self.link_names
        if lexical:
            # The runner-up is the next *other* program (the same one in another year does not count).
            rest = [score for pid, score in lexical[1:] if names[pid] != names[lexical[0][0]]]
            if rest and lexical[0][1] >= LEXICAL_MARGIN * rest[0]:
                for pid, _ in lexical:
                    if names[pid] == names[lexical[0][0]]:
                        key = canon[pid]
                        fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + 1)
        names = {}
        if mode == "hybrid":
            pool = [p for p in self.passages if year is None or p.fiscal_year == year]
            for pid, strength in name_matches(question, pool).items():
                names[canon[pid]] = max(names.get(canon[pid], 0.0), strength)
            for pid in heading_matches(question, pool):
                names[canon[pid]] = names.get(canon[pid], 0.0) + GROUP_BOOST
            # A flag asked for is weaker evidence than a named heading: 「新しい家族支援メニュー」 is
            # about one new menu, so the flag counts as one more first place, not as a name.
            for p in pool if flag else []:
                if flag in p.flags:
                    fused[canon[p.id]] = fused.get(canon[p.id], 0.0) + 1.0 / (RRF_K + 1)
        total = {pid: fused.get(pid, 0.0) + NAME_BOOST * names.get(pid, 0.0)
                 for pid in set(fused) | set(names)}
        order = sorted(total, key=lambda pid: (-total[pid], pid))[:k]
        lex = _best(lexical, canon)
        den = _best(dense, canon)
        corpus = self.index.corpus
        return [
            Hit(passage=corpus.passage(pid), score=total[pid], rank=rank,
                bm25_score=lex.get(pid, (None, None))[0], bm25_rank=lex.get(pid, (None, None))[1],
                dense_score=den.get(pid, (None, None))[0], dense_rank=den.get(pid, (None, None))[1],
                name_match=names.get(pid, 0.0))
            for rank, pid in enumerate(order, start=1)
        ]


def _dedupe(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in ids if not (i in seen or seen.add(i))]


def _best(ranking: list[tuple[str, float]], canon: dict[str, str]) -> dict[str, tuple[float, int]]:
    out: dict[str, tuple[float, int]] = {}
    for pid, score in ranking:
        key = canon[pid]
        if key not in out:
            out[key] = (score, len(out) + 1)
    return out
