"""English→Ukrainian translation quality on WMT23 (2 074 segments), against the
11 WMT systems scored in the same process.

Reads ../shared/data/translation/wmt23-en-uk/: source.en, reference.uk and
systems/<name>.uk. Prints corpus chrF and BLEU (sacrebleu) for

* the peer systems, as published (ONLINE-B must come out at chrF 61.7);
* each peer after ohliad's finishing pass (glossary corrections, names, dates
  and numbers, house style), which shows what that pass changes;
* optionally an ohliad engine (``--engine bergamot|llm|auto``, configured as
  ``ohliad`` is: OHLIAD_* variables), or a file of hypotheses (``--hypotheses``),

with glossary compliance on the segments whose source contains a glossary
term, the share of segments that pass ohliad's validation (a good system
should almost never be rejected) and, for engines, segments per second.
Writes bench/results/translation.md.

    PYTHONPATH=src python bench/translation.py [--engine NAME | --hypotheses FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sacrebleu

from ohliad.assembly import translate_options
from ohliad.settings import Settings
from ohliad.translate import TranslatorUnavailableError, open_translator
from ohliad.translate.glossary import GlossaryTerm
from ohliad.translate.ukrainian import Finisher, PreparedSegment, finisher_for, translate_segments
from ohliad.translate.validate import translation_problem

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "translation" / "wmt23-en-uk"
RESULTS = ROOT / "bench" / "results" / "translation.md"
PUBLISHED_ONLINE_B_CHRF = 61.7
BATCH = 16


@dataclass(frozen=True)
class Row:
    system: str
    chrf: float
    bleu: float
    compliant: int
    with_terms: int
    passing: int
    segments: int
    per_second: float | None = None

    def cells(self) -> list[str]:
        share = f"{self.compliant / self.with_terms:.1%}" if self.with_terms else "—"
        rate = f"{self.per_second:.2f}" if self.per_second is not None else "—"
        return [
            self.system,
            f"{self.chrf:.1f}",
            f"{self.bleu:.1f}",
            f"{share} ({self.compliant}/{self.with_terms})",
            f"{self.passing / self.segments:.1%}",
            rate,
        ]


def score(
    system: str,
    sources: Sequence[str],
    hypotheses: Sequence[str],
    references: Sequence[str],
    terms: Sequence[Sequence[GlossaryTerm]],
    per_second: float | None = None,
) -> Row:
    """Corpus scores; ``terms`` are the glossary terms of each source segment."""
    with_terms = sum(bool(t) for t in terms)
    compliant = sum(
        bool(t) and all(term.rendered_in(h) for term in t)
        for t, h in zip(terms, hypotheses, strict=True)
    )
    passing = sum(
        bool(h) and translation_problem(s, h) is None
        for s, h in zip(sources, hypotheses, strict=True)
    )
    return Row(
        system=system,
        chrf=sacrebleu.corpus_chrf(hypotheses, [references]).score,
        bleu=sacrebleu.corpus_bleu(hypotheses, [references]).score,
        compliant=compliant,
        with_terms=with_terms,
        passing=passing,
        segments=len(sources),
        per_second=per_second,
    )


def read_lines(path: Path, limit: int | None) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines[:limit] if limit else lines


def run_engine(
    name: str, prepared: Sequence[PreparedSegment], finisher: Finisher
) -> tuple[list[str], float] | str:
    """The engine's finished, validated translations ('' where it failed) and
    segments per second, or why it could not run."""
    try:
        translator = open_translator(replace(translate_options(Settings.load()), engine=name))
    except TranslatorUnavailableError as error:
        return str(error)
    started = time.perf_counter()
    outputs: list[str] = []
    for start in range(0, len(prepared), BATCH):
        progress = translate_segments(prepared[start : start + BATCH], translator, finisher)
        outputs.extend(t or "" for t in progress.texts)
        print(f"\r{translator.name}: {len(outputs)}/{len(prepared)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return outputs, len(prepared) / (time.perf_counter() - started)


def table(rows: Sequence[Row]) -> str:
    header = ["system", "chrF", "BLEU", "glossary compliance", "passes checks", "seg/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--engine", help="an ohliad translator: bergamot, llm or auto")
    choice.add_argument("--hypotheses", type=Path, help="a file of translations, one a line")
    parser.add_argument("--limit", type=int, help="only the first N segments")
    parser.add_argument("--style", default="neutral", help="house-style profile")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: benchmark data not found at {DATA} (../shared is missing)")
        return 0

    sources = read_lines(DATA / "source.en", args.limit)
    references = read_lines(DATA / "reference.uk", args.limit)
    finisher = finisher_for(args.style, None)
    print(f"preparing {len(sources)} segments (glossary terms, names)...", file=sys.stderr)
    prepared = finisher.prepare([(s, "sentence") for s in sources])
    terms = [[term for _, term in finisher.glossary.terms_in(s)] for s in sources]

    peers, finished_peers = [], []
    for path in sorted((DATA / "systems").glob("*.uk")):
        hypotheses = read_lines(path, args.limit)
        print(f"scoring {path.stem}...", file=sys.stderr)
        peers.append(score(path.stem, sources, hypotheses, references, terms))
        refined = [finisher.finish(p, h) for p, h in zip(prepared, hypotheses, strict=True)]
        finished_peers.append(
            score(path.stem + " + ohliad finishing", sources, refined, references, terms)
        )
    peers.sort(key=lambda r: -r.chrf)
    finished_peers.sort(key=lambda r: -r.chrf)

    ours: list[Row] = []
    notes: list[str] = []
    if args.hypotheses:
        hypotheses = read_lines(args.hypotheses, args.limit)
        if len(hypotheses) != len(sources):
            print(f"error: {args.hypotheses} has {len(hypotheses)} lines, not {len(sources)}")
            return 1
        ours.append(score(args.hypotheses.name, sources, hypotheses, references, terms))
    if args.engine:
        outcome = run_engine(args.engine, prepared, finisher)
        if isinstance(outcome, str):
            notes.append(f"engine {args.engine!r} not run: {outcome}")
        else:
            outputs, rate = outcome
            ours.append(score(f"ohliad {args.engine}", sources, outputs, references, terms, rate))

    online_b = next((r for r in peers if r.system == "ONLINE-B"), None)
    check = (
        f"check: ONLINE-B chrF {online_b.chrf:.1f} (published {PUBLISHED_ONLINE_B_CHRF})"
        if online_b and not args.limit
        else "check: skipped (--limit)"
    )
    report = "\n\n".join(
        [
            "# Translation: WMT23 en→uk",
            f"{len(sources)} segments; sacrebleu {sacrebleu.__version__} corpus chrF and BLEU; "
            f"glossary compliance over segments whose source has a term of the bundled "
            f"glossary ({len(finisher.glossary.terms)} terms); 'passes checks' = share of "
            "segments ohliad's validator accepts as Ukrainian.",
            check,
            *(["## ohliad\n\n" + table(ours)] if ours else []),
            *notes,
            "## Peers as published\n\n" + table(peers),
            "## Peers after ohliad's finishing pass\n\n" + table(finished_peers),
        ]
    )
    print(report)
    if not args.no_write and not args.limit:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
