"""Python's operators, builtins and plain-data methods, evaluated safely on abstract values.

Only pure operations on plain data run for real, and only within size limits judged before
the value is made (no ``2 ** 10**9``, no string of a billion characters); anything else is
``UNKNOWN``. A list, dict or set the code keeps growing past the limit stops the analysis
(``BudgetExceeded``), and no container is let hold itself. ``work`` says what an operation
cost, for the step budget. Nothing here touches the file system, imports a module, or
calls ``eval``.
"""

from __future__ import annotations

import math
import operator
import re
from typing import Any, Dict, List

from ..symbolic import Sym
from ..unknown import UNKNOWN, Unresolved, contains_unknown
from .values import BudgetExceeded, Builtin, ModuleRef

MAX_ITEMS = 100_000  # longest sequence the interpreter materialises
MAX_INT_BITS = 4096
_WIDE_FORMAT = re.compile(r"\d{5,}")

PLAIN = (int, float, str, bool, type(None), tuple, list, dict, range, bytes, complex, set, frozenset)


def is_plain(value: Any) -> bool:
    """Plain data (recursively) that real Python operators may safely touch."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(is_plain(k) and is_plain(v) for k, v in value.items())
    return isinstance(value, PLAIN)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _safe_pow(base, exp):
    if isinstance(base, int) and isinstance(exp, int) and exp > 0:
        if abs(base) > 1 and max(abs(base).bit_length(), 1) * exp > MAX_INT_BITS:
            return UNKNOWN
    return base ** exp


def _safe_mul(left, right):
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        return UNKNOWN
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
            if _size(seq) * max(count, 0) > MAX_ITEMS:
                return UNKNOWN
    return left * right


def _safe_lshift(left, right):
    if isinstance(right, int) and right > MAX_INT_BITS:
        return UNKNOWN
    return left << right


def _safe_mod(left, right):
    if isinstance(left, (str, bytes)) and (_WIDE_FORMAT.search(str(left)) or _wide_argument(right)):
        return UNKNOWN  # '%*d' % (10**9, 1): a width taken from the arguments
    return left % right


def _wide_argument(*values) -> bool:
    """Whether a formatting argument is an integer large enough to be a runaway width."""
    for value in values:
        items = value if isinstance(value, (tuple, list)) else value.values() if isinstance(value, dict) else (value,)
        if any(isinstance(item, int) and abs(item) > MAX_ITEMS for item in items):
            return True
    return False


def work(*values: Any) -> int:
    """Interpreter steps that making or reading ``values`` costs: a step per 16 items or
    characters, per 1,024 bits of an integer. Charged for what builtins and operators touch,
    so that the step budget bounds their time too."""
    total = 0
    for value in values:
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset, range)):
            total += min(_length(value), MAX_ITEMS) // 16
        elif isinstance(value, int):
            total += value.bit_length() // 1024
    return total


def _length(value) -> int:
    """``len(value)``; a range too long for ``len`` (``range(10**30)``) counts as endless."""
    try:
        return len(value)
    except OverflowError:
        return math.inf


def reaches(value: Any, target: Any) -> bool:
    """Whether ``target`` (a container) is ``value`` or held somewhere inside it: putting
    ``value`` into ``target`` would make a structure that holds itself."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if item is target:
            return True
        if isinstance(item, (list, tuple, set, frozenset, dict)) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


BINARY_OPS = {
    "Add": operator.add,
    "Subtract": operator.sub,
    "Multiply": _safe_mul,
    "Divide": operator.truediv,
    "FloorDivide": operator.floordiv,
    "Modulo": _safe_mod,
    "Power": _safe_pow,
    "LeftShift": _safe_lshift,
    "RightShift": operator.rshift,
    "BitOr": operator.or_,
    "BitAnd": operator.and_,
    "BitXor": operator.xor,
    "MatrixMultiply": None,
}

