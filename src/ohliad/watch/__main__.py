"""``python -m ohliad.watch FEED_LIST [--once] [--db DB] [--allow-private]``:
the ``ohliad watch`` command on its own."""

import typer

from ohliad.watch.command import watch

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(watch)

if __name__ == "__main__":
    app()
