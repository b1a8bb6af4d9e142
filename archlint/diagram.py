"""A model's layer graph as a diagram: Mermaid, Graphviz DOT, or an SVG drawn here.

Boxes are the summary's rows (name, class, output shape, parameters), arrows the
connections (a Sequential model's rows in order), a model used as a layer a subgraph of
its own rows. Big models are made readable: a run of identical blocks (same classes,
shapes and counts, one after another) is folded into its first block marked ``×N``, and
past ``max_boxes`` boxes the rest is one box saying how many layers it stands for.

It draws what the analysis built; it computes nothing about the model.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .summary import LayerRow, ModelSummary, summarize
from .symbolic import format_sym

MAX_BOXES = 60
MAX_BLOCK = 40  # the longest block folding looks for, in layers


@dataclass
class Box:
    id: str
    title: str  # name (Class)
    shape: str
    params: str
    repeat: int = 1  # a folded run of identical blocks: how many
    inner: Optional["Diagram"] = None  # a model used as a layer


@dataclass
class Diagram:
    title: str
    boxes: List[Box] = field(default_factory=list)
    edges: List[Tuple[str, str]] = field(default_factory=list)
    hidden: int = 0  # layers past the cap, in one "more" box


def shape_text(shape) -> str:
    if shape is None:
        return "?"
    if shape and isinstance(shape[0], list):
        return "[" + ", ".join(shape_text(s) for s in shape) + "]"
    return "(" + ", ".join("None" if d is None else format_sym(d) for d in shape) + ")"


def _params_text(row: LayerRow) -> str:
    if not row.built:
        return "0 (unbuilt)"
    if row.params is not None:
        return f"{row.params:,} params"
    return f"{format_sym(row.symbolic_params, thousands=True)} params" if row.symbolic_params is not None else "? params"


def build(model, summary: Optional[ModelSummary] = None, prefix: str = "n", max_boxes: int = MAX_BOXES,
          depth: int = 0) -> Diagram:
    """The diagram of ``model`` (a graph.Model), from its summary's rows."""
    summary = summary or summarize(model, "")
    rows = summary.rows
    layers = list(model.operations)
    ids = {row.name: f"{prefix}{index}" for index, row in enumerate(rows)}
    boxes = []
    for index, (row, layer) in enumerate(zip(rows, layers)):
        box = Box(ids[row.name], f"{row.name} ({row.class_name})", shape_text(row.output_shape), _params_text(row))
        inner_model = getattr(getattr(layer, "spec", None), "model", None)
        if inner_model is not None and depth < 2:
            box.inner = build(inner_model, None, f"{box.id}_", max_boxes, depth + 1)
        boxes.append(box)
    if summary.sequential_like or not any(row.connected_to for row in rows):
        edges = [(a.id, b.id) for a, b in zip(boxes, boxes[1:])]
    else:
        edges = []
        for row in rows:
            for link in row.connected_to:
                source = ids.get(link.split("[", 1)[0])
                if source is not None and (source, ids[row.name]) not in edges:
                    edges.append((source, ids[row.name]))
    diagram = Diagram(f"{summary.name} ({summary.kind})", boxes, edges)
    _fold_repeats(diagram)
    _cap(diagram, max_boxes)
    return diagram


def _signature(box: Box) -> Tuple:
    return (box.title.split(" (", 1)[-1], box.shape, box.params, box.inner is not None)


