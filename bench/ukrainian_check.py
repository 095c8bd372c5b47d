"""The editor's-desk checker (``ohliad.translate.check``) on real Ukrainian,
and the spell check that refuses garbage LLM replies.

Reads ../shared/data/translation/wmt23-en-uk/ (reference.uk, source.en,
systems/<name>.uk). The references are split by segment number: even ones
are the tuning half (the rules, the dictionary-gap list and the refusal
threshold were set looking at them), odd ones are held out and are what the
tables report. Measures, with the ``uk-press`` profile:

* false alarms: suggestions per 100 reference segments, and the share of
  segments with any, by kind (professional Ukrainian should draw almost none);
* what the checker reports on the 11 systems' outputs of the same segments;
* the refusal of garbage by ``validate.spelling_problem``: real text (the
  references and systems) refused, against shuffled letters, Russian text
  and transliterated English;
* run time per segment; optionally (spylls and Debian's hunspell-uk
  installed) Hunspell's unknown-word rate and speed on the same words.

Writes bench/results/ukrainian_check.md.

    PYTHONPATH=src python bench/ukrainian_check.py [--limit N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from ohliad.translate.check import Suggestion, UkrainianChecker
from ohliad.translate.names import transliterate_word
from ohliad.translate.options import TranslateOptions
from ohliad.translate.spelling import speller, unknown_share
from ohliad.translate.validate import MAX_UNKNOWN_SHARE, script_problem, spelling_problem

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "translation" / "wmt23-en-uk"
RUSSIAN = ROOT / "bench" / "data" / "ukrainian_check" / "russian.txt"
RESULTS = ROOT / "bench" / "results" / "ukrainian_check.md"
HUNSPELL = Path("/usr/share/hunspell/uk_UA")
KINDS = ("glossary", "name", "russism", "date", "number", "style", "spelling", "script")
_WORD = re.compile(r"\w+")
_INNER = re.compile(r"(?<=\w)\w+(?=\w)")


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def _kind_rows(name: str, found: Sequence[tuple[Suggestion, ...]]) -> list[str]:
    n = len(found)
    counts = Counter(s.kind for f in found for s in f)
    flagged = Counter(k for f in found for k in {s.kind for s in f})
    anything = sum(1 for f in found if f)
    cells = [f"{100 * counts[k] / n:.1f} / {flagged[k] / n:.1%}" for k in KINDS]
    return [name, str(n), *cells, f"{100 * sum(counts.values()) / n:.1f} / {anything / n:.1%}"]


def _shuffled(text: str, rng: random.Random) -> str:
    """Each word's inner letters shuffled (Ukrainian-looking, unreadable)."""

    def shuffle(match: re.Match[str]) -> str:
        letters = list(match.group())
        rng.shuffle(letters)
        return "".join(letters)

    return _INNER.sub(shuffle, text)


def _transliterated(english: str) -> str:
    """English written in Cyrillic letters, as a broken model may reply."""
    return _WORD.sub(lambda m: transliterate_word(m.group()).lower(), english)


def _refused(texts: Sequence[str], check: Callable[[str], str | None]) -> str:
    refused = sum(1 for t in texts if check(t))
    return f"{refused / len(texts):.1%} ({refused}/{len(texts)})"


def _both(text: str) -> str | None:
    return script_problem(text) or spelling_problem(text)


