"""A model's summary as data: the rows and totals ``model.summary()`` prints, plus explanations.

Built from the graph; reporters render it as a rich table or as the JSON contract.
Counts follow Keras: each layer's weights are counted once however often the layer is
called, and a frozen layer's weights are all non-trainable. A count that depends on a size
only the data knows is ``None``, with its formula in that size (``symbolic_*``) where
every such layer has one.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import List, Optional, Union

from . import costs
from .graph import Layer, Model, Node
from .receptive_field import Field, model_fields
from .symbolic import Sym


@dataclass
class LayerRow:
    name: str
    class_name: str
    output_shape: Optional[list]  # ints and None (a list of those per output); None when unknown
    params: Optional[int]  # None when unknown
    trainable_params: Optional[int]
    non_trainable_params: Optional[int]
    built: bool
    called: bool  # an uncalled layer has no output shape, and that is no gap in the analysis
    formula: Optional[str]
    units: Optional[int]
    line: int
    col: int
    connected_to: List[str] = field(default_factory=list)
    operation: bool = False  # a Keras operation such as ``x + y``: a summary row, not a layer
    params_once_built: Optional[int] = None  # an unbuilt layer whose weights do not depend on its input
    symbolic_params: Optional[Sym] = None  # the count, when it depends on a symbolic size
    path: Optional[str] = None  # the file of a layer made in an imported module (None: the analyzed file)
    # What the model's calls of the layer cost per sample (costs.py); None when not known.
    macs: Union[int, Sym, None] = None
    flops: Union[int, Sym, None] = None
    output_values: Union[int, Sym, None] = None
    value_bytes: Optional[int] = 4  # of each output value, by the layer's dtype or policy (None: not known)
    receptive_field: Optional[Field] = None  # of its output, on the model's convolutional path


@dataclass
class ModelSummary:
    name: str
    kind: str
    entry: str
    line: int
    rows: List[LayerRow]
    total_params: Optional[int]
    trainable_params: Optional[int]
    non_trainable_params: Optional[int]
    trainable_bytes: Optional[float]
    non_trainable_bytes: Optional[float]
    complete: bool
    sequential_like: bool
    neurons: int
    problems: List[str]
    # What layers Keras leaves unbuilt hold once the model is called (model.build() of a
    # subclassed model); None when no layer is held back.
    params_once_built: Optional[int] = None
    # The totals as formulas in the symbolic sizes they depend on (the ints above are None).
    symbolic_total: Optional[Sym] = None
    symbolic_trainable: Union[int, Sym, None] = None
    symbolic_non_trainable: Union[int, Sym, None] = None
    # A forward pass per sample: its multiply-adds and FLOPs, the values its layers output
    # and the bytes they take, the values the inputs hold; None when not known.
    macs: Union[int, Sym, None] = None
    flops: Union[int, Sym, None] = None
    output_values: Union[int, Sym, None] = None
    output_bytes: Union[int, Sym, None] = None
    input_values: Union[int, Sym, None] = None

    @property
    def total_bytes(self) -> Optional[float]:
        if self.trainable_bytes is None or self.non_trainable_bytes is None:
            return None
        return self.trainable_bytes + self.non_trainable_bytes

    def estimated_sizes(self, batch_size: int = 1) -> dict:
        """Bytes of a training step, as torchinfo estimates them: the inputs (4 bytes a
        value), every layer's outputs twice (kept for the backward pass, and their
        gradients), the weights, and their sum; None where not known."""
        inputs = costs.times(self.input_values, 4, batch_size)
        forward_backward = costs.times(2, self.output_bytes, batch_size)
        weights = self.total_bytes
        weights = None if weights is None or weights == math.inf else int(weights)
        return {"input": inputs, "forward_backward": forward_backward, "params": weights,
                "total": costs.total((inputs, forward_backward, weights))}


def _node_index(node: Node) -> int:
    return node.layer.nodes.index(node)


def _connections(layer: Layer, relevant: set) -> List[str]:
    out = []
    for node in layer.nodes:
        if relevant and node not in relevant:
            continue
        for tensor in node.input_tensors:
            out.append(f"{tensor.node.layer.name}[{_node_index(tensor.node)}][{tensor.index}]")
    return out


def _is_sequential_like(model: Model) -> bool:
    if model.kind == "Sequential":
        return True
    nodes: List[Node] = []
    for group in model.nodes_by_depth.values():
        if len(group) > 1 or (len(group) == 1 and len(group[0].input_tensors) > 1):
            return False
        nodes += group
    node_set = set(nodes)
    for layer in model.layers:
        if sum(1 for node in layer.nodes if node in node_set) > 1:
            return False
    return True


def _calls_cost(layer: Layer, calls: List[Node], opened):
    """(MACs, FLOPs, output values) of the layer's calls in the model's forward pass; in
    the sizes the inputs leave open (``opened``: costs.open_shapes) where they need them."""
    if not calls or layer.class_name == "InputLayer":
        return (0, 0, 0) if layer.class_name == "InputLayer" else (None, None, None)
    total, produced = costs.NOTHING, 0
    for node in calls:
        cost, values = costs.call_cost(node), costs.output_values(node)
        if opened is not None and None in (cost.macs, cost.flops, values):
            cost, values = costs.call_cost(node, opened), costs.output_values(node, opened)
        total, produced = total + cost, costs.add(produced, values)
    return total.macs, total.flops, produced


def _row(layer: Layer, model: Model, relevant: set, fields: dict, opened, with_costs: bool,
         forward: Optional[set] = None) -> LayerRow:
    output_shape = None  # Keras reports the last symbolic call's output(s)
    symbolic = [node for node in layer.nodes if not node.eager]
    if symbolic and symbolic[-1].outputs:
        shapes = [t.shape for t in symbolic[-1].outputs]
        if len(shapes) == 1:
            output_shape = None if shapes[0] is None else list(shapes[0])
        elif all(s is not None for s in shapes):
            output_shape = [list(s) for s in shapes]
    built = layer.built and not layer.held_back
    if built:
        params = layer.params
        trainable, non_trainable = layer.split_params()
        if not model.trainable and trainable is not None:
            trainable, non_trainable = 0, trainable + non_trainable
    else:
        params, trainable, non_trainable = 0, 0, 0
    if forward is not None:  # a subclassed model's layers: their calls in its traced forward pass
        in_model = [n for n in layer.nodes if n in forward]
    else:
        in_model = [n for n in symbolic if n in relevant] if relevant else symbolic[-1:]  # the calls this model makes
    macs, flops, produced = _calls_cost(layer, in_model, opened) if with_costs else (None, None, None)
    field = fields.get(id(in_model[-1])) if in_model else None
    symbolic_count = None
    if built and params is None:
        t, n = layer.symbolic_split()
        if t is not None and isinstance(t + n, Sym):
            symbolic_count = t + n
    return LayerRow(
        name=layer.name,
        class_name=layer.class_name,
        output_shape=output_shape,
        params=params,
        trainable_params=trainable,
        non_trainable_params=non_trainable,
        built=built,
        called=bool(symbolic),
        formula=layer.formula if built else None,
        units=layer.units,
        line=layer.site.line,
        path=layer.site.path,
        col=layer.site.col,
        connected_to=_connections(layer, relevant),
        operation=layer.operation,
        params_once_built=layer.params if layer.held_back else None if built else _params_once_built(layer),
        symbolic_params=symbolic_count,
        macs=macs,
        flops=flops,
        output_values=produced,
        value_bytes=costs.value_bytes(layer),
        receptive_field=field,
    )


_PROBES = [((None, 3), (None, 7)), ((None, 5, 3), (None, 9, 7)), ((None, 5, 5, 3), (None, 9, 9, 7)),
           ((None, 5, 5, 5, 3), (None, 9, 9, 9, 7))]


def _params_once_built(layer: Layer) -> Optional[int]:
    """What an unbuilt layer will hold once built, when that does not depend on its input
    (``Embedding(1000, 64)``: 64,000): the same count for inputs of different sizes. Not
    asked of a model used as a layer: probing it would build the inner model on the probe."""
    spec = layer.spec
    if spec is None or layer.operation or hasattr(spec, "model"):
        return None
    for first, second in _PROBES:
        try:
            counts = [sum(w.count for w in spec.weights_for({spec.first_input: shape})) for shape in (first, second)]
        except Exception:  # the layer refuses this rank, or the weights need more than a shape
            continue
        return counts[0] if counts[0] == counts[1] and counts[0] else None
    return None


def summarize(model: Model, entry: str, with_costs: bool = False) -> ModelSummary:
    """``with_costs``: also what a forward pass costs, per row and in total (else None)."""
    relevant = {n for group in model.nodes_by_depth.values() for n in group} if model.kind == "Functional" else set()
    fields, opened = (model_fields(model), costs.open_shapes(model)) if with_costs else ({}, None)
    forward = _forward_call(model) if with_costs else None
    forward_set = set(forward.inner_calls) if forward is not None else None
    rows = [_row(layer, model, relevant, fields, opened, with_costs, forward_set) for layer in model.operations]
    trainable = non_trainable = 0
    trainable_bytes = non_trainable_bytes = 0.0
    # A functional graph cut where a layer was called on a lost value holds layers nobody knows.
    known = not model.layers_unknown and not any(node.cut for node in relevant)
    seen = set()
    once_built: Optional[int] = 0 if any(layer.held_back for layer in model.layers) else None
    symbolic_known = True  # every count the total lacks has a formula
    symbolic_t: Union[int, Sym] = 0
    symbolic_n: Union[int, Sym] = 0
    for layer in model.layers:
        if layer.held_back and once_built is not None:
            once_built = None if layer.params is None else once_built + layer.params
        if id(layer) in seen:
            continue
        if not layer.built or layer.held_back:
            seen.add(id(layer))  # weights a custom layer made in __init__ exist before any build
            created = [] if layer.held_back else getattr(layer.spec, "recorded", None) or []
            if any(w.count is None for w in created):
                known = symbolic_known = False
                continue
            t = sum(w.count for w in created if w.trainable and layer.trainable and model.trainable)
            n = sum(w.count for w in created) - t
            trainable, non_trainable = trainable + t, non_trainable + n
            trainable_bytes += _bytes(t, layer.bytes_per_param())
            non_trainable_bytes += _bytes(n, layer.bytes_per_param())
            continue
        seen.add(id(layer))
        t, n = layer.split_params()
        if t is None:
            known = False
            t, n = layer.symbolic_split()
            if t is None:
                symbolic_known = False
                continue
            if not model.trainable:
                t, n = 0, t + n
            symbolic_t, symbolic_n = symbolic_t + t, symbolic_n + n
            continue
        if not model.trainable:
            t, n = 0, t + n
        size = layer.bytes_per_param()
        trainable += t
        non_trainable += n
        trainable_bytes += _bytes(t, size)
        non_trainable_bytes += _bytes(n, size)
    unbuilt = sum(1 for layer in model.layers if not layer.built) if model.kind == "Subclassed" else 0
    problems = list(model.problems)
    if unbuilt:  # Keras's total for now, not what the model holds once fit() or a call builds it
        problems.append(f"{unbuilt} layer{'s are' if unbuilt > 1 else ' is'} not built yet: the weights {'their' if unbuilt > 1 else 'its'} build makes are not in the total")
    complete = known and not problems and all(r.output_shape is not None or not r.called for r in rows)
    # Formulas only where everything else is known: the unknown part is just the symbolic sizes.
    symbolic_total = symbolic_t + symbolic_n + trainable + non_trainable
    formulas = (not known and symbolic_known and not model.layers_unknown and not problems
                and not any(node.cut for node in relevant) and isinstance(symbolic_total, Sym))
    # Totals only over a graph known whole: a layer the analysis lost would be missing from them.
    whole = not model.layers_unknown and not problems and not any(node.cut for node in relevant)
    totals = _cost_totals(model, rows, opened, forward) if with_costs and whole else {}
    return ModelSummary(
        **totals,
        name=model.name,
        kind=model.kind,
        entry=entry,
        line=model.site.line,
        rows=rows,
        total_params=trainable + non_trainable if known else None,
        trainable_params=trainable if known else None,
        non_trainable_params=non_trainable if known else None,
        trainable_bytes=trainable_bytes if known else None,
        non_trainable_bytes=non_trainable_bytes if known else None,
        complete=complete,
        sequential_like=_is_sequential_like(model),
        neurons=sum(r.units or 0 for r in rows),
        problems=problems,
        params_once_built=once_built,
        symbolic_total=symbolic_total if formulas else None,
        symbolic_trainable=symbolic_t + trainable if formulas else None,
        symbolic_non_trainable=symbolic_n + non_trainable if formulas else None,
    )


def _forward_call(model: Model) -> Optional[Node]:
    """A subclassed model's last call whose ``call()`` was followed (on symbolic inputs or
    on data), its ``inner_calls`` the calls it made; None for other models, or when none was."""
    if model.kind != "Subclassed":
        return None
    return next((node for node in reversed(model.as_layer().nodes) if node.inner_calls is not None), None)


def _cost_totals(model: Model, rows: List[LayerRow], opened, forward: Optional[Node]) -> dict:
    """Totals over the rows; a subclassed model's mult-adds and FLOPs are those of its
    traced forward pass (``forward``: that call), whose operations between layers are no rows."""
    costed = [r for r in rows if r.class_name != "InputLayer"]
    totals = dict(
        macs=costs.total(r.macs for r in costed),
        flops=costs.total(r.flops for r in costed),
        output_values=costs.total(r.output_values for r in costed),
        output_bytes=costs.total(costs.times(r.output_values, r.value_bytes) for r in costed),
        input_values=costs.total(costs.output_values(t.node, opened) for t in model.inputs) if model.inputs else None,
    )
    if forward is not None:
        forward_cost = costs.call_cost(forward)  # the cost of the calls its call() made
        totals.update(macs=forward_cost.macs, flops=forward_cost.flops,
                      input_values=costs.total(costs.values(t.shape) for t in forward.input_tensors))
    return totals


def _bytes(count: int, size: float) -> float:
    """``count`` weights of ``size`` bytes each; infinite past what a float holds."""
    return count * size if count.bit_length() < 1000 else math.inf


def readable_size(size: float) -> str:
    """Bytes as Keras prints them: ``2.16 MB``."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"
