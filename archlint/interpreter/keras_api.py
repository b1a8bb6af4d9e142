"""The Keras API as the interpreter sees it: constructors, functional helpers, methods.

Maps a call on a Keras path (``keras.layers.Conv2D``, ``tf.keras.Model``,
``keras.layers.merge.concatenate``, Keras 1 ``merge(mode=...)``) to graph objects, and
answers attribute and method access on layers, tensors and models. Paths into Keras
that build no graph (optimizers, regularizers, callbacks, ...) evaluate to ``UNKNOWN``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..graph import (DataCall, FitLabels, GraphError, Layer, Model, Naming, Site, Tensor, eager_tensor, holds_tensor,
                     make_input, next_serial, traced_calls)
from ..layers import bind, lookup
from ..layers import values as argument_values
from ..layers.base import REFUSED_CALLS
from .. import op_registry
from ..op_registry import is_tensor_library
from ..operations import OperationSpec
from ..shapes import ShapeError
from ..symbolic import Sym
from ..unknown import UNKNOWN, contains_unknown
from .arrays import Array, as_eager_tensors
from .batches import Batches
from .custom_layers import python_shape, stand_in
from .values import BoundMethod, KerasObject, ModuleRef

# Subpackages whose members are never layers, even when names collide (keras.ops.add).
_NOT_LAYERS = {
    "ops", "backend", "activations", "losses", "metrics", "optimizers", "callbacks",
    "initializers", "regularizers", "constraints", "applications", "utils", "datasets",
    "preprocessing_utils", "mixed_precision", "random", "saving", "export", "config", "tree",
}

MERGE_FUNCTIONS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "dot": "Dot",
}

# Keras 1 ``merge(inputs, mode=...)`` and ``Merge(layers, mode=...)``: their positional
# parameters, and the Keras 3 layer that replaced each string mode.
_KERAS1_MERGE_PARAMS = {
    "merge": ("inputs", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask", "arguments", "name"),
    "Merge": (
        "layers", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask", "arguments",
        "node_indices", "tensor_indices", "name",
    ),
}
_KERAS1_MERGE_MODES = {
    "sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum",
    "concat": "Concatenate", "dot": "Dot", "cos": "Dot",
}

# Layer arguments that are sizes: passed as a name only the data decides, they stay symbolic.
SIZE_PARAMETERS = {"units", "filters", "input_dim", "output_dim", "num_heads", "key_dim", "value_dim", "num_tokens",
                   "input_length"}

_INPUT_SIGNATURE = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "name", "tensor", "optional")


# Model methods that take data and build an unbuilt model on its first batch.
_COMPILE_POSITIONAL = ("optimizer", "loss", "loss_weights", "metrics")  # Model.compile's order
_DATA_METHODS = {"fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "test_on_batch"}
# Keywords a layer takes that people misplace into Sequential.add(...).
_LAYER_ONLY_KEYWORDS = {"input_shape", "input_dim", "batch_input_shape", "activation", "name", "input_length"}
# Keras 2's generator and Sequential spellings, read as what they became.
_KERAS2_DATA_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict",
                        "predict_classes": "predict", "predict_proba": "predict"}

# Utility functions model builders lean on, found under those subpackages.
_UTILITIES = {
    "int_shape", "image_data_format", "image_dim_ordering", "set_image_data_format", "set_image_dim_ordering",
    "backend", "floatx", "is_keras_tensor",
    "get_uid", "get_source_inputs", "set_global_policy", "set_dtype_policy",
}
# What ``keras.backend.backend()`` answers: the backend Keras uses when none is configured.
DEFAULT_BACKEND = "tensorflow"


def ops_function(ref: ModuleRef) -> Optional[str]:
    """``keras.ops.mean`` / ``keras.ops.numpy.mean`` -> ``"mean"``; else ``None``."""
    parts = (ref.keras_path or "").split(".")
    return parts[-1] if len(parts) > 2 and "ops" in parts[1:-1] else None


def keras_member(ref: ModuleRef) -> Optional[str]:
    """The final name of a Keras path that can build graph objects, else ``None``."""
    path = ref.keras_path
    if path is None or "." not in path:
        return None
    parts = path.split(".")
    if any(p in _NOT_LAYERS for p in parts[1:-1]):
        return parts[-1] if parts[-1] in _UTILITIES else None
    return parts[-1]


class KerasAPI:
    """Calls into Keras, bound to one interpreter (for naming, notes and sites)."""

    def __init__(self, interp):
        self.interp = interp

    @property
    def naming(self):
        return self.interp.naming

    # --- calls on Keras paths ----------------------------------------------------------
    def call(self, ref: ModuleRef, args: List[Any], kwargs: Dict[str, Any], site: Site) -> Any:
        function = ops_function(ref)
        if function in _UTILITIES:  # keras.src.ops.operation_utils.get_source_inputs
            return self.utility(function, args, kwargs)
        path = ref.keras_path or ref.path
        if function is not None or (keras_member(ref) not in _UTILITIES and is_tensor_library(path)):
            return self.tensor_function(path, args, kwargs, site)
        parts = (ref.keras_path or "").split(".")
        if "losses" in parts[1:-1] and parts[-1][:1].isupper():
            return KerasObject("losses", parts[-1], dict(kwargs))
        member = keras_member(ref)
        if member is None:
            return UNKNOWN
        if member == "Input":
            return self.input(args, kwargs, site)
        if member == "InputLayer":
            return self.input_layer(args, kwargs, site)
        if member == "Sequential":
            return self.sequential(args, kwargs, site)
        if member in ("Model", "Functional"):
            return self.functional(args, kwargs, site)
        if member in MERGE_FUNCTIONS:
            inputs = args[0] if args else kwargs.pop("inputs", UNKNOWN)
            layer = self.layer(MERGE_FUNCTIONS[member], args[1:], kwargs, site)
            return layer.call([inputs], {}, site)
        if member in _KERAS1_MERGE_PARAMS:
            return self.keras1_merge(member, args, kwargs, site)
        if member in _UTILITIES:
            return self.utility(member, args, kwargs)
        if lookup(member) is not None:
            return self.layer(member, args, kwargs, site)
        if member[:1].isupper() and ".layers" in (ref.keras_path or ""):
            return self.opaque_layer(member, kwargs, site)
        return UNKNOWN

    def utility(self, member: str, args, kwargs) -> Any:
        first = args[0] if args else next(iter(kwargs.values()), UNKNOWN)
        if member == "int_shape":
            return first.shape if isinstance(first, Tensor) and first.shape is not None else UNKNOWN
        if member == "image_data_format":
            return self.interp.image_data_format
        if member == "image_dim_ordering":
            return "th" if self.interp.image_data_format == "channels_first" else "tf"
        if member in ("set_image_data_format", "set_image_dim_ordering"):
            chosen = {"th": "channels_first", "tf": "channels_last"}.get(first, first)
            if chosen in ("channels_first", "channels_last"):
                self.interp.image_data_format = chosen
            return None
        if member in ("set_global_policy", "set_dtype_policy"):  # keras.mixed_precision / keras.config
            self.interp.dtype_policy = first if isinstance(first, str) else "unknown"
            return None
        if member == "backend":
            return DEFAULT_BACKEND
        if member == "floatx":
            return "float32"
        if member == "is_keras_tensor":
            return isinstance(first, Tensor) if first is not UNKNOWN else UNKNOWN
        if member == "get_uid":
            return self.naming.uid(first if isinstance(first, str) else "")
        if member == "get_source_inputs":
            return _source_inputs(first) if isinstance(first, Tensor) else UNKNOWN
        return UNKNOWN

    # --- operations on tensors -----------------------------------------------------------
    def tensor_function(self, path: str, args, kwargs, site: Site) -> Any:
        """``keras.ops.mean(x)``, ``tf.reshape(x, s)``, ``K.squeeze(x, 1)``: an operation on the
        tensors given, shaped by its entry in the op registry. TensorFlow and legacy-backend
        functions work only where Keras runs code on concrete tensors (a custom layer's
        ``call()``, a ``Lambda``); on a functional model's symbolic tensors Keras 3 refuses them."""
        function = path.rsplit(".", 1)[-1]
        if function == "shape" and (path.startswith("keras.") or path == "tensorflow.shape"):
            tensor = args[0] if args else kwargs.get("x")
            return tensor.shape if isinstance(tensor, Tensor) and tensor.shape is not None else UNKNOWN
        if not any(holds_tensor(v) for v in [*args, *kwargs.values()]):
            return UNKNOWN
        spelled = _spelled(path)
        if not self.interp.tracing and path.startswith(("tensorflow.", "keras.backend.")):
            self.interp.note(site, f"{spelled} on a symbolic Keras tensor: Keras 3 cannot trace TensorFlow or legacy "
                                   f"backend functions outside a layer (use keras.ops or a Lambda); its result is unknown")
            return UNKNOWN
        op = op_registry.lookup(path)
        bound = op.bind(args, kwargs) if op is not None else None
        if op is None or bound is None:
            why = "is not modelled" if op is None else "is called with arguments the analysis does not follow"
            self.interp.note(site, f"{spelled} {why}; its output shape is unknown")
            return self.operation(op.class_name if op else _camel(function), _unknown_shape, list(args), dict(kwargs), site)
        return self.operation(op.class_name, op.rule, [bound[p] for p in op.params], {}, site)

    def operation(self, class_name: str, shape_of, operands: List[Any], options: Dict[str, Any], site: Site) -> Any:
        """One Keras operation on symbolic tensors: a weightless row of the model summary.

        Inside a custom layer's ``call()`` Keras runs the code on concrete values, so the
        operation takes no name and makes no node of the model.
        """
        operands = [as_eager_tensors(value) for value in operands]  # concrete data among the operands
        slots = [i for i, value in enumerate(operands) if holds_tensor(value)]
        spec = OperationSpec(class_name, shape_of, operands, slots, options)
        naming = Naming() if self.interp.tracing else self.naming
        layer = Layer(spec, class_name, naming.auto(class_name), site)
        layer.operation = True
        layer.built = True
        if not self.interp.tracing:
            self.interp.record_layer(layer)
        return layer.call(list(operands), {}, site)

    def layer(self, spelled: str, args, kwargs, site: Site) -> Layer:
        spec_cls = lookup(spelled)
        binding = bind(spec_cls, list(args), dict(kwargs), spelled, self.interp.keras_version)
        named = self._keep_named_sizes(spec_cls, binding.config, len(args))
        if self.interp.image_data_format != "channels_last" and binding.config.get("data_format") is None and any(
            name == "data_format" for name, _ in spec_cls.signature
        ):  # the layer takes the global image data format
            binding.config["data_format"] = self.interp.image_data_format
        name = binding.config.get("name")
        if not isinstance(name, str):
            name = self.naming.auto(spec_cls.name)
        layer = Layer(spec_cls(binding.config, self.interp.keras_version), spec_cls.name, name, site)
        layer.problems = binding.problems
        refused = argument_values.refusal(spec_cls.name, binding.config, self.interp.keras_version)
        if refused is not None and not any(kind in REFUSED_CALLS for kind, _ in binding.problems):
            layer.problems = layer.problems + [("bad_value", f"{spec_cls.name}: {refused}")]
        layer.legacy = binding.legacy
        layer.keras_version = self.interp.keras_version
        layer.dtype_policy = self.interp.dtype_policy
        if spec_cls.name == "Lambda":
            layer.spec.trace = self.lambda_tracer(layer.spec, binding.config, site)
        still_unknown = [v for i, v in enumerate(args) if i not in named] + [v for k, v in kwargs.items() if k not in named]
        if contains_unknown(still_unknown):
            self.interp.note_assumable(site, f"{name} ({spec_cls.name})")
        elif any(isinstance(v, Sym) for v in binding.config.values()):
            sizes = [v for v in binding.config.values() if isinstance(v, Sym)]
            self.interp.note_symbolic(site, f"{name} ({spec_cls.name})", sizes)
        self.interp.record_layer(layer)
        if binding.config.get("mask_zero") is True:
            self.interp.note(site, "mask_zero=True: the mask operations Keras adds to a functional model's summary "
                                   "(NotEqual, LogicalOr, ...) are not listed")
        return layer

    def _keep_named_sizes(self, spec_cls, config: Dict[str, Any], positional: int) -> Dict[Any, Sym]:
        """A size argument (units, filters, ...) passed as a name the data decides stays that
        name: ``Dense(num_classes)`` has ``num_classes`` units, and counts follow as formulas.
        Returns the positions and keywords made symbolic, with their sizes."""
        names = self.interp.unknown_arguments
        order = [name for name, _ in spec_cls.signature][:positional]
        kept: Dict[Any, Sym] = {}
        for key, written in names.items():
            parameter = order[key] if isinstance(key, int) and key < len(order) else key
            if parameter in SIZE_PARAMETERS and config.get(parameter) is UNKNOWN and isinstance(written, str):
                config[parameter] = kept[key] = Sym.named(written)
        return kept

    def lambda_tracer(self, spec, config: Dict[str, Any], site: Site):
        """How a ``Lambda`` finds its output shape without a literal ``output_shape``: by
        calling the shape function it was given, or by running its function on stand-in
        tensors as Keras does (operations inside make no rows; ``spec`` keeps them for the
        cost of the call)."""
        declared, function = config.get("output_shape"), config.get("function")
        arguments = config.get("arguments") if isinstance(config.get("arguments"), dict) else {}
        interp = self.interp

        def trace(input_shape):
            interp.tracing += 1
            try:
                if declared is not None:
                    result = interp.call(declared, [python_shape(input_shape)], {}, site)
                    if isinstance(result, (tuple, list)) and not contains_unknown(result) and all(
                        d is None or isinstance(d, int) for d in result
                    ):
                        return tuple(result)
                else:
                    since, stand_ins = next_serial(), stand_in(input_shape)
                    result = interp.call(function, [stand_ins], dict(arguments), site)
                    spec.last_trace_calls = traced_calls(stand_ins, result, since)
                    if isinstance(result, Tensor) and result.shape is not None:
                        return tuple(result.shape)
                    if isinstance(result, (list, tuple)) and result and all(
                        isinstance(t, Tensor) and t.shape is not None for t in result
                    ):
                        return [tuple(t.shape) for t in result]
            finally:
                interp.tracing -= 1
            what = "its output_shape function" if declared is not None else "its function"
            raise ShapeError("opaque", f"Lambda: {what} could not be followed statically, so its output shape is unknown")

        return trace if declared is not None or function not in (None, UNKNOWN) else None

    def keras1_merge(self, member: str, args, kwargs, site: Site) -> Any:
        """Keras 1 ``merge``/``Merge``, built as the Keras 3 layer for its mode.

        ``merge(tensors, mode=...)`` returns the merged tensor. ``Merge(mode=...)`` returns a
        layer to call later; ``Merge([a, b], mode=...)`` returns that layer already called.
        """
        config = dict(zip(_KERAS1_MERGE_PARAMS[member], args))
        config.update(kwargs)
        inputs = config.get("inputs" if member == "merge" else "layers")
        if isinstance(inputs, (list, tuple)) and any(isinstance(item, Model) for item in inputs):
            reason = "Keras 1 `Merge` of Sequential branches is not followed; use the functional API"
            return self.opaque_layer("Merge", {"name": config.get("name")}, site, reason)
        layer = self._keras1_merge_layer(member, config, site)
        if inputs is None:
            return layer
        if isinstance(inputs, (list, tuple)):
            inputs = [_layer_output(item) for item in inputs]
        output = layer.call([inputs], {}, site)
        return output if member == "merge" else layer

    def _keras1_merge_layer(self, member: str, config: Dict[str, Any], site: Site) -> Layer:
        mode = config.get("mode", "sum")
        kwargs = {"name": config["name"]} if config.get("name") is not None else {}
        args: List[Any] = []
        if contains_unknown(mode):
            return self.opaque_layer("Merge", kwargs, site, f"the mode of this Keras 1 `{member}` is not known statically")
        if isinstance(mode, str):
            target = _KERAS1_MERGE_MODES.get(mode)
            if target is None:
                reason = f"Keras 1 `{member}` has no mode {mode!r} (modes: {', '.join(_KERAS1_MERGE_MODES)})"
                return self.opaque_layer("Merge", kwargs, site, reason)
            if mode == "concat":
                kwargs["axis"] = config.get("concat_axis", -1)
            elif target == "Dot":
                kwargs.update(axes=config.get("dot_axes", -1), normalize=mode == "cos")
        else:  # a function merging the list: Keras 3 spells that Lambda
            target = "Lambda"
            args = [mode]
            kwargs.update(output_shape=config.get("output_shape"), arguments=config.get("arguments"))
        if lookup(target) is None:
            return self.opaque_layer(target, kwargs, site)
        layer = self.layer(target, args, kwargs, site)
        layer.legacy.append(member)
        return layer

    def opaque_layer(self, spelled: str, kwargs, site: Site, reason: Optional[str] = None) -> Layer:
        """A layer whose shape and weights stay unknown; ``reason`` says why (default: not in the catalog)."""
        name = kwargs.get("name")
        if not isinstance(name, str):
            name = self.naming.auto(spelled)
        self.interp.note(site, reason or f"layer class `{spelled}` is not in archlint's catalog; its shape and weights are unknown")
        layer = Layer(None, spelled, name, site, dict(kwargs))
        self.interp.record_layer(layer)
        return layer

    def input(self, args, kwargs, site: Site) -> Any:
        args, kwargs = list(args), dict(kwargs)
        for key, written in self.interp.unknown_arguments.items():  # Input((maxlen,)): a named size
            if (key in (0, "shape") and isinstance(written, tuple)):
                held = args if isinstance(key, int) else kwargs
                held[key] = tuple(Sym.named(n) if n and d is UNKNOWN else d for n, d in zip(written, held[key]))
        config = dict(zip(_INPUT_SIGNATURE, args))
        problems = []
        for key, value in kwargs.items():
            if key in config:
                problems.append(("duplicate_argument", f"Input got `{key}` twice"))
            elif key not in _INPUT_SIGNATURE and key != "batch_input_shape":
                problems.append(("unknown_keyword", f"Input got an unexpected keyword `{key}`"))
            config[key] = value
        if "batch_input_shape" in config:  # Keras 2 spelling
            config.setdefault("batch_shape", config.pop("batch_input_shape"))
        misuse = None
        if len(args) > 1 and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            spelled = ", ".join(str(a) for a in args)
            misuse = (f"`Input({spelled})` passes {args[0]} as the shape and the other numbers as batch_size and "
                      f"dtype; write `Input(shape=({spelled}))`")
        tensor = self._make_input(config, site, misuse)
        tensor.node.layer.problems = problems
        if contains_unknown(list(args) + list(kwargs.values())):
            self.interp.note_assumable(site, "the model's input")
        return tensor

    def input_layer(self, args, kwargs, site: Site) -> Any:
        """``InputLayer(...)`` used as a layer, e.g. the first entry of a Sequential list."""
        config = bind(lookup("InputLayer"), list(args), dict(kwargs), "InputLayer").config
        return self._make_input(config, site).node.layer

    def _make_input(self, config, site: Site, misuse: Optional[str] = None) -> Tensor:
        name = config.get("name") if isinstance(config.get("name"), str) else None
        batch_shape = config.get("batch_shape")
        shape = config.get("shape")
        problem = None
        if batch_shape is not None:
            batch = tuple(batch_shape) if isinstance(batch_shape, (tuple, list)) else UNKNOWN
        elif isinstance(shape, (tuple, list)):
            batch = (config.get("batch_size"), *shape)
        elif shape is None or contains_unknown(shape):
            batch = UNKNOWN
            if shape is None and config.get("tensor") is None:  # Keras: "You must pass a `shape` argument."
                misuse = misuse or "`Input()` needs a shape: write `Input(shape=(...))` (or `batch_shape=`)"
            elif shape is None:
                problem = "`Input` needs `shape` or `batch_shape`"
        elif self.interp.keras_version == "2" and isinstance(shape, int) and not isinstance(shape, bool):
            batch = (config.get("batch_size"), shape)  # Keras 2 reads a number as a 1-D shape
        else:
            batch = UNKNOWN
            misuse = misuse or f"`Input(shape={shape!r})`: the shape must be a tuple such as ({shape!r},)"
        tensor = make_input(self.naming, None if batch is UNKNOWN else batch, site, name, config.get("dtype"))
        if batch is not UNKNOWN and isinstance(shape, int):
            tensor.node.layer.legacy = ["a number as the shape"]
        self.interp.record_layer(tensor.node.layer)
        sizes = [d for d in (batch if batch is not UNKNOWN else ()) if isinstance(d, Sym)]
        if sizes:
            self.interp.note_symbolic(site, "the model's input", sizes)
        if misuse:  # Keras raises: "Cannot convert ... to a shape"
            tensor.node.problem = ShapeError("misused_input", misuse)
        elif problem:
            tensor.node.unresolved = problem
            self.interp.note(site, problem)
        return tensor

    def sequential(self, args, kwargs, site: Site) -> Model:
        name = kwargs.get("name", args[1] if len(args) > 1 else None)
        model = self.interp.created(Model("Sequential", name if isinstance(name, str) else self.naming.auto("Sequential"), site, self.naming))
        layers = args[0] if args else kwargs.get("layers")
        if isinstance(layers, (list, tuple)):
            for layer in layers:
                self._add(model, layer, site, rebuild=False)
            if model._seq:
                model.rebuild()
        elif layers is not None:
            self.interp.note(site, "the layers of this Sequential model are not known statically")
        return model

    def functional(self, args, kwargs, site: Site) -> Any:
        inputs = kwargs.get("inputs", kwargs.get("input", args[0] if args else None))
        outputs = kwargs.get("outputs", kwargs.get("output", args[1] if len(args) > 1 else None))
        name = kwargs.get("name", args[2] if len(args) > 2 else None)
        if inputs is None and outputs is None:
            return UNKNOWN  # a subclassed-model style call
        model = self.interp.created(Model("Functional", name if isinstance(name, str) else self.naming.auto("Functional"), site, self.naming))
        model.legacy = [key for key in ("input", "output") if key in kwargs]  # Keras 1/2 keywords
        flat_in, flat_out = _tensors(inputs), _tensors(outputs)
        if flat_in is None or flat_out is None:
            model.problems.append("the model's inputs or outputs are not tensors the analysis could follow")
            model.layers_unknown = True
            self.interp.note(site, model.problems[-1])
            return model
        try:
            model.connect(flat_in, flat_out)
        except GraphError as error:
            model.problems.append(str(error))
            model.graph_error = error
            self.interp.note(site, str(error))
        return model

    def _build_from_data(self, model: Model, data: Any, batch: Optional[int], site: Site) -> None:
        """``model.fit(x)`` and friends build an unbuilt model on the first batch of ``x``."""
        if isinstance(data, Array) and data.shape:
            data = Array((batch,) + data.shape[1:], data.dtype)
        elif isinstance(data, (list, tuple)) and data and all(isinstance(a, Array) and a.shape for a in data):
            data = [Array((batch,) + a.shape[1:], a.dtype) for a in data]
        else:
            return
        if model.kind == "Sequential":
            if not model.inputs and isinstance(data, Array):
                model.build(data.shape, site)
                model.inputs_from_data = True
        elif model.kind == "Subclassed" and (not model.as_layer().built or model.as_layer().held_back):
            model.as_layer().call([as_eager_tensors(data)], {}, site)

    def _build_subclassed(self, model: Model, shape: Any, site: Site) -> None:
        """``model.build(shape)``: Keras 3 runs the class's own ``build()`` only; without one,
        the model is marked built and its layers stay unbuilt."""
        spec = model.as_layer().spec
        build = spec._method("build")
        if build is not None:
            spec._run(build, shape)
            return None
        self.interp.note(site, f"{model.name}.build() does not build the layers of a subclassed model without its own "
                               "build() (Keras 3 only marks it built): Keras counts 0 until the model is called; archlint "
                               "shows what they hold once built. Call the model on keras.Input(...) instead")
        if isinstance(shape, (tuple, list)) and not contains_unknown(shape) and not model.as_layer().built:
            before = {id(layer) for layer in model.layers if layer.built}
            outer = model.as_layer()
            outer.call([eager_tensor(tuple(shape))], {}, site)
            for layer in [outer, *model.layers]:
                if layer.built and id(layer) not in before:
                    layer.held_back = True
        return None

    def _add(self, model: Model, layer: Any, site: Site, rebuild: bool = True) -> None:
        known = len(model.problems)
        model.add(layer, site, rebuild=rebuild)
        for problem in model.problems[known:]:
            self.interp.note(site, problem)

    # --- attributes and methods ----------------------------------------------------------
    def attribute(self, obj: Any, name: str) -> Any:
        if isinstance(obj, Tensor):
            if name in ("shape", "_keras_shape", "_shape_val"):  # the latter two: Keras 2 / tf.keras 2 private spellings
                return obj.shape if obj.shape is not None else UNKNOWN
            if name in ("get_shape",):
                return BoundMethod(obj, name)
            return UNKNOWN
        if isinstance(obj, Layer):
            if name == "name":
                return obj.name
            if name == "trainable":
                return obj.trainable
            if name == "output" and obj.nodes:
                outputs = obj.nodes[-1].outputs
                return outputs[0] if len(outputs) == 1 else list(outputs)
            if name == "input" and obj.nodes and obj.nodes[-1].input_tensors:
                return obj.nodes[-1].input_tensors[0]
            if name == "output_shape" and obj.nodes and obj.nodes[-1].outputs[0].shape is not None:
                return obj.nodes[-1].outputs[0].shape
            if name != "__call__":
                obj.escaped = True  # layer.get_config(), layer.__class__: code reads the layer
            return BoundMethod(obj, name) if name in ("__call__",) else UNKNOWN
        if isinstance(obj, Model):
            if name in ("add", "summary", "compile", "build", "get_layer", "pop") or name in _DATA_METHODS or \
                    name in _KERAS2_DATA_METHODS:
                return BoundMethod(obj, name)
            if name == "layers":
                return list(obj.layers)
            if name == "name":
                return obj.name
            if name in ("inputs", "outputs"):
                return list(getattr(obj, name))
            if name in ("input", "output"):
                tensors = getattr(obj, name + "s")
                return tensors[0] if len(tensors) == 1 else list(tensors)
            if name == "trainable":
                return obj.trainable
            return UNKNOWN
        return UNKNOWN

    def set_attribute(self, obj: Any, name: str, value: Any) -> None:
        if name == "trainable" and isinstance(obj, (Layer, Model)) and isinstance(value, bool):
            obj.trainable = value

    def call_method(self, method: BoundMethod, args, kwargs, site: Site) -> Any:
        obj, name = method.obj, method.name
        if isinstance(obj, Tensor) and name == "get_shape":
            return obj.shape if obj.shape is not None else UNKNOWN
        if isinstance(obj, Model):
            if name == "add":
                accepted = ("layer", "rebuild") if self.interp.keras_version == "3" else ("layer",)
                for key in kwargs:
                    if key not in accepted:  # Keras raises TypeError: say where the argument belongs
                        hint = " (an argument of the layer, inside its parentheses)" if key in _LAYER_ONLY_KEYWORDS else ""
                        obj.method_problems.append((site, f"Sequential.add got an unexpected keyword `{key}`{hint}"))
                self._add(obj, args[0] if args else kwargs.get("layer", UNKNOWN), site)
                return None
            if name == "build":
                shape = args[0] if args else kwargs.get("input_shape", UNKNOWN)
                if obj.kind == "Subclassed":
                    return self._build_subclassed(obj, shape, site)
                if isinstance(shape, (tuple, list)):
                    obj.build(tuple(shape), site)
                return None
            if name == "get_layer":
                wanted = args[0] if args else kwargs.get("name")
                for layer in obj.layers:
                    if layer.name == wanted:
                        return layer
                return UNKNOWN
            if name == "compile":  # every call is kept: each is checked against the outputs
                obj.compiles.append((site, {**dict(zip(_COMPILE_POSITIONAL, args)), **kwargs}))
                return None
            if name in _DATA_METHODS or name in _KERAS2_DATA_METHODS:
                data = args[0] if args else kwargs.get("x", kwargs.get("generator", UNKNOWN))
                labels = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
                source = data if isinstance(data, Batches) else Batches((), None, "")
                if isinstance(data, Batches):  # images and labels from a directory or generator
                    labels = Array(data.labels, one_hot=data.one_hot) if data.labels is not None else UNKNOWN
                    data = Array(data.data)
                written, name = name, _KERAS2_DATA_METHODS.get(name, name)
                declared = [tuple(t.shape) if t.shape is not None else None for t in obj.inputs] if obj.inputs else None
                if isinstance(data, Array):  # for the data rules: the data, and the input declared before it
                    usable = declared is not None and len(declared) == 1 and _declared_input(obj)
                    obj.data_calls.append(DataCall(site, written, tuple(data.shape), declared[0] if usable else None,
                                                   _input_site(obj) if usable else None, source.color_mode, source.site,
                                                   data.pixels))
                if name in ("fit", "train_on_batch") and isinstance(labels, Array):
                    # the labels' shape, with the compile() in force then, for the loss rules
                    one_hot = source.one_hot if source.label_mode else (True if labels.one_hot else None)
                    obj.fits.append(FitLabels(site, labels.shape, len(obj.compiles), source.label_mode, one_hot,
                                              source.site))
                self._build_from_data(obj, data, _first_batch(name, data, kwargs.get("batch_size")), site)
                return UNKNOWN
            return None if name == "summary" else UNKNOWN
        return UNKNOWN


