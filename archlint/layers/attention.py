"""Attention layers: MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention."""

from __future__ import annotations