def _hunspell_rows(words: list[str]) -> list[list[str]]:
    try:
        from spylls.hunspell import Dictionary
    except ImportError:
        return []
    if not HUNSPELL.with_suffix(".dic").exists():
        return []
    started = time.perf_counter()
    dictionary = Dictionary.from_files(str(HUNSPELL))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    unknown = sum(1 for w in words if not dictionary.lookup(w))
    per_word = (time.perf_counter() - started) / len(words)
    return [
        [
            "Hunspell uk_UA (spylls)",
            f"{unknown / len(words):.2%}",
            f"{per_word * 1e6:.0f} µs",
            f"{loaded:.1f} s",
        ]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="held-out segments to use (default: all)")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is missing (see ../shared/README.md)")
        return 0
    references = _lines(DATA / "reference.uk")
    sources = _lines(DATA / "source.en")
    held_out = list(range(1, len(references), 2))[: args.limit]
    tuning = list(range(0, len(references), 2))[: args.limit]
    systems = {p.stem: _lines(p) for p in sorted((DATA / "systems").glob("*.uk"))}

    started = time.perf_counter()
    checker = UkrainianChecker.from_options(TranslateOptions(style="uk-press"))
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    on_references = [checker.check(references[i]) for i in held_out]
    per_segment = (time.perf_counter() - started) / len(held_out)
    on_tuning = [checker.check(references[i]) for i in tuning]
    on_systems = {
        name: [checker.check(lines[i]) for i in held_out] for name, lines in systems.items()
    }

    header = ["text", "segments", *KINDS, "all"]
    lines = [
        "# Ukrainian checker (editor's desk) on WMT23 en→uk",
        "",
        "Generated by `bench/ukrainian_check.py`, style profile `uk-press`. Each cell is",
        "suggestions per 100 segments / share of segments with at least one. The references",
        "are professional translations: everything reported on them is a false alarm, or",
        "(uk-press only) a capital Росія the house style lowers, or a real slip of the",
        f"translator. Held out: the {len(held_out)} odd-numbered segments; the even ones tuned",
        "the rules.",
        "",
        "## False alarms on the references, and reports on the systems (held-out half)",
        "",
        *_table(
            header,
            [
                _kind_rows("references (held out)", on_references),
                _kind_rows("references (tuning half)", on_tuning),
                *(_kind_rows(name, found) for name, found in on_systems.items()),
            ],
        ),
        "",
        "Examples on the held-out references (the first three of each kind):",
        "",
    ]
    for kind in KINDS:
        examples = [s for f in on_references for s in f if s.kind == kind][:3]
        lines += [f"- {kind}: " + "; ".join(f"`{s.message}`" for s in examples)] if examples else []
    lines += ["", "Examples on the systems (the first three of each kind, all systems):", ""]
    for kind in KINDS:
        examples = [s for found in on_systems.values() for f in found for s in f if s.kind == kind]
        lines += (
            [f"- {kind}: " + "; ".join(f"`{s.message}`" for s in examples[:3])] if examples else []
        )

    rng = random.Random(26)
    real_tuning = [references[i] for i in tuning] + [t[i] for t in systems.values() for i in tuning]
    real = [references[i] for i in held_out] + [t[i] for t in systems.values() for i in held_out]
    shuffled = [_shuffled(references[i], rng) for i in held_out]
    transliterated = [_transliterated(sources[i]) for i in held_out]
    russian = [line for line in _lines(RUSSIAN) if line and not line.startswith("#")]
    russian_plain = [t for t in russian if not script_problem(t)]
    shares = sorted(unknown_share(t)[0] for t in real_tuning)
    lines += [
        "",
        "## Garbage replies refused by the spell check",
        "",
        f"`validate.spelling_problem` refuses a reply when over {MAX_UNKNOWN_SHARE:.0%} of its",
        "lower-case Ukrainian words are unknown (at least "
        "`MIN_WORDS_FOR_SPELLING` words). The threshold was chosen on the tuning half: "
        f"there the 99th, 99.9th percentile and maximum unknown share of real text are "
        f"{shares[int(0.99 * len(shares))]:.1%}, {shares[int(0.999 * len(shares))]:.1%} and "
        f"{shares[-1]:.1%}.",
        "",
        *_table(
            ["text", "refused by the spell check", "refused by script + spell check"],
            [
                [
                    "references + 11 systems (held out)",
                    _refused(real, spelling_problem),
                    _refused(real, _both),
                ],
                [
                    "shuffled letters (held-out references)",
                    _refused(shuffled, spelling_problem),
                    _refused(shuffled, _both),
                ],
                [
                    "Russian (bench/data/ukrainian_check/russian.txt)",
                    _refused(russian, spelling_problem),
                    _refused(russian, _both),
                ],
                [
                    "… of it, without ы э ъ ё",
                    _refused(russian_plain, spelling_problem),
                    _refused(russian_plain, _both),
                ],
                [
                    "English transliterated into Cyrillic",
                    _refused(transliterated, spelling_problem),
                    _refused(transliterated, _both),
                ],
            ],
        ),
    ]

    spell = speller()
    mean_chars = sum(len(references[i]) for i in held_out) // len(held_out)
    words = [u.word for i in held_out for u in [*spell.unknown_words(references[i])]]
    checked = [w for i in held_out for w in spell.checked_words(references[i]) if "-" not in w]
    started = time.perf_counter()
    pymorphy_unknown = sum(1 for w in checked if not spell.known(w))
    per_word = (time.perf_counter() - started) / len(checked)
    lines += [
        "",
        "## Spell checkers compared (lower-case words of the held-out references)",
        "",
        f"{len(checked)} words without hyphens; the checker's speller also reports "
        f"{len(words)} unknown words (hyphenated ones included), e.g. "
        + ", ".join(sorted(set(words))[:15])
        + ".",
        "",
        *_table(
            ["speller", "words unknown", "per word", "load"],
            [
                [
                    "pymorphy3 + pymorphy3-dicts-uk (chosen)",
                    f"{pymorphy_unknown / len(checked):.2%}",
                    f"{per_word * 1e6:.0f} µs",
                    f"{load_s:.1f} s (checker)",
                ],
                *_hunspell_rows(checked),
            ],
        ),
        "",
        "## Speed",
        "",
        f"Checker load {load_s:.2f} s; {per_segment * 1000:.1f} ms per segment "
        f"(mean of {len(held_out)} reference segments, {mean_chars} characters on average), "
        "corrections for unknown words included.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
