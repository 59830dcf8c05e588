import pytest

from kcore.backend import capabilities, result_type, standardize_dtype


@pytest.mark.parametrize(
    "dtypes, expected",
    [
        (("int32", "float16"), "float16"),
        (("int8", "uint8"), "int16"),
        (("uint8", "uint16"), "uint16"),
        (("bfloat16", "float16"), "float32"),
        (("bfloat16", int), "bfloat16"),
        (("int32", float), "float32"),
        (("float16", float), "float16"),
        (("uint8", int), "uint8"),
        (("bool", int), "int32"),
        (("bool", "bool"), "bool"),
        ((int, float), "float32"),
        (("int64", "int64"), "int64 if the backend keeps 64 bits, else int32"),
        (("float64",), "float64 if the backend keeps 64 bits, else float32"),
        (("float32", "complex64"), "complex64"),
        (("int16", "float32"), "float32"),
        ((), "float32"),
        ((None,), "float32"),
    ],
)
def test_result_type_follows_keras(dtypes, expected):
    if " if " in expected:  # Keras 3 narrows 64-bit results on JAX only (without x64)
        wide, narrow = expected.split(" if the backend keeps 64 bits, else ")
        expected = wide if capabilities().keep_64bit else narrow
    assert result_type(*dtypes) == expected


def test_float8_needs_an_explicit_cast():
    with pytest.raises(ValueError, match="no implicit conversion from float8"):
        result_type("float8_e4m3fn", "float32")


def test_standardize_dtype_accepts_numpy_and_python_types():
    import ml_dtypes
    import numpy as np

    assert standardize_dtype(np.float32) == "float32"
    assert standardize_dtype(np.dtype("int64")) == "int64"
    assert standardize_dtype(ml_dtypes.bfloat16) == "bfloat16"
    assert standardize_dtype(float) == "float32"
    assert standardize_dtype(int) == "int32"
    assert standardize_dtype(None) == "float32"
    with pytest.raises(ValueError, match="Invalid dtype: 'float31'"):
        standardize_dtype("float31")