COMPARE_OPS = {
    "Equal": operator.eq,
    "NotEqual": operator.ne,
    "LessThan": operator.lt,
    "LessThanEqual": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEqual": operator.ge,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
    "Is": operator.is_,
    "IsNot": operator.is_not,
}


def binary(op_name: str, left: Any, right: Any) -> Any:
    if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
        combined = _container_op(op_name, left, right)
        if combined is not None:
            return combined
    fn = BINARY_OPS.get(op_name)
    if isinstance(left, Sym) or isinstance(right, Sym):
        return _symbolic(fn, op_name, left, right)
    if fn is None or not (is_plain(left) and is_plain(right)):
        return UNKNOWN
    try:
        result = fn(left, right)
    except Exception:
        return UNKNOWN
    if _size(result) > MAX_ITEMS:
        return UNKNOWN
    return result


_SIZE_ARITHMETIC = {"Add", "Subtract", "Multiply", "FloorDivide", "Modulo", "Power"}


def _symbolic(fn, op_name: str, left: Any, right: Any) -> Any:
    """Size arithmetic on a symbolic size and an int (or another size); else unknown."""
    sized = all(isinstance(v, Sym) or (isinstance(v, int) and not isinstance(v, bool)) for v in (left, right))
    if fn is None or op_name not in _SIZE_ARITHMETIC or not sized:
        return UNKNOWN
    try:
        return fn(left, right)
    except (Unresolved, TypeError):  # e.g. a size divided by another size
        return UNKNOWN


def _container_op(op_name: str, left: Any, right: Any) -> Any:
    """``+`` and ``*`` on lists/tuples hold any items, graph objects included."""
    if op_name == "Add" and type(left) is type(right) and isinstance(left, (list, tuple)):
        return left + right if len(left) + len(right) <= MAX_ITEMS else UNKNOWN
    if op_name == "Multiply":
        seq, count = (left, right) if isinstance(left, (list, tuple)) else (right, left)
        if isinstance(count, int) and not isinstance(count, bool):
            return seq * count if len(seq) * max(count, 0) <= MAX_ITEMS else UNKNOWN
    return None


def compare(op_name: str, left: Any, right: Any) -> Any:
    if (isinstance(left, Sym) or isinstance(right, Sym)) and op_name not in ("Is", "IsNot"):
        return UNKNOWN  # a size only the data knows decides nothing
    if op_name in ("Is", "IsNot"):
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if right is None or left is None or isinstance(right, bool) or (isinstance(left, Builtin) and isinstance(right, Builtin)):
            return COMPARE_OPS[op_name](left, right)
        return COMPARE_OPS[op_name](left, right) if is_plain(left) and is_plain(right) else UNKNOWN
    if op_name in ("Equal", "NotEqual") and not (is_plain(left) and is_plain(right)):
        if contains_unknown(left) or contains_unknown(right):
            return UNKNOWN
        same = left is right
        return same if op_name == "Equal" else not same
    if not (is_plain(left) and is_plain(right)):
        return UNKNOWN
    try:
        return COMPARE_OPS[op_name](left, right)
    except Exception:
        return UNKNOWN


def unary(op_name: str, value: Any) -> Any:
    if op_name == "Not":
        truth = truthiness(value)
        return UNKNOWN if truth is UNKNOWN else not truth
    if not is_plain(value):
        return UNKNOWN
    try:
        return {"Minus": operator.neg, "Plus": operator.pos, "BitInvert": operator.invert}[op_name](value)
    except Exception:
        return UNKNOWN


def truthiness(value: Any) -> Any:
    """``bool(value)``, or ``UNKNOWN``. Graph objects are truthy, as in Python."""
    if value is UNKNOWN or isinstance(value, Sym):
        return UNKNOWN
    if is_plain(value):
        return bool(value)
    return True


