"""Recurrent layers: the RNN wrapper, SimpleRNN/LSTM/GRU and their cells, Bidirectional, TimeDistributed, ConvLSTM."""

__all__: list[str] = []
