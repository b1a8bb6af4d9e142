"""Text output: summaries laid out exactly as Keras's ``model.summary()``, and findings.

The summary table reproduces Keras's layout (column positions, line length capped by
the terminal width, rich's box drawing) so a reader sees what Keras would print.
``formulas=True`` adds the explanation columns archlint offers beyond Keras.
"""

from __future__ import annotations

from typing import List, Optional, TextIO

from ..diagnostics import Finding
from ..summary import ModelSummary, readable_size
from ..symbolic import Sym, format_sym
from .plain_console import escape, plain_console

_NUMBER, _SYMBOL = "color(45)", "color(33)"


def _shape_parts(shape):
    parts = [("(", "")]
    for index, dim in enumerate(shape):
        if index:
            parts.append((", ", ""))
        parts.append(("None" if dim is None else str(dim), _NUMBER))
    parts.append((")", ""))
    return parts


def _shape(row) -> list:
    shape = row.output_shape
    if shape is None:
        return [("?", "")]
    if shape and isinstance(shape[0], list):  # several outputs: Keras prints the list
        parts = [("[", "")]
        for index, one in enumerate(shape):
            parts += ([(", ", "")] if index else []) + _shape_parts(one)
        return parts + [("]", "")]
    return _shape_parts(shape)


def _params(row) -> list:
    if not row.built:
        return [("0", _NUMBER), (" (unbuilt)", "")]
    if row.params is None:
        return [("?" if row.symbolic_params is None else format_sym(row.symbolic_params, thousands=True), "")]
    return [(f"{row.params:,}", _NUMBER)]


def _number(value) -> str:
    return f"[color(45)]{value}[/]"


def _total(label: str, count: Optional[int], size: Optional[float], symbolic=None) -> str:
    if count is None and symbolic is not None:  # a formula in the sizes only the data knows
        return f"[bold]{label}[/]{escape(format_sym(symbolic, thousands=True))}"
    if count is None:
        return f"[bold]{label}[/]? (some layers could not be resolved)"
    return f"[bold]{label}[/]{_number(f'{count:,}')} ({readable_size(size)})"


