"""kbackend-torch: kcore's PyTorch backend.

The package itself is light: `kbackend_torch._plugin` registers backend ``"torch"``, and kcore
imports `kbackend_torch.backend` (which imports torch) only when the backend is activated.
"""

from kbackend_torch._version import __version__

__all__ = ["__version__"]
