"""Contract group ``math``: special functions, segment reductions, top-k, FFTs and STFTs."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("math")


def _segment_spec(data, segment_ids, num_segments=None, sorted=False):
    from kcore.backend.keras_tensor import KerasTensor

    return KerasTensor((num_segments, *data.shape[1:]), data.dtype)


@group.required(output_spec=_segment_spec)
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id (1-D `segment_ids`, one per row of `data`).

    Result shape `(num_segments, *data.shape[1:])`, dtype of `data`; `num_segments=None` means
    `max(segment_ids) + 1`. Negative ids and ids `>= num_segments` are dropped; `sorted` is a hint.
    """


@group.required(output_spec=_segment_spec)
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Like `segment_sum`, with the maximum; empty segments hold the dtype's lowest value
    (``-inf`` for floats)."""


@group.required
def top_k(x, k, sorted=True):
    """The `k` largest entries along the last axis: `(values, indices)`, indices int32.

    Values come in descending order, ties in ascending index order (also for `sorted=False`).
    """


@group.required
def in_top_k(targets, predictions, k):
    """Bool tensor of `targets`' shape: whether `predictions[..., targets]` is among the `k` largest
    entries of its row (ties count as in, NaN predictions as out)."""


@group.required
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x), axis))`, computed stably; ints and bools give floatx."""


@group.required
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames the last axis: shape `(..., num_sequences, sequence_length)` with
    `num_sequences = 1 + (N - sequence_length) // sequence_stride` (0 when `N < sequence_length`)."""


@group.required
def fft(x):
    """1-D FFT along the last axis of the complex tensor `x = (real, imag)` (float tensors of the
    same shape); returns `(real, imag)` with the dtype of `real`."""


@group.required
def fft2(x):
    """2-D FFT over the last two axes of `x = (real, imag)`; returns `(real, imag)`."""


@group.required
def ifft2(x):
    """Inverse 2-D FFT (scaled by `1/(M*N)`) over the last two axes of `x = (real, imag)`;
    returns `(real, imag)`."""


@group.required
def rfft(x, fft_length=None):
    """FFT of the real `x` along its last axis, cropped or zero-padded to `fft_length` (default:
    the axis length); returns `(real, imag)` of length `fft_length // 2 + 1`. Ints give floatx."""


@group.required
def irfft(x, fft_length=None):
    """Inverse of `rfft`: `x = (real, imag)` holds `fft_length // 2 + 1` bins (default
    `fft_length = 2 * (bins - 1)`); returns the real signal of length `fft_length`."""


@group.required
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time FFT along the last axis of float32/float64 `x`: `(real, imag)` of shape
    `(..., num_sequences, fft_length // 2 + 1)`.

    Frames of `fft_length` samples every `sequence_stride` (after reflect-padding `fft_length // 2`
    on both sides when `center`), times `window` (``"hann"``, ``"hamming"`` (periodic), a tensor of
    length `sequence_length`, or None) zero-padded to `fft_length` in the middle; unnormalized.
    """


@group.required
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse of `stft` with the same arguments (windowed overlap-add divided by the summed
    squared window), for `x = (real, imag)`; `length` crops the signal to that many samples."""


@group.required
def rsqrt(x):
    """`1 / sqrt(x)` element-wise; ints and bools give floatx."""


@group.required
def erf(x):
    """The error function, element-wise; ints and bools give floatx."""


@group.required
def erfinv(x):
    """The inverse error function (`erf(erfinv(x)) == x` on (-1, 1), ±inf at ±1, NaN outside);
    ints and bools give floatx."""


@group.required
def logdet(x):
    """`log(det(x))` of (a batch of) Hermitian positive-definite matrices `(..., M, M)`, computed
    as `log|det(x)|`."""


@group.required
def view_as_complex(x):
    """The complex tensor `x[..., 0] + 1j * x[..., 1]` (float64 gives complex128, other floats
    complex64)."""


@group.required
def view_as_real(x):
    """The real tensor of shape `(..., 2)` holding the real and imaginary parts of `x` (complex128
    gives float64, complex64 float32; a real `x` gets zero imaginary parts)."""
