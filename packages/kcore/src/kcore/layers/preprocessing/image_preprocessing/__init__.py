"""Image preprocessing and augmentation layers: Rescaling, Resizing, CenterCrop, and the random
augmentation layers (active only in training)."""

from kcore.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from kcore.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from kcore.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from kcore.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from kcore.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from kcore.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from kcore.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from kcore.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from kcore.layers.preprocessing.image_preprocessing.rescaling import Rescaling
from kcore.layers.preprocessing.image_preprocessing.resizing import Resizing

__all__: list[str] = [
    "CenterCrop",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
]
