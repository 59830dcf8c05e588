"""`kcore.trainers`: the training API behind `Model.compile/fit/evaluate/predict`, the data
adapters that turn user data into numpy batches, and the epoch iterator."""

from kcore.trainers.trainer import Trainer

__all__ = ["Trainer"]