def _input_site(model: Model) -> Optional[Site]:
    """Where the model's input shape is written: its Input, or the first layer of a
    Sequential that declares it."""
    if model.kind == "Sequential" and len(model._seq) > 1 and model._seq[1].site.line:
        return model._seq[0].site if model._seq[0].site.line else model._seq[1].site
    layer = model.inputs[0].node.layer if model.inputs and model.inputs[0].node is not None else None
    return layer.site if layer is not None and layer.site.line else None


def _declared_input(model: Model) -> bool:
    """Whether the model's input shape was written in the code (an Input, or input_shape /
    input_dim / batch_input_shape on its first layer), not taken from data or from Keras 2's
    ``input_length``, which Keras 3 ignores."""
    if getattr(model, "inputs_from_data", False):
        return False
    if model.kind != "Sequential":
        return True  # a functional model's inputs are Input tensors
    stack = model._seq
    if len(stack) < 2 or stack[0].class_name != "InputLayer":
        return False
    first = stack[1]
    said = [k for k in ("input_shape", "batch_input_shape", "input_dim", "input_length") if first.config.get(k) is not None]
    if not said:
        return True  # an explicit Input opens the stack
    if first.class_name == "Embedding":  # its input_dim is the vocabulary, its input_length Keras 2's
        said = [k for k in said if k not in ("input_dim", "input_length")]
    return bool(set(said) - {"input_length"})


