"""kbackend-jax: kcore's JAX backend.

The package itself is light: `kbackend_jax._plugin` registers backend ``"jax"``, and kcore imports
`kbackend_jax.backend` (which imports jax) only when the backend is activated.
"""

from kbackend_jax._version import __version__

__all__ = ["__version__"]
