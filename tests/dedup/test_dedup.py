from ohliad.dedup import NearDuplicateIndex

WIRE = (
    "Lithuania ran the first test train on the new European-gauge line on Monday, reaching "
    "160 kilometres per hour between Kaunas and the Latvian border, the rail operator said. "
    "The project links the Baltic states to Poland and is due to open to passengers in 2030. "
    "Engineers will spend the spring checking signals, bridges and the overhead power line "
    "before freight services start, the operator added in a statement on its website."
)


def test_republished_wire_copy_is_found() -> None:
    index = NearDuplicateIndex()
    index.add(1, WIRE)
    copy = "Kaunas (Wire) - " + WIRE + " Follow us for more rail news."
    assert index.find_original(copy) == 1


def test_independent_report_is_not_a_copy() -> None:
    index = NearDuplicateIndex()
    index.add(1, WIRE)
    other = (
        "A test train crossed Lithuania at speed on Monday, and officials hailed a milestone for "
        "a project that has been delayed for years and whose cost has more than doubled. Critics "
        "in Vilnius say passengers will not see trains before the end of the decade, and that "
        "the line still lacks a station plan for the capital and a final route into Poland."
    )
    assert index.find_original(other) is None


def test_short_texts_are_never_called_copies() -> None:
    index = NearDuplicateIndex()
    index.add(1, "Breaking: train test today.")
    assert index.find_original("Breaking: train test today.") is None
    assert len(index) == 0


def test_removed_originals_are_not_found() -> None:
    index = NearDuplicateIndex()
    index.add(1, WIRE)
    index.remove(1)
    assert index.find_original(WIRE) is None


def test_signatures_match_datasketch_minhash_of_the_shingles() -> None:
    # The index draws its permutations once and reuses them; the signatures
    # must be those of a MinHash made afresh for each text.
    import re

    from datasketch import MinHash

    index = NearDuplicateIndex()
    for text in (WIRE, WIRE.replace("Monday", "Tuesday")):
        words = re.findall(r"\w+", text.casefold())
        fresh = MinHash(num_perm=index.config.num_perm)
        fresh.update_batch([" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)])
        signature = index.signature(text)
        assert signature is not None and (signature.hashvalues == fresh.hashvalues).all()
