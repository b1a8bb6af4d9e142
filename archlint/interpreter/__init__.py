"""Abstract interpretation of model-building Python code into a Keras layer graph."""

from .entries import Analysis, EntryResult, analyze

__all__ = ["Analysis", "EntryResult", "analyze"]
