"""Small news pages written for these tests."""

from __future__ import annotations

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the tram network to the northern districts, "
    "ending a debate that had divided residents for more than three years.",
    "The plan adds eleven kilometres of track and fourteen stops, and the first section is "
    "expected to open in the spring of 2027, according to the transport department.",
    "Opponents argued that the money would be better spent on buses, which can change their "
    "routes as the city grows, but the motion passed by twenty-nine votes to twelve.",
    "Construction will begin next year once the final contracts are signed with the builders.",
]


def news_page(
    body: str = "",
    *,
    title: str = "Council approves northern tram line",
    head: str = "",
    charset: str = "utf-8",
) -> str:
    """A news article page with a header, navigation, the body and a footer."""
    paragraphs = body or "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}"><title>{title} | Riverside Courier</title>
<meta property="og:site_name" content="Riverside Courier">
<meta property="og:title" content="{title}">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00+02:00">
{head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{paragraphs}
</article></main>
<footer><p>Riverside Courier, 1 Quay Street. Contact the newsroom.</p></footer>
</body></html>"""