def as_list(value: Any) -> Any:
    """Materialise an iterable as a list, or ``UNKNOWN`` when that is not possible."""
    if isinstance(value, dict):
        return list(value.keys())
    if isinstance(value, (list, tuple, str, bytes, set, frozenset)):
        return list(value)
    if isinstance(value, range):
        return list(value) if _length(value) <= MAX_ITEMS else UNKNOWN
    return UNKNOWN


def format_value(value: Any, spec: str = "", conversion: str = "") -> Any:
    if contains_unknown(value) or not is_plain(value) or _WIDE_FORMAT.search(spec or ""):
        return UNKNOWN
    if conversion == "r":
        value = repr(value)
    elif conversion in ("s", "a"):
        value = str(value)
    try:
        return format(value, spec)
    except Exception:
        return UNKNOWN


# --- builtin functions ---------------------------------------------------------------------


def _plain_call(fn):
    """Wrap a pure Python function so it runs only on plain, fully known arguments."""

    def call(interp, args, kwargs, site):
        if not all(is_plain(a) and not contains_unknown(a) for a in [*args, *kwargs.values()]):
            return UNKNOWN
        try:
            result = fn(*args, **kwargs)
        except Exception:
            return UNKNOWN
        return UNKNOWN if _size(result) > MAX_ITEMS else result

    return call


def _materialising(fn, iterables: int = 1):
    """A builtin over iterables: materialise its first ``iterables`` arguments (all if -1)."""

    def call(interp, args, kwargs, site):
        count = len(args) if iterables < 0 else iterables
        seqs = [as_list(a) for a in args[:count]]
        rest = list(args[count:])
        if any(s is UNKNOWN for s in seqs) or contains_unknown(rest + list(kwargs.values())):
            return UNKNOWN
        try:
            return fn(*seqs, *rest, **kwargs)
        except Exception:
            return UNKNOWN

    return call


def _len(interp, args, kwargs, site):
    value = args[0] if args else UNKNOWN
    if isinstance(value, (list, tuple, str, dict, range, bytes, set)):
        length = _length(value)
        return UNKNOWN if length == math.inf else length
    from ..graph import Model

    if isinstance(value, Model):
        return len(value.layers)
    from .arrays import Array, length

    if isinstance(value, Array):
        return length(value)
    return UNKNOWN


def _print(interp, args, kwargs, site):
    return None


def _unknown(interp, args, kwargs, site):
    return UNKNOWN


_CONCRETE = (int, float, complex, str, bytes, bool, type(None), tuple, list, dict, set, frozenset, range)


def _isinstance(interp, args, kwargs, site):
    """``isinstance`` on values whose type is known: plain data, the file's classes, graph objects."""
    from .classes import Instance, UserClass

    if len(args) != 2 or args[0] is UNKNOWN:
        return UNKNOWN
    value, spec = args
    classes = spec if isinstance(spec, tuple) else (spec,)
    classes = tuple(_TYPES.get(c.name, c) if isinstance(c, Builtin) else c for c in classes)
    from ..graph import Tensor
    from .arrays import Array, is_instance

    if isinstance(value, (Array, Tensor)) and all(isinstance(c, ModuleRef) for c in classes):
        eager = isinstance(value, Tensor) and value.node.eager
        answers = [is_instance(value, c.keras_path or c.path, eager) for c in classes]
        return UNKNOWN if None in answers else any(answers)
    if all(isinstance(c, UserClass) for c in classes):
        if isinstance(value, Instance):
            return any(c in value.cls.mro() for c in classes)
        return False if isinstance(value, _CONCRETE) else UNKNOWN
    if not all(isinstance(c, type) for c in classes):
        return UNKNOWN
    if isinstance(value, _CONCRETE):
        return isinstance(value, classes)
    if isinstance(value, ModuleRef):  # any object of a module the analysis does not read
        return UNKNOWN
    # Anything else the interpreter holds (a layer, a tensor, an instance of the file's own
    # classes, a function) is not a builtin type.
    return False


