"""ohliad: a news digest engine."""

__version__ = "0.1.0"
