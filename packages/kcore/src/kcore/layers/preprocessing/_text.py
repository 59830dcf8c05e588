"""Text standardization, splitting and n-grams for `TextVectorization`, on numpy arrays of `str`.

They reproduce TensorFlow's string ops as Keras uses them: lowercasing changes ASCII letters only,
punctuation is the 32 ASCII punctuation characters, whitespace splitting uses the ASCII
whitespace characters (runs of them count as one; leading and trailing ones are dropped), and
n-grams of each width are joined with a space, all widths in the order given.

Example:

>>> import numpy as np
>>> from kcore.layers.preprocessing import _text
>>> _text.standardize(np.array(["Hello, World!"]), "lower_and_strip_punctuation").tolist()
['hello world']
>>> _text.ngrams(["a", "b", "c"], (1, 2))
['a', 'b', 'c', 'a b', 'b c']
"""

from __future__ import annotations

import re
import string

import numpy as np

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_WHITESPACE = re.compile("[ \t\n\v\f\r]+")


def _map(texts: np.ndarray, fn) -> np.ndarray:
    return np.asarray([fn(t) for t in texts.reshape(-1).tolist()], dtype=str).reshape(texts.shape)


def standardize(texts: np.ndarray, mode: str) -> np.ndarray:
    """`texts` lowercased (``"lower"``), without punctuation (``"strip_punctuation"``) or both
    (``"lower_and_strip_punctuation"``)."""
    if mode in ("lower", "lower_and_strip_punctuation"):
        texts = _map(texts, lambda t: t.translate(_ASCII_LOWER))
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        texts = _map(texts, lambda t: _PUNCTUATION.sub("", t))
    return texts


def split(texts: np.ndarray, mode: str) -> list:
    """The tokens of each text of the 1-D `texts`: words (``"whitespace"``) or characters
    (``"character"``)."""
    if mode == "whitespace":
        return [[token for token in _WHITESPACE.split(t) if token] for t in texts.tolist()]
    return [list(t) for t in texts.tolist()]


def ngrams(tokens, widths) -> list:
    """The n-grams of `tokens` for each width of `widths`, in order (none for a width longer than
    the sequence)."""
    tokens = list(tokens)
    return [
        " ".join(tokens[start : start + width])
        for width in widths
        for start in range(len(tokens) - width + 1)
    ]