def _tuple_of(kind):
    def call(interp, args, kwargs, site):
        if not args:
            return kind()
        items = as_list(args[0])
        return UNKNOWN if items is UNKNOWN else kind(items)

    return call


def _type(interp, args, kwargs, site):
    """``type(x)`` of a plain value (``type(depth) is list``); unknown for anything else."""
    if len(args) == 1 and not kwargs and type(args[0]) in (int, float, str, bool, list, tuple, dict):
        return BUILTINS[type(args[0]).__name__]
    return UNKNOWN


def _dict(interp, args, kwargs, site):
    out: Dict[Any, Any] = {}
    if args:
        if isinstance(args[0], dict):
            out.update(args[0])
        else:
            pairs = as_list(args[0])
            if pairs is UNKNOWN:
                return UNKNOWN
            try:
                out.update(pairs)
            except Exception:
                return UNKNOWN
    out.update(kwargs)
    return out


def _range(interp, args, kwargs, site):
    if not all(isinstance(a, int) for a in args) or kwargs:
        return UNKNOWN
    try:
        return range(*args)
    except Exception:
        return UNKNOWN


def _zip(*seqs):
    return [tuple(items) for items in zip(*seqs)]


def _enumerate(seq, start=0):
    return [(i + start, v) for i, v in enumerate(seq)]


def _sum(seq, start=0):
    if not all(is_plain(v) and v is not UNKNOWN for v in seq):
        return UNKNOWN
    return sum(seq, start)


def _minmax(fn):
    def call(interp, args, kwargs, site):
        items = as_list(args[0]) if len(args) == 1 else list(args)
        if items is UNKNOWN or contains_unknown(items) or not all(is_plain(v) for v in items) or kwargs:
            return UNKNOWN
        try:
            return fn(items)
        except Exception:
            return UNKNOWN

    return call


def _map(interp, args, kwargs, site):
    if len(args) < 2:
        return UNKNOWN
    seqs = [as_list(a) for a in args[1:]]
    if any(s is UNKNOWN for s in seqs):
        return UNKNOWN
    return [interp.call(args[0], list(items), {}, site) for items in zip(*seqs)]


def _filter(interp, args, kwargs, site):
    items = as_list(args[1]) if len(args) == 2 else UNKNOWN
    if items is UNKNOWN:
        return UNKNOWN
    out = []
    for item in items:
        keep = truthiness(item if args[0] is None else interp.call(args[0], [item], {}, site))
        if keep is UNKNOWN:
            return UNKNOWN
        if keep:
            out.append(item)
    return out


def _getattr(interp, args, kwargs, site):
    if len(args) >= 2 and isinstance(args[1], str):
        value = interp.get_attribute(args[0], args[1], site)
        if value is UNKNOWN and len(args) == 3:
            return args[2]
        return value
    return UNKNOWN


BUILTINS: Dict[str, Builtin] = {
    name: Builtin(name, fn)
    for name, fn in {
        "len": _len,
        "print": _print,
        "range": _range,
        "int": _plain_call(int),
        "float": _plain_call(float),
        "str": _plain_call(str),
        "bool": _plain_call(bool),
        "abs": _plain_call(abs),
        "round": _plain_call(round),
        "divmod": _plain_call(divmod),
        "pow": _plain_call(_safe_pow),
        "repr": _plain_call(repr),
        "format": _plain_call(lambda v, spec="": format_value(v, spec)),
        "chr": _plain_call(chr),
        "ord": _plain_call(ord),
        "list": _tuple_of(list),
        "tuple": _tuple_of(tuple),
        "set": _tuple_of(set),
        "frozenset": _tuple_of(frozenset),
        "dict": _dict,
        "zip": _materialising(_zip, -1),
        "enumerate": _materialising(_enumerate),
        "reversed": _materialising(lambda s: list(reversed(s))),
        "sorted": _materialising(sorted),
        "sum": _materialising(_sum),
        "any": _materialising(any),
        "all": _materialising(all),
        "min": _minmax(min),
        "max": _minmax(max),
        "map": _map,
        "filter": _filter,
        "isinstance": _isinstance,
        "getattr": _getattr,
        "hasattr": _unknown,
        "callable": _unknown,
        "type": _type,
        "super": lambda interp, args, kwargs, site: interp.make_super() if not args else UNKNOWN,
        "open": _unknown,
        "input": _unknown,
        "iter": _unknown,
        "next": _unknown,
        "vars": _unknown,
        "globals": _unknown,
        "locals": _unknown,
        "id": _unknown,
        "hash": _unknown,
        "exec": _unknown,
        "eval": _unknown,
        "compile": _unknown,
        "__import__": _unknown,
    }.items()
}

