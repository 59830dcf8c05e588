"""`kcore.callbacks`: Keras 3's callbacks, the hooks `fit`, `evaluate` and `predict` call.

Example:

>>> import kcore
>>> history = kcore.callbacks.History()
>>> callbacks = kcore.callbacks.CallbackList([history])
>>> callbacks.on_train_begin()
>>> callbacks.on_epoch_end(0, {"loss": 0.5})
>>> history.history
{'loss': [0.5]}
"""

from kcore.callbacks.backup_and_restore import BackupAndRestore
from kcore.callbacks.callback import Callback
from kcore.callbacks.callback_list import CallbackList
from kcore.callbacks.csv_logger import CSVLogger
from kcore.callbacks.early_stopping import EarlyStopping
from kcore.callbacks.history import History
from kcore.callbacks.lambda_callback import LambdaCallback
from kcore.callbacks.learning_rate_scheduler import LearningRateScheduler
from kcore.callbacks.model_checkpoint import ModelCheckpoint
from kcore.callbacks.monitor_callback import MonitorCallback
from kcore.callbacks.progbar_logger import ProgbarLogger
from kcore.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kcore.callbacks.tensorboard import TensorBoard
from kcore.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TensorBoard",
    "TerminateOnNaN",
]
