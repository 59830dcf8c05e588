"""`kcore.utils`: Keras 3's utilities (more land with the model and training APIs)."""

from kcore.utils.seeding import set_random_seed

__all__ = ["set_random_seed"]