_TYPES = {t.__name__: t for t in (int, float, str, bool, tuple, list, dict, set, frozenset, bytes, complex, range)}

BUILTIN_CONSTANTS = {
    "True": True,
    "False": False,
    "None": None,
    "int": int,
    "float": float,
    "str": str,
    "tuple": tuple,
    "list": list,
    "dict": dict,
    "bool": bool,
}

# Methods of plain data that are pure (or mutate only the receiver) and safe to run.
SAFE_METHODS: Dict[type, set] = {
    str: {
        "format", "join", "upper", "lower", "title", "capitalize", "replace", "split", "rsplit",
        "strip", "lstrip", "rstrip", "startswith", "endswith", "zfill", "center", "ljust", "rjust",
        "find", "rfind", "index", "count", "isdigit", "isalpha", "splitlines", "partition", "casefold",
    },
    list: {"append", "extend", "insert", "pop", "index", "count", "copy", "reverse", "remove", "clear", "sort"},
    tuple: {"index", "count"},
    dict: {"get", "items", "keys", "values", "update", "setdefault", "pop", "copy"},
    range: {"index", "count"},
    set: {"add", "update", "discard", "union", "intersection", "difference"},
}


def call_plain_method(obj: Any, name: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    """Run ``obj.name(*args, **kwargs)`` for safe methods of plain data; else ``UNKNOWN``."""
    allowed = SAFE_METHODS.get(type(obj), set())
    if name not in allowed:
        return UNKNOWN
    mutating = isinstance(obj, (list, dict, set))
    if not mutating and not all(is_plain(a) and not contains_unknown(a) for a in [*args, *kwargs.values()]):
        return UNKNOWN
    if mutating:
        args = _detached(obj, name, args)
        if name in _GROWING and len(obj) + _grows_by(name, args) > MAX_ITEMS:
            raise BudgetExceeded(f"a {type(obj).__name__} grew past {MAX_ITEMS:,} items", None)
    elif isinstance(obj, str) and not _fits(obj, name, args, kwargs):
        return UNKNOWN
    if isinstance(obj, str) and name == "join":
        items = as_list(args[0]) if args else UNKNOWN
        if items is UNKNOWN or not all(isinstance(i, str) for i in items):
            return UNKNOWN
        args = [items]
    try:
        result = getattr(obj, name)(*args, **kwargs)
    except Exception:
        return UNKNOWN
    if isinstance(result, (type({}.items()), type({}.keys()), type({}.values()))):
        result = list(result)
    if _size(result) > MAX_ITEMS or _size(obj) > MAX_ITEMS:
        return UNKNOWN
    return result


_GROWING = {"append", "extend", "insert", "update", "add", "setdefault", "union"}


def _detached(obj: Any, name: str, args: List[Any]) -> List[Any]:
    """The arguments of a mutating method with every item that holds ``obj`` itself made
    unknown (``a.append(a)``, ``a.extend([a])``): no structure the interpreter keeps holds
    itself, so every walk over values ends."""
    if name in ("extend", "update", "union") and args and isinstance(args[0], (list, tuple, set, frozenset)):
        return [type(args[0])(UNKNOWN if reaches(item, obj) else item for item in args[0]), *args[1:]]
    if name == "update" and args and isinstance(args[0], dict):
        return [{key: UNKNOWN if reaches(value, obj) else value for key, value in args[0].items()}, *args[1:]]
    return [UNKNOWN if reaches(a, obj) else a for a in args]


def _grows_by(name: str, args: List[Any]) -> int:
    """How many items ``obj.name(*args)`` may add."""
    if name in ("extend", "update", "union"):
        return sum(_length(a) if isinstance(a, (list, tuple, dict, set, frozenset, str, range)) else 1 for a in args)
    return 1


def _fits(text: str, name: str, args: List[Any], kwargs: Dict[str, Any]) -> bool:
    """Whether ``text.name(*args)`` makes a string within ``MAX_ITEMS``, judged before it is made."""
    if name == "format":
        return not _WIDE_FORMAT.search(text) and not _wide_argument(args, kwargs)
    if name in ("center", "ljust", "rjust", "zfill"):
        return not _wide_argument(args)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        times = len(text) + 1 if not old else text.count(old)
        return len(text) + times * max(len(new) - len(old), 0) <= MAX_ITEMS
    if name == "join" and args and isinstance(args[0], (list, tuple)):
        return sum(len(item) if isinstance(item, str) else 0 for item in args[0]) + len(text) * len(args[0]) <= MAX_ITEMS
    return True


def _product(seq):
    numbers = all(isinstance(v, (int, float)) for v in seq)
    if not numbers or sum(v.bit_length() for v in seq if isinstance(v, int)) > MAX_INT_BITS:
        return UNKNOWN
    return math.prod(seq)


# Pure functions of the ``math`` module (and their ``numpy`` spellings) on plain numbers.
MATH_FUNCTIONS = {
    name: Builtin(name, _plain_call(getattr(math, name)))
    for name in ("ceil", "floor", "sqrt", "log", "log2", "log10", "exp", "isqrt", "gcd", "trunc", "fabs")
}
MATH_FUNCTIONS["prod"] = Builtin("prod", _materialising(_product))
MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf}


