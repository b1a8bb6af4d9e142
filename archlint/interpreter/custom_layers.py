"""Custom layers: ``class L(keras.layers.Layer)`` written in the analyzed file.

An instance is a graph ``Layer`` backed by an ``Instance`` of the user's class. Its weights
come from interpreting the class's ``build(input_shape)`` and recording every
``self.add_weight(shape=..., trainable=...)``; its output shape from interpreting
``compute_output_shape(input_shape)`` when the class defines it, else, as Keras does, from
running ``call()`` on stand-in tensors of the input shapes: Keras operations and layers
inside it answer shapes without adding rows to the model, and sublayers used only in
``call()`` get built. A ``call()`` the interpreter cannot follow leaves an opaque node
(unknown shape, AL903).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import libcst as cst

from ..graph import Layer, Model, Site, Tensor, detached_tensor, next_serial, traced_calls
from ..layers.base import LayerSpec, Unresolved, Weight
from ..shapes import ShapeError
from ..unknown import UNKNOWN, contains_unknown
from .classes import Instance, UserClass
from .values import Builtin, UserFunction

KERAS_LAYER_BASES = {"Layer"}
KERAS_MODEL_BASES = {"Model"}
_LAYER_KEYWORDS = ("name", "trainable", "dtype")


class CustomLayerSpec(LayerSpec):
    """The catalog entry of one user-defined layer instance, answered by its own methods."""

    def __init__(self, interp, instance: Instance):
        super().__init__({})
        self.interp = interp
        self.instance = instance
        self.name = instance.cls.name
        self.recorded: List[Weight] = []
        self._traced: Any = None  # call()'s output shape, when build already had to run it
        signature = _call_parameters(self._method("call"))
        if signature:  # call(self, a, b): each argument may hold a tensor
            self.call_signature = signature

    def _primary(self, shapes: Dict[str, Any]):
        """The shape build() and compute_output_shape() receive: the first tensor argument's."""
        return shapes[self.first_input] if self.first_input in shapes else next(iter(shapes.values()))

    def _method(self, name: str):
        method = self.instance.cls.lookup(name)
        return method if isinstance(method, UserFunction) else None

    def _run(self, method: UserFunction, *args) -> Any:
        return self.interp.call_user(method, [self.instance, *args], {}, self.interp.last_site)

    def build_weights(self, shapes: Dict[str, Any]) -> List[Weight]:
        build = self._method("build")
        if build is not None:
            self._run(build, python_shape(self._primary(shapes)))
        sublayers = tracked_layers(self.instance)  # held directly, in lists and dicts, or nested models
        # Keras runs call() on symbolic inputs (building the sublayers it calls) unless the
        # class has both its own build() and its own compute_output_shape(): then the
        # sublayers build() did not build stay empty, and Keras counts none of their weights.
        traced_by_keras = build is None or self._method("compute_output_shape") is None
        if traced_by_keras and any(not layer.built for layer in sublayers):
            self._traced = self._trace_call(shapes)
            if any(not layer.built for layer in sublayers):
                raise Unresolved("the weights of layers this custom layer calls in call()")
        weights = list(self.recorded)
        for layer in sublayers:
            if not layer.built:
                continue
            if layer.weights is None:
                raise Unresolved(f"the weights of {layer.name}")
            weights += layer.weights
        return weights

    def build_formula(self, shapes: Dict[str, Any]):
        return " + ".join(f"{w.name} {'x'.join(str(d) for d in w.shape) or 'scalar'}" for w in self.recorded) or None

    def call_output(self, shapes: Dict[str, Any], options: Dict[str, Any]):
        method = self._method("compute_output_shape")
        if method is None:
            traced, self._traced = self._traced, None
            return traced if traced is not None else self._trace_call(shapes, options)
        result = self._run(method, python_shape(self._primary(shapes)))
        if contains_unknown(result) or not isinstance(result, (tuple, list)):
            raise ShapeError("opaque", f"compute_output_shape of {self.name} could not be evaluated statically")
        if result and all(isinstance(s, (tuple, list)) for s in result):
            return [tuple(s) for s in result]
        return tuple(result)


    def _trace_call(self, shapes: Dict[str, Any], options: Optional[Dict[str, Any]] = None):
        """The output shape(s) of ``call()`` run on stand-in tensors, as Keras infers it."""
        call = self._method("call")
        if call is None:
            raise ShapeError("opaque", f"custom layer {self.name} defines neither call() nor compute_output_shape()")
        # The first parameter positionally when it holds a tensor; every other tensor by name.
        since = next_serial()
        positional = [stand_in(shapes[self.first_input])] if self.first_input in shapes else []
        others = {name: stand_in(shape) for name, shape in shapes.items() if name != self.first_input}
        self.interp.tracing += 1
        try:
            result = self.interp.call_user(call, [self.instance, *positional], {**others, **dict(options or {})}, self.interp.last_site)
        finally:
            self.interp.tracing -= 1
        self.last_trace_calls = traced_calls([positional, list(others.values())], result, since)
        if isinstance(result, Tensor) and result.shape is not None:
            return tuple(result.shape)
        if isinstance(result, (list, tuple)) and result and all(isinstance(t, Tensor) and t.shape is not None for t in result):
            return [tuple(t.shape) for t in result]
        raise ShapeError("opaque", f"the output shape of {self.name}.call() could not be followed statically")


