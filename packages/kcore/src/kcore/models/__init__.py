"""`kcore.models`: `Model`, `Sequential`, Functional models, `clone_model` and `load_model`."""

from kcore.models.cloning import clone_model
from kcore.models.functional import Functional
from kcore.models.model import Model
from kcore.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model"]


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save("x.keras")` (by kcore or Keras 3)."""
    from kcore.saving import saving_api

    return saving_api.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
    )
