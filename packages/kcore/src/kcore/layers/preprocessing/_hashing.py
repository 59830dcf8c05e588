"""The hash functions behind Keras's hashing layers, computed on the host so that `Hashing`,
`HashedCrossing` and the lookups' out-of-vocabulary buckets give Keras's bin numbers.

- Unsalted: FarmHash ``Fingerprint64`` of the value's string form, modulo the number of bins (what
  ``tf.strings.to_hash_bucket_fast`` computes). The fingerprint comes from the ``farmhash`` module
  of the `cityhash` package (``pip install cityhash``).
- Salted: keyed SipHash-2-4 with the two salt integers as its 128-bit key
  (``tf.strings.to_hash_bucket_strong``).
- Crossing: each feature's 64-bit hash (an integer's own value, a string's fingerprint) folded
  into a running fingerprint with ``FingerprintCat64`` from the seed ``0xDECAFCAFFE``
  (``tf.sparse.cross_hashed``).

Numbers hash through their decimal string (floats are truncated to integers first), booleans
through ``"true"`` / ``"false"``, as TensorFlow's ``as_string`` writes them.

Example:

>>> import numpy as np
>>> from kcore.layers.preprocessing._hashing import hash_values
>>> hash_values(np.array(["A", "B", "C"]), num_bins=3).tolist()
[1, 0, 1]
"""

from __future__ import annotations

import numpy as np

_MASK64 = (1 << 64) - 1
_CROSS_SEED = 0xDECAFCAFFE
_CAT_MULTIPLIER = np.uint64(0xC6A4A7935BD1E995)
_SHIFT = np.uint64(47)


def _farmhash_fingerprint():
    try:
        import farmhash
    except ImportError:
        raise ImportError(
            "kcore's hashing layers (Hashing, HashedCrossing, and the lookups' hashed "
            "out-of-vocabulary buckets) need FarmHash: `pip install cityhash`."
        ) from None
    # `cityhash` names it Fingerprint64; the older `pyfarmhash` (same module name) fingerprint64.
    return getattr(farmhash, "Fingerprint64", None) or farmhash.fingerprint64


def _rotate(x: int, bits: int) -> int:
    return ((x << bits) | (x >> (64 - bits))) & _MASK64


def siphash(key0: int, key1: int, data: bytes) -> int:
    """SipHash-2-4 of `data` under the 128-bit key `(key0, key1)`, as an unsigned 64-bit int."""
    v0 = (key0 & _MASK64) ^ 0x736F6D6570736575
    v1 = (key1 & _MASK64) ^ 0x646F72616E646F6D
    v2 = (key0 & _MASK64) ^ 0x6C7967656E657261
    v3 = (key1 & _MASK64) ^ 0x7465646279746573

    def rounds(count):
        nonlocal v0, v1, v2, v3
        for _ in range(count):
            v0 = (v0 + v1) & _MASK64
            v1 = _rotate(v1, 13) ^ v0
            v0 = _rotate(v0, 32)
            v2 = (v2 + v3) & _MASK64
            v3 = _rotate(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK64
            v3 = _rotate(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK64
            v1 = _rotate(v1, 17) ^ v2
            v2 = _rotate(v2, 32)

    whole = len(data) - len(data) % 8
    for start in range(0, whole, 8):
        word = int.from_bytes(data[start : start + 8], "little")
        v3 ^= word
        rounds(2)
        v0 ^= word
    last = ((len(data) & 0xFF) << 56) | int.from_bytes(data[whole:], "little")
    v3 ^= last
    rounds(2)
    v0 ^= last
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


def as_bytes(value) -> bytes:
    """The string form TensorFlow hashes for `value`, as UTF-8 bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bool, np.bool_)):
        return b"true" if value else b"false"
    if isinstance(value, (float, np.floating)):
        value = int(value)
    return str(int(value)).encode("ascii")


def hash_values(values, num_bins: int, salt=None) -> np.ndarray:
    """The bin in [0, num_bins) of each element of `values` (strings or numbers), as int64.

    Args:
        values: a numpy array.
        num_bins: the number of bins.
        salt: None (FarmHash Fingerprint64), or a pair of integers keying SipHash-2-4.
    """
    values = np.asarray(values)
    uniques, inverse = np.unique(values.reshape(-1), return_inverse=True)
    if salt is None:
        fingerprint = _farmhash_fingerprint()
        hashes = [fingerprint(as_bytes(v)) for v in uniques.tolist()]
    else:
        hashes = [siphash(salt[0], salt[1], as_bytes(v)) for v in uniques.tolist()]
    bins = np.array([h % num_bins for h in hashes], dtype=np.int64)
    return bins[inverse.reshape(-1)].reshape(values.shape)


def _fingerprint_cat(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``FingerprintCat64`` of two uint64 arrays (wrapping 64-bit arithmetic)."""
    result = first ^ _CAT_MULTIPLIER
    mixed = second * _CAT_MULTIPLIER
    result ^= (mixed ^ (mixed >> _SHIFT)) * _CAT_MULTIPLIER
    result *= _CAT_MULTIPLIER
    result = (result ^ (result >> _SHIFT)) * _CAT_MULTIPLIER
    return result ^ (result >> _SHIFT)


def _feature_hashes(column: np.ndarray) -> np.ndarray:
    if column.dtype.kind in "iu":
        return column.astype(np.int64).view(np.uint64)
    fingerprint = _farmhash_fingerprint()
    return np.array([fingerprint(as_bytes(v)) for v in column.tolist()], dtype=np.uint64)


def cross_hash(columns, num_bins: int) -> np.ndarray:
    """The bin in [0, num_bins) of the cross of equal-length 1-D `columns` (integers or
    strings), row by row, as int64."""
    result = np.full(len(columns[0]), _CROSS_SEED, dtype=np.uint64)
    for column in columns:
        result = _fingerprint_cat(result, _feature_hashes(np.asarray(column)))
    return (result % np.uint64(num_bins)).astype(np.int64)
