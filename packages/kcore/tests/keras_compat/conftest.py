"""The Keras 3 comparison suite: runs only where the pip `keras` package is installed (the nox
session `keras_compat` installs it beside kcore; the ordinary test sessions skip this folder).

Keras runs on the same backend as kcore, chosen before `keras` is first imported."""

import importlib.util
import os

import pytest

import kcore

if importlib.util.find_spec("keras") is None:
    collect_ignore_glob = ["test_*.py"]
else:
    os.environ.setdefault("KERAS_BACKEND", kcore.backend.backend())


@pytest.fixture(scope="session")
def keras():
    import keras

    if not kcore.backend.capabilities().supports_training:
        pytest.skip("compared on the training backends (Keras's numpy backend lacks parts of them)")
    if keras.backend.backend() != kcore.backend.backend():
        pytest.skip(
            f"Keras runs on {keras.backend.backend()!r}, kcore on {kcore.backend.backend()!r}; "
            "set KERAS_BACKEND to kcore's backend."
        )
    return keras
