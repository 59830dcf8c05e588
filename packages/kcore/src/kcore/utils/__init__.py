"""`kcore.utils`: Keras 3's utilities (more land with the model and training APIs)."""

from kcore.utils.seeding import set_random_seed
from kcore.utils.session import clear_session

__all__ = ["clear_session", "set_random_seed"]
