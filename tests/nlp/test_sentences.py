from ohliad.nlp.sentences import split_paragraphs, split_sentences


def test_quotations_stay_whole_and_titles_end_no_sentence() -> None:
    text = (
        '"I have been here six days. My company is losing money," said a driver. '
        "Lt. Gen. Anna Smith arrived on Monday. Mr. Lee left at 3 p.m. and flew to the U.S. capital."
    )
    assert split_sentences(text) == [
        '"I have been here six days. My company is losing money," said a driver.',
        "Lt. Gen. Anna Smith arrived on Monday.",
        "Mr. Lee left at 3 p.m. and flew to the U.S. capital.",
    ]


def test_line_breaks_end_sentences_and_an_open_quote_does_not_cross_them() -> None:
    text = 'He said: "We will stay.\n\nThe talks went on.'
    assert split_sentences(text) == ['He said: "We will stay.', "The talks went on."]
    assert split_paragraphs(" a \n\n b ") == ["a", "b"]
