"""Evaluating libcst expressions to abstract values.

Literals, names, attributes, calls, subscripts, operators, comprehensions, f-strings
and lambdas. Anything the evaluator cannot follow becomes ``UNKNOWN``; it never
raises for the analyzed code's sake.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Dict, List

import libcst as cst

from ..graph import Layer, Model, Tensor, holds_tensor
from ..operations import BINARY_OPERATORS, COMPARISON_OPERATORS, UNARY_OPERATORS, elementwise, get_item
from ..project import is_followed_keras
from ..shapes import ShapeError
from ..symbolic import Sym
from ..unknown import UNKNOWN, contains_unknown
from . import arrays
from . import batches
from . import builtins as py
from . import legacy_keras
from . import records
from . import stdlib
from .arrays import Array
from .classes import BoundUserMethod, Instance, SuperProxy, UserClass
from .imports import dotted_name
from .scope import MISSING, Scope
from .values import BoundMethod, Builtin, ModuleRef, ProjectModule, UserFunction

MAX_EVAL_LENGTH = 200  # characters of a string eval() is interpreted for


def _literal_value(node: Any) -> Any:
    """A number's or string's value, parsed once per distinct text (libcst's
    ``evaluated_value`` compiles the text on every call)."""
    return _evaluated(type(node), node.value)


@functools.lru_cache(maxsize=100_000)
def _evaluated(kind: type, text: str) -> Any:
    return kind(value=text).evaluated_value


class ExpressionEvaluator:
    """Mixin for ``Interpreter``: ``eval(node, scope)`` for every expression node."""

    def eval(self, node: cst.BaseExpression, scope: Scope) -> Any:
        self.tick(node)
        method = _DISPATCH.get(type(node))
        if method is None:
            return UNKNOWN
        return method(self, node, scope)

    # --- atoms ---------------------------------------------------------------------------
    def _name(self, node: cst.Name, scope: Scope) -> Any:
        value = scope.lookup(node.value)
        if (value is UNKNOWN or isinstance(value, Sym)) and node.value in self.assumed:  # said by the user
            return self.assumed[node.value]
        if value is UNKNOWN:
            self.unknown_reads.setdefault(node.value, "value")
        if value is not MISSING:
            return value
        # Builtins before star imports: Keras exports none of their names, and asking the
        # catalog about `range` or `len` would load every layer family.
        if node.value in py.BUILTINS:
            return py.BUILTINS[node.value]
        if node.value in py.BUILTIN_CONSTANTS:
            return py.BUILTIN_CONSTANTS[node.value]
        for ref in scope.module.star_imports:
            candidate = ref.child(node.value)
            if self.resolves(candidate):
                return candidate
        if node.value == "__name__":
            return self.module_name
        if node.value == "__file__":
            return os.path.abspath(getattr(scope.module, "file", None) or self.source.path)
        if node.value in self.assumed:
            return self.assumed[node.value]
        if scope.module is self.globals:
            return self.snippet_name(node)
        return UNKNOWN

    def snippet_name(self, node: cst.Name) -> Any:
        """A name the file never defines: in a snippet without imports, Keras's (or a new
        Sequential model for ``NAME.add(...)``), else unknown."""
        if node.value in self.snippet.sequentials:
            self.snippet.record(node.value, "a Sequential model")
            model = self.call(ModuleRef("keras.models.Sequential"), [], {}, self.snippet.first_use(node.value))
            self.globals.assign(node.value, model)
            return model
        return self.snippet.keras_name(node.value) or UNKNOWN

    def _literal(self, node, scope: Scope) -> Any:
        return _literal_value(node)

    def _string(self, node, scope: Scope) -> Any:
        if isinstance(node, cst.SimpleString):
            return _literal_value(node)
        if isinstance(node, cst.ConcatenatedString):
            return py.binary("Add", self.eval(node.left, scope), self.eval(node.right, scope))
        return UNKNOWN

    def _fstring(self, node: cst.FormattedString, scope: Scope) -> Any:
        out: List[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value.replace("{{", "{").replace("}}", "}"))
                continue
            value = self.eval(part.expression, scope)
            spec = ""
            if part.format_spec:
                spec_value = self._fstring(cst.FormattedString(parts=part.format_spec), scope)
                if spec_value is UNKNOWN:
                    return UNKNOWN
                spec = spec_value
            text = py.format_value(value, spec, part.conversion or "")
            if text is UNKNOWN:
                return UNKNOWN
            out.append(text)
        return "".join(out)

    def _sequence(self, node, scope: Scope) -> Any:
        items: List[Any] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                expanded = py.as_list(self.eval(element.value, scope))
                if expanded is UNKNOWN:
                    return UNKNOWN
                items.extend(expanded)
            else:
                items.append(self.eval(element.value, scope))
        if isinstance(node, cst.Tuple):
            return tuple(items)
        if isinstance(node, cst.Set):
            return set(items) if py.is_plain(items) and not contains_unknown(items) else UNKNOWN
        return items

    def _dict(self, node: cst.Dict, scope: Scope) -> Any:
        out: Dict[Any, Any] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                other = self.eval(element.value, scope)
                if not isinstance(other, dict):
                    return UNKNOWN
                out.update(other)
                continue
            key = self.eval(element.key, scope)
            if key is UNKNOWN or not py.is_plain(key):
                return UNKNOWN
            try:
                out[key] = self.eval(element.value, scope)
            except TypeError:
                return UNKNOWN
        return out

    # --- operators -----------------------------------------------------------------------
    def _binary(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(type(node.operator).__name__, left, right, node)

    def binary(self, op: str, left: Any, right: Any, node=None) -> Any:
        """``left <op> right``; on a symbolic tensor, the Keras operation it makes."""
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self._tensor_operation(BINARY_OPERATORS.get(op), [left, right], node)
        if isinstance(left, Array) or isinstance(right, Array):
            return arrays.arithmetic(left, right) if op in BINARY_OPERATORS else UNKNOWN
        result = py.binary(op, left, right)
        self.tick(node, py.work(left, right, result))
        return result

    def _tensor_operation(self, class_name, operands: List[Any], node=None) -> Any:
        if class_name is None:
            return UNKNOWN
        site = self.site(node) if node is not None else self.last_site
        return self.keras.operation(class_name, elementwise, operands, {}, site)

    def _unary(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        operand = self.eval(node.expression, scope)
        if isinstance(operand, Tensor):
            return self._tensor_operation(UNARY_OPERATORS.get(type(node.operator).__name__), [operand], node)
        return py.unary(type(node.operator).__name__, operand)

    def _boolean(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        truth = py.truthiness(left)
        if truth is UNKNOWN:
            return UNKNOWN
        is_and = isinstance(node.operator, cst.And)
        if truth != is_and:  # `a or b` with a truthy, `a and b` with a falsy
            return left
        return self.eval(node.right, scope)

    def _comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            operator = type(target.operator).__name__
            if (isinstance(left, Tensor) or isinstance(right, Tensor)) and operator in COMPARISON_OPERATORS:
                if len(node.comparisons) > 1:
                    return UNKNOWN
                return self._tensor_operation(COMPARISON_OPERATORS[operator], [left, right], node)
            outcome = py.compare(type(target.operator).__name__, left, right)
            if outcome is UNKNOWN:
                return UNKNOWN
            if not outcome:
                return False
            result, left = outcome, right
        return result

    def _ifexp(self, node: cst.IfExp, scope: Scope) -> Any:
        truth = py.truthiness(self.eval(node.test, scope))
        if truth is UNKNOWN:
            return UNKNOWN
        return self.eval(node.body if truth else node.orelse, scope)

    def _named(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    # --- access --------------------------------------------------------------------------
    def _attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        if obj is UNKNOWN and node.attr.value == "shape" and isinstance(node.value, cst.Name):
            self.unknown_reads[node.value.value] = "shape"  # x_train.shape: say it as a shape
        return self.get_attribute(obj, node.attr.value, self.last_site)

    def get_attribute(self, obj: Any, name: str, site) -> Any:
        if obj is UNKNOWN:
            return UNKNOWN
        if isinstance(obj, ModuleRef):
            if obj.path == "math" or obj.path in ("numpy", "np"):
                if name in py.MATH_FUNCTIONS:
                    return py.MATH_FUNCTIONS[name]
                if name in py.MATH_CONSTANTS:
                    return py.MATH_CONSTANTS[name]
            if obj.path in ("numpy", "np") and name in py.NUMPY_FUNCTIONS:
                return py.NUMPY_FUNCTIONS[name]
            if obj.path in ("numpy", "np") and name == "newaxis":
                return None
            if obj.path == "copy" and name in py.COPY_FUNCTIONS:
                return py.COPY_FUNCTIONS[name]
            child = obj.child(name)
            if is_followed_keras(child.keras_path or ""):
                value = self.followed_keras_value(child, site)
                if value is not None and value is not UNKNOWN:
                    return value
            return child
        if isinstance(obj, ProjectModule):
            return self.module_attribute(obj, name, site)
        if isinstance(obj, (Layer, Model, Tensor)):
            return self.keras.attribute(obj, name)
        if isinstance(obj, (Instance, UserClass, SuperProxy)):
            return self.class_attribute(obj, name)
        if isinstance(obj, Array):
            return BoundMethod(obj, name) if name in arrays.METHODS else arrays.attribute(obj, name)
        if isinstance(obj, batches.ImageGenerator):
            return BoundMethod(obj, name) if name in batches.METHODS else UNKNOWN
        if records.is_record(obj) or records.is_record_class(obj):
            return records.record_attribute(obj, name)
        if isinstance(obj, tuple) and name == "as_list":
            return BoundMethod(obj, name)
        if type(obj) in py.SAFE_METHODS and name in py.SAFE_METHODS[type(obj)]:
            return BoundMethod(obj, name)
        return UNKNOWN

    def _subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        keys = []
        for element in node.slice:
            inner = element.slice
            if isinstance(inner, cst.Index):
                keys.append(self.eval(inner.value, scope))
            else:
                parts = [None if p is None else self.eval(p, scope) for p in (inner.lower, inner.upper, inner.step)]
                keys.append(slice(*parts) if not contains_unknown(parts) else UNKNOWN)
        key = keys[0] if len(keys) == 1 else tuple(keys)
        if isinstance(value, Tensor):
            return self.keras.operation("GetItem", _get_item, [value, key], {}, self.site(node))
        if isinstance(value, Array) and not contains_unknown(key):
            return arrays.indexed(value, key)
        if value is UNKNOWN and isinstance(key, int) and not isinstance(key, bool) and data_shape_of(node.value):
            return Sym.named(f"{data_shape_of(node.value)}.shape[{key}]")  # a size only the data knows
        if value is UNKNOWN or contains_unknown(key):
            return UNKNOWN
        if not isinstance(value, (list, tuple, dict, str, range, bytes)):
            return UNKNOWN
        try:
            return value[key]
        except Exception:
            return UNKNOWN

    # --- calls ---------------------------------------------------------------------------
    def _call(self, node: cst.Call, scope: Scope) -> Any:
        outer, self.unknown_reads = self.unknown_reads, {}  # the unknown names this call's arguments read
        try:
            return self._evaluated_call(node, scope)
        finally:
            self.unknown_reads = {**outer, **self.unknown_reads}

    def _evaluated_call(self, node: cst.Call, scope: Scope) -> Any:
        func = self.eval(node.func, scope)
        if func is py.BUILTINS["len"] and len(node.args) == 1 and isinstance(node.args[0].value, cst.Name):
            name = node.args[0].value.value
            if self.eval(node.args[0].value, scope) is UNKNOWN:
                self.unknown_reads[name] = "len"  # len(vocabulary): say it as a length
                return Sym.named(f"len({name})")  # a size only the data knows
        args: List[Any] = []
        kwargs: Dict[str, Any] = {}
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                expanded = py.as_list(value)
                if expanded is UNKNOWN:
                    return UNKNOWN
                args.extend(expanded)
            elif arg.star == "**":
                if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                    return UNKNOWN
                kwargs.update(value)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        site = self.last_site = self.site(node)
        if func is py.BUILTINS["eval"]:
            return self._eval_literal(args, kwargs, scope)
        if not isinstance(func, ModuleRef):
            return self.call(func, args, kwargs, site)
        outer, self.unknown_arguments = self.unknown_arguments, _unknown_argument_names(node, args, kwargs)
        try:  # a Keras layer may keep a size the data decides under the name it was passed as
            return self.call(func, args, kwargs, site)
        finally:
            self.unknown_arguments = outer

    def _eval_literal(self, args: List[Any], kwargs: Dict[str, Any], scope: Scope) -> Any:
        """``eval("ReLU")``: a short literal expression, interpreted (never run) in the caller's
        scope, as builders that pick a layer class by name do. Anything else is unknown."""
        if len(args) != 1 or kwargs or not isinstance(args[0], str) or len(args[0]) > MAX_EVAL_LENGTH:
            return UNKNOWN
        try:
            expression = cst.parse_expression(args[0].strip())
        except Exception:  # noqa: BLE001 - libcst's parser errors have no common base
            return UNKNOWN
        return self.eval(expression, scope)

    def call(self, func: Any, args: List[Any], kwargs: Dict[str, Any], site) -> Any:
        if isinstance(func, UserFunction):
            return self.call_user(func, args, kwargs, site)
        if isinstance(func, BoundUserMethod):
            return self.call_user(func.function, [func.receiver, *args], kwargs, site)
        if isinstance(func, UserClass):
            return self.instantiate(func, args, kwargs, site)
        if records.is_record_class(func):
            return records.make_record(func, args, kwargs)
        if isinstance(func, Instance) and isinstance(func.cls.lookup("__call__"), UserFunction):
            return self.call_user(func.cls.lookup("__call__"), [func, *args], kwargs, site)
        if isinstance(func, Builtin):
            result = func.fn(self, args, kwargs, site)
            self.tick(None, py.work(*args, *kwargs.values(), result))
            return result
        if isinstance(func, ModuleRef):
            return self._call_module(func, args, kwargs, site)
        if isinstance(func, (Layer, Model)) and any(isinstance(a, (Array, list, tuple)) for a in args):
            args = [arrays.as_eager_tensors(a) for a in args]
        if isinstance(func, Layer):
            return func.call(args, kwargs, site)
        if isinstance(func, Model):
            return func.as_layer().call(args, kwargs, site)
        if isinstance(func, BoundMethod):
            obj = func.obj
            if isinstance(obj, (Layer, Model, Tensor)):
                return self.keras.call_method(func, args, kwargs, site)
            if isinstance(obj, tuple) and func.name == "as_list":
                return list(obj)
            if isinstance(obj, Array):
                if func.name == "reshape":
                    self._check_reshape(obj, args[0] if len(args) == 1 else tuple(args) if args else kwargs.get("shape"), site)
                return arrays.call_method(obj, func.name, args, kwargs)
            if isinstance(obj, batches.ImageGenerator):
                return batches.made_at(batches.call_method(obj, func.name, args, kwargs), site)
            result = py.call_plain_method(obj, func.name, args, kwargs)
            self.tick(None, py.work(*args, *kwargs.values(), result))
            return result
        if func in (int, float, str, tuple, list, dict, bool):
            return py.BUILTINS[func.__name__].fn(self, args, kwargs, site)
        for layer in _layers_in([*args, *kwargs.values()]):
            layer.escaped = True  # handed to code the analysis does not follow
        return UNKNOWN

    def _check_reshape(self, array: Array, target: Any, site) -> None:
        """Record a numpy reshape to another number of values (numpy raises there)."""
        refused = arrays.reshape_refusal(array, target)
        if refused is not None and not self.tracing and (site, refused) not in self.array_problems:
            self.array_problems.append((site, refused))

    def _call_module(self, func: ModuleRef, args: List[Any], kwargs: Dict[str, Any], site) -> Any:
        """A function of a module by its path: standard-library and legacy helpers, data
        arrays (numpy, datasets), else the Keras API and the op registry."""
        helper = stdlib.function_for(func.path) or legacy_keras.function_for(func.path, func.keras_path)
        if helper is not None:
            return helper.fn(self, args, kwargs, site)
        source = batches.function_for(func.keras_path)
        if source is not None:  # their data_format defaults to the global one, as layers' does
            if kwargs.get("data_format") is None:
                kwargs = {**kwargs, "data_format": self.image_data_format}
            return batches.made_at(source(args, kwargs), site)
        data = arrays.function_for(func.path, func.keras_path)
        if data is arrays.FUNCTIONS.get("numpy.reshape") and args and isinstance(args[0], Array):
            self._check_reshape(args[0], args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape")), site)
        if data is not None and not any(holds_tensor(v) for v in [*args, *kwargs.values()]):
            return data(args, kwargs)
        if func.keras_path is None and not func.path.startswith(("tensorflow.", "tf.")):
            for layer in _layers_in([*args, *kwargs.values()]):
                layer.escaped = True  # handed to a module the analysis does not read
        return self.keras.call(func, args, kwargs, site)

    # --- comprehensions and lambdas ------------------------------------------------------
    def _comprehension(self, node, scope: Scope) -> Any:
        inner = scope.child()
        results: List[Any] = []
        if not self._run_comprehension(node.for_in, node, inner, results):
            return UNKNOWN
        if isinstance(node, cst.DictComp):
            try:
                return dict(results)
            except TypeError:
                return UNKNOWN
        if isinstance(node, cst.SetComp):
            return set(results) if py.is_plain(results) and not contains_unknown(results) else UNKNOWN
        return results

    def _run_comprehension(self, comp_for: cst.CompFor, node, scope: Scope, results: List[Any]) -> bool:
        items = py.as_list(self.eval(comp_for.iter, scope))
        if items is UNKNOWN:
            return False
        for item in self.bounded(items, node):
            self.assign(comp_for.target, item, scope)
            keep = True
            for condition in comp_for.ifs:
                truth = py.truthiness(self.eval(condition.test, scope))
                if truth is UNKNOWN:
                    return False
                keep = keep and truth
            if not keep:
                continue
            if comp_for.inner_for_in is not None:
                if not self._run_comprehension(comp_for.inner_for_in, node, scope, results):
                    return False
            elif isinstance(node, cst.DictComp):
                results.append((self.eval(node.key, scope), self.eval(node.value, scope)))
            else:
                results.append(self.eval(node.elt, scope))
        return True

    def _lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        return UserFunction("<lambda>", node, scope, self.evaluate_defaults(node.params, scope))


_DISPATCH = {
    cst.Ellipsis: lambda self, node, scope: Ellipsis,
    cst.Name: ExpressionEvaluator._name,
    cst.Integer: ExpressionEvaluator._literal,
    cst.Float: ExpressionEvaluator._literal,
    cst.Imaginary: ExpressionEvaluator._literal,
    cst.SimpleString: ExpressionEvaluator._string,
    cst.ConcatenatedString: ExpressionEvaluator._string,
    cst.FormattedString: ExpressionEvaluator._fstring,
    cst.Tuple: ExpressionEvaluator._sequence,
    cst.List: ExpressionEvaluator._sequence,
    cst.Set: ExpressionEvaluator._sequence,
    cst.Dict: ExpressionEvaluator._dict,
    cst.BinaryOperation: ExpressionEvaluator._binary,
    cst.UnaryOperation: ExpressionEvaluator._unary,
    cst.BooleanOperation: ExpressionEvaluator._boolean,
    cst.Comparison: ExpressionEvaluator._comparison,
    cst.IfExp: ExpressionEvaluator._ifexp,
    cst.NamedExpr: ExpressionEvaluator._named,
    cst.Attribute: ExpressionEvaluator._attribute,
    cst.Subscript: ExpressionEvaluator._subscript,
    cst.Call: ExpressionEvaluator._call,
    cst.ListComp: ExpressionEvaluator._comprehension,
    cst.GeneratorExp: ExpressionEvaluator._comprehension,
    cst.SetComp: ExpressionEvaluator._comprehension,
    cst.DictComp: ExpressionEvaluator._comprehension,
    cst.Lambda: ExpressionEvaluator._lambda,
}


def _unknown_argument_names(node: cst.Call, args: List[Any], kwargs: Dict[str, Any]) -> Dict[Any, Any]:
    """Position or keyword -> the name written, for each argument passed as a plain (dotted)
    name whose value is unknown: ``Dense(num_classes)`` gives ``{0: "num_classes"}``; for a
    tuple or list written out, a tuple of those names (None where an item is known):
    ``Input((maxlen, 8))`` gives ``{0: ("maxlen", None)}``."""
    names: Dict[Any, Any] = {}
    position = 0
    for arg in node.args:
        if arg.star:
            return names  # positions after a * are not known from the text
        key = arg.keyword.value if arg.keyword is not None else position
        position += arg.keyword is None
        value = kwargs.get(key) if isinstance(key, str) else args[key] if key < len(args) else None
        if value is UNKNOWN and dotted_name(arg.value):
            names[key] = dotted_name(arg.value)
        elif isinstance(arg.value, (cst.Tuple, cst.List)) and isinstance(value, (tuple, list)) and len(value) == len(
            arg.value.elements
        ):
            items = tuple(dotted_name(e.value) if item is UNKNOWN and isinstance(e, cst.Element) else None
                          for e, item in zip(arg.value.elements, value))
            if any(items):
                names[key] = items
    return names


def data_shape_of(node) -> str:
    """``x_train`` when ``node`` is ``x_train.shape`` (or ``self.data.shape``), else ``""``."""
    if isinstance(node, cst.Attribute) and node.attr.value == "shape":
        return dotted_name(node.value)
    return ""


def _get_item(shape, key, **_):
    if contains_unknown(key):
        raise ShapeError("opaque", "an index the analysis cannot follow")
    return get_item(shape, key)


def _layers_in(values, depth: int = 0) -> List[Layer]:
    """The layers among call arguments (inside lists, tuples and dicts too)."""
    found: List[Layer] = []
    for value in values:
        if isinstance(value, Layer):
            found.append(value)
        elif isinstance(value, (list, tuple)) and depth < 3:
            found += _layers_in(value, depth + 1)
        elif isinstance(value, dict) and depth < 3:
            found += _layers_in(list(value.values()), depth + 1)
    return found
