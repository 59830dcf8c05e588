"""kbackend-jax's plugin module: registers backend ``"jax"``. It imports nothing heavy; jax is
imported when the backend is activated (kcore loads `kbackend_jax.backend` then)."""

from kcore.plugins.hookspecs import hookimpl


@hookimpl
def kcore_register_backends(register):
    register("jax", "kbackend_jax.backend", description="JAX (jit, autodiff, XLA)", extra="jax")
