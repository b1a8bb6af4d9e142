"""Preprocessing and augmentation layers: rescaling, normalization, resizing, lookups, random transforms."""

from __future__ import annotations
