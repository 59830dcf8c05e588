"""The Python operators (``+``, ``@``, ``<``, ...) of tensor-like kcore classes, as `kcore.ops` calls."""

from __future__ import annotations


def _binary(name, reflected=False):
    def method(self, other):
        import kcore.ops

        op = getattr(kcore.ops, name)
        return op(other, self) if reflected else op(self, other)

    method.__name__ = name
    return method


def install_operators(cls) -> None:
    """Gives `cls` the arithmetic, comparison and matmul operators, each calling its `kcore.ops` op."""
    for dunder, op in {
        "add": "add",
        "sub": "subtract",
        "mul": "multiply",
        "truediv": "true_divide",
        "floordiv": "floor_divide",
        "mod": "mod",
        "pow": "power",
        "matmul": "matmul",
        "and": "logical_and",
        "or": "logical_or",
        "xor": "logical_xor",
    }.items():
        setattr(cls, f"__{dunder}__", _binary(op))
        setattr(cls, f"__r{dunder}__", _binary(op, reflected=True))
    for dunder, op in {
        "lt": "less",
        "le": "less_equal",
        "gt": "greater",
        "ge": "greater_equal",
        "eq": "equal",
        "ne": "not_equal",
    }.items():
        setattr(cls, f"__{dunder}__", _binary(op))
