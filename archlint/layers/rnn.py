"""Recurrent layers: SimpleRNN, LSTM, GRU, their cells, RNN, Bidirectional, ConvLSTM."""

from __future__ import annotations