def render_summary(summary: ModelSummary, console, formulas: bool = False, width: Optional[int] = None) -> None:
    if summary.sequential_like:
        line_length, positions = 88, [0.45, 0.80, 1.0]
        header, align = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        line_length, positions = 108, [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        align = ["left", "left", "right", "left"]
    columns_available = width if width is not None else console.width  # the terminal's, $COLUMNS, else 80
    line_length = min(line_length, columns_available - 4)
    widths, current = [], 0
    for position in positions:
        widths.append(int(position * line_length) - current)
        current += widths[-1]
    from . import box_table

    rows = [_cells(row, summary.sequential_like) for row in summary.rows]
    console.print(f'[bold]Model: "{escape(summary.name)}"[/]')
    drawn = None
    if console.color_system is None and (console.encoding or "").lower().startswith("utf"):
        drawn = box_table.draw(header, align, widths, line_length, [["".join(t for t, _ in cell) for cell in row] for row in rows])
    if drawn is not None:  # the same characters rich would print, without its general layout
        console.out("\n".join(drawn), highlight=False)
    else:  # colour, or a table only rich draws exactly; cells as Text objects (no markup parsing)
        import rich.table
        from rich.text import Text

        table = rich.table.Table(
            *[rich.table.Column(name, justify=a, width=w) for name, a, w in zip(header, align, widths)],
            width=line_length,
            show_lines=True,
        )
        for row in rows:
            table.add_row(*[Text.assemble(*cell) for cell in row])
        console.print(table)
    console.print(_total(" Total params: ", summary.total_params, summary.total_bytes, summary.symbolic_total))
    console.print(_total(" Trainable params: ", summary.trainable_params, summary.trainable_bytes, summary.symbolic_trainable))
    console.print(_total(" Non-trainable params: ", summary.non_trainable_params, summary.non_trainable_bytes,
                         summary.symbolic_non_trainable))
    if summary.params_once_built is not None:
        console.print(f" Once built: {summary.params_once_built:,} params (Keras builds these layers only when the model is first called)")
    if formulas:
        render_formulas(summary, console)
    if summary.symbolic_total is not None:
        names = ", ".join(f"`{n}`" for n in summary.symbolic_total.names)
        console.print(f"[yellow] Symbolic: the counts depend on {escape(names)}, which only the data "
                      f"knows (--assume gives a value).[/]")
        return
    if not summary.complete:
        unknown = sum(1 for row in summary.rows if row.called and (row.output_shape is None or row.params is None))
        reasons = list(summary.problems)
        if unknown or not reasons:
            reasons.insert(0, f"{unknown} layer{'s' if unknown != 1 else ''} could not be resolved statically "
                              f"(--show-incomplete says where)")
        console.print(f"[yellow] Partial summary: {escape('; '.join(reasons))}.[/]")


def _connections(links) -> list:
    if not links:
        return [("-", "")]
    parts = []
    for index, link in enumerate(links):
        if index:
            parts.append((", ", ""))
        name, _, rest = link.partition("[")
        node, tensor = rest.rstrip("]").split("][")
        parts += [(name, ""), ("[", ""), (node, _NUMBER), ("][", ""), (tensor, _NUMBER), ("]", "")]
    return parts


def _cells(row, sequential_like: bool) -> List[list]:
    """The parts (text, style) of each cell of a row."""
    cells = [[(row.name, ""), (" (", ""), (row.class_name, _SYMBOL), (")", "")], _shape(row), _params(row)]
    return cells if sequential_like else [*cells, _connections(row.connected_to)]


def render_formulas(summary: ModelSummary, console) -> None:
    """Where each count comes from: the parameter formula and the neurons of every layer that has any."""
    import rich.table

    table = rich.table.Table(
        rich.table.Column("Layer"),
        rich.table.Column("Param #", justify="right"),
        rich.table.Column("Formula"),
        rich.table.Column("Neurons", justify="right"),
        title="Where the numbers come from",
        title_justify="left",
    )
    for row in summary.rows:
        if not row.built and (row.params_once_built or row.units):
            once_built = (f"{row.params_once_built:,} once built, whatever its input" if row.params_once_built
                          else "depends on the input it is built on")
            table.add_row(escape(row.name), "0 (unbuilt)", once_built, str(row.units or ""))
            continue
        if not row.params and not row.units:
            continue
        params = "?" if row.params is None else f"{row.params:,}"
        table.add_row(escape(row.name), params, escape(row.formula or "?"), str(row.units or ""))
    console.print(table)
    console.print(
        f"[bold] Neurons: [/]{_number(f'{summary.neurons:,}')} (Dense units + convolution filters)"
    )


def _count(value) -> str:
    """A large count as people read it (``4.09 G``), a formula as written, ``?`` when unknown."""
    if value is None:
        return "?"
    if isinstance(value, Sym):
        return format_sym(value, thousands=True)
    for size, prefix in ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K")):
        if abs(value) >= size:
            return f"{value / size:.2f} {prefix}"
    return f"{value:,}"


def _field(field) -> str:
    """``7×7 / 2``: the input positions one output sees, and the jump between neighbours."""
    if field is None:
        return ""
    jumps = {str(j) for j in field.jump}
    return "×".join(map(str, field.size)) + " / " + ("×".join(str(j) for j in field.jump) if len(jumps) > 1 else jumps.pop())


def _megabytes(value) -> str:
    if value is None:
        return "?"
    if isinstance(value, Sym):
        return f"({format_sym(value)}) / 1e6"
    return f"{value / 1e6:,.2f}"


def render_costs(summary: ModelSummary, console, batch_size: int = 1) -> None:
    """What a forward pass costs: each layer's multiply-adds, FLOPs and output values per
    sample, then the totals and the memory estimate torchinfo prints, for ``batch_size``."""
    import rich.table

    table = rich.table.Table(
        rich.table.Column("Layer"),
        rich.table.Column("Mult-adds", justify="right"),
        rich.table.Column("FLOPs", justify="right"),
        rich.table.Column("Output values", justify="right"),
        rich.table.Column("Receptive field"),
        title="What a forward pass costs, per sample",
        title_justify="left",
    )
    for row in summary.rows:
        if row.class_name == "InputLayer":
            continue
        table.add_row(escape(row.name), _count(row.macs), _count(row.flops), _count(row.output_values),
                      _field(row.receptive_field))
    console.print()
    console.print(table)
    per_batch = f" × {batch_size:,}" if batch_size != 1 else ""
    console.print(f"[bold] Total mult-adds: [/]{_number(escape(_count(summary.macs)))}{per_batch}"
                  f"  (FLOPs: {escape(_count(summary.flops))}{per_batch})")
    sizes = summary.estimated_sizes(batch_size)
    for label, key in (("Input size (MB)", "input"), ("Forward/backward pass size (MB)", "forward_backward"),
                       ("Params size (MB)", "params"), ("Estimated total size (MB)", "total")):
        console.print(f"[bold] {label}: [/]{_number(escape(_megabytes(sizes[key])))}")
    if summary.macs is None:
        console.print("[yellow] Partial costs: a layer's cost is not known (its family or a size): "
                      "the totals are not given.[/]")


def make_console(stream: TextIO, width: Optional[int] = None):
    """A console on ``stream``: colour only on a terminal (and never with ``NO_COLOR`` set);
    ``width`` columns, else ``$COLUMNS``, else the terminal's, else 80. Where rich would draw
    no colour, the same text written without rich's console (reporters/plain_console.py)."""
    plain = plain_console(stream, width)
    if plain is not None:
        return plain
    import rich.console

    return rich.console.Console(file=stream, highlight=False, width=width)


def summary_text(summary: ModelSummary, width: int = 200, formulas: bool = False) -> str:
    """The plain text of one summary (no colour), as Keras prints it when captured."""

    import rich.console

    console = rich.console.Console(highlight=False, force_terminal=False, color_system=None, width=width)
    console.begin_capture()
    render_summary(summary, console, formulas=formulas, width=width)
    return console.end_capture()


def location(finding: Finding) -> str:
    """``path:line:col``, or ``notebook.ipynb:cell 3:4:12`` in a notebook."""
    cell = f"cell {finding.cell}:" if finding.cell else ""
    return f"{finding.path}:{cell}{finding.line}:{finding.col + 1}"


def format_finding(finding: Finding) -> str:
    return f"{location(finding)}: {finding.code} [{finding.severity.label}] {finding.message}"


def write_findings(findings: List[Finding], stream: TextIO) -> None:
    for finding in findings:
        stream.write(format_finding(finding) + "\n")


def write_concise(findings: List[Finding], stream: TextIO) -> None:
    """One ``path:line:col: CODE message`` per finding, nothing else (for editors and grep)."""
    for finding in findings:
        stream.write(f"{location(finding)}: {finding.code} {finding.message}\n")


def write_statistics(findings: List[Finding], stream: TextIO) -> None:
    """How many findings each rule made, most first: ``  12  AL201  bias-before-batchnorm``."""
    counts = {}
    for finding in findings:
        counts.setdefault((finding.code, finding.name), 0)
        counts[(finding.code, finding.name)] += 1
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        stream.write(f"{count:5}  {code}  {name}\n")
