"""Saving and loading a `lambda` as Keras 3 does (``"__lambda__"`` configs).

Loading a lambda runs bytecode from the file, so `deserialize_keras_object` only does it with
``safe_mode=False``; the bytecode only loads on the Python version that wrote it.
"""

from __future__ import annotations

import codecs
import marshal
import types


def func_dump(func) -> tuple:
    """Dumps a Python function's code, defaults and closure values (Keras's ``__lambda__`` format).

    Args:
        func: the function (usually a ``lambda``).

    Returns:
        ``(code, defaults, closure)``, with ``code`` the base64 text of the marshalled bytecode.
    """
    # Version 2: no object references, so the bytes do not depend on reference counts.
    code = codecs.encode(marshal.dumps(func.__code__, 2), "base64").decode("ascii")
    closure = tuple(c.cell_contents for c in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """Rebuilds a function dumped by `func_dump`. This runs code from the config: trusted input only.

    Args:
        code: the ``code`` text, or the whole ``(code, defaults, closure)`` triple.
        defaults: the function's default argument values.
        closure: the values of the function's closure cells.
        globs: the function's globals (default: ``kcore``, ``keras`` (kcore) and ``ops``).
    """
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
        if isinstance(defaults, list):
            defaults = tuple(defaults)
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    raw = codecs.decode(code.encode("ascii"), "base64")
    function_code = marshal.loads(raw)
    if globs is None:
        import kcore
        from kcore import ops

        globs = {"kcore": kcore, "keras": kcore, "ops": ops}
    return types.FunctionType(
        function_code, globs, name=function_code.co_name, argdefs=defaults, closure=closure
    )
