import gzip
import json
from pathlib import Path

from ohliad.ingest import IngestFailure, read_inputs
from ohliad.models import Article

BODY = " ".join(["The city council approved the new budget on Tuesday after a long debate."] * 8)


def _split(outcomes: list) -> tuple[list[Article], list[IngestFailure]]:
    return (
        [o for o in outcomes if isinstance(o, Article)],
        [o for o in outcomes if isinstance(o, IngestFailure)],
    )


def test_bad_inputs_fail_one_by_one_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "broken.xml").write_text("<rss><channel><item><title>x</ite")
    (tmp_path / "good.txt").write_text(f"Budget approved\n\n{BODY}\n")
    outcomes = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    articles, failures = _split(outcomes)
    assert [a.title for a in articles] == ["Budget approved"]
    reasons = {Path(f.origin).name: f.reason for f in failures}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file, not text"
    assert "feed" in reasons["broken.xml"]
    assert reasons["missing.txt"] == "no such file or folder"
    assert all("\n" not in str(f) for f in failures)


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    text = (
        "Київ заявив про нові переговори\n\n"
        + "Міністр закордонних справ України заявив, що переговори відбудуться наступного тижня у Варшаві. "
        * 4
    )
    path = tmp_path / "cp1251.txt"
    path.write_bytes(text.encode("cp1251"))
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, Article)
    assert article.title == "Київ заявив про нові переговори"
    assert article.language == "uk"


def test_jsonl_bad_line_names_its_line(tmp_path: Path) -> None:
    good = {
        "url": "https://a.example/1?utm_source=x",
        "title": "T",
        "text": BODY,
        "published": "2026-03-01T10:00:00Z",
        "outlet": "A",
    }
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n")
    articles, failures = _split(list(read_inputs([str(path)])))
    assert [a.url for a in articles] == ["https://a.example/1"]
    assert [f.origin for f in failures] == [f"{path}:2", f"{path}:3"]


def test_gzipped_html_and_broken_html(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Flood waters recede</title></head><body><article><h1>Flood waters recede</h1>"
        + "".join(f"<p>{BODY} Paragraph {i}.</p>" for i in range(4))
        + "</article></body></html>"
    )
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page.encode()))
    (tmp_path / "broken.html").write_text("<html><body><p>Unclosed <b>tags " + BODY + "<div><p>")
    (tmp_path / "bad.html.gz").write_bytes(b"not gzip at all")
    outcomes = list(read_inputs([str(tmp_path)]))
    articles, failures = _split(outcomes)
    assert any(a.title == "Flood waters recede" for a in articles)
    assert any(Path(f.origin).name == "bad.html.gz" and "gzip" in f.reason for f in failures)


def test_sample_corpus_reads_without_failures(sample_dir: Path) -> None:
    articles, failures = _split(list(read_inputs([str(sample_dir)])))
    assert failures == []
    expected = json.loads((sample_dir / "expected.json").read_text())
    gold = {url for urls in expected["stories"].values() for url in urls}
    assert {a.url for a in articles} == gold


def test_undated_article_takes_the_day_in_its_url(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"url": "https://n.example/world/2026/02/26/story", "title": "T", "text": BODY})
        + "\n"
    )
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, Article)
    assert article.published is not None and article.published.date().isoformat() == "2026-02-26"
