"""Which web archives a backfill reads: ``.warc`` and ``.warc.gz`` files,
folders of them, and list files (one path a line, as Common Crawl's
``warc.paths``; relative paths are read from the list's folder)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ohliad.ingest import IngestFailure
from ohliad.ingest.sources import path_name

ARCHIVE_SUFFIXES = (".warc", ".warc.gz")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def _listed(list_file: Path) -> Iterator[Path | IngestFailure]:
    try:
        text = list_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a UTF-8 text file"
        yield IngestFailure(path_name(list_file), f"cannot read the list of archives ({reason})")
        return
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        path = Path(entry)
        path = path if path.is_absolute() else list_file.parent / path
        if is_archive(path):
            yield path
        else:
            where = f"{path_name(list_file)}, line {number}"
            yield IngestFailure(where, f"{entry}: not a .warc or .warc.gz file")


def archive_paths(inputs: Sequence[str]) -> Iterator[Path | IngestFailure]:
    """The archives the inputs name, in order, each once (as an absolute
    path: its name in the store), and a failure for each input that names
    none."""
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found: list[Path | IngestFailure] = [
                p for p in sorted(path.rglob("*")) if p.is_file() and is_archive(p)
            ]
            if not found:
                found = [IngestFailure(path_name(path), "no .warc or .warc.gz file in this folder")]
        elif not path.exists():
            found = [IngestFailure(path_name(path), "no such file or folder")]
        elif is_archive(path):
            found = [path]
        else:
            found = list(_listed(path))
        for entry in found:
            if isinstance(entry, Path):
                entry = entry.resolve()
                if entry in seen:
                    continue
                seen.add(entry)
            yield entry