def _first_batch(method: str, data: Any, batch_size: Any) -> Optional[int]:
    """The batch dimension Keras builds a model with from ``method(data)``: the whole array
    for ``*_on_batch``; the first batch for ``predict``; for ``fit``/``evaluate`` a static
    size only when every batch is full."""
    first = data[0] if isinstance(data, (list, tuple)) and data else data
    samples = first.shape[0] if isinstance(first, Array) and first.shape else None
    if samples is None:
        return None
    if method.endswith("_on_batch"):
        return samples
    size = batch_size if isinstance(batch_size, int) and not isinstance(batch_size, bool) and batch_size > 0 else 32
    if method == "predict":
        return min(samples, size)
    return size if samples % size == 0 else None


def _spelled(path: str) -> str:
    """A function's path as code usually spells it: ``tf.nn.relu``, ``K.mean``."""
    for long, short in (("tensorflow.", "tf."), ("keras.backend.", "K.")):
        if path.startswith(long):
            return short + path[len(long):]
    return path


def _camel(function: str) -> str:
    return "".join(part.capitalize() for part in function.split("_"))


def _layer_output(item: Any) -> Any:
    """A Keras 1 ``Merge`` input: a tensor, or a layer standing for its latest output."""
    if isinstance(item, Layer) and item.nodes:
        return item.nodes[-1].outputs[0]
    return item


def _unknown_shape(*args, **kwargs):
    raise ShapeError("opaque", "the operation is not modelled")


def _source_inputs(tensor: Tensor) -> List[Tensor]:
    """The ``Input`` tensors ``tensor`` is computed from, in first-reached order."""
    found: List[Tensor] = []
    seen = set()
    stack = [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        inbound = current.node.input_tensors
        if not inbound:
            found.append(current)
        stack.extend(reversed(inbound))
    return found


def _tensors(value) -> Optional[List[Tensor]]:
    """Flatten model inputs/outputs (a tensor, list, tuple or dict of them)."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        out: List[Tensor] = []
        for item in value:
            inner = _tensors(item)
            if inner is None:
                return None
            out.extend(inner)
        return out
    return None