def _call_parameters(call: Optional[UserFunction]):
    """``call(self, a, b, training=None)`` -> the signature Keras binds a call's arguments to."""
    if call is None or not hasattr(call.node, "params"):
        return None
    params = call.node.params
    names = [p.name.value for p in [*params.posonly_params, *params.params]][1:]
    if not names or params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) and not isinstance(params.star_arg, cst.ParamStar):
        return None
    return tuple((name, None) for name in names)


def stand_in(shape):
    """Tensors of ``shape`` (a list of them for a list of shapes), outside any model."""
    if isinstance(shape, list):
        return [detached_tensor(tuple(s)) for s in shape]
    return detached_tensor(tuple(shape))


def tracked_layers(instance: Instance) -> List[Layer]:
    """The layers a subclassed model's attributes hold, in assignment order (lists flattened)."""
    own = instance.attrs.get("__layer__")
    found: List[Layer] = []

    def visit(value: Any) -> None:
        if isinstance(value, Model):
            value = value.as_layer()
        if isinstance(value, Layer):
            if value is not own and value not in found:
                found.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for name, value in instance.attrs.items():
        if not name.startswith("__"):
            visit(value)
    return found


def python_shape(shape):
    """Shapes as the user's methods see them: tuples (a list of tuples for a list input)."""
    return [tuple(s) for s in shape] if isinstance(shape, list) else tuple(shape)


def keras_base(bases) -> str:
    """The Keras class a user class derives from ("Layer", "Model", or a catalog layer such
    as "BatchNormalization"), or "" for a plain class."""
    from ..layers import lookup
    from .keras_api import keras_member

    for base in bases:
        if isinstance(base, UserClass) and base.keras_base:
            return base.keras_base
        member = keras_member(base) if hasattr(base, "keras_path") else None
        if member in KERAS_LAYER_BASES or member in KERAS_MODEL_BASES:
            return member
        if member is not None and lookup(member) is not None:
            return member
    return ""


def is_catalog_base(name: str) -> bool:
    """A user class derived from a built-in layer (``class BatchNorm(KL.BatchNormalization)``)."""
    return bool(name) and name not in KERAS_LAYER_BASES and name not in KERAS_MODEL_BASES