def _fold_repeats(diagram: Diagram) -> None:
    """Fold each run of 2+ identical blocks, each feeding the next, into its first, marked
    with the count (parallel branches that look alike are not a run)."""
    boxes = diagram.boxes
    signatures = [_signature(b) for b in boxes]
    index = 0
    while index < len(boxes):
        best = None
        for period in range(1, min(MAX_BLOCK, (len(boxes) - index) // 2) + 1):
            block = signatures[index:index + period]
            count = 1
            while (signatures[index + count * period:index + (count + 1) * period] == block
                   and _feeds(diagram.edges, boxes[index + (count - 1) * period:index + count * period],
                              boxes[index + count * period:index + (count + 1) * period])):
                count += 1
            if count > 1 and (best is None or count * period > best[0] * best[1]):
                best = (count, period)
        if best is None:
            index += 1
            continue
        count, period = best
        kept, dropped = boxes[index:index + period], boxes[index + period:index + count * period]
        mapping = {d.id: kept[i % period].id for i, d in enumerate(dropped)}
        for box in kept:
            box.repeat = count
        del boxes[index + period:index + count * period]
        del signatures[index + period:index + count * period]
        diagram.edges = _remapped(diagram.edges, mapping)
        index += period


def _feeds(edges, first: List[Box], second: List[Box]) -> bool:
    """Whether an arrow goes from a box of ``first`` to a box of ``second``."""
    sources, targets = {b.id for b in first}, {b.id for b in second}
    return any(a in sources and b in targets for a, b in edges)


def _remapped(edges, mapping: Dict[str, str]) -> List[Tuple[str, str]]:
    out = []
    for a, b in edges:
        a, b = mapping.get(a, a), mapping.get(b, b)
        if a != b and (a, b) not in out:
            out.append((a, b))
    return out


def _cap(diagram: Diagram, max_boxes: int) -> None:
    if len(diagram.boxes) <= max_boxes:
        return
    hidden = diagram.boxes[max_boxes:]
    diagram.hidden = sum(b.repeat for b in hidden)
    kept = {b.id for b in diagram.boxes[:max_boxes]}
    more = f"{diagram.boxes[0].id.rstrip('0123456789')}more"
    diagram.boxes = diagram.boxes[:max_boxes]
    diagram.edges = _remapped(diagram.edges, {b.id: more for b in hidden})
    diagram.edges = [(a, b) for a, b in diagram.edges if a in kept or a == more]
    diagram.boxes.append(Box(more, f"… {diagram.hidden} more layers", "", ""))


def _label_lines(box: Box) -> List[str]:
    title = box.title + (f" ×{box.repeat}" if box.repeat > 1 else "")
    return [line for line in (title, box.shape, box.params) if line]


# --- Mermaid ------------------------------------------------------------------------------
def _mermaid_text(text: str) -> str:
    return html.escape(text, quote=True).replace("#", "#35;")


def mermaid(diagram: Diagram) -> str:
    lines = ["flowchart TD"]
    _mermaid_body(diagram, lines, "  ")
    return "\n".join(lines) + "\n"


def _mermaid_body(diagram: Diagram, lines: List[str], indent: str) -> None:
    for box in diagram.boxes:
        if box.inner is not None:
            lines.append(f'{indent}subgraph {box.id}["{_mermaid_text(" · ".join(_label_lines(box)))}"]')
            _mermaid_body(box.inner, lines, indent + "  ")
            lines.append(f"{indent}end")
        else:
            lines.append(f'{indent}{box.id}["{"<br/>".join(_mermaid_text(line) for line in _label_lines(box))}"]')
    for a, b in diagram.edges:
        lines.append(f"{indent}{a} --> {b}")


# --- Graphviz DOT -------------------------------------------------------------------------
def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot(diagram: Diagram) -> str:
    lines = ["digraph model {", "  compound=true;", "  rankdir=TB;",
             '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];']
    _dot_body(diagram, lines, "  ")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ends(box: Box) -> Tuple[str, str]:
    """The nodes an arrow into / out of a box attaches to (a subgraph's first and last)."""
    if box.inner is None or not box.inner.boxes:
        return box.id, box.id
    return _ends(box.inner.boxes[0])[0], _ends(box.inner.boxes[-1])[1]


def _dot_body(diagram: Diagram, lines: List[str], indent: str) -> None:
    by_id = {box.id: box for box in diagram.boxes}
    for box in diagram.boxes:
        if box.inner is not None:
            lines.append(f"{indent}subgraph cluster_{box.id} {{")
            lines.append(f'{indent}  label="{_dot_text(" · ".join(_label_lines(box)))}";')
            _dot_body(box.inner, lines, indent + "  ")
            lines.append(f"{indent}}}")
        else:
            lines.append(f'{indent}{box.id} [label="{_dot_text(chr(10).join(_label_lines(box)))}"];'.replace(chr(10), "\\n"))
    for a, b in diagram.edges:
        tail, head = _ends(by_id[a])[1] if a in by_id else a, _ends(by_id[b])[0] if b in by_id else b
        attributes = []
        if a in by_id and by_id[a].inner is not None:
            attributes.append(f"ltail=cluster_{a}")
        if b in by_id and by_id[b].inner is not None:
            attributes.append(f"lhead=cluster_{b}")
        lines.append(f"{indent}{tail} -> {head}" + (f" [{', '.join(attributes)}]" if attributes else "") + ";")


# --- SVG, drawn here (no network, no Graphviz) --------------------------------------------
BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, CHAR = 230, 54, 30, 34, 6.2


def _flat(diagram: Diagram) -> Tuple[List[Box], List[Tuple[str, str]]]:
    """Boxes and edges with subgraphs drawn inline (their rows after a header box)."""
    boxes, edges = [], list(diagram.edges)
    for box in diagram.boxes:
        if box.inner is None:
            boxes.append(box)
            continue
        inner_boxes, inner_edges = _flat(box.inner)
        header = Box(box.id, box.title + (f" ×{box.repeat}" if box.repeat > 1 else ""), box.shape, box.params)
        boxes.append(header)
        boxes.extend(inner_boxes)
        if inner_boxes:
            edges.append((header.id, inner_boxes[0].id))
        edges.extend(inner_edges)
    return boxes, edges


def svg(diagram: Diagram) -> str:
    """A layered drawing: each box one row below the lowest box feeding it."""
    boxes, edges = _flat(diagram)
    rank: Dict[str, int] = {}
    feeding: Dict[str, List[str]] = {}
    for a, b in edges:
        feeding.setdefault(b, []).append(a)
    for box in boxes:  # boxes come in an order where every input precedes its consumers
        rank[box.id] = 1 + max((rank[a] for a in feeding.get(box.id, []) if a in rank), default=-1)
    columns: Dict[int, int] = {}
    position: Dict[str, Tuple[float, float]] = {}
    for box in boxes:
        column = columns.get(rank[box.id], 0)
        columns[rank[box.id]] = column + 1
        position[box.id] = (10 + column * (BOX_WIDTH + GAP_X), 10 + rank[box.id] * (BOX_HEIGHT + GAP_Y))
    width = 20 + max(columns.values(), default=1) * (BOX_WIDTH + GAP_X)
    height = 20 + (max(rank.values(), default=0) + 1) * (BOX_HEIGHT + GAP_Y)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#667"/></marker></defs>']
    for a, b in edges:
        if a in position and b in position:
            (x1, y1), (x2, y2) = position[a], position[b]
            out.append(f'<line x1="{x1 + BOX_WIDTH / 2:.0f}" y1="{y1 + BOX_HEIGHT:.0f}" x2="{x2 + BOX_WIDTH / 2:.0f}" '
                       f'y2="{y2:.0f}" stroke="#667" stroke-width="1.2" marker-end="url(#arrow)"/>')
    for box in boxes:
        x, y = position[box.id]
        fill = "#eef3fb" if box.repeat == 1 else "#fdf3e1"
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="{fill}" '
                   f'stroke="#8a9ab5"/>')
        for index, line in enumerate(_label_lines(box)):
            limit = int(BOX_WIDTH / CHAR)
            text = line if len(line) <= limit else line[: limit - 1] + "…"
            weight = ' font-weight="bold"' if index == 0 else ""
            out.append(f'<text x="{x + 8:.0f}" y="{y + 16 + index * 14:.0f}"{weight}>{html.escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
