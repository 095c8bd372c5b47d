"""The extract stage: clean article text and metadata from web pages.

``extract_html`` is what ``ohliad extract`` and the ingest stage call on a
page; ``clean_news_text`` is the news-cleaning pass that text, Markdown,
JSON Lines and feed ingest also run.
"""

from ohliad.extract.clean import clean_news_text
from ohliad.extract.errors import NoArticleTextError
from ohliad.extract.extractor import extract_html
from ohliad.extract.language import detect_language
from ohliad.extract.options import ExtractOptions
from ohliad.extract.outlets import outlet_from_url

__all__ = [
    "ExtractOptions",
    "NoArticleTextError",
    "clean_news_text",
    "detect_language",
    "extract_html",
    "outlet_from_url",
]
