"""`kcore.models`: `Model`, `Sequential`, Functional models and `clone_model`."""

from kcore.models.cloning import clone_model
from kcore.models.functional import Functional
from kcore.models.model import Model
from kcore.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model"]
