"""Reporters: render summaries and findings as text (rich), JSON, ..."""
