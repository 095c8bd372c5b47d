"""``python -m ohliad.watch [FEED_LIST] [--once] [--config FILE] [--SETTING VALUE …]``:
the feed watcher as a service. Without FEED_LIST it polls the feed list the
setting ``feeds`` names, if any, after adding its feeds to the watch list in
the database, and the watch list as it is otherwise; every setting can be given as a flag
(``--db``, ``--translator``, ``--allow-private``, ``--host-delay`` …), else
comes from the environment and the config file (``ohliad.settings``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from ohliad.errors import OhliadError, one_line
from ohliad.settings import Settings, debug_requested
from ohliad.watch.command import run_watch


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ohliad.watch", description=__doc__)
    parser.add_argument("feed_list", nargs="?", type=Path, help="a .toml feed list or .opml")
    parser.add_argument("--once", action="store_true", help="poll every due feed once and exit")
    parser.add_argument(
        "--now", action="store_true", help="poll every feed now, backing-off and parked ones too"
    )
    parser.add_argument("--config", type=Path, help="the config file (default: ohliad.toml)")
    for name, field in Settings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        if field.annotation is bool:
            parser.add_argument(flag, action="store_const", const=True, help=field.description)
        else:
            parser.add_argument(flag, metavar="VALUE", help=field.description)
    return parser


def main() -> int:
    args = _parser().parse_args()
    console = Console(stderr=True, soft_wrap=True)
    try:
        flags = {name: getattr(args, name) for name in Settings.model_fields}
        settings = Settings.load(args.config, **flags)
        feed_list = args.feed_list or settings.feeds
        return run_watch(settings, feed_list, once=args.once, now=args.now, console=console)
    except OhliadError as error:
        if debug_requested():
            raise
        console.print(f"error: {one_line(str(error))}", highlight=False, markup=False)
        return 2


sys.exit(main())
