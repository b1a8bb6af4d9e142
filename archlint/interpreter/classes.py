"""Plain Python classes in model code: config objects, builders with methods, dataclasses.

A ``class`` statement becomes a ``UserClass`` (its body run once into a namespace);
calling it makes an ``Instance`` and runs ``__init__``. Attribute lookup follows the
instance, then the class and its bases in order; methods bind ``self``. Classes that
derive from Keras (custom layers, subclassed models) are not interpreted here: their
instances stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import libcst as cst

from ..unknown import UNKNOWN
from .scope import MISSING
from .values import ModuleRef, UserFunction


@dataclass(eq=False)
class UserClass:
    name: str
    bases: List["UserClass"]
    namespace: Dict[str, Any]
    dataclass_fields: Optional[List[str]] = None  # set for @dataclass: fields in order
    keras_base: str = ""  # "Layer" for a custom Keras layer

    def __repr__(self) -> str:
        return f"<class {self.name}>"

    def mro(self) -> List["UserClass"]:
        order: List[UserClass] = [self]
        for base in self.bases:
            order += [c for c in base.mro() if c not in order]
        return order

    def lookup(self, name: str) -> Any:
        for cls in self.mro():
            if name in cls.namespace:
                return cls.namespace[name]
        return UNKNOWN


@dataclass(eq=False)
class Instance:
    cls: UserClass
    attrs: Dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<{self.cls.name} instance>"


@dataclass(eq=False)
class SuperProxy:
    """``super()`` inside a method of ``owner``, called on ``receiver``."""

    owner: UserClass
    receiver: Any


@dataclass(eq=False)
class BoundUserMethod:
    function: UserFunction
    receiver: Any  # the instance (or class, for a classmethod)


def _is_builtin_object(base: cst.BaseExpression, scope) -> bool:
    """``class C(object)``: the base every class has anyway (unless the name was rebound)."""
    return isinstance(base, cst.Name) and base.value == "object" and scope.lookup("object", MISSING) is MISSING


def _decorator_names(node: cst.FunctionDef) -> List[str]:
    names = []
    for decorator in node.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            expression = expression.func
        if isinstance(expression, cst.Attribute):
            expression = expression.attr
        if isinstance(expression, cst.Name):
            names.append(expression.value)
    return names


class ClassSupport:
    """Mixin for ``Interpreter``: class statements, instances and their attributes."""

    def define_class(self, node: cst.ClassDef, scope) -> Any:
        from .custom_layers import keras_base

        bases = [
            self.eval(arg.value, scope)
            for arg in node.bases
            if arg.keyword is None and not _is_builtin_object(arg.value, scope)
        ]
        derived_from = keras_base(bases)
        if not derived_from and any(isinstance(b, ModuleRef) or b is UNKNOWN for b in bases):
            self.note(self.site(node), f"class `{node.name.value}` derives from Keras or an unknown base; it is not followed yet")
            return UNKNOWN
        body = scope.child()
        self.exec_block(node.body.body, body)
        cls = UserClass(node.name.value, [b for b in bases if isinstance(b, UserClass)], dict(body.vars))
        cls.keras_base = derived_from
        for value in cls.namespace.values():
            if isinstance(value, UserFunction):
                value.owner = cls
                if value.scope is body:  # a method sees the module's names, never the class body's
                    value.scope = scope
        decorators = [d.decorator for d in node.decorators]
        if any(_is_dataclass(d) for d in decorators):
            cls.dataclass_fields = [
                small.target.value
                for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
                for small in line.body if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)
            ]
        return cls

    def instantiate(self, cls: UserClass, args, kwargs, site) -> Any:
        if cls.keras_base == "Layer":
            return self.instantiate_layer(cls, args, kwargs, site)
        if cls.keras_base == "Model":
            return self.instantiate_model(cls, args, kwargs, site)
        if cls.keras_base:
            return self.instantiate_catalog_subclass(cls, args, kwargs, site)
        instance = Instance(cls)
        fields = self._dataclass_fields(cls)
        if fields is not None and not isinstance(cls.lookup("__init__"), UserFunction):
            for name, value in zip(fields, args):
                instance.attrs[name] = value
            for name in fields[len(args):]:
                instance.attrs[name] = kwargs.get(name, cls.lookup(name))
        init = cls.lookup("__init__")
        if isinstance(init, UserFunction):
            self.call_user(init, [instance, *args], kwargs, site)
        return instance

    def _dataclass_fields(self, cls: UserClass) -> Optional[List[str]]:
        fields: Optional[List[str]] = None
        for klass in reversed(cls.mro()):
            if klass.dataclass_fields is not None:
                fields = [f for f in (fields or []) if f not in klass.dataclass_fields] + klass.dataclass_fields
        return fields

    def make_super(self) -> Any:
        """Zero-argument ``super()``: the innermost method's class and its first argument."""
        for function, first in reversed(self.frames):
            if getattr(function, "owner", None) is not None and first is not None:
                return SuperProxy(function.owner, first)
        return UNKNOWN

    def class_attribute(self, obj: Any, name: str) -> Any:
        if isinstance(obj, SuperProxy):
            receiver = obj.receiver
            cls = receiver.cls if isinstance(receiver, Instance) else receiver
            later = cls.mro()[cls.mro().index(obj.owner) + 1:] if obj.owner in cls.mro() else []
            for klass in later:
                if name in klass.namespace:
                    return self._bind(klass.namespace[name], receiver if isinstance(receiver, Instance) else None, cls)
            if cls.keras_base and isinstance(receiver, Instance):
                return self.keras_layer_method(receiver, name)
            return UNKNOWN
        if isinstance(obj, Instance):
            if name in obj.attrs:
                return obj.attrs[name]
            found = obj.cls.lookup(name)
            if found is UNKNOWN and obj.cls.keras_base:
                return self.keras_layer_method(obj, name)
            return self._bind(found, obj, obj.cls)
        return self._bind(obj.lookup(name), None, obj)

    def _bind(self, value: Any, instance: Optional[Instance], cls: UserClass) -> Any:
        if not isinstance(value, UserFunction) or not hasattr(value.node, "decorators"):
            return value
        decorators = _decorator_names(value.node)
        if "staticmethod" in decorators:
            return value
        if "classmethod" in decorators:
            return BoundUserMethod(value, cls)
        if "property" in decorators and instance is not None:
            return self.call_user(value, [instance], {}, self.last_site)
        return BoundUserMethod(value, instance) if instance is not None else value

    def set_class_attribute(self, obj: Any, name: str, value: Any) -> None:
        if isinstance(obj, Instance):
            obj.attrs[name] = value
        else:
            obj.namespace[name] = value


def _is_dataclass(expression) -> bool:
    if isinstance(expression, cst.Call):
        expression = expression.func
    if isinstance(expression, cst.Attribute):
        expression = expression.attr
    return isinstance(expression, cst.Name) and expression.value == "dataclass"
