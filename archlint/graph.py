"""The symbolic layer graph: layers own weights, nodes are calls, tensors carry shapes.

This mirrors Keras's own bookkeeping closely enough to reproduce ``model.summary()``:
auto-naming with per-prefix counters, Sequential's rebuild-on-add, and the order in
which a functional model lists its layers (Keras's depth-first map of the graph).
It never emits findings: a shape the catalog rejects is recorded on the node as
``problem`` and the output becomes unknown; rules decide what to report.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .layers.base import LayerSpec, Unresolved, Weight, declared_input_shape
from .shapes import Shape, ShapeError
from .unknown import UNKNOWN, contains_unknown

BYTES_PER_PARAM = {"float16": 2, "bfloat16": 2, "float64": 8, "int8": 1, "uint8": 1, "int64": 8}


@dataclass(frozen=True)
class Site:
    """Where something is written: 1-based line, 0-based column (as ruff and Keras users expect)."""

    line: int = 0
    col: int = 0
    path: Optional[str] = None  # set when it is in an imported module, not the analyzed file
    # Where the written node ends (end_col: 0-based, after its last character); 0 when not known.
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)


PLACEHOLDER = "?"  # class and name of a layer kept in a Sequential stack for a value the analysis lost


def to_snake_case(name: str) -> str:
    """Keras's auto-name prefix for a class name: ``Conv2D`` -> ``conv2d``, ``ReLU`` -> ``re_lu``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class Naming:
    """Keras's global name counters: ``dense``, ``dense_1``, ... per prefix."""

    def __init__(self) -> None:
        self._uids: Dict[str, int] = defaultdict(int)

    def auto(self, class_name: str) -> str:
        prefix = to_snake_case(class_name)
        count = self._uids[prefix]
        self._uids[prefix] += 1
        return prefix if count == 0 else f"{prefix}_{count}"

    def snapshot(self) -> Dict[str, int]:
        return dict(self._uids)

    def uid(self, prefix: str) -> int:
        """``keras.backend.get_uid(prefix)``: the same counters, 1 after the first call."""
        self._uids[prefix] += 1
        return self._uids[prefix]


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor: ``shape`` is a tuple of dims, or ``None`` when not known."""

    shape: Optional[Shape]
    node: "Node"
    index: int = 0


next_serial = itertools.count().__next__  # each node's place in the order nodes were made


@dataclass(eq=False)
class Node:
    """One call of a layer on some inputs."""

    layer: "Layer"
    input_tensors: List[Tensor]
    outputs: List[Tensor] = field(default_factory=list)
    site: Site = Site()
    problem: Optional[ShapeError] = None
    unresolved: Optional[str] = None
    # True when the analysis lost track at this very call (not because an input was unknown).
    unresolved_here: bool = False
    input_shapes: Any = None
    arguments: Dict[str, Any] = field(default_factory=dict)  # call() arguments holding tensors
    options: Dict[str, Any] = field(default_factory=dict)  # the other call() arguments
    # A call on concrete data (``model(np.zeros(...))``, ``fit(x)``): it builds the layer, but
    # Keras keeps no symbolic output for it, so the summary shows no output shape.
    eager: bool = False
    cut: bool = False  # called on a value the analysis lost: the graph above it is not known
    # The calls a Lambda's function or a custom layer's call() made when it was run on
    # stand-ins for its output shape (what its forward pass costs); None when not traced.
    inner_calls: Optional[List["Node"]] = None
    serial: int = field(default_factory=next_serial, repr=False)

    @property
    def is_input(self) -> bool:
        return self.layer.class_name == "InputLayer"

    @property
    def parent_nodes(self) -> List["Node"]:
        return [t.node for t in self.input_tensors]


class Layer:
    """A layer instance: a catalog spec plus its name, weights and calls."""

    def __init__(self, spec: Optional[LayerSpec], class_name: str, name: str, site: Site, config=None):
        self.spec = spec
        self.class_name = class_name
        self.name = name
        self.site = site
        self.config: Dict[str, Any] = config if config is not None else (spec.config if spec else {})
        self.nodes: List[Node] = []
        self.built = spec is not None and spec.built_on_construction
        self._weights: Optional[List[Weight]] = []  # None: built, but the weights are not known
        self.trainable = self.config.get("trainable", True) is not False
        self.problems: List[Any] = []  # binding problems: (kind, message)
        self.legacy: List[str] = []
        self.units: Optional[int] = _units(spec)
        self.formula: Optional[str] = None
        self.operation = False  # a Keras operation (``x + y``): a summary row, not in model.layers
        # Built by the analysis to show what it holds once built, though Keras leaves it
        # unbuilt (a subclassed model's layers after ``model.build(shape)``); a later call builds it.
        self.held_back = False
        # False when the layer's name is a guess (a custom layer whose __init__ the analysis
        # did not follow to super().__init__, where a `name=` would have been applied).
        self.name_known = True
        # True when code the analysis did not follow may use the layer (it was handed to
        # unknown code, read by a method, or the analysis gave up after creating it).
        self.escaped = False
        # Whose layer constructor it went through: Keras 2's recurrent layers read
        # ``input_dim`` as the feature size of each step, Keras 3's as a rank-1 input.
        self.keras_version = "3"
        # The global dtype policy when the layer was made (mixed_float16 computes in 16 bits).
        self.dtype_policy: Optional[str] = None

    def __repr__(self) -> str:
        return f"<layer {self.name} ({self.class_name})>"

    @property
    def keras_class(self) -> str:
        """The Keras class whose behaviour the layer has: ``BatchNormalization`` for a user's
        ``class BatchNorm(BatchNormalization)``, whose ``class_name`` is ``BatchNorm``."""
        return self.spec.name if self.spec is not None and self.spec.name else self.class_name

    @property
    def declared_input(self):
        spec = self.spec
        own_input_dim = spec is not None and any(name == "input_dim" for name, _ in spec.signature)
        sequence = spec is not None and getattr(spec, "is_recurrent", False) and self.keras_version == "2"
        return declared_input_shape(self.config, takes_input_dim=not own_input_dim, sequence=sequence)

    @property
    def weights(self) -> Optional[List[Weight]]:
        return self._weights

    def bytes_per_param(self) -> int:
        dtype = self.config.get("dtype")
        return BYTES_PER_PARAM.get(dtype, 4) if isinstance(dtype, str) else 4

    @property
    def params(self) -> Optional[int]:
        if self._weights is None:
            return None
        counts = [w.count for w in self._weights]
        return None if None in counts else sum(counts)

    def symbolic_split(self):
        """(trainable, non_trainable) as ints or symbolic sizes; (None, None) when a count
        is not even symbolic."""
        if self._weights is None:
            return None, None
        counts = [(w.symbolic_count, w.trainable) for w in self._weights]
        if any(count is None for count, _ in counts):
            return None, None
        trainable = sum((c for c, t in counts if t and self.trainable), 0)
        return trainable, sum((c for c, _ in counts), 0) - trainable

    def split_params(self):
        """(trainable, non_trainable) counts, or (None, None) when unknown."""
        if self._weights is None or any(w.count is None for w in self._weights):
            return None, None
        trainable = sum(w.count for w in self._weights if w.trainable and self.trainable)
        return trainable, sum(w.count for w in self._weights) - trainable

    # --- calling -----------------------------------------------------------------------
    def call(self, args: List[Any], kwargs: Dict[str, Any], site: Site) -> Any:
        """Apply the layer as ``layer(*args, **kwargs)``; return its output tensor(s)."""
        signature = self.spec.call_signature if self.spec is not None else (("inputs", None),)
        arguments = dict(zip((name for name, _ in signature), args))
        arguments.update(kwargs)
        tensor_args = {name: value for name, value in arguments.items() if holds_tensor(value)}
        if not tensor_args and signature:  # e.g. called on a value the analysis lost track of
            tensor_args = {signature[0][0]: arguments.get(signature[0][0])}
        options = {name: value for name, value in arguments.items() if name not in tensor_args}
        flat = [item for value in tensor_args.values() for item in _flatten(value)]
        tensors = [t for t in flat if isinstance(t, Tensor)]
        node = Node(self, tensors, site=site, arguments=tensor_args, options=options)
        node.eager = any(t.node.eager for t in tensors)
        self.held_back = False
        self.nodes.append(node)
        shapes = None
        if len(tensors) != len(flat) or not flat:
            node.unresolved = "the layer's input is not a tensor the analysis could follow"
            node.cut = True  # what produced its input, and what that holds, is not known
        elif any(t.shape is None for t in tensors):
            node.unresolved = "the input shape is not known"
        elif self.spec is not None and self.spec.takes_list and not isinstance(tensor_args.get("inputs"), (list, tuple)):
            node.problem = ShapeError("bad_input", f"{self.class_name} must be called on a list of tensors")
        else:
            shapes = {name: _shapes_of(value) for name, value in tensor_args.items()}
            node.input_shapes = shapes
        global _EAGER_DEPTH
        _EAGER_DEPTH += node.eager  # what call() does inside a call on data is eager too
        spec = self.spec
        if spec is not None and spec.last_trace_calls is not None:  # from a trace of another call
            spec.last_trace_calls = None
        try:
            result = self._compute(node, options) if shapes is not None else None
        finally:
            _EAGER_DEPTH -= node.eager
        if spec is not None and spec.last_trace_calls is not None:  # what this call's trace ran
            node.inner_calls, spec.last_trace_calls = (spec.last_trace_calls if result is not None else None), None
        if isinstance(result, list):
            node.outputs = [Tensor(shape, node, index) for index, shape in enumerate(result)]
        else:
            node.outputs = [Tensor(result, node, 0)]
        if not self.built:
            self.built = True
            if node.input_shapes is None:  # built on an input the analysis could not follow
                self._weights = self.spec.weights_without_input() if self.spec is not None else None
                if self._weights is not None:
                    self.formula = self.spec.build_formula({self.spec.first_input: None})
        return node.outputs if len(node.outputs) > 1 else node.outputs[0]

    def _misfit(self, input_shapes) -> Optional[str]:
        """Why the weights this layer was built with cannot take ``input_shapes`` (a second
        call on another input); None when they can or when that is not known."""
        try:
            wanted = list(self.spec.weights_for(input_shapes))
        except Exception:  # the new input is refused anyway, or not known well enough: not this check's call
            return None
        if len(wanted) != len(self._weights):
            return None
        return _misfit_message(self, self._weights, wanted, input_shapes)

    def _compute(self, node: Node, options: Dict[str, Any]):
        """Output shape (or list of shapes) of ``node``; ``None`` when it cannot be known."""
        spec = self.spec
        if spec is None:
            node.unresolved = f"{self.class_name} is not in the catalog"
            if not self.built:  # nor are its weights
                self._weights = None
            return None
        refused = next((text for kind, text in self.problems if kind == "bad_value"), None)
        if refused is not None:  # Keras would not have created the layer
            node.problem = ShapeError("bad_value", refused)
            self._weights = None
            return None
        weights_known = self.built
        if self.built and self._weights and node.input_shapes is not None:
            misfit = self._misfit(node.input_shapes)
            if misfit is not None:  # Keras refuses a built layer an input its weights do not fit
                node.problem = ShapeError("built_for_other_input", misfit)
                return None
        try:
            if not self.built:  # like Keras: build the weights, then compute the output
                self._weights = list(spec.weights_for(node.input_shapes))
                self.formula = spec.build_formula(node.input_shapes)
            weights_known = True
            result = spec.call_output(node.input_shapes, options)
            if isinstance(result, list):
                return [tuple(shape) for shape in result]
            return tuple(result)
        except ShapeError as error:
            if error.kind == "opaque":  # the layer is fine; its shape is just not static
                node.unresolved, node.unresolved_here = error.message, True
            else:
                node.problem = error
        except Unresolved as missing:
            what = str(missing) if " " in str(missing) else f"argument `{missing}`"
            node.unresolved, node.unresolved_here = f"{what} is not known statically", True
        except (TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError) as error:
            # The catalog failed on these arguments without saying Keras refuses them: unknown, not an error.
            node.problem = ShapeError("failed", f"{self.class_name}: {error}")
        if not weights_known:
            self._weights = None
        return None


def _known_size(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _misfit_message(layer: "Layer", built, wanted, input_shapes) -> Optional[str]:
    for have, need in zip(built, wanted):
        if len(have.shape) == len(need.shape) and all(
                not (_known_size(a) and _known_size(b)) or a == b for a, b in zip(have.shape, need.shape)):
            continue
        shape = next(iter(input_shapes.values()), None) if isinstance(input_shapes, dict) else input_shapes
        return (f"{layer.name} was built by its first call, with {have.name} {tuple(have.shape)}; called again on an "
                f"input of shape {tuple(shape) if isinstance(shape, (tuple, list)) else shape}, which would need "
                f"{tuple(need.shape)}")
    return None


def _units(spec: Optional[LayerSpec]) -> Optional[int]:
    if spec is None:
        return None
    try:
        units = spec.units()
    except (Unresolved, ShapeError, AttributeError, TypeError):
        return None
    return units if isinstance(units, int) else None  # a symbolic size counts no known neurons


def holds_tensor(value) -> bool:
    """Whether ``value`` is a tensor or a (nested) list or tuple holding one."""
    return any(isinstance(item, Tensor) for item in _flatten(value))


def _shapes_of(value):
    """The same structure with each tensor replaced by its shape."""
    if isinstance(value, (list, tuple)):
        return [_shapes_of(item) for item in value]
    return value.shape


def _flatten(value) -> List[Any]:
    if isinstance(value, (list, tuple)):
        out: List[Any] = []
        for item in value:
            out.extend(_flatten(item))
        return out
    return [value]


def make_input(naming: Naming, batch_shape, site: Site, name: Optional[str] = None, dtype=None) -> Tensor:
    """``keras.Input``: an InputLayer and its one output tensor."""
    from .layers import lookup

    spec_cls = lookup("InputLayer")
    layer = Layer(spec_cls({}), "InputLayer", name or naming.auto("InputLayer"), site, {"dtype": dtype})
    layer.built = True
    node = Node(layer, [], site=site)
    shape = None if contains_unknown(batch_shape) or batch_shape is None else tuple(batch_shape)
    if shape is not None:
        shape = tuple(None if d is UNKNOWN else d for d in shape)
    node.outputs = [Tensor(shape, node, 0)]
    layer.nodes.append(node)
    return node.outputs[0]


_EAGER_DEPTH = 0  # > 0 while a layer called on concrete data computes its output


def eager_tensor(shape) -> Tensor:
    """Concrete data of a known shape that a layer or model is called on."""
    tensor = detached_tensor(shape)
    tensor.node.eager = True
    return tensor


def detached_tensor(shape) -> Tensor:
    """A tensor outside every model: a stand-in input or a weight while a custom layer's
    ``call()`` is traced for its output shape (eager inside a call on concrete data)."""
    layer = Layer(None, "InputLayer", "", Site())
    node = Node(layer, [], eager=_EAGER_DEPTH > 0)
    node.outputs = [Tensor(shape, node, 0)]
    layer.nodes.append(node)
    return node.outputs[0]


def traced_calls(stand_ins, outputs, since: int) -> Optional[List[Node]]:
    """The calls a trace made from the ``stand_ins`` (tensors, nested in lists) to
    ``outputs``, each after the calls it reads. Tensors made inside (a weight, a constant)
    start paths of their own. None when an output is not a tensor, a path reaches a call
    made before the trace began (``since``: its first node's serial), such as a tensor of
    the model the function closed over, or a call reads only weights or constants."""
    starts = {id(t) for t in _flatten(stand_ins) if isinstance(t, Tensor)}
    ends = _flatten(outputs)
    if not ends or not all(isinstance(t, Tensor) for t in ends):
        return None
    ordered: List[Node] = []
    done: set = set()
    stack = [(t.node, False) for t in reversed(ends) if id(t) not in starts]
    while stack:  # depth first: a node after every node it reads
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if node.is_input:
            done.add(id(node))
            continue
        if node.serial < since:
            return None
        if expanded:
            done.add(id(node))
            ordered.append(node)
            continue
        stack.append((node, True))
        stack.extend((t.node, False) for t in node.input_tensors if id(t) not in starts and id(t.node) not in done)
    # A call on weights or constants alone (``ops.softmax(self.w)``) runs once a batch and has
    # no batch axis: the costs per sample do not hold for it.
    reads_inputs: set = set()
    for node in ordered:
        if any(id(t) in starts or id(t.node) in reads_inputs for t in node.input_tensors):
            reads_inputs.add(id(node))
        elif node.input_tensors:
            return None
    return ordered


@dataclass(frozen=True)
class DataCall:
    """fit/predict/evaluate given data of a known shape, against the input the model declared."""

    site: Site
    method: str  # as written: "fit", "fit_generator"
    shape: tuple
    declared: Optional[tuple]  # the model's declared input batch shape (None: not written in the code)
    declared_at: Optional[Site] = None
    images: str = ""  # how a batch source chose the channels: "color_mode='rgb'"
    source_at: Optional[Site] = None  # the batch source's call (flow_from_directory)
    pixels: bool = False  # image pixels as a dataset stores them, 0 .. 255


@dataclass(frozen=True)
class FitLabels:
    """fit() given labels of a known shape, with the compile() in force then."""

    site: Site
    shape: tuple
    compiled: int  # how many compile() calls came before
    origin: str = ""  # how a batch source chose them: "class_mode='binary'"
    one_hot: Optional[bool] = None  # None: read it from the shape
    source_at: Optional[Site] = None


class Model:
    """A Sequential or Functional model, as ``model.layers`` and ``summary()`` see it."""

    def __init__(self, kind: str, name: str, site: Site, naming: Naming):
        self.kind = kind  # "Sequential" | "Functional" | "Subclassed"
        self.name = name
        self.site = site
        self.naming = naming
        self.inputs: List[Tensor] = []
        self.outputs: List[Tensor] = []
        self.trainable = True
        self.problems: List[str] = []
        self.layers_unknown = False  # which layers it holds is not known (outputs not followed)
        self._seq: List[Layer] = []  # Sequential's stack, InputLayer first when known
        # The last build of the stack: its input, how many entries of the stack it took, its output.
        self._last_build: Tuple[Optional[Tensor], int, Optional[Tensor]] = (None, 0, None)
        self._operations: List[Layer] = []
        self._nodes_by_depth: Dict[int, List[Node]] = {}
        self._as_layer: Optional[Layer] = None
        self.compiles: List[Any] = []  # (Site, arguments) of each model.compile(...), for the loss rules
        self.fits: List[FitLabels] = []  # each fit() on known labels
        self.method_problems: List[Any] = []  # (Site, message): a model method refusing its arguments
        self.data_calls: List[DataCall] = []  # fit/predict/... on known data, for a declared input
        self.inputs_from_data = False  # a Sequential built by the data it was first given
        self.tracked = None  # a subclassed model: returns the layers its attributes hold
        self.class_name = kind  # what a summary calls it as a layer: Functional, or a subclass's name
        self.graph_error: Optional["GraphError"] = None  # why its inputs and outputs do not connect
        self.legacy: List[str] = []  # Keras 1/2 keywords it was built with: "input", "output"

    def __repr__(self) -> str:
        return f"<model {self.name} ({self.kind})>"

    # --- Sequential ------------------------------------------------------------------
    def add(self, layer: Any, site: Site, rebuild: bool = True) -> None:
        if isinstance(layer, Tensor) and layer.node.is_input:
            layer = layer.node.layer
        if isinstance(layer, Model):
            layer = layer.as_layer()
        if not isinstance(layer, Layer):
            # Keep its place in the stack: later shapes depend on it and become unknown.
            self.problems.append("a value added to the Sequential model is not a layer the analysis knows")
            for held in _flatten(layer):
                if isinstance(held, Layer):
                    held.escaped = True
            layer = Layer(None, PLACEHOLDER, PLACEHOLDER, site)
        if not self._seq:
            declared = layer.declared_input if layer.class_name != "InputLayer" else None
            if declared is not None:
                self._seq.append(make_input(self.naming, declared, layer.site).node.layer)
        self._seq.append(layer)
        if rebuild:
            self.rebuild()

    def rebuild(self) -> None:
        if len(self._seq) > 1 and self._seq[0].class_name == "InputLayer":
            self._build_from(self._seq[0].nodes[0].outputs[0])
        elif len(self._seq) > 1 and getattr(self._seq[0].spec, "input_batch_shape", None) is not None:
            # A built model as the first layer: Keras builds from that model's input shape.
            self.build(self._seq[0].spec.input_batch_shape, self.site)

    def build(self, batch_shape, site: Site) -> None:
        if not self._seq:
            return
        if self._seq[0].class_name != "InputLayer":
            self._seq.insert(0, make_input(self.naming, batch_shape, site).node.layer)
        self._build_from(self._seq[0].nodes[0].outputs[0])

    def _build_from(self, x: Tensor) -> None:
        """Call the stack on ``x``. Keras calls every layer again on each ``add()``; the
        shapes are those of the last build for the layers it already took, so only the ones
        added since are called: an ``add()`` costs one layer, not the whole stack."""
        inputs, start = x, 1
        built_from, taken, output = self._last_build
        if built_from is x and output is not None and 1 <= taken <= len(self._seq):
            x, start = output, taken
        for layer in self._seq[start:]:
            x = layer.call([x], {}, layer.site)
        self.naming.auto("Functional")  # Keras wraps each rebuild in a Functional
        self.inputs, self.outputs = [inputs], [x]
        self._last_build = (inputs, len(self._seq), x)

    # --- Functional ------------------------------------------------------------------
    def connect(self, inputs: List[Tensor], outputs: List[Tensor]) -> None:
        self.inputs, self.outputs = inputs, outputs
        self._operations, self._nodes_by_depth = map_graph(inputs, outputs)

    def as_layer(self) -> Layer:
        """This model used as a layer of another model (one row, its weights counted once)."""
        if self._as_layer is None:
            from .nested import nested_model_layer

            self._as_layer = nested_model_layer(self)
        return self._as_layer

    @property
    def layers(self) -> List[Layer]:
        if self.kind == "Subclassed":
            return self.tracked()
        if self.kind == "Sequential":
            return [layer for layer in self._seq if layer.class_name != "InputLayer"]
        return [layer for layer in self._operations if not layer.operation]

    @property
    def operations(self) -> List[Layer]:
        """The summary's rows: ``layers`` plus the operations applied to tensors between them."""
        return self._operations if self.kind == "Functional" else self.layers

    @property
    def nodes_by_depth(self) -> Dict[int, List[Node]]:
        return self._nodes_by_depth

    def calls_in_order(self) -> List[Node]:
        """The layer calls a forward pass makes, each after the calls it reads, inputs left
        out: a functional graph's nodes (its depths count from the outputs back), else each
        layer's last call in order."""
        if self.kind == "Functional":
            return [node for depth in sorted(self.nodes_by_depth, reverse=True)
                    for node in self.nodes_by_depth[depth] if not node.is_input]
        return [layer.nodes[-1] for layer in self.layers if layer.nodes and not layer.nodes[-1].is_input]


class GraphError(Exception):
    """The functional graph is malformed: ``kind`` is "cycle" or "disconnected"."""

    def __init__(self, message: str, kind: str = "cycle"):
        super().__init__(message)
        self.kind = kind


def map_graph(inputs: List[Tensor], outputs: List[Tensor]):
    """Order a functional model's layers as Keras does; return (layers, nodes_by_depth)."""
    input_ids = {id(t) for t in inputs}
    finished: set = set()
    in_progress: set = set()
    ordered: List[Node] = []
    layer_index: Dict[Layer, int] = {}

    for output in outputs:
        stack = [(output, False)]
        while stack:
            tensor, expanded = stack.pop()
            node = tensor.node
            if expanded:
                finished.add(node)
                in_progress.discard(node)
                ordered.append(node)
                continue
            if node in finished:
                continue
            if not node.is_input and id(tensor) in input_ids:
                finished.add(node)
                continue
            if node in in_progress:
                raise GraphError(f"layer {node.layer.name} is part of a cycle")
            layer_index.setdefault(node.layer, len(layer_index))
            in_progress.add(node)
            stack.append((tensor, True))
            if not node.is_input:
                for parent in reversed(node.input_tensors):
                    stack.append((parent, False))

    in_graph = set(ordered)
    node_depth: Dict[Node, int] = {}
    layer_depth: Dict[Layer, int] = {}
    for node in reversed(ordered):
        depth = node_depth.setdefault(node, 0)
        depth = max(depth, layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))

    for tensor in inputs:
        node = tensor.node
        if node.layer not in layer_depth and node.is_input:
            layer_depth[node.layer] = 0
            layer_index[node.layer] = -1
            node_depth[node] = 0

    nodes_by_depth: Dict[int, List[Node]] = defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    layers_by_depth: Dict[int, List[Layer]] = defaultdict(list)
    for layer, depth in layer_depth.items():
        layers_by_depth[depth].append(layer)
    layers: List[Layer] = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers.extend(sorted(layers_by_depth[depth], key=lambda layer: layer_index[layer]))

    reachable = {id(t) for t in inputs}
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for tensor in node.input_tensors:
                if id(tensor) not in reachable and not node.is_input:
                    raise GraphError(
                        f"graph disconnected: the input of layer {node.layer.name} is not computed from the model's inputs",
                        "disconnected",
                    )
            if node.is_input and not any(id(t) in input_ids for t in node.outputs):
                continue  # an Input the model was not given: what it feeds is unreachable
            reachable.update(id(t) for t in node.outputs)
    return layers, dict(nodes_by_depth)