def _linspace(start, stop, num=50, endpoint=True):
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop)) or not isinstance(num, int):
        return UNKNOWN
    if num > MAX_ITEMS or num < 0:
        return UNKNOWN
    divisions = (num - 1) if endpoint else num
    step = (stop - start) / divisions if divisions > 0 else 0.0
    values = [start + i * step for i in range(num)]
    if endpoint and num > 1:
        values[-1] = float(stop)
    return [float(v) for v in values]


def _arange(*args):
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in args) or not 1 <= len(args) <= 3:
        return UNKNOWN
    values = range(*args)
    return list(values) if len(values) <= MAX_ITEMS else UNKNOWN


# numpy functions builders use on plain numbers, answered as Python lists.
NUMPY_FUNCTIONS = {
    "linspace": Builtin("linspace", _plain_call(_linspace)),
    "arange": Builtin("arange", _plain_call(_arange)),
}


def _copied(value: Any, deep: bool) -> Any:
    """``copy.copy`` / ``copy.deepcopy`` of plain containers; other objects are shared."""
    inner = (lambda v: _copied(v, True)) if deep else (lambda v: v)
    if isinstance(value, list):
        return [inner(v) for v in value]
    if isinstance(value, dict):
        return {k: inner(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(inner(v) for v in value)
    if isinstance(value, set):
        return set(value)
    return value


COPY_FUNCTIONS = {
    "copy": Builtin("copy", lambda interp, args, kwargs, site: _copied(args[0], False) if args else UNKNOWN),
    "deepcopy": Builtin("deepcopy", lambda interp, args, kwargs, site: _copied(args[0], True) if args else UNKNOWN),
}
