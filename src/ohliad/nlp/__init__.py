"""Shared NLP helpers: sentence splitting, the spaCy pipeline, sentence embedders."""
