import numpy as np

from kcore import callbacks as cbks


def _train(logger, model, rows, start=0):
    logger.set_model(model)
    logger.on_train_begin()
    for epoch, logs in enumerate(rows, start=start):
        logger.on_epoch_end(epoch, logs)
    logger.on_train_end()


def test_writes_one_row_per_epoch_with_sorted_columns(tmp_path, model):
    path = tmp_path / "log.csv"
    _train(
        cbks.CSVLogger(str(path)), model, [{"loss": 0.5, "acc": 0.25}, {"loss": 0.125, "acc": 1}]
    )
    assert path.read_bytes().decode() == "epoch,acc,loss\r\n0,0.25,0.5\r\n1,1.0,0.125\r\n"


def test_append_continues_the_file_without_a_second_header(tmp_path, model):
    path = tmp_path / "log.csv"
    _train(cbks.CSVLogger(str(path)), model, [{"loss": 0.5}])
    _train(cbks.CSVLogger(str(path), append=True), model, [{"loss": 0.25}], start=1)
    assert path.read_text().splitlines() == ["epoch,loss", "0,0.5", "1,0.25"]
    _train(cbks.CSVLogger(str(path)), model, [{"loss": 0.75}])
    assert path.read_text().splitlines() == ["epoch,loss", "0,0.75"]


def test_separator_and_array_values(tmp_path, model):
    path = tmp_path / "log.tsv"
    _train(
        cbks.CSVLogger(str(path), separator="\t"),
        model,
        [{"loss": 0.5, "per_class": np.array([1.0, 2.0])}],
    )
    assert path.read_text().splitlines() == ["epoch\tloss\tper_class", '0\t0.5\t"""[1.0, 2.0]"""']
