"""Near-duplicate detection: a wire story republished by several outlets is
one report, not several sources.

MinHash over word 5-gram shingles with an LSH index (datasketch) finds
candidate copies in near-constant time; a candidate is confirmed when the
estimated Jaccard similarity of the two bodies reaches the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupConfig:
    shingle_words: int = 5
    num_perm: int = 128
    # LSH recall threshold, set below the confirmation threshold so that
    # true copies are not missed by the banding.
    candidate_threshold: float = 0.5
    copy_threshold: float = 0.7
    # Texts shorter than this many words are too short to call copies.
    min_words: int = 40


class NearDuplicateIndex:
    """Keyed by article id. Add originals only: a copy points at its original."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self._lsh = MinHashLSH(
            threshold=self.config.candidate_threshold, num_perm=self.config.num_perm
        )
        self._hashes: dict[int, MinHash] = {}
        # Drawn once: MinHash draws its 128 random permutations anew for every
        # text otherwise (0.5 ms, as long as hashing the text itself).
        template = MinHash(num_perm=self.config.num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme

    def __len__(self) -> int:
        return len(self._hashes)

    def signature(self, text: str) -> MinHash | None:
        """The text's MinHash of word shingles; None for a text too short to tell."""
        words = _WORD.findall(text.casefold())
        minhash = None
        if len(words) >= self.config.min_words:
            n = self.config.shingle_words
            minhash = MinHash(
                num_perm=self.config.num_perm,
                permutations=self._permutations,
                scheme=self._scheme,
            )
            minhash.update_batch(
                [" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)]
            )
        return minhash

    def find_original(self, text: str) -> int | None:
        """The id of the indexed article that ``text`` copies, if any."""
        return self.original_of(self.signature(text))

    def original_of(self, minhash: MinHash | None) -> int | None:
        """``find_original`` for a text whose signature is at hand (a fresh
        article is looked up, then added: its shingles are hashed once)."""
        if minhash is None:
            return None
        best_id, best_score = None, self.config.copy_threshold
        for candidate in self._lsh.query(minhash):
            score = minhash.jaccard(self._hashes[candidate])
            if score >= best_score:
                best_id, best_score = int(candidate), score
        return best_id

    def add(self, article_id: int, text: str) -> None:
        self.insert(article_id, self.signature(text))

    def insert(self, article_id: int, minhash: MinHash | None) -> None:
        """``add`` for a text whose signature is at hand."""
        if minhash is None or article_id in self._hashes:
            return
        self._lsh.insert(article_id, minhash)
        self._hashes[article_id] = minhash

    def remove(self, article_id: int) -> None:
        if article_id in self._hashes:
            self._lsh.remove(article_id)
            del self._hashes[article_id]

    def add_all(self, items: Iterable[tuple[int, str]]) -> None:
        for article_id, text in items:
            self.add(article_id, text)
