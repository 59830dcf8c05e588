"""kbackend-torch's plugin module: registers backend ``"torch"``. It imports nothing heavy; the framework is
imported when the backend is activated (kcore loads `kbackend_torch.backend` then)."""

from kcore.plugins.hookspecs import hookimpl


@hookimpl
def kcore_register_backends(register):
    register(
        "torch",
        "kbackend_torch.backend",
        description="PyTorch (eager autograd, fused optimizer updates, torch.compile)",
        extra="torch",
    )