class CustomLayerSupport:
    """Mixin for ``Interpreter``: instantiating user layers and Keras's Layer methods."""

    def instantiate_layer(self, cls: UserClass, args, kwargs, site: Site) -> Layer:
        instance = Instance(cls)
        spec = CustomLayerSpec(self, instance)
        layer = Layer(spec, cls.name, "", site, {})
        instance.attrs["__layer__"] = layer
        self.record_layer(layer)
        init = cls.lookup("__init__")
        if isinstance(init, UserFunction):
            self.call_user(init, [instance, *args], kwargs, site)
        else:
            self.keras_layer_init(instance, kwargs)
        if not layer.name:
            layer.name = self.naming.auto(cls.name)
            layer.name_known = False  # super().__init__ was never reached: a name= it got is not known
        for attribute in ("units", "filters"):  # neurons, as for the built-in layers
            value = instance.attrs.get(attribute)
            if isinstance(value, int) and not isinstance(value, bool):
                layer.units = value
                break
        return layer

    def instantiate_model(self, cls: UserClass, args, kwargs, site: Site) -> Model:
        """``class M(keras.Model)``: a model whose layers are the ones its attributes hold.

        Called on a tensor it acts as a custom layer (its ``call()`` traced); summarised, it
        lists its tracked layers as Keras does for a subclassed model.
        """
        layer = self.instantiate_layer(cls, args, kwargs, site)
        instance = layer.spec.instance
        functional = instance.attrs.pop("__functional__", None)
        if functional is not None:  # super().__init__(inputs, outputs): a functional model
            init_args, init_kwargs = functional
            model = self.keras.functional(init_args, {**init_kwargs, "name": layer.name}, site)
            if isinstance(model, Model):
                model.class_name = cls.name
                instance.attrs["__model__"] = model
            return model
        model = self.created(Model("Subclassed", layer.name, site, self.naming))
        model._as_layer = layer
        model.tracked = lambda: tracked_layers(instance)
        instance.attrs["__model__"] = model
        return model

    def instantiate_catalog_subclass(self, cls: UserClass, args, kwargs, site: Site) -> Layer:
        """A subclass of a built-in layer: that layer's shapes and weights under the user's
        class name, built from what ``__init__`` passes to ``super().__init__``. An
        overridden ``call()`` is assumed to keep the built-in layer's output shape."""
        instance = Instance(cls)
        init = cls.lookup("__init__")
        if isinstance(init, UserFunction):
            self.call_user(init, [instance, *args], kwargs, site)
        else:
            self._catalog_layer(instance, list(args), dict(kwargs), site)
        layer = instance.attrs.get("__layer__")
        if layer is None:
            reason = f"{cls.name}.__init__ does not reach {cls.keras_base}.__init__; its shape and weights are unknown"
            return self.keras.opaque_layer(cls.name, {}, site, reason)
        return layer

    def _catalog_layer(self, instance: Instance, args, kwargs, site: Site) -> Layer:
        cls = instance.cls
        if not isinstance(kwargs.get("name"), str):
            kwargs["name"] = self.naming.auto(cls.name)
        layer = self.keras.layer(cls.keras_base, args, kwargs, site)
        layer.class_name = cls.name
        instance.attrs["__layer__"] = layer
        return layer

    def keras_layer_init(self, instance: Instance, kwargs: Dict[str, Any], args=()) -> None:
        """``super().__init__(**kwargs)`` reaching ``keras.layers.Layer``: name and flags.
        Reaching ``keras.Model`` with inputs and outputs, it makes a functional model."""
        layer = instance.attrs["__layer__"]
        if instance.cls.keras_base == "Model" and (args or "inputs" in kwargs or "outputs" in kwargs):
            instance.attrs["__functional__"] = (list(args), dict(kwargs))
        name = kwargs.get("name")
        if not layer.name:
            layer.name = name if isinstance(name, str) else self.naming.auto(instance.cls.name)
        if kwargs.get("trainable") is False:
            layer.trainable = False
        layer.config.update({k: kwargs[k] for k in _LAYER_KEYWORDS if k in kwargs})

    def keras_layer_method(self, instance: Instance, name: str) -> Any:
        """Methods of ``keras.layers.Layer`` a custom layer inherits."""
        if is_catalog_base(instance.cls.keras_base):
            if name == "__init__":
                return Builtin(f"{instance.cls.keras_base}.__init__",
                               lambda interp, args, kwargs, site: self._catalog_layer(instance, list(args), dict(kwargs), site))
            layer = instance.attrs.get("__layer__")
            return layer.name if name == "name" and layer is not None else UNKNOWN
        layer = instance.attrs["__layer__"]
        if name == "__init__":
            return Builtin("Layer.__init__", lambda interp, args, kwargs, site: self.keras_layer_init(instance, kwargs, args))
        if name == "add_weight":
            return Builtin("Layer.add_weight", lambda interp, args, kwargs, site: self._add_weight(layer, args, kwargs))
        if name in ("build", "call"):
            return Builtin(f"Layer.{name}", lambda interp, args, kwargs, site: None)
        if name == "name":
            return layer.name
        return UNKNOWN

    def _add_weight(self, layer: Layer, args, kwargs) -> Any:
        if args and isinstance(args[0], str):  # tf.keras 2's add_weight(name, shape, ...)
            kwargs = {"name": args[0], **kwargs}
            args = args[1:]
        shape = kwargs.get("shape", args[0] if args else None)
        shape = () if shape is None else ((shape,) if isinstance(shape, int) else shape)
        if contains_unknown(shape) or not isinstance(shape, (tuple, list)):
            raise Unresolved("the shape of an add_weight call")
        trainable = kwargs.get("trainable", True)
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else f"weight_{len(layer.spec.recorded)}"
        layer.spec.recorded.append(Weight(name, tuple(shape), trainable is not False))
        return detached_tensor(tuple(shape))  # so that call() can compute with the weight
