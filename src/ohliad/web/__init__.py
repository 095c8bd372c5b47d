"""The web app, the JSON API and the feeds (``ohliad serve``)."""

from ohliad.web.app import create_app, serve, web_settings
from ohliad.web.deps import WebSettings

__all__ = ["WebSettings", "create_app", "serve", "web_settings"]
