"""The examples train: the README's main job (examples/digits.py: trains, evaluates, saves and
reloads), and the convolutional and LSTM classifiers of the layer catalog."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kcore

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.needs_training
def test_digits_example_reaches_95_percent_and_reloads(tmp_path):
    pytest.importorskip("sklearn")
    env = {**os.environ, "KCORE_BACKEND": kcore.backend.backend()}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "digits.py"), "--output", str(tmp_path / "d.keras")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "the reloaded model predicts the same: True" in result.stdout
    best = float(result.stdout.split("best validation accuracy ")[1].split(";")[0])
    assert best >= 0.95
    assert "Epoch 1/20" in result.stdout


@pytest.mark.needs_training
@pytest.mark.parametrize(("example", "least"), [("digits_cnn.py", 0.95), ("digits_lstm.py", 0.9)])
def test_layer_catalog_examples_train_to_a_useful_accuracy(example, least):
    pytest.importorskip("sklearn")
    env = {**os.environ, "KCORE_BACKEND": kcore.backend.backend()}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / example)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    accuracy = float(result.stdout.split("test accuracy ")[1].split()[0])
    assert accuracy >= least
