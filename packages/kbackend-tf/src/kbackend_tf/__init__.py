"""kbackend-tf: kcore's TensorFlow backend.

The package itself is light: `kbackend_tf._plugin` registers backend ``"tensorflow"``, and kcore
imports `kbackend_tf.backend` (which imports tensorflow) only when the backend is activated.
"""

from kbackend_tf._version import __version__

__all__ = ["__version__"]
