"""kbackend-tf's plugin module: registers backend ``"tensorflow"``. It imports nothing heavy; the framework is
imported when the backend is activated (kcore loads `kbackend_tf.backend` then)."""

from kcore.plugins.hookspecs import hookimpl


@hookimpl
def kcore_register_backends(register):
    register(
        "tensorflow",
        "kbackend_tf.backend",
        description="TensorFlow (tf.function, XLA, tf.data)",
        extra="tensorflow",
    )
